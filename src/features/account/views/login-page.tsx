/** The sign-in form (Redmine's /login): login, password, the page to return to. */
import type { Translate } from '#src/i18n/index.ts';

export interface LoginPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly login: string;
  readonly backUrl: string;
  /** Offer "Stay logged in" (the `autologin` setting is on). */
  readonly autologin?: boolean;
  /** Offer "Lost password" (the `lost_password` setting is on). */
  readonly lostPassword?: boolean;
  /**
   * Single sign-on (features/oidc): the "Sign in with {name}" button; `hidePasswordForm` when only
   * administrators may use a password ("SSO only"), who reach the form through a link.
   */
  readonly sso?: { readonly name: string; readonly hidePasswordForm: boolean } | undefined;
}

export function LoginPage({ t, csrfToken, login, backUrl, autologin = false, lostPassword = false, sso }: LoginPageProps) {
  const ssoButton = sso ? (
    <p id="oidc-sign-in">
      <a class="button" href={`/auth/oidc?back_url=${encodeURIComponent(backUrl)}`}>
        {t('label_oidc_sign_in_with', { name: sso.name })}
      </a>
    </p>
  ) : null;
  if (sso?.hidePasswordForm) {
    return (
      <div id="login-form">
        <h2>{t('label_login')}</h2>
        {ssoButton}
        <p>
          <a href={`/login?password=1&back_url=${encodeURIComponent(backUrl)}`} id="admin-password-sign-in">
            {t('label_oidc_admin_sign_in')}
          </a>
        </p>
      </div>
    );
  }
  return (
    <div id="login-form">
      <h2>{t('label_login')}</h2>
      {ssoButton}
      <form method="post" action="/login">
        <input type="hidden" name="authenticity_token" value={csrfToken} />
        <input type="hidden" name="back_url" value={backUrl} />
        <label for="username">{t('field_login')}</label>
        <input type="text" name="username" id="username" value={login} autocomplete="username" required autofocus />
        <label for="password">{t('field_password')}</label>
        {lostPassword ? (
          <a href="/account/lost_password" class="lost_password">
            {t('label_password_lost')}
          </a>
        ) : null}
        <input type="password" name="password" id="password" autocomplete="current-password" required />
        {autologin ? (
          <label for="autologin" id="autologin-field">
            <input type="checkbox" name="autologin" id="autologin" value="1" /> {t('label_stay_logged_in')}
          </label>
        ) : null}
        <button type="submit" id="login-submit">
          {t('button_login')}
        </button>
      </form>
    </div>
  );
}
