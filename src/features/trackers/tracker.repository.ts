/**
 * All SQL on trackers for their administration: the list, one tracker with its custom fields and
 * projects, name checks, writes, and what keeps a tracker from being deleted (issues).
 */
import type { Queryable } from '#src/db/database.ts';
import type { PositionScope } from '#src/db/positions.ts';

export const TRACKER_POSITIONS: PositionScope = { table: 'trackers', where: 'TRUE', params: [] };

export interface TrackerRecord {
  id: number;
  name: string;
  description: string | null;
  position: number | null;
  is_in_roadmap: boolean;
  fields_bits: number;
  default_status_id: number | null;
  private_by_default: boolean;
}

export interface TrackerListRow extends TrackerRecord {
  default_status_name: string | null;
  has_workflow: boolean;
}

const COLUMNS = `t.id, t.name, t.description, t.position, t.is_in_roadmap, COALESCE(t.fields_bits, 0) AS fields_bits, t.default_status_id, t.private_by_default`;

export function selectTrackerList(db: Queryable): Promise<TrackerListRow[]> {
  return db.query<TrackerListRow>(
    `SELECT ${COLUMNS}, s.name AS default_status_name, EXISTS (SELECT 1 FROM workflows w WHERE w.tracker_id = t.id) AS has_workflow
       FROM trackers t LEFT JOIN issue_statuses s ON s.id = t.default_status_id
      ORDER BY t.position, t.id`,
  );
}

export async function selectTracker(db: Queryable, id: number): Promise<TrackerRecord | undefined> {
  const [row] = await db.query<TrackerRecord>(`SELECT ${COLUMNS} FROM trackers t WHERE t.id = $1`, [id]);
  return row;
}

export async function selectTrackerCustomFieldIds(db: Queryable, trackerId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT custom_field_id AS id FROM custom_fields_trackers WHERE tracker_id = $1 ORDER BY custom_field_id', [trackerId]);
  return rows.map((row) => row.id);
}

export async function selectTrackerProjectIds(db: Queryable, trackerId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT project_id AS id FROM projects_trackers WHERE tracker_id = $1 ORDER BY project_id', [trackerId]);
  return rows.map((row) => row.id);
}

/** Every tracker's custom field ids, for the fields summary. */
export async function selectAllTrackerCustomFieldIds(db: Queryable): Promise<Map<number, number[]>> {
  const rows = await db.query<{ tracker_id: number; custom_field_id: number }>('SELECT tracker_id, custom_field_id FROM custom_fields_trackers');
  const result = new Map<number, number[]>();
  for (const row of rows) {
    result.set(row.tracker_id, [...(result.get(row.tracker_id) ?? []), row.custom_field_id]);
  }
  return result;
}

export async function isTrackerNameTaken(db: Queryable, name: string, exceptId: number | undefined): Promise<boolean> {
  return (await db.query('SELECT 1 FROM trackers WHERE name = $1 AND id <> $2 LIMIT 1', [name, exceptId ?? -1])).length > 0;
}

export async function statusExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM issue_statuses WHERE id = $1', [id])).length > 0;
}

export function selectStatusChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query('SELECT id, name FROM issue_statuses ORDER BY position, id');
}

/** Issue custom fields by position (those a tracker can enable). */
export function selectIssueCustomFieldChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query("SELECT id, name FROM custom_fields WHERE type = 'IssueCustomField' ORDER BY position, id");
}

export type TrackerWrite = Omit<TrackerRecord, 'id'>;

export async function insertTracker(db: Queryable, tracker: TrackerWrite): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO trackers (name, description, position, is_in_roadmap, fields_bits, default_status_id, private_by_default)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [tracker.name, tracker.description, tracker.position, tracker.is_in_roadmap, tracker.fields_bits, tracker.default_status_id, tracker.private_by_default],
  );
  if (!row) {
    throw new Error('tracker insert returned no id');
  }
  return row.id;
}

export async function updateTrackerRow(db: Queryable, id: number, tracker: Omit<TrackerWrite, 'position'>): Promise<void> {
  await db.query(
    `UPDATE trackers SET name = $2, description = $3, is_in_roadmap = $4, fields_bits = $5, default_status_id = $6, private_by_default = $7 WHERE id = $1`,
    [id, tracker.name, tracker.description, tracker.is_in_roadmap, tracker.fields_bits, tracker.default_status_id, tracker.private_by_default],
  );
}

export async function updateTrackerFieldsBits(db: Queryable, id: number, bits: number): Promise<void> {
  await db.query('UPDATE trackers SET fields_bits = $2 WHERE id = $1', [id, bits]);
}

/** The tracker's issue custom fields become exactly `ids` (fields of other classes are ignored). */
export async function replaceTrackerCustomFields(db: Queryable, trackerId: number, ids: readonly number[]): Promise<void> {
  await db.query('DELETE FROM custom_fields_trackers WHERE tracker_id = $1', [trackerId]);
  await db.query(
    `INSERT INTO custom_fields_trackers (custom_field_id, tracker_id)
     SELECT id, $1 FROM custom_fields WHERE type = 'IssueCustomField' AND id = ANY($2::int[])`,
    [trackerId, ids],
  );
}

/** The tracker is enabled on exactly these projects (unknown ids are ignored). */
export async function replaceTrackerProjects(db: Queryable, trackerId: number, projectIds: readonly number[]): Promise<void> {
  await db.query('DELETE FROM projects_trackers WHERE tracker_id = $1', [trackerId]);
  await db.query(
    'INSERT INTO projects_trackers (project_id, tracker_id) SELECT id, $1 FROM projects WHERE id = ANY($2::int[]) AND status <> 10',
    [trackerId, projectIds],
  );
}

/** Names of the projects having issues of the tracker, by name: why it cannot be deleted. */
export async function selectProjectsUsingTracker(db: Queryable, trackerId: number): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    'SELECT DISTINCT p.name FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.tracker_id = $1 ORDER BY p.name',
    [trackerId],
  );
  return rows.map((row) => row.name);
}

/** Deletes the tracker; its workflow rules and project and custom-field links go with it. */
export async function deleteTrackerRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM trackers WHERE id = $1', [id]);
}
