/**
 * The security notification every active administrator gets when the set of active administrators
 * changes (security.md §11; Redmine's User#deliver_security_notification): "Administrator jsmith was
 * added." when a user becomes one (created as one, granted the right, an administrator unlocked or
 * activated), "… was removed." when one stops being one (right taken, locked, deleted). Sent to the
 * administrators as they are after the change, with the actor and their address.
 */
import type { Database } from '#src/db/database.ts';
import { notifyAdministrators, USER_STATUS } from '#src/features/account/index.ts';
import type { AuditSource } from '#src/features/audit/index.ts';
import type { TenantMailContext } from '#src/mail/security-notice.ts';

export type AdministratorChange = 'added' | 'removed';

/** The part of a user that decides whether it is an active administrator (undefined: no such user, before creation or after deletion). */
export type AdministratorState = { readonly admin: boolean; readonly status: number } | undefined;

const isActiveAdministrator = (user: AdministratorState) => user !== undefined && user.admin && user.status === USER_STATUS.active;

/** Whether going from `before` to `after` adds or removes an active administrator. Pure. */
export function administratorChange(before: AdministratorState, after: AdministratorState): AdministratorChange | undefined {
  const was = isActiveAdministrator(before);
  const is = isActiveAdministrator(after);
  return was === is ? undefined : is ? 'added' : 'removed';
}

export interface AdministratorChangeContext {
  readonly db: Database;
  readonly mail: TenantMailContext;
  readonly auditSource: AuditSource;
  readonly now: Date;
}

/** Mails the change of `login` to every active administrator, when there is one. */
export async function notifyAdministratorChange(ctx: AdministratorChangeContext, login: string, change: AdministratorChange | undefined): Promise<void> {
  if (!change) {
    return;
  }
  await notifyAdministrators(ctx.mail, ctx.db, {
    message: (t) => t(change === 'added' ? 'mail_body_security_notification_add' : 'mail_body_security_notification_remove', { field: t('field_admin'), value: login }),
    path: '/users',
    login: ctx.auditSource.actorName,
    ip: ctx.auditSource.ip,
    at: ctx.now,
  });
}
