/**
 * A page that asks for a code before a change (Redmine's twofa/_twofa_code_form): disabling two-factor
 * authentication, generating backup codes.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export interface TwofaCodePageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly title: MessageKey;
  readonly text: MessageKey;
  readonly action: string;
  readonly button: MessageKey;
  /** Ask before sending (the change cannot be undone). */
  readonly confirm?: MessageKey | undefined;
}

export function TwofaCodePage({ t, csrfToken, title, text, action, button, confirm }: TwofaCodePageProps): VNode {
  return (
    <>
      <h2>{t(title)}</h2>
      <form method="post" action={action} id="twofa_form" data-confirm={confirm ? t(confirm) : undefined}>
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>{t(text)}</p>
          <div class="tabular">
            <p>
              <label for="twofa_code">{t('field_twofa_code')}</label>
              <input type="text" name="twofa_code" id="twofa_code" autocomplete="one-time-code" autocapitalize="off" spellcheck={false} maxLength={64} required autofocus />
            </p>
          </div>
        </div>
        <p>
          <button type="submit">{t(button)}</button> <a href="/my/account">{t('button_cancel')}</a>
        </p>
      </form>
    </>
  );
}
