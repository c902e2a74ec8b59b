/** GET /logout asks before signing out, as Redmine does (sign-out is a POST). */
import type { Translate } from '#src/i18n/index.ts';

export function LogoutPage({ t, csrfToken }: { readonly t: Translate; readonly csrfToken: string }) {
  return (
    <div id="logout">
      <p>{t('text_logout_confirm')}</p>
      <form method="post" action="/logout">
        <input type="hidden" name="authenticity_token" value={csrfToken} />
        <button type="submit">{t('button_logout')}</button>
      </form>
    </div>
  );
}
