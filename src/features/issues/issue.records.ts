/**
 * SQL behind issue writes: the raw record of an issue, what a project offers an issue (trackers,
 * priorities, categories, assignees), insert/update/delete. Reads for display live in
 * issue.repository.ts.
 */
import type { Queryable } from '#src/db/database.ts';
import { isoTimestamp } from '#src/db/sql.ts';

/** The issue as stored; dates as `YYYY-MM-DD` text. */
export interface IssueRecord {
  id: number;
  project_id: number;
  tracker_id: number;
  status_id: number;
  priority_id: number;
  subject: string;
  description: string | null;
  category_id: number | null;
  fixed_version_id: number | null;
  assigned_to_id: number | null;
  author_id: number;
  parent_id: number | null;
  root_id: number | null;
  lft: number | null;
  rgt: number | null;
  start_date: string | null;
  due_date: string | null;
  done_ratio: number;
  estimated_hours: number | null;
  is_private: boolean;
  lock_version: number;
  closed_on: string | null;
}

/** The columns a change can touch, in Redmine's column order (the order of journal details). */
export const JOURNALIZED_ATTRIBUTES = [
  'project_id',
  'tracker_id',
  'subject',
  'description',
  'due_date',
  'category_id',
  'status_id',
  'assigned_to_id',
  'priority_id',
  'fixed_version_id',
  'author_id',
  'start_date',
  'done_ratio',
  'estimated_hours',
  'parent_id',
  'is_private',
] as const satisfies readonly (keyof IssueRecord)[];

export type JournalizedAttribute = (typeof JOURNALIZED_ATTRIBUTES)[number];

const RECORD_COLUMNS = `id, project_id, tracker_id, status_id, priority_id, subject, description, category_id,
  fixed_version_id, assigned_to_id, author_id, parent_id, root_id, lft, rgt, start_date::text AS start_date,
  due_date::text AS due_date, done_ratio, estimated_hours, is_private, lock_version,
  ${isoTimestamp('closed_on')} AS closed_on`;

