/** Redmine's /my/password: current password, new password, confirmation. */
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { NewPasswordFields, PasswordInput, ShowPasswordToggle } from '#src/views/password-fields.tsx';
import type { PasswordRules } from '../password-policy.ts';

export interface PasswordPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** Validation messages from the last attempt. */
  readonly errors: readonly string[];
  /** The tenant's policy, told to the user beside the new password. */
  readonly rules: PasswordRules;
}

export function PasswordPage({ t, csrfToken, errors, rules }: PasswordPageProps) {
  return (
    <div id="change-password">
      <h2>{t('label_change_password')}</h2>
      <ErrorExplanation errors={errors} t={t} />
      <form method="post" action="/my/password" class="tabular">
        <CsrfField token={csrfToken} />
        <p>
          <label for="password">{t('field_current_password')}</label>
          <PasswordInput t={t} id="password" name="password" autocomplete="current-password" required />
        </p>
        <NewPasswordFields t={t} minLength={rules.minLength} requiredCharClasses={rules.requiredCharClasses} />
        <ShowPasswordToggle t={t} />
        <button type="submit">{t('button_apply')}</button>
      </form>
    </div>
  );
}
