/**
 * The administrator's "Send account information to the user" (Redmine's `send_information` on the
 * user form). Redmine mails the password; Kanri never does (security.md §3): the mail holds the
 * login, the sign-in address and a link to choose a password, usable once within 72 hours.
 */
import type { FastifyRequest } from 'fastify';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Delivery } from '#src/mail/mailer.ts';
import type { Platform } from '#src/platform/platform.ts';
import { accountMailContext, deliverAccountInformation } from './account.mails.ts';
import { issueSetPasswordLink } from './password-reset.service.ts';

/**
 * Makes the user's link (replacing any other) and mails it, waiting for the delivery so the
 * administrator can be told when it failed. Accounts that cannot use a link (locked, not activated,
 * external authentication, no address) get none: not delivered.
 */
export async function sendAccountInformation(platform: Platform, request: FastifyRequest, userId: number, now: Date): Promise<Delivery> {
  const link = await issueSetPasswordLink(tenantOf(request).db, userId, auditSourceOf(request), now);
  if (!link) {
    return { delivered: false, error: 'the account cannot receive a password link' };
  }
  return deliverAccountInformation(accountMailContext(platform, request), link.user, link.token);
}
