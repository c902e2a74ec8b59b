/** Trackers, issue statuses, enumerations and roles as Redmine's API shows them (§6.13–6.17). */
import { list, ref, type ApiObject } from '#src/api/resource.ts';
import type { findRole, listEnumerations, listIssueStatuses, listTrackers } from './reference-data.repository.ts';

type Row<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>> extends (infer R)[] ? R : never;

/** Redmine's Tracker::CORE_FIELDS in order: bit i of `fields_bits` set means field i is disabled. */
export const TRACKER_CORE_FIELDS = [
  'assigned_to_id',
  'category_id',
  'fixed_version_id',
  'parent_issue_id',
  'start_date',
  'due_date',
  'estimated_hours',
  'done_ratio',
  'description',
  'priority_id',
] as const;

export function enabledStandardFields(fieldsBits: number | null): string[] {
  const bits = fieldsBits ?? 0;
  return TRACKER_CORE_FIELDS.filter((_, i) => (bits & (1 << i)) === 0);
}

export function presentIssueStatus(s: Row<typeof listIssueStatuses>): ApiObject {
  return { id: s.id, name: s.name, is_closed: s.isClosed, description: s.description };
}

export function presentTracker(t: Row<typeof listTrackers>): ApiObject {
  return {
    id: t.id,
    name: t.name,
    default_status: t.defaultStatusId && t.defaultStatusName !== null ? ref({ id: t.defaultStatusId, name: t.defaultStatusName }) : undefined,
    description: t.description,
    enabled_standard_fields: list('field', enabledStandardFields(t.fieldsBits)),
  };
}

export function presentEnumeration(e: Row<typeof listEnumerations>): ApiObject {
  return { id: e.id, name: e.name, is_default: e.isDefault, active: e.active };
}

export function presentRoleRef(r: { id: number; name: string }): ApiObject {
  return { id: r.id, name: r.name };
}

export function presentRole(r: NonNullable<Awaited<ReturnType<typeof findRole>>>): ApiObject {
  return {
    id: r.id,
    name: r.name,
    assignable: r.assignable ?? true,
    issues_visibility: r.issuesVisibility,
    time_entries_visibility: r.timeEntriesVisibility,
    users_visibility: r.usersVisibility,
    permissions: list('permission', r.permissions),
  };
}
