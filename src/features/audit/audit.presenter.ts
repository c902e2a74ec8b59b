/**
 * An audit event as people and programs read it: the event's label, its changes as "old → new"
 * text, the lines of the CSV export and the tree of the JSON export (a whitelist, snake_case). Pure.
 */
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { isAuditEventName, type AuditEventName } from './audit-events.ts';
import type { AuditEventRecord } from './audit.repository.ts';

const EVENT_LABELS: Record<AuditEventName, MessageKey> = {
  'login.success': 'label_audit_event_login_success',
  'login.failure': 'label_audit_event_login_failure',
  'login.soft_lock': 'label_audit_event_login_soft_lock',
  'login.unlock': 'label_audit_event_login_unlock',
  'sudo.start': 'label_audit_event_sudo_start',
  logout: 'label_audit_event_logout',
  'session.expired': 'label_audit_event_session_expired',
  'session.ended': 'label_audit_event_session_ended',
  'twofa.enrol': 'label_audit_event_twofa_enrol',
  'twofa.disable': 'label_audit_event_twofa_disable',
  'twofa.reset': 'label_audit_event_twofa_reset',
  'twofa.backup_codes': 'label_audit_event_twofa_backup_codes',
  'twofa.backup_code_used': 'label_audit_event_twofa_backup_code_used',
  'twofa.code_replay': 'label_audit_event_twofa_code_replay',
  'password.change': 'label_audit_event_password_change',
  'password.reset_request': 'label_audit_event_password_reset_request',
  'password.reset': 'label_audit_event_password_reset',
  'password.admin_set': 'label_audit_event_password_admin_set',
  'api_key.show': 'label_audit_event_api_key_show',
  'api_key.reset': 'label_audit_event_api_key_reset',
  switch_user: 'label_audit_event_switch_user',
  'setting.update': 'label_audit_event_setting_update',
  'ip_filter.update': 'label_audit_event_ip_filter_update',
  'ip_filter.reject': 'label_audit_event_ip_filter_reject',
  'ip_filter.support_access': 'label_audit_event_ip_filter_support_access',
  'user.create': 'label_audit_event_user_create',
  'user.update': 'label_audit_event_user_update',
  'user.activate': 'label_audit_event_user_activate',
  'user.lock': 'label_audit_event_user_lock',
  'user.unlock': 'label_audit_event_user_unlock',
  'user.delete': 'label_audit_event_user_delete',
  'admin.grant': 'label_audit_event_admin_grant',
  'admin.revoke': 'label_audit_event_admin_revoke',
  'group.create': 'label_audit_event_group_create',
  'group.update': 'label_audit_event_group_update',
  'group.delete': 'label_audit_event_group_delete',
  'group.add_users': 'label_audit_event_group_add_users',
  'group.remove_user': 'label_audit_event_group_remove_user',
  'memberships.update': 'label_audit_event_memberships_update',
  'role.create': 'label_audit_event_role_create',
  'role.update': 'label_audit_event_role_update',
  'role.delete': 'label_audit_event_role_delete',
  'attachment.purge': 'label_audit_event_attachment_purge',
  'log.download': 'label_audit_event_log_download',
  'audit.export': 'label_audit_event_audit_export',
};

/** The event's readable name; an event no longer in the list (older rows) reads as stored. */
export function auditEventLabel(t: Translate, event: string): string {
  return isAuditEventName(event) ? t(EVENT_LABELS[event]) : event;
}

/** The longest a value reads in the changes text (a welcome text, a user agent). */
const VALUE_LENGTH = 200;

function valueText(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) {
    text = '';
  } else if (typeof value === 'string') {
    text = value;
  } else if (Array.isArray(value)) {
    text = value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  } else {
    // Numbers, booleans and objects as JSON writes them (details come from JSON).
    text = JSON.stringify(value) ?? '';
  }
  return text.length > VALUE_LENGTH ? `${text.slice(0, VALUE_LENGTH)}…` : text;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'from' in value && 'to' in value;
}

/**
 * The changes, one part per detail: `name: old → new` for a `{from, to}` detail, `old → new` for a
 * top-level pair, `name: value` otherwise.
 */
export function auditChanges(details: Readonly<Record<string, unknown>>): string[] {
  const parts = Object.entries(details)
    .filter(([name]) => name !== 'from' && name !== 'to')
    .map(([name, value]) => (isChange(value) ? `${name}: ${valueText(value.from)} → ${valueText(value.to)}` : `${name}: ${valueText(value)}`));
  return isChange(details) ? [...parts, `${valueText(details.from)} → ${valueText(details.to)}`] : parts;
}

/** `User #5 jsmith`, `Setting twofa`; '' for an event without a target. */
export function auditTargetText(record: AuditEventRecord): string {
  if (record.targetType === null) {
    return record.targetName;
  }
  return [record.targetType, record.targetId === null ? '' : `#${record.targetId}`, record.targetName].filter((part) => part !== '').join(' ');
}

/** The actor, with the administrator who switched to that user, if any. */
export function auditActorText(t: Translate, record: AuditEventRecord): string {
  if (record.impersonatorId === null) {
    return record.actorName;
  }
  return `${record.actorName} (${t('text_audit_impersonated_by', { login: record.impersonatorLogin ?? `#${record.impersonatorId}` })})`;
}

/**
 * The CSV export's lines: a header of localized names, then one line per event (times in UTC). The
 * target's type, id and name are columns of their own, so a name a user chose starts its cell and is
 * neutralised there if it looks like a formula.
 */
export function auditCsvLines(t: Translate, records: readonly AuditEventRecord[]): string[][] {
  const header = [
    `${t('field_audit_time')} (UTC)`,
    t('field_audit_event'),
    t('field_audit_actor'),
    t('field_audit_impersonator'),
    t('field_audit_ip'),
    t('field_audit_user_agent'),
    t('field_audit_target_type'),
    t('field_audit_target_id'),
    t('field_audit_target'),
    t('field_audit_details'),
  ];
  const lines = records.map((record) => [
    record.createdOn,
    record.event,
    record.actorName,
    record.impersonatorId === null ? '' : (record.impersonatorLogin ?? `#${record.impersonatorId}`),
    record.ip,
    record.userAgent,
    record.targetType ?? '',
    record.targetId === null ? '' : String(record.targetId),
    record.targetName,
    auditChanges(record.details).join('\n'),
  ]);
  return [header, ...lines];
}

/** One event of the JSON export. */
export function presentAuditEvent(record: AuditEventRecord): Record<string, unknown> {
  return {
    id: record.id,
    created_on: record.createdOn,
    event: record.event,
    actor: { id: record.actorId, login: record.actorName },
    impersonator: record.impersonatorId === null ? null : { id: record.impersonatorId, login: record.impersonatorLogin },
    ip: record.ip,
    user_agent: record.userAgent,
    target: record.targetType === null ? null : { type: record.targetType, id: record.targetId, name: record.targetName },
    details: record.details,
  };
}
