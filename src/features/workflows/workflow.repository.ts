/**
 * All SQL of the workflow editor: the `workflows` rows (Redmine's WorkflowTransition and
 * WorkflowPermission) of some trackers and roles, what the editor lists (roles, trackers, statuses,
 * issue custom fields), and copying one tracker/role's rules onto another.
 */
import type { Queryable } from '#src/db/database.ts';

export interface TransitionRow {
  id: number;
  tracker_id: number;
  role_id: number;
  old_status_id: number;
  new_status_id: number;
  author: boolean;
  assignee: boolean;
}

export interface FieldRuleRow {
  tracker_id: number;
  role_id: number;
  old_status_id: number;
  field_name: string;
  rule: string;
}

export interface WorkflowRoleRow {
  id: number;
  name: string;
  builtin: number;
  permissions: string[];
}

export interface NamedRow {
  id: number;
  name: string;
}

export interface WorkflowFieldRow {
  id: number;
  name: string;
  is_required: boolean;
  visible: boolean;
  role_ids: number[];
  tracker_ids: number[];
}

/** Every role (built-in ones last, as Redmine's Role.sorted), with its permissions. */
export function selectWorkflowRoles(db: Queryable): Promise<WorkflowRoleRow[]> {
  return db.query<WorkflowRoleRow>('SELECT id, name, builtin, permissions FROM roles ORDER BY builtin, position, id');
}

export function selectTrackers(db: Queryable): Promise<NamedRow[]> {
  return db.query<NamedRow>('SELECT id, name FROM trackers ORDER BY position, id');
}

export function selectStatuses(db: Queryable): Promise<NamedRow[]> {
  return db.query<NamedRow>('SELECT id, name FROM issue_statuses ORDER BY position, id');
}

/** The core fields each tracker disables (its fields_bits), for the field-permission rows. */
export function selectTrackerFieldBits(db: Queryable, trackerIds: readonly number[]): Promise<Array<{ id: number; fields_bits: number | null }>> {
  return db.query('SELECT id, fields_bits FROM trackers WHERE id = ANY($1::int[])', [trackerIds]);
}

/** Issue custom fields enabled on any of the trackers, by position, with the roles that see them. */
export function selectTrackerCustomFields(db: Queryable, trackerIds: readonly number[]): Promise<WorkflowFieldRow[]> {
  return db.query<WorkflowFieldRow>(
    `SELECT f.id, f.name, f.is_required, f.visible,
            ARRAY(SELECT r.role_id FROM custom_fields_roles r WHERE r.custom_field_id = f.id ORDER BY r.role_id) AS role_ids,
            ARRAY(SELECT ct.tracker_id FROM custom_fields_trackers ct WHERE ct.custom_field_id = f.id ORDER BY ct.tracker_id) AS tracker_ids
       FROM custom_fields f
      WHERE f.type = 'IssueCustomField'
        AND EXISTS (SELECT 1 FROM custom_fields_trackers ct WHERE ct.custom_field_id = f.id AND ct.tracker_id = ANY($1::int[]))
      ORDER BY f.position, f.id`,
    [trackerIds],
  );
}

/** Number of transitions per (tracker, role), for the summary table. */
export function selectTransitionCounts(db: Queryable): Promise<Array<{ tracker_id: number; role_id: number; count: number }>> {
  return db.query(
    "SELECT tracker_id, role_id, COUNT(*)::int AS count FROM workflows WHERE type = 'WorkflowTransition' GROUP BY tracker_id, role_id",
  );
}

export function selectTransitions(db: Queryable, trackerIds: readonly number[], roleIds: readonly number[]): Promise<TransitionRow[]> {
  return db.query<TransitionRow>(
    `SELECT id, tracker_id, role_id, old_status_id, new_status_id, author, assignee FROM workflows
      WHERE type = 'WorkflowTransition' AND tracker_id = ANY($1::int[]) AND role_id = ANY($2::int[]) ORDER BY id`,
    [trackerIds, roleIds],
  );
}

