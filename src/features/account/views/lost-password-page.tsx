/**
 * Redmine's account/lost_password and account/password_recovery: the form asking for the address a
 * link should go to, and the form choosing the new password once a link was followed (the token is
 * not in this page: it travels in a cookie, see lost-password.pages.tsx).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation, Field } from '#src/views/form.tsx';
import { NewPasswordFields, ShowPasswordToggle } from '#src/views/password-fields.tsx';
import type { PasswordRules } from '../password-policy.ts';

export function LostPasswordForm({ t, csrfToken }: { readonly t: Translate; readonly csrfToken: string }): VNode {
  return (
    <>
      <h2>{t('label_password_lost')}</h2>
      <div id="password-form">
        <form method="post" action="/account/lost_password">
          <CsrfField token={csrfToken} />
          <div class="box tabular">
            <p>{t('text_password_lost_instructions')}</p>
            <Field id="mail" label={t('field_mail')} required>
              <input type="email" name="mail" id="mail" size={40} maxLength={254} autocomplete="email" required autofocus />
            </Field>
            <p>
              <button type="submit">{t('button_submit')}</button>
            </p>
          </div>
        </form>
      </div>
    </>
  );
}

export interface PasswordRecoveryFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly login: string;
  /** The tenant's policy, told to the user beside the new password. */
  readonly rules: PasswordRules;
  /** Validation messages from the last attempt. */
  readonly errors: readonly string[];
}

export function PasswordRecoveryForm({ t, csrfToken, login, rules, errors }: PasswordRecoveryFormProps): VNode {
  return (
    <>
      <h2>{t('label_password_lost')}</h2>
      <ErrorExplanation errors={errors} t={t} />
      <div id="password-form">
        <form method="post" action="/account/lost_password" class="tabular">
          <CsrfField token={csrfToken} />
          <div class="box">
            <p>
              <label for="login">{t('field_login')}</label>
              {/* Lets a password manager file the new password under the right account. */}
              <input type="text" id="login" name="login" value={login} autocomplete="username" readOnly />
            </p>
            <NewPasswordFields t={t} minLength={rules.minLength} requiredCharClasses={rules.requiredCharClasses} />
            <ShowPasswordToggle t={t} />
          </div>
          <button type="submit">{t('button_save')}</button>
        </form>
      </div>
    </>
  );
}
