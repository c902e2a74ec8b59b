/** New backup codes, shown once (Redmine's twofa_backup_codes/show). */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';

export interface BackupCodesPageProps {
  readonly t: Translate;
  /** Each as `xxxx xxxx xxxx`. */
  readonly codes: readonly string[];
  /** When they were made, formatted. */
  readonly createdAt: string;
}

export function BackupCodesPage({ t, codes, createdAt }: BackupCodesPageProps): VNode {
  return (
    <>
      <h2>{t('label_twofa_backup_codes')}</h2>
      <div class="box">
        <p>{t('text_twofa_backup_codes_hint')}</p>
        <ul class="twofa_backup_codes" id="twofa-backup-codes">
          {codes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <em class="info">{t('text_twofa_backup_codes_created_at', { datetime: createdAt })}</em>
        </p>
      </div>
      <p>
        <a href="/my/account">{t('button_back')}</a>
      </p>
    </>
  );
}