/** Statuses some transition (other than staying) of the trackers for the roles leads from or to. */
export async function selectUsedStatusIds(db: Queryable, trackerIds: readonly number[], roleIds: readonly number[]): Promise<Set<number>> {
  const rows = await db.query<{ id: number }>(
    `SELECT old_status_id AS id FROM workflows
      WHERE type = 'WorkflowTransition' AND tracker_id = ANY($1::int[]) AND role_id = ANY($2::int[]) AND old_status_id <> new_status_id
     UNION
     SELECT new_status_id FROM workflows
      WHERE type = 'WorkflowTransition' AND tracker_id = ANY($1::int[]) AND role_id = ANY($2::int[]) AND old_status_id <> new_status_id`,
    [trackerIds, roleIds],
  );
  return new Set(rows.map((row) => row.id));
}

export function selectFieldRules(db: Queryable, trackerIds: readonly number[], roleIds: readonly number[]): Promise<FieldRuleRow[]> {
  return db.query<FieldRuleRow>(
    `SELECT tracker_id, role_id, old_status_id, field_name, rule FROM workflows
      WHERE type = 'WorkflowPermission' AND tracker_id = ANY($1::int[]) AND role_id = ANY($2::int[])`,
    [trackerIds, roleIds],
  );
}

export async function deleteWorkflowRows(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await db.query('DELETE FROM workflows WHERE id = ANY($1::int[])', [ids]);
  }
}

export async function insertTransitions(db: Queryable, rows: ReadonlyArray<Omit<TransitionRow, 'id'>>): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  await db.query(
    `INSERT INTO workflows (type, tracker_id, role_id, old_status_id, new_status_id, author, assignee)
     SELECT 'WorkflowTransition', t, r, o, n, a, s
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::boolean[], $6::boolean[]) AS x(t, r, o, n, a, s)`,
    [
      rows.map((row) => row.tracker_id),
      rows.map((row) => row.role_id),
      rows.map((row) => row.old_status_id),
      rows.map((row) => row.new_status_id),
      rows.map((row) => row.author),
      rows.map((row) => row.assignee),
    ],
  );
}

export async function updateTransitionFlags(db: Queryable, id: number, author: boolean, assignee: boolean): Promise<void> {
  await db.query('UPDATE workflows SET author = $2, assignee = $3 WHERE id = $1', [id, author, assignee]);
}

/** Removes the rules of the fields in the statuses, for every tracker × role given. */
export async function deleteFieldRules(
  db: Queryable,
  trackerIds: readonly number[],
  roleIds: readonly number[],
  cells: ReadonlyArray<{ statusId: number; field: string }>,
): Promise<void> {
  if (cells.length === 0) {
    return;
  }
  await db.query(
    `DELETE FROM workflows w USING unnest($3::int[], $4::text[]) AS c(status_id, field_name)
      WHERE w.type = 'WorkflowPermission' AND w.tracker_id = ANY($1::int[]) AND w.role_id = ANY($2::int[])
        AND w.old_status_id = c.status_id AND w.field_name = c.field_name`,
    [trackerIds, roleIds, cells.map((c) => c.statusId), cells.map((c) => c.field)],
  );
}

export async function insertFieldRules(db: Queryable, rows: readonly FieldRuleRow[]): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  await db.query(
    `INSERT INTO workflows (type, tracker_id, role_id, old_status_id, new_status_id, field_name, rule)
     SELECT 'WorkflowPermission', t, r, s, 0, f, u FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[]) AS x(t, r, s, f, u)`,
    [rows.map((r) => r.tracker_id), rows.map((r) => r.role_id), rows.map((r) => r.old_status_id), rows.map((r) => r.field_name), rows.map((r) => r.rule)],
  );
}

/** Redmine's WorkflowRule.copy_one: the target's rules become a copy of the source's (all kinds). */
export async function copyRules(
  db: Queryable,
  source: { trackerId: number; roleId: number },
  target: { trackerId: number; roleId: number },
): Promise<void> {
  await db.query('DELETE FROM workflows WHERE tracker_id = $1 AND role_id = $2', [target.trackerId, target.roleId]);
  await db.query(
    `INSERT INTO workflows (tracker_id, role_id, old_status_id, new_status_id, author, assignee, field_name, rule, type)
     SELECT $1, $2, old_status_id, new_status_id, author, assignee, field_name, rule, type
       FROM workflows WHERE tracker_id = $3 AND role_id = $4 ORDER BY id`,
    [target.trackerId, target.roleId, source.trackerId, source.roleId],
  );
}

/** Which of the ids name existing trackers / roles / statuses. */
export async function existingIds(db: Queryable, table: 'trackers' | 'roles' | 'issue_statuses', ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
  return rows.map((row) => row.id);
}
