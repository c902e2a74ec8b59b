/**
 * The security notification every active administrator gets when the IP address filter changes
 * (security.md §7, §11): who changed it, from which address, when, what was added and removed, and
 * the list as it now stands. Plain text in each administrator's language (theirs, else the tenant's
 * default), the time in their time zone.
 */
import type { Database } from '#src/db/database.ts';
import { notifyAdministrators } from '#src/features/account/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { TenantMailContext } from '#src/mail/security-notice.ts';

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

/** Tells every active administrator (account's notifyAdministrators); failed deliveries are logged by the mailer, never thrown. */
export async function deliverIpFilterChange(ctx: IpFilterMailContext, db: Database, change: IpFilterChange): Promise<void> {
  await notifyAdministrators(ctx, db, {
    message: (t) => t('mail_body_ip_filter_updated'),
    path: '/admin/ip_filter',
    login: change.login,
    ip: change.ip,
    at: change.at,
    more: (t) => changedLines(t, change),
  });
}
