/**
 * The page frame every HTML page shares, with Redmine's element ids (#top-menu, #header, #main-menu,
 * #main, #sidebar, #content, #footer) so that themes written for Redmine find their way. Pure:
 * everything it shows arrives in its props.
 */
import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { Translate } from '#src/i18n/index.ts';
import type { MenuItem } from './project-menu.ts';

export interface LayoutUser {
  readonly id: number;
  readonly name: string;
  readonly login: string;
  readonly admin: boolean;
}

export interface Crumb {
  readonly label: string;
  readonly href: string;
}

export interface LayoutProps {
  readonly lang: string;
  readonly title: string;
  readonly appTitle: string;
  readonly t: Translate;
  readonly user?: LayoutUser | undefined;
  /** Needed for the sign-out form when a user is signed in. */
  readonly csrfToken: string;
  readonly flash?: { readonly kind: 'notice' | 'error' | 'warning'; readonly message: string } | undefined;
  /** The project the page belongs to: its name heads the page, its menu replaces the main menu. */
  readonly project?: { readonly identifier: string; readonly name: string; readonly ancestors: readonly Crumb[] } | undefined;
  /** Tabs under the header: the project's modules, or an area's own (administration). */
  readonly menu?: readonly MenuItem[] | undefined;
  /** Projects for the jump box (the user's own), newest first. */
  readonly jumpProjects?: readonly { readonly identifier: string; readonly name: string }[] | undefined;
  /** Which top-menu entry is current. */
  readonly current?: 'home' | 'my_page' | 'projects' | 'administration' | undefined;
  readonly sidebar?: ComponentChildren;
  readonly bodyClass?: string | undefined;
  /** Script files of the client islands (URLs), loaded deferred. */
  readonly scripts: readonly string[];
  readonly stylesheets: readonly string[];
  readonly children: ComponentChildren;
}

export function Layout(props: LayoutProps): VNode {
  const { t, project } = props;
  const searchAction = project ? `/projects/${project.identifier}/search` : '/search';
  const classes = [props.bodyClass, props.sidebar ? undefined : 'nosidebar', props.project ? 'project' : undefined].filter(Boolean);
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} - ${props.appTitle}`}</title>
        {props.stylesheets.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {props.scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body class={classes.join(' ')}>
        <a href="#content" class="skip-link">
          {t('label_skip_to_content')}
        </a>
        <div id="wrapper">
          <TopMenu {...props} />
          <header id="header">
            <div id="quick-search">
              <form action={searchAction} method="get" role="search">
                <label for="q">{t('label_search')}</label>
                <input type="search" name="q" id="q" size={20} class="small" accesskey="f" />
              </form>
              {props.user && props.jumpProjects && props.jumpProjects.length > 0 ? <ProjectJump {...props} /> : null}
            </div>
            <h1>
              {project ? (
                <>
                  {project.ancestors.map((crumb) => (
                    <>
                      <a href={crumb.href} class="ancestor">
                        {crumb.label}
                      </a>
                      <span class="separator"> » </span>
                    </>
                  ))}
                  <span class="current-project">{project.name}</span>
                </>
              ) : (
                props.appTitle
              )}
            </h1>
            {props.menu && props.menu.length > 0 ? (
              <nav id="main-menu" class="tabs" aria-label={t('label_menu')}>
                <ul>
                  {props.menu.map((item) => (
                    <li>
                      <a href={item.href} class={`${item.key.replace(/_/g, '-')}${item.selected ? ' selected' : ''}`} aria-current={item.selected ? 'page' : undefined}>
                        {t(item.label)}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </header>
          <div id="main" class={props.sidebar ? undefined : 'nosidebar'}>
            {props.sidebar ? (
              <aside id="sidebar" aria-label={t('label_sidebar')}>
                {props.sidebar}
              </aside>
            ) : null}
            <main id="content" tabindex={-1}>
              {props.flash ? (
                <div id={`flash_${props.flash.kind}`} class={`flash ${props.flash.kind}`} role="status">
                  {props.flash.message}
                </div>
              ) : null}
              {props.children}
            </main>
          </div>
          <footer id="footer">
            <div class="bgl">
              <div class="bgr">{t('text_powered_by', { name: 'Kanri' })}</div>
            </div>
          </footer>
        </div>
      </body>
    </html>
  );
}

function TopMenu(props: LayoutProps): VNode {
  const { t, user, current } = props;
  const item = (key: NonNullable<LayoutProps['current']>, href: string, label: string) => (
    <li>
      <a href={href} class={key.replace(/_/g, '-')} aria-current={current === key ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav id="top-menu" aria-label={t('label_menu')}>
      <div id="account">
        <ul>
          {user ? (
            <>
              <li>
                <a href="/my/account" class="my-account">
                  {t('label_my_account')}
                </a>
              </li>
              <li>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="authenticity_token" value={props.csrfToken} />
                  <button type="submit" class="link logout">
                    {t('label_logout')}
                  </button>
                </form>
              </li>
            </>
          ) : (
            <li>
              <a href="/login" class="login">
                {t('label_login')}
              </a>
            </li>
          )}
        </ul>
      </div>
      {user ? (
        <div id="loggedas">
          {t('label_logged_as')} <a href={`/users/${user.id}`} class="user active">{user.login}</a>
        </div>
      ) : null}
      <ul>
        {item('home', '/', t('label_home'))}
        {user ? item('my_page', '/my/page', t('label_my_page')) : null}
        {item('projects', '/projects', t('label_project_plural'))}
        {user?.admin ? item('administration', '/admin', t('label_administration')) : null}
        <li>
          <a href="https://www.redmine.org/guide" class="help" rel="noopener noreferrer" target="_blank">
            {t('label_help')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** A jump list that works without JavaScript: a disclosure of links. */
function ProjectJump(props: LayoutProps): VNode {
  const { t } = props;
  return (
    <details id="project-jump" class="drdn">
      <summary class="drdn-trigger">{props.project ? props.project.name : t('label_jump_to_a_project')}</summary>
      <ul class="drdn-content">
        {(props.jumpProjects ?? []).map((p) => (
          <li>
            <a href={`/projects/${p.identifier}`}>{p.name}</a>
          </li>
        ))}
        <li class="all">
          <a href="/projects">{t('label_project_all')}</a>
        </li>
      </ul>
    </details>
  );
}

/** Renders a page element to a complete HTML document. */
export function renderPage(page: VNode): string {
  return '<!DOCTYPE html>' + render(page);
}
