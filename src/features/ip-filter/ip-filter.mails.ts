/**
 * The security notification every active administrator gets when the IP address filter changes
 * (security.md §7, §11): who changed it, from which address, when, what was added and removed, and
 * the list as it now stands. Plain text in each administrator's language (theirs, else the tenant's
 * default), the time in their time zone.
 */
import type { Database } from '#src/db/database.ts';
import { findPreferences } from '#src/features/account/index.ts';
import { translator, type Translate } from '#src/i18n/index.ts';
import { readerTime, recipientLanguage, securityNoticeText, type TenantMailContext } from '#src/mail/security-notice.ts';
import { sendTenantMail } from '#src/mail/tenant-mail.ts';
import type { AdministratorRecipient } from './ip-filter.repository.ts';

export type IpFilterMailContext = TenantMailContext;

export interface IpFilterChange {
  /** The list before and after (stored text). */
  readonly from: string;
  readonly to: string;
  /** The administrator who saved it. */
  readonly login: string;
  readonly ip: string;
  readonly at: Date;
}

const listedLines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** What changed, for one reader: the lines added and removed, and the list as it now stands. */
function changedLines(t: Translate, change: Pick<IpFilterChange, 'from' | 'to'>): string[] {
  const before = listedLines(change.from);
  const after = listedLines(change.to);
  const added = after.filter((line) => !before.includes(line));
  const removed = before.filter((line) => !after.includes(line));
  const block = (title: string, lines: readonly string[]) => (lines.length === 0 ? [] : ['', title, ...lines.map((l) => `  ${l}`)]);
  return [
    ...block(t('mail_body_ip_filter_added'), added),
    ...block(t('mail_body_ip_filter_removed'), removed),
    '',
    ...(after.length === 0 ? [t('text_ip_filter_unrestricted')] : [t('mail_body_ip_filter_now'), ...after.map((l) => `  ${l}`)]),
  ];
}

/** Sends the notice to each administrator; deliveries that fail are logged by the mailer, never thrown. */
export async function deliverIpFilterChange(ctx: IpFilterMailContext, db: Database, recipients: readonly AdministratorRecipient[], change: IpFilterChange): Promise<void> {
  for (const admin of recipients) {
    const lang = recipientLanguage(admin.language, ctx.settings);
    const t = translator(lang);
    const { timeZone } = await findPreferences(db.orm, admin.id);
    const text = securityNoticeText(t, ctx.settings.app_title, {
      message: t('mail_body_ip_filter_updated'),
      url: `${ctx.baseUrl}/admin/ip_filter`,
      login: change.login,
      ip: change.ip,
      time: readerTime(lang, ctx.settings, timeZone, change.at),
      more: changedLines(t, change),
    });
    await sendTenantMail(ctx.mailer, ctx.tenant, ctx.settings, { to: [admin.mail], subject: text.subject, body: text.body });
  }
}
