/**
 * All SQL on custom fields and custom values: field definitions (with their roles, trackers and
 * enumerations), which fields apply to an issue of a project and tracker, the ids a user or version
 * field may point to, and reading and replacing stored values. Values are always bound parameters.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Orm, Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';
import { formatOf } from './custom-field.format.ts';

/** A custom field as the rest of Kanri sees it (Redmine's CustomField with its associations). */
export interface CustomFieldDef {
  id: number;
  name: string;
  /** STI class: IssueCustomField, ProjectCustomField, UserCustomField… */
  type: string;
  fieldFormat: string;
  /** Only true when the format supports several values (Redmine resets it otherwise). */
  multiple: boolean;
  isRequired: boolean;
  defaultValue: string | null;
  /** Options of a 'list' field. */
  possibleValues: string[];
  regexp: string;
  minLength: number | null;
  maxLength: number | null;
  visible: boolean;
  /** Roles that may see the field when it is not `visible`. */
  roleIds: number[];
  /** Trackers the field is enabled on (issue fields). */
  trackerIds: number[];
  isForAll: boolean;
  editable: boolean;
  /** The format's settings (url_pattern, edit_tag_style, user_role, version_status, text_formatting…). */
  formatStore: Record<string, unknown>;
  /** Options of an 'enumeration' field, by position. */
  enumerations: { id: number; name: string; active: boolean }[];
  isFilter: boolean;
  /** Only true when the format supports search (string, text, list). */
  searchable: boolean;
  description: string | null;
  position: number;
}

interface DefRow {
  id: number;
  type: string;
  name: string;
  field_format: string;
  multiple: boolean | null;
  is_required: boolean;
  default_value: string | null;
  possible_values: unknown;
  regexp: string | null;
  min_length: number | null;
  max_length: number | null;
  visible: boolean;
  is_for_all: boolean;
  is_filter: boolean;
  searchable: boolean | null;
  editable: boolean | null;
  format_store: unknown;
  description: string | null;
  position: number | null;
  role_ids: number[];
  tracker_ids: number[];
  enumerations: { id: number; name: string; active: boolean }[];
}

const DEF_COLUMNS = sql`
  f.id, f.type, f.name, f.field_format, f.multiple, f.is_required, f.default_value, f.possible_values,
  f.regexp, f.min_length, f.max_length, f.visible, f.is_for_all, f.is_filter, f.searchable, f.editable,
  f.format_store, f.description, f.position,
  (SELECT COALESCE(json_agg(r.role_id ORDER BY r.role_id), '[]'::json)
     FROM custom_fields_roles r WHERE r.custom_field_id = f.id) AS role_ids,
  (SELECT COALESCE(json_agg(ct.tracker_id ORDER BY ct.tracker_id), '[]'::json)
     FROM custom_fields_trackers ct WHERE ct.custom_field_id = f.id) AS tracker_ids,
  (SELECT COALESCE(json_agg(json_build_object('id', e.id, 'name', e.name, 'active', e.active) ORDER BY e.position, e.id), '[]'::json)
     FROM custom_field_enumerations e WHERE e.custom_field_id = f.id) AS enumerations`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defOf(row: DefRow): CustomFieldDef {
  const format = formatOf(row.field_format);
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    fieldFormat: row.field_format,
    multiple: (row.multiple ?? false) && format.multipleSupported,
    isRequired: row.is_required,
    defaultValue: row.default_value,
    possibleValues: Array.isArray(row.possible_values) ? row.possible_values.map((v) => String(v)) : [],
    regexp: row.regexp ?? '',
    minLength: row.min_length,
    maxLength: row.max_length,
    visible: row.visible,
    roleIds: row.role_ids,
    trackerIds: row.tracker_ids,
    isForAll: row.is_for_all,
    editable: row.editable ?? true,
    formatStore: isRecord(row.format_store) ? row.format_store : {},
    enumerations: row.enumerations,
    isFilter: row.is_filter,
    searchable: (row.searchable ?? false) && format.searchableSupported,
    description: row.description,
    position: row.position ?? 1,
  };
}

async function selectDefs(db: Queryable, where: SQL, order: SQL = sql`f.position, f.id`): Promise<CustomFieldDef[]> {
  const rows = await runSql<DefRow>(db, sql`SELECT ${DEF_COLUMNS} FROM custom_fields f WHERE ${where} ORDER BY ${order}`);
  return rows.map(defOf);
}