export async function selectIssueRecord(db: Queryable, id: number, forUpdate = false): Promise<IssueRecord | undefined> {
  const [row] = await db.query<IssueRecord>(`SELECT ${RECORD_COLUMNS} FROM issues WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return row;
}

export async function selectIssueRecords(db: Queryable, ids: readonly number[]): Promise<IssueRecord[]> {
  return db.query<IssueRecord>(`SELECT ${RECORD_COLUMNS} FROM issues WHERE id = ANY($1::int[])`, [ids]);
}

export interface TrackerRow {
  id: number;
  name: string;
  default_status_id: number | null;
  fields_bits: number | null;
  private_by_default: boolean;
}

/** The project's trackers by position. */
export async function selectProjectTrackers(db: Queryable, projectId: number): Promise<TrackerRow[]> {
  return db.query<TrackerRow>(
    `SELECT t.id, t.name, t.default_status_id, t.fields_bits, t.private_by_default
       FROM trackers t JOIN projects_trackers pt ON pt.tracker_id = t.id
      WHERE pt.project_id = $1 ORDER BY t.position, t.id`,
    [projectId],
  );
}

export interface PriorityRow {
  id: number;
  position: number | null;
  is_default: boolean;
}

/** Active issue priorities by position. */
export async function selectPriorities(db: Queryable): Promise<PriorityRow[]> {
  return db.query<PriorityRow>(
    "SELECT id, position, is_default FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL AND active ORDER BY position, id",
  );
}

/**
 * Principals an issue of the project may be assigned to (Project#assignable_users): active users
 * holding an assignable role in it, and groups too when group assignment is on.
 */
export async function selectAssignableIds(db: Queryable, projectId: number, withGroups: boolean): Promise<Set<number>> {
  const rows = await db.query<{ id: number }>(
    `SELECT DISTINCT u.id FROM members m
       JOIN member_roles mr ON mr.member_id = m.id
       JOIN roles r ON r.id = mr.role_id AND r.assignable
       JOIN users u ON u.id = m.user_id
      WHERE m.project_id = $1 AND u.status = 1 AND (u.type = 'User' OR ($2 AND u.type = 'Group'))`,
    [projectId, withGroups],
  );
  return new Set(rows.map((r) => r.id));
}

export async function isActiveUser(db: Queryable, id: number): Promise<boolean> {
  return (await db.query("SELECT 1 FROM users WHERE id = $1 AND status = 1 AND type = 'User'", [id])).length > 0;
}

/** Does an open issue block this one (so it cannot be closed)? Or has it open subtasks? */
export async function selectClosingObstacles(db: Queryable, issue: Pick<IssueRecord, 'id' | 'root_id' | 'lft' | 'rgt'>): Promise<{ openChildren: boolean; openBlockers: boolean; closedAncestor: boolean }> {
  const [row] = await db.query<{ open_children: boolean; open_blockers: boolean; closed_ancestor: boolean }>(
    `SELECT
       EXISTS (SELECT 1 FROM issues c JOIN issue_statuses s ON s.id = c.status_id
                WHERE c.root_id = $2 AND c.lft > $3 AND c.rgt < $4 AND NOT s.is_closed) AS open_children,
       EXISTS (SELECT 1 FROM issue_relations r JOIN issues b ON b.id = r.issue_from_id JOIN issue_statuses s ON s.id = b.status_id
                WHERE r.issue_to_id = $1 AND r.relation_type = 'blocks' AND NOT s.is_closed) AS open_blockers,
       EXISTS (SELECT 1 FROM issues a JOIN issue_statuses s ON s.id = a.status_id
                WHERE a.root_id = $2 AND a.lft < $3 AND a.rgt > $4 AND s.is_closed) AS closed_ancestor`,
    [issue.id, issue.root_id ?? -1, issue.lft ?? 0, issue.rgt ?? 0],
  );
  return { openChildren: row?.open_children ?? false, openBlockers: row?.open_blockers ?? false, closedAncestor: row?.closed_ancestor ?? false };
}

type Writable = Omit<IssueRecord, 'id' | 'root_id' | 'lft' | 'rgt' | 'lock_version' | 'closed_on'>;

const WRITABLE: readonly (keyof Writable)[] = [
  'project_id',
  'tracker_id',
  'status_id',
  'priority_id',
  'subject',
  'description',
  'category_id',
  'fixed_version_id',
  'assigned_to_id',
  'author_id',
  'parent_id',
  'start_date',
  'due_date',
  'done_ratio',
  'estimated_hours',
  'is_private',
];

/** Inserts a root issue (its own tree: root_id is its own id, taken from the sequence first) and returns its id. */
export async function insertIssue(db: Queryable, issue: Writable, now: Date, closedOn: Date | null): Promise<number> {
  const values = WRITABLE.map((column) => issue[column]);
  const placeholders = WRITABLE.map((_, i) => `$${i + 1}`);
  const n = WRITABLE.length;
  const [row] = await db.query<{ id: number }>(
    `WITH next AS (SELECT nextval(pg_get_serial_sequence('issues', 'id'))::int AS id)
     INSERT INTO issues (id, root_id, ${WRITABLE.join(', ')}, created_on, updated_on, closed_on, lock_version, lft, rgt)
     VALUES ((SELECT id FROM next), (SELECT id FROM next), ${placeholders.join(', ')}, $${n + 1}, $${n + 1}, $${n + 2}, 0, 1, 2) RETURNING id`,
    [...values, now.toISOString(), closedOn?.toISOString() ?? null],
  );
  return Number(row?.id);
}

/** Writes the changed columns, bumps lock_version and updated_on. */
export async function updateIssueRow(
  db: Queryable,
  id: number,
  changes: Partial<Writable>,
  now: Date,
  closedOn: Date | undefined,
): Promise<void> {
  const columns = Object.keys(changes) as (keyof Writable)[];
  const sets = columns.map((column, i) => `${column} = $${i + 2}`);
  const values: unknown[] = [id, ...columns.map((column) => changes[column])];
  values.push(now.toISOString());
  sets.push(`updated_on = $${values.length}`, 'lock_version = lock_version + 1');
  if (closedOn) {
    values.push(closedOn.toISOString());
    sets.push(`closed_on = $${values.length}`);
  }
  await db.query(`UPDATE issues SET ${sets.join(', ')} WHERE id = $1`, values);
}

/** Deletes the issues and what hangs on them without a foreign key (journals, watchers, custom values). */
export async function deleteIssueRows(db: Queryable, ids: readonly number[]): Promise<void> {
  await db.query("DELETE FROM journals WHERE journalized_type = 'Issue' AND journalized_id = ANY($1::int[])", [ids]);
  await db.query("DELETE FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = ANY($1::int[])", [ids]);
  await db.query("DELETE FROM custom_values WHERE customized_type = 'Issue' AND customized_id = ANY($1::int[])", [ids]);
  await db.query('DELETE FROM issues WHERE id = ANY($1::int[])', [ids]);
}

/** How the project `otherId` stands to `projectId` in the project hierarchy. */
export async function projectKinship(
  db: Queryable,
  projectId: number,
  otherId: number,
): Promise<{ sameTree: boolean; otherIsAncestor: boolean; otherIsDescendant: boolean }> {
  const [row] = await db.query<{ same_tree: boolean; other_is_ancestor: boolean; other_is_descendant: boolean }>(
    `SELECT (SELECT count(DISTINCT r.id) FROM projects r JOIN projects x ON r.lft <= x.lft AND r.rgt >= x.rgt
              WHERE x.id IN (p.id, o.id) AND r.parent_id IS NULL) = 1 AS same_tree,
            o.lft < p.lft AND o.rgt > p.rgt AS other_is_ancestor,
            o.lft > p.lft AND o.rgt < p.rgt AS other_is_descendant
       FROM projects p, projects o WHERE p.id = $1 AND o.id = $2`,
    [projectId, otherId],
  );
  return { sameTree: row?.same_tree ?? false, otherIsAncestor: row?.other_is_ancestor ?? false, otherIsDescendant: row?.other_is_descendant ?? false };
}

/** The issue's subtasks (at any depth) that are in `projectId`: those that follow it to another project. */
export async function selectSubtasksInProject(
  db: Queryable,
  issue: Pick<IssueRecord, 'id' | 'root_id' | 'lft' | 'rgt'>,
  projectId: number,
): Promise<{ id: number; category_id: number | null; fixed_version_id: number | null }[]> {
  if (issue.lft === null || issue.rgt === null || issue.rgt - issue.lft === 1) {
    return [];
  }
  return db.query(
    `SELECT id, category_id, fixed_version_id FROM issues
      WHERE root_id = $1 AND lft > $2 AND rgt < $3 AND project_id = $4 ORDER BY lft`,
    [issue.root_id ?? issue.id, issue.lft, issue.rgt, projectId],
  );
}

/** A subtask moved with its parent: its project, category and version, as a change (updated_on, lock_version). */
export async function moveSubtaskRow(
  db: Queryable,
  id: number,
  moved: { projectId: number; categoryId: number | null; fixedVersionId: number | null },
  now: Date,
): Promise<void> {
  await db.query(
    'UPDATE issues SET project_id = $2, category_id = $3, fixed_version_id = $4, updated_on = $5, lock_version = lock_version + 1 WHERE id = $1',
    [id, moved.projectId, moved.categoryId, moved.fixedVersionId, now],
  );
}

/**
 * The category of `projectId` named like `categoryId` (Redmine's Issue#project=: an issue moved or
 * copied to another project keeps a category of the same name there), or null.
 */
export async function selectSameNamedCategory(db: Queryable, categoryId: number, projectId: number): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT c.id FROM issue_categories c JOIN issue_categories o ON o.name = c.name
      WHERE o.id = $1 AND c.project_id = $2 ORDER BY c.id LIMIT 1`,
    [categoryId, projectId],
  );
  return row?.id ?? null;
}
