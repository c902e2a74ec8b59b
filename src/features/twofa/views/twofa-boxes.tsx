/**
 * Two-factor authentication where other pages show it: the box of My account (enable, or disable and
 * backup codes) and the line of an administrator's user edit page (state, and a reset for others).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export interface TwofaAccountBoxProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly active: boolean;
  /** Unused backup codes (when active). */
  readonly backupCodesLeft: number;
}

export function TwofaAccountBox({ t, csrfToken, active, backupCodesLeft }: TwofaAccountBoxProps): VNode {
  return (
    <div id="twofa-box">
      <h4>{t('setting_twofa')}</h4>
      <p id="twofa-state">{active ? t('text_twofa_active') : t('text_twofa_not_active')}</p>
      {active ? (
        <>
          <p>{t('text_twofa_backup_codes_left', { count: String(backupCodesLeft) })}</p>
          <form method="post" action="/my/twofa/backup_codes/init" class="inline" data-confirm={backupCodesLeft > 0 ? t('text_twofa_generate_backup_codes_confirmation') : undefined}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="link" id="twofa-generate-backup-codes">
              {t('button_twofa_generate_backup_codes')}
            </button>
          </form>
          <br />
          <form method="post" action="/my/twofa/totp/deactivate/init" class="inline">
            <CsrfField token={csrfToken} />
            <button type="submit" class="link" id="twofa-disable">
              {t('button_twofa_disable')}
            </button>
          </form>
        </>
      ) : (
        <form method="post" action="/my/twofa/totp/activate/init" class="inline">
          <CsrfField token={csrfToken} />
          <button type="submit" class="link" id="twofa-enable">
            {t('label_twofa_enable')}
          </button>
        </form>
      )}
    </div>
  );
}

export interface TwofaUserBoxProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly userId: number;
  readonly active: boolean;
  /** The administrator is looking at their own account: no reset without a code. */
  readonly isSelf: boolean;
}

export function TwofaUserBox({ t, csrfToken, userId, active, isSelf }: TwofaUserBoxProps): VNode {
  return (
    <fieldset class="box" id="twofa-user-box">
      <legend>{t('setting_twofa')}</legend>
      <p>{active ? t('text_twofa_active') : t('text_twofa_not_active')}</p>
      {active && !isSelf ? (
        <form method="post" action={`/users/${userId}/twofa/deactivate`} class="inline" data-confirm={t('text_twofa_reset_confirmation')}>
          <CsrfField token={csrfToken} />
          <button type="submit" id="twofa-reset">
            {t('button_twofa_reset')}
          </button>
        </form>
      ) : null}
      {active && isSelf ? (
        <p>
          <a href="/my/account">{t('label_my_account')}</a>
        </p>
      ) : null}
    </fieldset>
  );
}
