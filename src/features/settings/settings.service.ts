/**
 * Changing tenant settings with what follows from the change, for every path that changes them
 * (Administration → Settings, the operator's `kanri tenant set`): validated and stored with their
 * audit rows (`updateSettings`); then `twofa` turned to "disabled" unpairs every user (Redmine's
 * unpair_all!), and a change to a security setting is e-mailed to every active administrator with
 * the names of the changed settings, the actor and the address (Redmine's settings_updated).
 *
 * Not part of the feature's index: it reaches into two-factor authentication and accounts, which
 * themselves read settings through the index.
 */
import type { Database } from '#src/db/database.ts';
import { notifyAdministrators } from '#src/features/account/index.ts';
import type { AuditSource } from '#src/features/audit/index.ts';
import { unpairAllUsers } from '#src/features/twofa/index.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import type { TenantMailContext } from '#src/mail/security-notice.ts';
import { loadSettings, updateSettings, type SettingChange } from './index.ts';
import { SECURITY_SETTINGS, type SettingName } from './setting-definitions.ts';

export interface SettingsChangeContext {
  readonly db: Database;
  /** The tenant's mail (its settings are re-read after the change for the mails). */
  readonly mail: TenantMailContext;
  readonly source: AuditSource;
  readonly now: Date;
}

/**
 * Stores `values` all or none (SettingsValidationError), then applies the consequences of what
 * changed. Returns the changes.
 */
export async function changeSettings(ctx: SettingsChangeContext, values: Readonly<Partial<Record<SettingName, string>>>): Promise<SettingChange[]> {
  const changes = await updateSettings(ctx.db.orm, values, ctx.now, ctx.source);
  if (changes.length === 0) {
    return changes;
  }
  // After the commit: the change stands whether or not what follows succeeds (the mailer never throws).
  const mail: TenantMailContext = { ...ctx.mail, settings: await loadSettings(ctx.db.orm) };
  if (changes.some((change) => change.name === 'twofa' && change.to === '0')) {
    await unpairAllUsers({ db: ctx.db, mail, source: ctx.source, now: ctx.now });
  }
  const security = changes.filter((change) => SECURITY_SETTINGS.has(change.name));
  if (security.length > 0) {
    await notifyAdministrators(mail, ctx.db, {
      // Redmine's layout: the sentence, then the changed settings by name (never their values).
      message: (t) => [t('mail_body_settings_updated'), '', ...security.map((change) => `  * ${t(`setting_${change.name}` as MessageKey)}`)].join('\n'),
      path: '/settings',
      login: ctx.source.actorName,
      ip: ctx.source.ip,
      at: ctx.now,
    });
  }
  return changes;
}
