/** Sends a full HTML page of the tenant inside the shared layout. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { translator, type Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { Layout, renderPage } from '#src/views/layout.tsx';
import { csrfToken } from './csrf.ts';
import { takeFlash } from './flash.ts';
import { pageLanguage, tenantOf } from './tenant-context.ts';

export interface PageOptions {
  title: (t: Translate) => string;
  body: (view: { t: Translate; csrfToken: string }) => VNode;
  status?: number;
  flash?: { kind: 'notice' | 'error'; message: (t: Translate) => string };
}

export function sendPage(platform: Platform, request: FastifyRequest, reply: FastifyReply, options: PageOptions) {
  const lang = pageLanguage(request, request.user?.language);
  const t = translator(lang);
  const token = csrfToken(platform, request, reply);
  const user = request.user;
  const carried = takeFlash(request, reply);
  const flash = options.flash
    ? { kind: options.flash.kind, message: options.flash.message(t) }
    : carried && { kind: carried.kind, message: t(carried.key) };
  const html = renderPage(
    <Layout
      lang={lang}
      title={options.title(t)}
      appTitle={tenantOf(request).settings.app_title}
      t={t}
      userName={user ? `${user.firstname} ${user.lastname}`.trim() || user.login : undefined}
      csrfToken={token}
      flash={flash}
    >
      {options.body({ t, csrfToken: token })}
    </Layout>,
  );
  return reply.status(options.status ?? 200).type('text/html; charset=utf-8').send(html);
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
