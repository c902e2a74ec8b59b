/**
 * The password prompt of sudo mode (Redmine's sudo_mode/new): the password, and the original request's
 * form fields as hidden inputs, so that sending the password also sends the original form again.
 */
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export interface SudoPromptProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** Where the form posts: the original URL (a POST replayed), or /sudo_mode (a page to open again). */
  readonly action: string;
  /** Name/value pairs sent along with the password, in the original order. */
  readonly fields: readonly (readonly [string, string])[];
  /** Offer the "Lost password" link (the tenant's `lost_password` setting). */
  readonly lostPassword: boolean;
}

export function SudoPrompt({ t, csrfToken, action, fields, lostPassword }: SudoPromptProps) {
  return (
    <div id="sudo-mode">
      <h2>{t('label_password_required')}</h2>
      <p class="nodata">{t('text_sudo_mode_explanation')}</p>
      <form method="post" action={action} class="tabular" id="sudo-form">
        <CsrfField token={csrfToken} />
        {fields.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="box">
          <p>
            <label for="sudo_password">
              {t('field_password')}
              <span class="required"> *</span>
            </label>
            <input type="password" id="sudo_password" name="sudo_password" size={25} autocomplete="current-password" autofocus required />
            {lostPassword && (
              <>
                <br />
                <a href="/account/lost_password" class="lost_password">
                  {t('label_password_lost')}
                </a>
              </>
            )}
          </p>
        </div>
        <button type="submit">{t('button_submit')}</button>
      </form>
    </div>
  );
}

export interface SudoOidcPromptProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly providerName: string;
  /** The page to open again once the provider confirmed the user. */
  readonly backUrl: string;
}

/** The prompt of a session signed in by single sign-on: confirm at the provider (features/oidc). */
export function SudoOidcPrompt({ t, csrfToken, providerName, backUrl }: SudoOidcPromptProps) {
  return (
    <div id="sudo-mode">
      <h2>{t('label_oidc_confirm_with', { name: providerName })}</h2>
      <p class="nodata">{t('text_sudo_mode_explanation')}</p>
      <form method="post" action="/auth/oidc/sudo" id="sudo-oidc-form">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="back_url" value={backUrl} />
        <p>{t('text_sudo_mode_oidc', { name: providerName })}</p>
        <button type="submit">{t('label_oidc_confirm_with', { name: providerName })}</button>
      </form>
    </div>
  );
}
