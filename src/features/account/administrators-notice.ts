/**
 * The security notifications every active administrator gets (security.md §11; Redmine's
 * Mailer.deliver_settings_updated and the security notification of User#deliver_security_notification):
 * the IP address filter, the security settings, the administrator right granted or taken, an
 * administrator locked or deleted. One mail per administrator, in their language (theirs, else the
 * tenant's default), the time in their time zone; the feature says what happened, this module to whom.
 */
import type { Database, Queryable } from '#src/db/database.ts';
import { translator, type Translate } from '#src/i18n/index.ts';
import { readerTime, recipientLanguage, securityNoticeText, type TenantMailContext } from '#src/mail/security-notice.ts';
import { sendTenantMail } from '#src/mail/tenant-mail.ts';
import { findPreferences } from './user.repository.ts';

export interface AdministratorRecipient {
  readonly id: number;
  readonly login: string;
  readonly language: string;
  readonly mail: string;
}

/** Active administrators with a default e-mail address, in id order (read after the change: Redmine's User.active.where(admin: true)). */
export async function selectActiveAdministrators(db: Queryable): Promise<AdministratorRecipient[]> {
  const rows = await db.query<{ id: number; login: string; language: string | null; mail: string }>(
    `SELECT u.id, u.login, u.language, e.address AS mail
       FROM users u JOIN email_addresses e ON e.user_id = u.id AND e.is_default
      WHERE u.type = 'User' AND u.admin AND u.status = 1
      ORDER BY u.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), login: r.login, language: r.language ?? '', mail: r.mail }));
}

export interface AdministratorNotice {
  /** What happened, in the reader's language. */
  readonly message: (t: Translate) => string;
  /** The page where it can be looked at (a path of the tenant, `/settings`). */
  readonly path: string;
  /** Who did it, and from where. */
  readonly login: string;
  readonly ip: string;
  readonly at: Date;
  /** Lines after the facts (what changed), in the reader's language. */
  readonly more?: (t: Translate) => readonly string[];
}

/** Mails the notice to each active administrator; deliveries that fail are logged by the mailer, never thrown. */
export async function notifyAdministrators(ctx: TenantMailContext, db: Database, notice: AdministratorNotice): Promise<void> {
  for (const admin of await selectActiveAdministrators(db)) {
    const lang = recipientLanguage(admin.language, ctx.settings);
    const t = translator(lang);
    const { timeZone } = await findPreferences(db.orm, admin.id);
    const text = securityNoticeText(t, ctx.settings.app_title, {
      message: notice.message(t),
      url: `${ctx.baseUrl}${notice.path}`,
      login: notice.login,
      ip: notice.ip,
      time: readerTime(lang, ctx.settings, timeZone, notice.at),
      more: notice.more?.(t),
    });
    await sendTenantMail(ctx.mailer, ctx.tenant, ctx.settings, { to: [admin.mail], subject: text.subject, body: text.body });
  }
}
