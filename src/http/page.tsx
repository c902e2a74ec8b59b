/**
 * Sends a full HTML page of the tenant inside the shared layout. The route loads its data and gives a
 * `body` that renders it; this module adds what every page has: language, the signed-in user, the
 * CSRF token, the flash, the project header and menu, the jump box, formats, scripts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { canViewProject } from '#src/domain/authorization.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { findPreferences, type User } from '#src/features/account/index.ts';
import { loadJumpProjects, loadProjectFrame, type ProjectRow } from '#src/features/projects/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { translator, type Language, type Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { scriptUrls, assets } from '#src/views/assets.ts';
import { createFormatter, formatUserName, type Formatter } from '#src/views/format.ts';
import { Layout, renderPage, type LayoutProps } from '#src/views/layout.tsx';
import { projectMenu, type MenuItem, type ProjectMenuKey } from '#src/views/project-menu.ts';
import { actorOf } from './actor.ts';
import { csrfToken } from './csrf.ts';
import { takeFlash } from './flash.ts';
import { pageLanguage, tenantOf } from './tenant-context.ts';

/** What a page's body and sidebar receive besides their own data. */
export interface PageView {
  readonly t: Translate;
  readonly lang: Language;
  readonly csrfToken: string;
  readonly format: Formatter;
  readonly user: User | undefined;
  readonly settings: Settings;
}

export interface PageOptions {
  title: (t: Translate) => string;
  body: (view: PageView) => VNode;
  sidebar?: ((view: PageView) => VNode) | undefined;
  status?: number;
  flash?: { kind: 'notice' | 'error' | 'warning'; message: (t: Translate) => string } | undefined;
  /** The page belongs to this project: its header, ancestors and menu are shown. */
  project?: ProjectRow | undefined;
  /** The selected project-menu tab. */
  menuItem?: ProjectMenuKey | undefined;
  /** Tabs of an area that is no project (used instead of the project menu). */
  menu?: readonly MenuItem[] | undefined;
  current?: LayoutProps['current'];
  /** Client islands (file names in src/client) besides `application`. */
  scripts?: readonly string[];
  bodyClass?: string;
}

/** The formats of this request: the user's time zone, the tenant's date, time and name formats. */
export async function pageFormatter(request: FastifyRequest, t: Translate, lang: Language): Promise<Formatter> {
  const { db, settings, dataVersion } = tenantOf(request);
  const user = request.user;
  const preferences = user ? await memoAsOf(db, `prefs\u0001${user.id}`, dataVersion, () => findPreferences(db.orm, user.id)) : undefined;
  return createFormatter({
    lang,
    t,
    timeZone: preferences?.timeZone ?? '',
    dateFormat: settings.date_format,
    timeFormat: settings.time_format,
    userFormat: settings.user_format,
    timespanFormat: settings.timespan_format,
    now: new Date(),
  });
}

export async function sendPage(platform: Platform, request: FastifyRequest, reply: FastifyReply, options: PageOptions) {
  const { db, settings, dataVersion } = tenantOf(request);
  const user = request.user;
  const lang = pageLanguage(request, user?.language);
  const t = translator(lang);
  const token = csrfToken(platform, request, reply);
  const carried = takeFlash(request, reply);
  const flash = options.flash
    ? { kind: options.flash.kind, message: options.flash.message(t) }
    : carried && { kind: carried.kind, message: t(carried.key, carried.vars) };
  const actor = await actorOf(request);
  const format = await pageFormatter(request, t, lang);
  const memberProjectIds = [...actor.memberRoles.keys()];
  const [frame, jumpProjects] = await Promise.all([
    options.project ? loadProjectFrame(db, dataVersion, options.project) : undefined,
    user && memberProjectIds.length > 0 ? loadJumpProjects(db, dataVersion, memberProjectIds) : undefined,
  ]);
  const theme = settings.ui_theme ? assets().themes.get(settings.ui_theme) : undefined;
  const view: PageView = { t, lang, csrfToken: token, format, user, settings };
  const html = renderPage(
    <Layout
      lang={lang}
      title={options.title(t)}
      appTitle={settings.app_title}
      t={t}
      user={user && { id: user.id, login: user.login, admin: user.admin, name: formatUserName(user, settings.user_format) }}
      csrfToken={token}
      flash={flash}
      project={
        options.project && frame
          ? {
              identifier: options.project.identifier ?? String(options.project.id),
              name: options.project.name,
              ancestors: frame.ancestors
                .filter((a) => canViewProject(actor, a.access))
                .map((a) => ({ label: a.name, href: `/projects/${encodeURIComponent(a.identifier)}` })),
            }
          : undefined
      }
      menu={options.menu ?? (options.project && frame ? projectMenu(actor, { ...frame.access, identifier: options.project.identifier ?? String(options.project.id) }, options.menuItem) : undefined)}
      jumpProjects={jumpProjects}
      current={options.current ?? (options.project ? 'projects' : undefined)}
      sidebar={options.sidebar?.(view)}
      bodyClass={[options.bodyClass, `controller-${options.menuItem ?? 'page'}`].filter(Boolean).join(' ')}
      scripts={[...scriptUrls(options.scripts ?? []), ...(theme?.script ? [theme.script] : [])]}
      stylesheets={[assets().stylesheet, ...(theme ? [theme.stylesheet] : [])]}
    >
      {options.body(view)}
    </Layout>,
  );
  return reply
    .status(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

/** A local path to return to after sign-in; anything that could leave the site becomes `/`. */
export function safeBackUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) {
    return '/';
  }
  // Only paths on this host: no scheme, no `//host`, no backslash tricks, no control characters.
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\x00-\x1f]/.test(value)) {
    return '/';
  }
  return value;
}