/** Every field of one class (ProjectCustomField, UserCustomField…): Redmine's available_custom_fields, by position. */
export async function selectCustomFieldsOfType(db: Queryable, type: string): Promise<CustomFieldDef[]> {
  return selectDefs(db, sql`f.type = ${type}`);
}

/** Issue fields for an issue of the project and tracker (Redmine's Issue#available_custom_fields), by position. */
export async function selectIssueCustomFieldsFor(db: Queryable, projectId: number, trackerId: number): Promise<CustomFieldDef[]> {
  return selectDefs(
    db,
    sql`f.type = 'IssueCustomField'
      AND EXISTS (SELECT 1 FROM custom_fields_trackers ct WHERE ct.custom_field_id = f.id AND ct.tracker_id = ${trackerId})
      AND (f.is_for_all OR EXISTS (SELECT 1 FROM custom_fields_projects cp WHERE cp.custom_field_id = f.id AND cp.project_id = ${projectId}))`,
  );
}

/**
 * Issue fields enabled on any of the trackers, each with the projects (among `projectIds`) it is
 * enabled on: enough to answer "which fields apply to (project, tracker)" for a whole page in memory.
 */
export async function selectIssueCustomFieldsOfTrackers(
  db: Queryable,
  trackerIds: readonly number[],
  projectIds: readonly number[],
): Promise<Array<{ def: CustomFieldDef; projectIds: number[] }>> {
  const rows = await runSql<DefRow & { project_ids: number[] }>(
    db,
    sql`SELECT ${DEF_COLUMNS},
          (SELECT COALESCE(json_agg(cp.project_id), '[]'::json) FROM custom_fields_projects cp
            WHERE cp.custom_field_id = f.id AND cp.project_id IN ${idList(projectIds)}) AS project_ids
        FROM custom_fields f
        WHERE f.type = 'IssueCustomField'
          AND EXISTS (SELECT 1 FROM custom_fields_trackers ct WHERE ct.custom_field_id = f.id AND ct.tracker_id IN ${idList(trackerIds)})
        ORDER BY f.position, f.id`,
  );
  return rows.map((row) => ({ def: defOf(row), projectIds: row.project_ids }));
}

/** Issue fields of an issue list: every one, or (with `projectIds`) those for all projects or enabled on one of them; by position. */
export async function selectIssueListFields(db: Queryable, projectIds: readonly number[] | undefined): Promise<CustomFieldDef[]> {
  const scope =
    projectIds === undefined
      ? sql`TRUE`
      : sql`(f.is_for_all OR EXISTS (SELECT 1 FROM custom_fields_projects cp WHERE cp.custom_field_id = f.id AND cp.project_id IN ${idList(projectIds)}))`;
  return selectDefs(db, sql`f.type = 'IssueCustomField' AND ${scope}`);
}

/** Fields of the class (IssueCustomField, ProjectCustomField…) among `ids` that are used as filters. */
export async function selectFilterFields(db: Queryable, type: string, ids: readonly number[]): Promise<CustomFieldDef[]> {
  return selectDefs(db, sql`f.type = ${type} AND f.is_filter AND f.id IN ${idList(ids)}`);
}

export interface Ref {
  id: number;
  name: string;
}

/** What the API lists with a field: its trackers, roles and (issue fields) projects, by name. */
export interface CustomFieldAssociations {
  trackers: Ref[];
  roles: Ref[];
  projects: Ref[];
}

/** Every custom field with the names of what it is tied to, as the API lists them (Redmine's CustomField.all: id order). */
export async function selectAllCustomFields(db: Queryable): Promise<Array<{ def: CustomFieldDef } & CustomFieldAssociations>> {
  const rows = await runSql<DefRow & CustomFieldAssociations>(
    db,
    sql`SELECT ${DEF_COLUMNS},
          (SELECT COALESCE(json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.position, t.id), '[]'::json)
             FROM custom_fields_trackers ct JOIN trackers t ON t.id = ct.tracker_id WHERE ct.custom_field_id = f.id) AS trackers,
          (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.position, r.id), '[]'::json)
             FROM custom_fields_roles cr JOIN roles r ON r.id = cr.role_id WHERE cr.custom_field_id = f.id) AS roles,
          (SELECT COALESCE(json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.lft, p.id), '[]'::json)
             FROM custom_fields_projects cp JOIN projects p ON p.id = cp.project_id WHERE cp.custom_field_id = f.id) AS projects
        FROM custom_fields f ORDER BY f.id`,
  );
  return rows.map((row) => ({ def: defOf(row), trackers: row.trackers, roles: row.roles, projects: row.projects }));
}

