/**
 * The events of the audit trail (security.md §11). One list, so a misspelt event fails the type check
 * and the trail's filter offers every event there is.
 */
export const AUDIT_EVENTS = [
  'login.success',
  'login.failure',
  'login.soft_lock',
  'login.unlock',
  'sudo.start',
  'logout',
  'session.expired',
  'session.ended',
  'twofa.enrol',
  'twofa.disable',
  'twofa.reset',
  'twofa.backup_codes',
  'twofa.backup_code_used',
  'twofa.code_replay',
  'password.change',
  'password.reset_request',
  'password.reset',
  'password.admin_set',
  'api_key.show',
  'api_key.reset',
  'switch_user',
  'setting.update',
  'ip_filter.update',
  'ip_filter.reject',
  'ip_filter.support_access',
  'user.create',
  'user.update',
  'user.activate',
  'user.lock',
  'user.unlock',
  'user.delete',
  'admin.grant',
  'admin.revoke',
  'group.create',
  'group.update',
  'group.delete',
  'group.add_users',
  'group.remove_user',
  'memberships.update',
  'role.create',
  'role.update',
  'role.delete',
  'attachment.purge',
  'log.download',
  'audit.export',
] as const;

export type AuditEventName = (typeof AUDIT_EVENTS)[number];

export function isAuditEventName(name: string): name is AuditEventName {
  return (AUDIT_EVENTS as readonly string[]).includes(name);
}
