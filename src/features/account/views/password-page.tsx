/** Redmine's /my/password: current password, new password, confirmation. */
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';

export interface PasswordPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** Validation messages from the last attempt. */
  readonly errors: readonly string[];
}

export function PasswordPage({ t, csrfToken, errors }: PasswordPageProps) {
  return (
    <div id="change-password">
      <h2>{t('label_change_password')}</h2>
      <ErrorExplanation errors={errors} t={t} />
      <form method="post" action="/my/password" class="tabular">
        <CsrfField token={csrfToken} />
        <p>
          <label for="password">{t('field_current_password')}</label>
          <input type="password" name="password" id="password" autocomplete="current-password" required />
        </p>
        <p>
          <label for="new_password">{t('field_new_password')}</label>
          <input type="password" name="new_password" id="new_password" autocomplete="new-password" required />
        </p>
        <p>
          <label for="new_password_confirmation">{t('field_password_confirmation')}</label>
          <input type="password" name="new_password_confirmation" id="new_password_confirmation" autocomplete="new-password" required />
        </p>
        <button type="submit">{t('button_apply')}</button>
      </form>
    </div>
  );
}
