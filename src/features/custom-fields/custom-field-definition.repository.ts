/**
 * All SQL that writes custom field definitions (the administration pages): the list by class, one
 * definition with its roles, trackers and projects, name checks, inserts and updates, and deletion
 * with everything that hangs on a field. Values are always bound parameters.
 */
import type { Queryable } from '#src/db/database.ts';
import type { PositionScope } from '#src/db/positions.ts';
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import type { CustomFieldDraft } from './custom-field-definition.rules.ts';

/** The fields of one class are one list. */
export function customFieldPositionScope(type: string): PositionScope {
  return { table: 'custom_fields', where: 'type = $1', params: [type] };
}

export interface CustomFieldListRow {
  id: number;
  type: CustomFieldType;
  name: string;
  field_format: string;
  is_required: boolean;
  is_for_all: boolean;
  position: number | null;
  /** Projects an issue field not for all projects is enabled on. */
  project_count: number;
}

export function selectCustomFieldList(db: Queryable): Promise<CustomFieldListRow[]> {
  return db.query<CustomFieldListRow>(
    `SELECT f.id, f.type, f.name, f.field_format, f.is_required, f.is_for_all, f.position,
            (SELECT COUNT(*) FROM custom_fields_projects cp WHERE cp.custom_field_id = f.id)::int AS project_count
       FROM custom_fields f ORDER BY f.position, f.id`,
  );
}

interface DraftRow {
  id: number;
  type: CustomFieldType;
  name: string;
  field_format: string;
  description: string | null;
  possible_values: unknown;
  regexp: string | null;
  min_length: number | null;
  max_length: number | null;
  is_required: boolean;
  is_for_all: boolean;
  is_filter: boolean;
  searchable: boolean | null;
  default_value: string | null;
  editable: boolean | null;
  visible: boolean;
  multiple: boolean | null;
  format_store: unknown;
  role_ids: number[];
  tracker_ids: number[];
  project_ids: number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function selectCustomFieldDraft(db: Queryable, id: number): Promise<CustomFieldDraft | undefined> {
  const [row] = await db.query<DraftRow>(
    `SELECT f.id, f.type, f.name, f.field_format, f.description, f.possible_values, f.regexp, f.min_length, f.max_length,
            f.is_required, f.is_for_all, f.is_filter, f.searchable, f.default_value, f.editable, f.visible, f.multiple, f.format_store,
            ARRAY(SELECT role_id FROM custom_fields_roles WHERE custom_field_id = f.id ORDER BY role_id) AS role_ids,
            ARRAY(SELECT tracker_id FROM custom_fields_trackers WHERE custom_field_id = f.id ORDER BY tracker_id) AS tracker_ids,
            ARRAY(SELECT project_id FROM custom_fields_projects WHERE custom_field_id = f.id ORDER BY project_id) AS project_ids
       FROM custom_fields f WHERE f.id = $1`,
    [id],
  );
  if (!row) {
    return undefined;
  }
  return {
    ...row,
    possible_values: Array.isArray(row.possible_values) ? row.possible_values.map((v) => String(v)) : [],
    regexp: row.regexp ?? '',
    searchable: row.searchable ?? false,
    editable: row.editable ?? true,
    multiple: row.multiple ?? false,
    format_store: isRecord(row.format_store) ? row.format_store : {},
  };
}

export async function isCustomFieldNameTaken(db: Queryable, type: string, name: string, exceptId: number | undefined): Promise<boolean> {
  return (await db.query('SELECT 1 FROM custom_fields WHERE type = $1 AND name = $2 AND id <> $3 LIMIT 1', [type, name, exceptId ?? -1])).length > 0;
}

const WRITE_COLUMNS = [
  'name',
  'field_format',
  'description',
  'possible_values',
  'regexp',
  'min_length',
  'max_length',
  'is_required',
  'is_for_all',
  'is_filter',
  'searchable',
  'default_value',
  'editable',
  'visible',
  'multiple',
  'format_store',
] as const;

function writeValues(draft: CustomFieldDraft): unknown[] {
  return [
    draft.name,
    draft.field_format,
    draft.description,
    draft.field_format === 'list' ? JSON.stringify(draft.possible_values) : null,
    draft.regexp,
    draft.min_length,
    draft.max_length,
    draft.is_required,
    draft.is_for_all,
    draft.is_filter,
    draft.searchable,
    draft.default_value,
    draft.editable,
    draft.visible,
    draft.multiple,
    JSON.stringify(draft.format_store),
  ];
}

const cast = (column: string) => (column === 'possible_values' || column === 'format_store' ? '::jsonb' : '');

export async function insertCustomField(db: Queryable, draft: CustomFieldDraft, position: number): Promise<number> {
  const placeholders = WRITE_COLUMNS.map((column, i) => `$${i + 3}${cast(column)}`);
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO custom_fields (type, position, ${WRITE_COLUMNS.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')}) RETURNING id`,
    [draft.type, position, ...writeValues(draft)],
  );
  if (!row) {
    throw new Error('custom field insert returned no id');
  }
  return row.id;
}

export async function updateCustomFieldRow(db: Queryable, id: number, draft: CustomFieldDraft): Promise<void> {
  const assignments = WRITE_COLUMNS.map((column, i) => `${column} = $${i + 2}${cast(column)}`);
  await db.query(`UPDATE custom_fields SET ${assignments.join(', ')} WHERE id = $1`, [id, ...writeValues(draft)]);
}

/** The field's roles, trackers and projects become exactly those of the draft (unknown ids are ignored). */
export async function replaceCustomFieldLinks(db: Queryable, id: number, draft: CustomFieldDraft): Promise<void> {
  await db.query('DELETE FROM custom_fields_roles WHERE custom_field_id = $1', [id]);
  await db.query('INSERT INTO custom_fields_roles (custom_field_id, role_id) SELECT $1, id FROM roles WHERE id = ANY($2::int[])', [id, draft.role_ids]);
  await db.query('DELETE FROM custom_fields_trackers WHERE custom_field_id = $1', [id]);
  await db.query('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers WHERE id = ANY($2::int[])', [id, draft.tracker_ids]);
  await db.query('DELETE FROM custom_fields_projects WHERE custom_field_id = $1', [id]);
  await db.query('INSERT INTO custom_fields_projects (custom_field_id, project_id) SELECT $1, id FROM projects WHERE id = ANY($2::int[])', [id, draft.project_ids]);
}

/** A field no longer multiple keeps the first value of each record (Redmine's handle_multiplicity_change). */
export async function keepFirstValues(db: Queryable, id: number): Promise<void> {
  await db.query(
    `DELETE FROM custom_values WHERE custom_field_id = $1
        AND id NOT IN (SELECT MIN(id) FROM custom_values WHERE custom_field_id = $1 GROUP BY customized_type, customized_id)`,
    [id],
  );
}

/** Deletes the field: its values, links and options go with it (foreign keys), and so do its workflow rules. */
export async function deleteCustomFieldRow(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM workflows WHERE type = 'WorkflowPermission' AND field_name = $1", [String(id)]);
  await db.query('DELETE FROM custom_fields WHERE id = $1', [id]);
}

export function selectRoleChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query('SELECT id, name FROM roles WHERE builtin = 0 ORDER BY position, id');
}

export function selectTrackerChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query('SELECT id, name FROM trackers ORDER BY position, id');
}
