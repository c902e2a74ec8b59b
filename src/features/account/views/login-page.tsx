/** The sign-in form (Redmine's /login): login, password, the page to return to. */
import type { Translate } from '#src/i18n/index.ts';

export interface LoginPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly login: string;
  readonly backUrl: string;
}

export function LoginPage({ t, csrfToken, login, backUrl }: LoginPageProps) {
  return (
    <div id="login-form">
      <h2>{t('label_login')}</h2>
      <form method="post" action="/login">
        <input type="hidden" name="authenticity_token" value={csrfToken} />
        <input type="hidden" name="back_url" value={backUrl} />
        <label for="username">{t('field_login')}</label>
        <input type="text" name="username" id="username" value={login} autocomplete="username" required autofocus />
        <label for="password">{t('field_password')}</label>
        <input type="password" name="password" id="password" autocomplete="current-password" required />
        <button type="submit" id="login-submit">
          {t('button_login')}
        </button>
      </form>
    </div>
  );
}