export interface VersionChoice {
  id: number;
  name: string;
  status: string;
}

/**
 * Versions shared with the whole instance (sharing 'system') in projects that track issues — what a
 * version field offers with no project at hand — in Redmine's version order (date, then name).
 */
export async function selectSystemVersions(db: Queryable): Promise<VersionChoice[]> {
  return runSql<VersionChoice>(
    db,
    sql`SELECT v.id, v.name, COALESCE(v.status, 'open') AS status
        FROM versions v JOIN projects p ON p.id = v.project_id
        WHERE v.sharing = 'system' AND p.status IN (1, 5)
          AND EXISTS (SELECT 1 FROM enabled_modules em WHERE em.project_id = p.id AND em.name = 'issue_tracking')
        ORDER BY v.effective_date NULLS LAST, v.name, v.id`,
  );
}

/** Active users who are members of the project, optionally only those holding one of the roles (a user field's user_role). */
export async function selectProjectUserIds(db: Queryable, projectId: number, roleIds: readonly number[]): Promise<number[]> {
  const byRole = roleIds.length === 0 ? sql`TRUE` : sql`EXISTS (SELECT 1 FROM member_roles mr WHERE mr.member_id = m.id AND mr.role_id IN ${idList(roleIds)})`;
  const rows = await runSql<{ id: number }>(
    db,
    sql`SELECT u.id FROM members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = ${projectId} AND u.type = 'User' AND u.status = 1 AND ${byRole}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Versions the project may use (Redmine's Project#shared_versions: its own, system-wide ones, and
 * those shared with its tree, hierarchy or descendants), optionally only in the given statuses.
 */
export async function selectSharedVersionIds(db: Queryable, projectId: number, statuses: readonly string[]): Promise<number[]> {
  const byStatus = statuses.length === 0 ? sql`TRUE` : sql`COALESCE(v.status, 'open') IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`;
  const rows = await runSql<{ id: number }>(
    db,
    sql`WITH me AS (SELECT id, lft, rgt FROM projects WHERE id = ${projectId}),
             root AS (SELECT r.lft, r.rgt FROM projects r, me
                      WHERE r.lft <= me.lft AND r.rgt >= me.rgt AND r.parent_id IS NULL LIMIT 1)
        SELECT v.id FROM versions v JOIN projects p ON p.id = v.project_id, me
        WHERE ${byStatus} AND (
          p.id = me.id
          OR (p.status NOT IN (9, 10) AND (
            v.sharing = 'system'
            OR (v.sharing = 'tree' AND EXISTS (SELECT 1 FROM root WHERE p.lft >= root.lft AND p.rgt <= root.rgt))
            OR (v.sharing IN ('hierarchy', 'descendants') AND p.lft < me.lft AND p.rgt > me.rgt)
            OR (v.sharing = 'hierarchy' AND p.lft > me.lft AND p.rgt < me.rgt))))`,
  );
  return rows.map((row) => row.id);
}

/** Stored values per customized record and field, in storage order; NULL rows carry no value. */
export async function selectCustomValues(
  db: Queryable,
  customizedType: string,
  ids: readonly number[],
): Promise<Map<number, Map<number, string[]>>> {
  const result = new Map<number, Map<number, string[]>>(ids.map((id) => [id, new Map()]));
  if (ids.length === 0) {
    return result;
  }
  const rows = await runSql<{ customized_id: number; custom_field_id: number; value: string | null }>(
    db,
    sql`SELECT customized_id, custom_field_id, value FROM custom_values
        WHERE customized_type = ${customizedType} AND customized_id IN ${idList(ids)} ORDER BY id`,
  );
  for (const row of rows) {
    const byField = result.get(row.customized_id) ?? new Map<number, string[]>();
    result.set(row.customized_id, byField);
    const values = byField.get(row.custom_field_id) ?? [];
    byField.set(row.custom_field_id, values);
    if (row.value !== null) {
      values.push(row.value);
    }
  }
  return result;
}

/** Which of the fields hold several values (multiple and a format that supports it). */
export async function selectMultipleFieldIds(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) {
    return new Set();
  }
  const rows = await runSql<{ id: number; multiple: boolean | null; field_format: string }>(
    db,
    sql`SELECT id, multiple, field_format FROM custom_fields WHERE id IN ${idList(ids)}`,
  );
  return new Set(rows.filter((row) => (row.multiple ?? false) && formatOf(row.field_format).multipleSupported).map((row) => row.id));
}

/**
 * A write on the database, a Queryable transaction or a Drizzle transaction: the services of projects
 * and users write in Drizzle transactions, and on PGlite a statement outside the open transaction
 * would wait for it forever.
 */
export type Writer = Queryable | Orm;

function isOrm(db: Writer): db is Orm {
  return 'select' in db && 'execute' in db;
}

async function write(db: Writer, query: SQL): Promise<void> {
  if (isOrm(db)) {
    await db.execute(query);
  } else {
    await runSql(db, query);
  }
}

/** Replaces the stored rows of the given fields of one record with `rows` (one row per value). */
export async function replaceCustomValues(
  db: Writer,
  customizedType: string,
  customizedId: number,
  fieldIds: readonly number[],
  rows: ReadonlyArray<{ fieldId: number; value: string }>,
): Promise<void> {
  if (fieldIds.length === 0) {
    return;
  }
  await write(
    db,
    sql`DELETE FROM custom_values
        WHERE customized_type = ${customizedType} AND customized_id = ${customizedId} AND custom_field_id IN ${idList(fieldIds)}`,
  );
  if (rows.length > 0) {
    const tuples = rows.map((row) => sql`(${customizedType}, ${customizedId}, ${row.fieldId}, ${row.value})`);
    await write(db, sql`INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ${sql.join(tuples, sql`, `)}`);
  }
}

/** Every stored value of the records (acts_as_customizable's `dependent: :delete_all`). */
export async function deleteCustomValuesOf(db: Writer, customizedType: string, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await write(db, sql`DELETE FROM custom_values WHERE customized_type = ${customizedType} AND customized_id IN ${idList(ids)}`);
  }
}

/** The record a stored value belongs to and its field (what an attachment held by the value hangs on). */
export async function selectCustomValueOwner(
  db: Queryable,
  customValueId: number,
): Promise<{ customizedType: string; customizedId: number; field: CustomFieldDef } | undefined> {
  const [row] = await runSql<{ customized_type: string; customized_id: number; custom_field_id: number }>(
    db,
    sql`SELECT customized_type, customized_id, custom_field_id FROM custom_values WHERE id = ${customValueId}`,
  );
  const [field] = row ? await selectDefs(db, sql`f.id = ${row.custom_field_id}`) : [];
  return row && field ? { customizedType: row.customized_type, customizedId: Number(row.customized_id), field } : undefined;
}

/** The id of the row storing `value` for the record and field (a file field's value, to hold its file). */
export async function selectCustomValueId(db: Queryable, customizedType: string, customizedId: number, fieldId: number, value: string): Promise<number | undefined> {
  const [row] = await runSql<{ id: number }>(
    db,
    sql`SELECT id FROM custom_values WHERE customized_type = ${customizedType} AND customized_id = ${customizedId}
          AND custom_field_id = ${fieldId} AND value = ${value} ORDER BY id LIMIT 1`,
  );
  return row ? Number(row.id) : undefined;
}

/** Ids of the stored values of the records in fields of the format (a file field's values hold attachments). */
export async function selectCustomValueIdsOfFormat(db: Queryable, customizedType: string, ids: readonly number[], format: string): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await runSql<{ id: number }>(
    db,
    sql`SELECT v.id FROM custom_values v JOIN custom_fields f ON f.id = v.custom_field_id
        WHERE v.customized_type = ${customizedType} AND v.customized_id IN ${idList(ids)} AND f.field_format = ${format}`,
  );
  return rows.map((row) => Number(row.id));
}
