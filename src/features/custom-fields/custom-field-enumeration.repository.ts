/**
 * All SQL on the values of key/value lists (Redmine's custom_field_enumerations): the values of a field
 * with how many stored values use each, adding, changing, reassigning and deleting. Values are always
 * bound parameters.
 */
import type { Queryable } from '#src/db/database.ts';

export interface EnumerationRow {
  id: number;
  name: string;
  active: boolean;
  position: number;
  /** Stored values that hold this value (CustomFieldEnumeration#objects_count). */
  objects_count: number;
}

export function selectEnumerations(db: Queryable, fieldId: number): Promise<EnumerationRow[]> {
  return db.query<EnumerationRow>(
    `SELECT e.id, e.name, e.active, e.position,
            (SELECT COUNT(*) FROM custom_values v WHERE v.custom_field_id = e.custom_field_id AND v.value = e.id::text)::int AS objects_count
       FROM custom_field_enumerations e WHERE e.custom_field_id = $1 ORDER BY e.position, e.id`,
    [fieldId],
  );
}

/** Adds a value at the end of the list (Redmine's set_position); returns its id. */
export async function insertEnumeration(db: Queryable, fieldId: number, name: string, active: boolean): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO custom_field_enumerations (custom_field_id, name, active, position)
     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM custom_field_enumerations WHERE custom_field_id = $1)) RETURNING id`,
    [fieldId, name, active],
  );
  if (!row) {
    throw new Error('enumeration insert returned no id');
  }
  return row.id;
}

export async function updateEnumerationRow(db: Queryable, fieldId: number, id: number, values: { name: string; active: boolean; position: number }): Promise<void> {
  await db.query('UPDATE custom_field_enumerations SET name = $3, active = $4, position = $5 WHERE custom_field_id = $1 AND id = $2', [
    fieldId,
    id,
    values.name,
    values.active,
    values.position,
  ]);
}

/** Stored values holding `fromId` now hold `toId` (CustomFieldEnumeration#destroy with reassign_to). */
export async function reassignEnumerationValues(db: Queryable, fieldId: number, fromId: number, toId: number): Promise<void> {
  await db.query('UPDATE custom_values SET value = $3 WHERE custom_field_id = $1 AND value = $2', [fieldId, String(fromId), String(toId)]);
}

export async function deleteEnumerationRow(db: Queryable, fieldId: number, id: number): Promise<void> {
  await db.query('DELETE FROM custom_field_enumerations WHERE custom_field_id = $1 AND id = $2', [fieldId, id]);
}
