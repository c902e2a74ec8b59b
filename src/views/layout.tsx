/** The page frame every HTML page shares. Pure: everything it shows arrives in its props. */
import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { Translate } from '#src/i18n/index.ts';

export interface LayoutProps {
  readonly lang: string;
  readonly title: string;
  readonly appTitle: string;
  readonly t: Translate;
  /** The signed-in user's display name; undefined for anonymous visitors. */
  readonly userName?: string | undefined;
  /** Needed for the sign-out form when a user is signed in. */
  readonly csrfToken?: string | undefined;
  readonly flash?: { readonly kind: 'notice' | 'error'; readonly message: string } | undefined;
  readonly children: ComponentChildren;
}

export function Layout(props: LayoutProps) {
  const { t } = props;
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} - ${props.appTitle}`}</title>
        <link rel="stylesheet" href="/stylesheets/application.css" />
      </head>
      <body>
        <div id="top-menu">
          <ul>
            <li>
              <a href="/">{t('label_home')}</a>
            </li>
          </ul>
          <div id="account">
            {props.userName ? (
              <form method="post" action="/logout" class="inline">
                <span id="loggedas">
                  {t('label_logged_as')} <strong>{props.userName}</strong>
                </span>{' '}
                <input type="hidden" name="authenticity_token" value={props.csrfToken ?? ''} />
                <button type="submit" class="link">
                  {t('label_logout')}
                </button>
              </form>
            ) : (
              <a href="/login" class="login">
                {t('label_login')}
              </a>
            )}
          </div>
        </div>
        <div id="header">
          <h1>{props.appTitle}</h1>
        </div>
        <main id="content">
          {props.flash ? (
            <div id={`flash_${props.flash.kind}`} class={`flash ${props.flash.kind}`} role="status">
              {props.flash.message}
            </div>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Renders a page element to a complete HTML document. */
export function renderPage(page: preact.VNode): string {
  return '<!DOCTYPE html>' + render(page);
}
