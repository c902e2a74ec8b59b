/**
 * The bare page for answers given before any tenant is known (unknown host, suspended tenant,
 * internal error). It names no tenant and no account, so it reveals nothing about which exist.
 */
import { render } from 'preact-render-to-string';

export interface ErrorPageProps {
  readonly lang: string;
  readonly title: string;
  readonly message: string;
}

export function ErrorPage(props: ErrorPageProps) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/stylesheets/application.css" />
      </head>
      <body class="error-page">
        <main id="content">
          <h2>{props.title}</h2>
          <p id="errorExplanation">{props.message}</p>
        </main>
      </body>
    </html>
  );
}

export function renderErrorPage(props: ErrorPageProps): string {
  return '<!DOCTYPE html>' + render(<ErrorPage {...props} />);
}
