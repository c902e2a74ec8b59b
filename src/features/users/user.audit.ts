/**
 * The audit events of a change to a user (security.md §11): a status change is `user.lock`,
 * `user.unlock` or `user.activate`, the administrator flag `admin.grant` or `admin.revoke`, and the
 * other attributes `user.update` with each one's old → new. Passwords are never part of it (a set
 * password is `password.admin_set`, recorded where it is set). Pure.
 */
import type { AuditEntry, AuditEventName, AuditSource } from '#src/features/audit/index.ts';
import { USER_STATUS } from '#src/features/account/index.ts';
import type { UserChanges, UserRow } from './user.repository.ts';

const STATUS_NAMES: Record<number, string> = { [USER_STATUS.active]: 'active', [USER_STATUS.registered]: 'registered', [USER_STATUS.locked]: 'locked' };

const statusName = (status: number) => STATUS_NAMES[status] ?? String(status);

/** The event of a status change, when it has one of its own. */
function statusEvent(from: number, to: number): AuditEventName | undefined {
  if (to === USER_STATUS.locked) {
    return 'user.lock';
  }
  if (to === USER_STATUS.active) {
    return from === USER_STATUS.locked ? 'user.unlock' : 'user.activate';
  }
  return undefined;
}

/** The attributes `user.update` reports, as the audit trail names them. */
const ATTRIBUTES = [
  ['login', 'login'],
  ['firstname', 'firstname'],
  ['lastname', 'lastname'],
  ['language', 'language'],
  ['mailNotification', 'mail_notification'],
  ['mustChangePasswd', 'must_change_passwd'],
] as const satisfies readonly (readonly [keyof UserChanges & keyof UserRow, string])[];

/**
 * The events of saving `changes` (and `mail`, the new default address, when sent) over `user`, in
 * this order: status, administrator flag, other attributes. Nothing that stays the same is reported.
 */
export function userChangeEntries(source: AuditSource, user: UserRow, changes: UserChanges, mail: string | undefined): AuditEntry[] {
  const target = { type: 'User', id: user.id, name: changes.login ?? user.login };
  const entries: AuditEntry[] = [];
  const details: Record<string, { from: unknown; to: unknown }> = {};
  if (changes.status !== undefined && changes.status !== user.status) {
    const status = { from: statusName(user.status), to: statusName(changes.status) };
    const event = statusEvent(user.status, changes.status);
    if (event) {
      entries.push({ event, source, target, details: { status } });
    } else {
      details.status = status;
    }
  }
  if (changes.admin !== undefined && changes.admin !== user.admin) {
    entries.push({ event: changes.admin ? 'admin.grant' : 'admin.revoke', source, target });
  }
  for (const [key, name] of ATTRIBUTES) {
    const to = changes[key];
    if (to !== undefined && to !== user[key]) {
      details[name] = { from: user[key], to };
    }
  }
  if (mail !== undefined && mail.toLowerCase() !== (user.mail ?? '').toLowerCase()) {
    details.mail = { from: user.mail ?? '', to: mail };
  }
  if (Object.keys(details).length > 0) {
    entries.push({ event: 'user.update', source, target, details });
  }
  return entries;
}

/** The events of creating `user` by an administrator: `user.create`, and `admin.grant` for an administrator. */
export function userCreatedEntries(source: AuditSource, user: UserRow): AuditEntry[] {
  const target = { type: 'User', id: user.id, name: user.login };
  const created: AuditEntry = {
    event: 'user.create',
    source,
    target,
    details: { firstname: user.firstname, lastname: user.lastname, mail: user.mail ?? '', status: statusName(user.status), admin: user.admin },
  };
  return user.admin ? [created, { event: 'admin.grant', source, target }] : [created];
}
