/**
 * Enrolment (Redmine's twofa/activate_confirm): the QR code of the pending secret, the secret in
 * groups of four for typing by hand, and the code that confirms the app has it. The QR code is an SVG
 * made on the server (no script: the CSP allows none inline).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export interface TwofaActivatePageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** `<svg>…</svg>` from the qrcode package, made from the otpauth URI only. */
  readonly qrSvg: string;
  /** The secret as `ABCD EFGH …`. */
  readonly groupedKey: string;
  /** The tenant requires it: say so, and offer no way around. */
  readonly required: boolean;
}

export function TwofaActivatePage({ t, csrfToken, qrSvg, groupedKey, required }: TwofaActivatePageProps): VNode {
  return (
    <>
      <h2>{t('label_twofa_enable')}</h2>
      {required ? (
        <div class="flash warning" id="twofa-required" role="alert">
          {t('text_twofa_required_enrol')}
        </div>
      ) : null}
      <form method="post" action="/my/twofa/totp/activate" id="twofa_form">
        <CsrfField token={csrfToken} />
        <div class="box tabular">
          <p>{t('text_twofa_totp_pairing')}</p>
          <p>
            <label>&nbsp;</label>
            <span class="twofa-qr" id="twofa-qr" role="img" aria-label={t('label_twofa_qr_code')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          </p>
          <p>
            <label>{t('field_twofa_plain_key')}</label>
            <code id="twofa-key">{groupedKey}</code>
          </p>
          <p>
            <label for="twofa_code">{t('field_twofa_code')}</label>
            <input type="text" name="twofa_code" id="twofa_code" inputMode="numeric" autocomplete="one-time-code" maxLength={64} required autofocus />
          </p>
        </div>
        <p>
          <button type="submit" class="primary">
            {t('button_twofa_enable')}
          </button>
          {required ? null : (
            <>
              {' '}
              <a href="/my/account">{t('button_cancel')}</a>
            </>
          )}
        </p>
      </form>
      <form method="post" action="/my/twofa/totp/activate/init" id="twofa-new-key" class="inline" data-confirm={t('text_are_you_sure')}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="link">
          {t('button_twofa_new_key')}
        </button>
      </form>
    </>
  );
}
