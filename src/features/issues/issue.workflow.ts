/**
 * Redmine's workflow for one issue: which statuses the user may move it to (WorkflowTransition, with
 * the author/assignee variants) and which fields are read-only or required in its status
 * (WorkflowPermission). Pure functions over the tracker's workflow rows, loaded in one query.
 */
import type { Queryable } from '#src/db/database.ts';
import { roleAllows, type RoleGrant } from '#src/domain/authorization.ts';

export interface WorkflowRow {
  type: string | null;
  role_id: number;
  old_status_id: number;
  new_status_id: number;
  author: boolean;
  assignee: boolean;
  field_name: string | null;
  rule: string | null;
}

export interface StatusRow {
  id: number;
  name: string;
  is_closed: boolean;
  position: number | null;
  default_done_ratio: number | null;
}

export type FieldRule = 'readonly' | 'required';

/** Roles whose workflow counts: those that may add or edit issues (Role#consider_workflow?). */
export function workflowRoles(roles: readonly RoleGrant[]): RoleGrant[] {
  return roles.filter((role) => roleAllows(role, 'add_issues') || roleAllows(role, 'edit_issues'));
}

export async function selectWorkflow(db: Queryable, trackerId: number, roleIds: readonly number[]): Promise<WorkflowRow[]> {
  if (roleIds.length === 0) {
    return [];
  }
  return db.query<WorkflowRow>(
    `SELECT type, role_id, old_status_id, new_status_id, author, assignee, field_name, rule
       FROM workflows WHERE tracker_id = $1 AND role_id = ANY($2::int[])`,
    [trackerId, roleIds],
  );
}

/** Every role, for administrators, who follow the workflow of all roles. */
export async function selectAllRoles(db: Queryable): Promise<RoleGrant[]> {
  return db.query<RoleGrant>('SELECT id, builtin, permissions FROM roles ORDER BY id');
}

export async function selectStatuses(db: Queryable): Promise<StatusRow[]> {
  return db.query<StatusRow>('SELECT id, name, is_closed, position, default_done_ratio FROM issue_statuses ORDER BY position, id');
}

export interface TransitionQuestion {
  /** The status the issue moves from; undefined for a new issue (Redmine's old status 0). */
  readonly fromStatusId: number | undefined;
  readonly roleIds: ReadonlySet<number>;
  readonly isAuthor: boolean;
  readonly isAssignee: boolean;
}

/** Status ids reachable by the transitions (IssueStatus.new_statuses_allowed). */
export function transitionTargets(rows: readonly WorkflowRow[], q: TransitionQuestion): Set<number> {
  const from = q.fromStatusId ?? 0;
  const out = new Set<number>();
  for (const row of rows) {
    if (row.type !== 'WorkflowTransition' || row.old_status_id !== from || !q.roleIds.has(row.role_id)) {
      continue;
    }
    const general = !row.author && !row.assignee;
    if (general || (q.isAuthor && row.author) || (q.isAssignee && row.assignee)) {
      out.add(row.new_status_id);
    }
  }
  return out;
}

export interface AllowedStatusesQuestion extends TransitionQuestion {
  readonly statuses: readonly StatusRow[];
  readonly defaultStatusId: number | null;
  /** The status the issue starts from when its tracker changes or it is new. */
  readonly initialStatusId: number | undefined;
  /** False when open subtasks or open blocking issues keep the issue from closing. */
  readonly closable: boolean;
  /** False when a closed parent keeps the issue from reopening. */
  readonly reopenable: boolean;
}

/**
 * Issue#new_statuses_allowed_to: the transitions' targets plus the current status (when any
 * transition exists), the default status for a new issue with none, sorted by position.
 */
export function allowedStatuses(rows: readonly WorkflowRow[], q: AllowedStatusesQuestion): StatusRow[] {
  const ids = transitionTargets(rows, q);
  if (ids.size > 0 && q.initialStatusId !== undefined) {
    ids.add(q.initialStatusId);
  }
  if (q.fromStatusId === undefined && ids.size === 0 && q.defaultStatusId !== null) {
    ids.add(q.defaultStatusId);
  }
  return q.statuses.filter(
    (s) => ids.has(s.id) && (q.closable || !s.is_closed) && (q.reopenable || s.is_closed),
  );
}

/**
 * Issue#workflow_rule_by_attribute: a field is read-only or required in a status only when every
 * workflow role has a rule for it; mixed rules make it required. Fields are attribute names
 * (`due_date`) or custom field ids (`"3"`). `hiddenFieldRoles` lists, per custom field not visible
 * to all, the roles that see it: for every other role such a field is read-only.
 */
export function fieldRules(
  rows: readonly WorkflowRow[],
  roleIds: readonly number[],
  statusId: number,
  hiddenFieldRoles: ReadonlyMap<number, readonly number[]> = new Map(),
): Map<string, FieldRule> {
  const result = new Map<string, FieldRule>();
  if (roleIds.length === 0) {
    return result;
  }
  const byField = new Map<string, Map<number, string>>();
  const add = (field: string, roleId: number, rule: string) => {
    const rules = byField.get(field) ?? new Map<number, string>();
    rules.set(roleId, rule);
    byField.set(field, rules);
  };
  for (const row of rows) {
    if (row.type === 'WorkflowPermission' && row.old_status_id === statusId && row.field_name && row.rule && roleIds.includes(row.role_id)) {
      add(row.field_name, row.role_id, row.rule);
    }
  }
  if (byField.size === 0) {
    return result;
  }
  for (const [fieldId, seeing] of hiddenFieldRoles) {
    for (const roleId of roleIds) {
      if (!seeing.includes(roleId)) {
        add(String(fieldId), roleId, 'readonly');
      }
    }
  }
  for (const [field, rules] of byField) {
    if (rules.size < roleIds.length) {
      continue;
    }
    const distinct = new Set(rules.values());
    const only = [...distinct][0];
    result.set(field, distinct.size === 1 && only === 'readonly' ? 'readonly' : 'required');
  }
  return result;
}
