/**
 * All SQL on issue statuses for their administration: the list, one status, name checks, writes,
 * what keeps a status from being deleted (issues, trackers' default status), the closing date of
 * issues whose status becomes closed, and "update issue done ratios".
 */
import type { Queryable } from '#src/db/database.ts';
import type { PositionScope } from '#src/db/positions.ts';

export const STATUS_POSITIONS: PositionScope = { table: 'issue_statuses', where: 'TRUE', params: [] };

export interface IssueStatusRecord {
  id: number;
  name: string;
  description: string | null;
  is_closed: boolean;
  position: number | null;
  default_done_ratio: number | null;
}

export interface IssueStatusListRow extends IssueStatusRecord {
  /** Some transition leads from or to it (the list warns about statuses without). */
  has_workflow: boolean;
}

const COLUMNS = 's.id, s.name, s.description, s.is_closed, s.position, s.default_done_ratio';

export function selectStatusList(db: Queryable): Promise<IssueStatusListRow[]> {
  return db.query<IssueStatusListRow>(
    `SELECT ${COLUMNS},
            EXISTS (SELECT 1 FROM workflows w WHERE w.type = 'WorkflowTransition' AND (w.old_status_id = s.id OR w.new_status_id = s.id)) AS has_workflow
       FROM issue_statuses s ORDER BY s.position, s.id`,
  );
}

export async function selectStatus(db: Queryable, id: number): Promise<IssueStatusRecord | undefined> {
  const [row] = await db.query<IssueStatusRecord>(`SELECT ${COLUMNS} FROM issue_statuses s WHERE s.id = $1`, [id]);
  return row;
}

export async function isStatusNameTaken(db: Queryable, name: string, exceptId: number | undefined): Promise<boolean> {
  return (await db.query('SELECT 1 FROM issue_statuses WHERE name = $1 AND id <> $2 LIMIT 1', [name, exceptId ?? -1])).length > 0;
}

export type IssueStatusWrite = Omit<IssueStatusRecord, 'id'>;

export async function insertStatus(db: Queryable, status: IssueStatusWrite): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO issue_statuses (name, description, is_closed, position, default_done_ratio) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [status.name, status.description, status.is_closed, status.position, status.default_done_ratio],
  );
  if (!row) {
    throw new Error('issue status insert returned no id');
  }
  return row.id;
}

export async function updateStatusRow(db: Queryable, id: number, status: Omit<IssueStatusWrite, 'position'>): Promise<void> {
  await db.query('UPDATE issue_statuses SET name = $2, description = $3, is_closed = $4, default_done_ratio = $5 WHERE id = $1', [
    id,
    status.name,
    status.description,
    status.is_closed,
    status.default_done_ratio,
  ]);
}

/** Names of the projects with issues in the status (why it cannot be deleted). */
export async function selectProjectsUsingStatus(db: Queryable, statusId: number): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    'SELECT DISTINCT p.name FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.status_id = $1 ORDER BY p.name',
    [statusId],
  );
  return rows.map((row) => row.name);
}

/** Names of the trackers whose default status it is (why it cannot be deleted). */
export async function selectTrackersDefaultingTo(db: Queryable, statusId: number): Promise<string[]> {
  const rows = await db.query<{ name: string }>('SELECT name FROM trackers WHERE default_status_id = $1 ORDER BY position, id', [statusId]);
  return rows.map((row) => row.name);
}

/** Deletes the status and every workflow rule from or to it. */
export async function deleteStatusRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM workflows WHERE old_status_id = $1 OR new_status_id = $1', [id]);
  await db.query('DELETE FROM issue_statuses WHERE id = $1', [id]);
}

/**
 * A status became closed: its issues without a closing date get the time of the last journal that
 * set the status, or their creation time (Redmine's IssueStatus#handle_is_closed_change).
 */
export async function setClosedOnForStatus(db: Queryable, statusId: number): Promise<void> {
  await db.query(
    `UPDATE issues i SET closed_on = (
        SELECT MAX(j.created_on) FROM journals j JOIN journal_details d ON d.journal_id = j.id
         WHERE j.journalized_type = 'Issue' AND j.journalized_id = i.id
           AND d.property = 'attr' AND d.prop_key = 'status_id' AND d.value = $2)
      WHERE i.status_id = $1 AND i.closed_on IS NULL`,
    [statusId, String(statusId)],
  );
  await db.query('UPDATE issues SET closed_on = created_on WHERE status_id = $1 AND closed_on IS NULL', [statusId]);
}

/** Every issue takes its status's default done ratio (statuses without one leave theirs). */
export async function applyStatusDoneRatios(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE issues i SET done_ratio = s.default_done_ratio FROM issue_statuses s
      WHERE s.id = i.status_id AND s.default_done_ratio >= 0 AND i.done_ratio IS DISTINCT FROM s.default_done_ratio`,
  );
}
