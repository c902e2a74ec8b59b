/**
 * A tenant's mail: sent from its `mail_from`, with its `emails_header` above and `emails_footer`
 * below the body, and the headers Redmine puts on every message (so mail rules written for a
 * Redmine keep working).
 */
import type { Settings } from '#src/features/settings/index.ts';
import type { Delivery, Mailer } from './mailer.ts';

export interface TenantMail {
  readonly to: readonly string[];
  readonly subject: string;
  /** Plain text, already in the recipient's language. */
  readonly body: string;
}

export async function sendTenantMail(mailer: Mailer, tenant: { readonly account: string }, settings: Settings, mail: TenantMail): Promise<Delivery> {
  const parts = [settings.emails_header.trim(), mail.body.trimEnd(), ''];
  const footer = settings.emails_footer.trim();
  const text = `${parts.filter((p, i) => p !== '' || i === parts.length - 1).join('\n\n')}${footer ? `-- \n${footer}\n` : ''}`;
  return mailer.send(
    {
      from: settings.mail_from,
      to: mail.to,
      subject: mail.subject,
      text,
      headers: {
        'X-Mailer': 'Kanri',
        'X-Redmine-Host': settings.host_name,
        'X-Redmine-Site': settings.app_title,
        'X-Auto-Response-Suppress': 'All',
        'Auto-Submitted': 'auto-generated',
      },
    },
    { tenant: tenant.account, subject: mail.subject },
  );
}
