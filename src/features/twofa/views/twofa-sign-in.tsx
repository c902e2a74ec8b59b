/** The second step of signing in (Redmine's account/twofa_confirm): the code from the app, or a backup code. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export function TwofaSignInPage({ t, csrfToken }: { t: Translate; csrfToken: string }): VNode {
  return (
    <div id="login-form">
      <h2>{t('setting_twofa')}</h2>
      <p>{t('text_twofa_enter_code_or_backup_code')}</p>
      <form method="post" action="/account/twofa" id="twofa_form">
        <CsrfField token={csrfToken} />
        <label for="twofa_code">{t('field_twofa_code')}</label>
        <input type="text" name="twofa_code" id="twofa_code" autocomplete="one-time-code" autocapitalize="off" spellcheck={false} maxLength={64} required autofocus />
        <button type="submit" id="login-submit">
          {t('button_login')}
        </button>
      </form>
    </div>
  );
}
