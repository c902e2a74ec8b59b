/**
 * The security notifications of two-factor authentication (security.md §11): enabled, disabled,
 * reset by an administrator, backup codes generated, a backup code used, a used code entered again.
 * Plain text in the user's language (theirs, else the tenant's default), with the time (in the
 * user's time zone) and the client address of the request that caused it.
 */
import { findPreferences } from '#src/features/account/index.ts';
import type { Database } from '#src/db/database.ts';
import { translator, type MessageKey } from '#src/i18n/index.ts';
import type { Delivery } from '#src/mail/mailer.ts';
import { readerTime, recipientLanguage, securityNoticeText, type TenantMailContext } from '#src/mail/security-notice.ts';
import { sendTenantMail } from '#src/mail/tenant-mail.ts';

export type TwofaMailContext = TenantMailContext;

export type TwofaNotice = 'enrolled' | 'disabled' | 'reset' | 'backup_codes_generated' | 'backup_code_used' | 'code_replay';

const BODY: Readonly<Record<TwofaNotice, MessageKey>> = {
  enrolled: 'mail_body_twofa_enrolled',
  disabled: 'mail_body_twofa_disabled',
  reset: 'mail_body_twofa_reset',
  backup_codes_generated: 'mail_body_twofa_backup_codes_generated',
  backup_code_used: 'mail_body_twofa_backup_code_used',
  code_replay: 'mail_body_twofa_code_replay',
};

export interface TwofaMailRecipient {
  readonly id: number;
  readonly login: string;
  readonly language: string;
  readonly mail: string | null;
}

/** Sends `notice` to the user's default address; never throws (a failed delivery is in the result). */
export async function deliverTwofaNotice(
  ctx: TwofaMailContext,
  db: Database,
  user: TwofaMailRecipient,
  notice: TwofaNotice,
  event: { readonly ip: string; readonly at: Date },
): Promise<Delivery> {
  if (!user.mail) {
    return { delivered: false, error: 'the user has no e-mail address' };
  }
  const lang = recipientLanguage(user.language, ctx.settings);
  const t = translator(lang);
  const { timeZone } = await findPreferences(db.orm, user.id);
  const text = securityNoticeText(t, ctx.settings.app_title, {
    message: t(BODY[notice]),
    url: `${ctx.baseUrl}/my/account`,
    login: user.login,
    ip: event.ip,
    time: readerTime(lang, ctx.settings, timeZone, event.at),
  });
  return sendTenantMail(ctx.mailer, ctx.tenant, ctx.settings, { to: [user.mail], subject: text.subject, body: text.body });
}
