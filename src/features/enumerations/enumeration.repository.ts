/**
 * All SQL on enumerations (issue priorities, time-entry activities, document categories) for their
 * administration: the shared values of a type (project overrides are not listed), name checks,
 * writes that keep project overrides in step, how many records use a value, moving those records
 * to another value, and the priorities' position names.
 */
import type { Queryable } from '#src/db/database.ts';
import type { PositionScope } from '#src/db/positions.ts';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';

export interface EnumerationRecord {
  id: number;
  name: string;
  type: EnumerationType;
  position: number | null;
  is_default: boolean;
  active: boolean;
}

/** The shared values of one type are one list; project overrides follow their parent's position. */
export function enumerationPositionScope(type: EnumerationType): PositionScope {
  return { table: 'enumerations', where: 'type = $1 AND project_id IS NULL AND parent_id IS NULL', params: [type] };
}

const COLUMNS = 'id, name, type, position, is_default, active';

/** The shared values of the type, by position. */
export function selectSharedEnumerations(db: Queryable, type: EnumerationType): Promise<EnumerationRecord[]> {
  return db.query<EnumerationRecord>(
    `SELECT ${COLUMNS} FROM enumerations WHERE type = $1 AND project_id IS NULL ORDER BY position, id`,
    [type],
  );
}

/** A shared value (project overrides are managed with their project). */
export async function selectSharedEnumeration(db: Queryable, id: number): Promise<EnumerationRecord | undefined> {
  const [row] = await db.query<EnumerationRecord>(`SELECT ${COLUMNS} FROM enumerations WHERE id = $1 AND project_id IS NULL`, [id]);
  return row;
}

export async function isEnumerationNameTaken(db: Queryable, type: EnumerationType, name: string, exceptId: number | undefined): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM enumerations WHERE type = $1 AND project_id IS NULL AND name = $2 AND id <> $3 LIMIT 1', [type, name, exceptId ?? -1]);
  return rows.length > 0;
}

export async function insertEnumeration(db: Queryable, row: Omit<EnumerationRecord, 'id'>): Promise<number> {
  const [inserted] = await db.query<{ id: number }>(
    'INSERT INTO enumerations (name, type, position, is_default, active) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [row.name, row.type, row.position, row.is_default, row.active],
  );
  if (!inserted) {
    throw new Error('enumeration insert returned no id');
  }
  return inserted.id;
}

/** Writes name, default and active; a new name is given to the project overrides that kept the old one. */
export async function updateEnumerationRow(db: Queryable, id: number, row: Pick<EnumerationRecord, 'name' | 'is_default' | 'active'>, oldName: string): Promise<void> {
  await db.query('UPDATE enumerations SET name = $2, is_default = $3, active = $4 WHERE id = $1', [id, row.name, row.is_default, row.active]);
  if (row.name !== oldName) {
    await db.query('UPDATE enumerations SET name = $2 WHERE parent_id = $1 AND name = $3', [id, row.name, oldName]);
  }
}

/** Only one default per type (Redmine's check_default). */
export async function clearOtherDefaults(db: Queryable, type: EnumerationType, keepId: number): Promise<void> {
  await db.query('UPDATE enumerations SET is_default = false WHERE type = $1 AND id <> $2 AND is_default', [type, keepId]);
}

/** Project overrides take their parent's position. */
export async function alignOverridePositions(db: Queryable, type: EnumerationType): Promise<void> {
  await db.query(
    `UPDATE enumerations c SET position = p.position FROM enumerations p
      WHERE c.parent_id = p.id AND c.type = $1 AND c.position IS DISTINCT FROM p.position`,
    [type],
  );
}

/** How many records use the value (time entries count those of its project overrides too). */
export async function countEnumerationUse(db: Queryable, enumeration: Pick<EnumerationRecord, 'id' | 'type'>): Promise<number> {
  switch (enumeration.type) {
    case 'IssuePriority': {
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM issues WHERE priority_id = $1', [enumeration.id]);
      return row?.n ?? 0;
    }
    case 'TimeEntryActivity': {
      const [row] = await db.query<{ n: number }>(
        'SELECT COUNT(*)::int AS n FROM time_entries WHERE activity_id = $1 OR activity_id IN (SELECT id FROM enumerations WHERE parent_id = $1)',
        [enumeration.id],
      );
      return row?.n ?? 0;
    }
    case 'DocumentCategory':
      // No documents yet: a category is never in use.
      return 0;
  }
}

/** Moves the records using the value (and its overrides) to `toId` (Redmine's transfer_relations). */
export async function transferEnumerationUse(db: Queryable, enumeration: Pick<EnumerationRecord, 'id' | 'type'>, toId: number): Promise<void> {
  switch (enumeration.type) {
    case 'IssuePriority':
      await db.query('UPDATE issues SET priority_id = $2 WHERE priority_id = $1', [enumeration.id, toId]);
      return;
    case 'TimeEntryActivity':
      await db.query(
        'UPDATE time_entries SET activity_id = $2 WHERE activity_id = $1 OR activity_id IN (SELECT id FROM enumerations WHERE parent_id = $1)',
        [enumeration.id, toId],
      );
      return;
    case 'DocumentCategory':
      return;
  }
}

/** Deletes the value; its project overrides go with it (and roles defaulting to it lose their default). */
export async function deleteEnumerationRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM enumerations WHERE id = $1', [id]);
}

export async function updatePositionNames(db: Queryable, names: ReadonlyArray<{ id: number; positionName: string }>): Promise<void> {
  if (names.length > 0) {
    await db.query(
      'UPDATE enumerations e SET position_name = n.name FROM unnest($1::int[], $2::text[]) AS n(id, name) WHERE e.id = n.id',
      [names.map((n) => n.id), names.map((n) => n.positionName)],
    );
  }
}

/** Active priorities by position and the default one (active or not). */
export async function selectPriorityOrder(db: Queryable): Promise<{ active: Array<{ id: number; position: number }>; defaultPosition: number | null }> {
  const active = await db.query<{ id: number; position: number }>(
    "SELECT id, COALESCE(position, 0) AS position FROM enumerations WHERE type = 'IssuePriority' AND active ORDER BY position, id",
  );
  const [byDefault] = await db.query<{ position: number }>(
    "SELECT COALESCE(position, 0) AS position FROM enumerations WHERE type = 'IssuePriority' AND is_default ORDER BY id LIMIT 1",
  );
  return { active, defaultPosition: byDefault?.position ?? null };
}
