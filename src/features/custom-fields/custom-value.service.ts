/**
 * Custom values of projects, users, groups, versions and time entries (acts_as_customizable outside
 * issues): which fields a record has, its values as the API shows them, reading and validating a
 * create/update body, and writing or deleting the values inside the caller's transaction. Who may see or edit a
 * field is the caller's predicate: each resource has its own rule (role visibility for projects and
 * versions, the `visible` flag for users and groups, `editable` on a user's own account).
 */
import type { Params } from '#src/api/params.ts';
import type { ListValue } from '#src/api/resource.ts';
import type { Queryable } from '#src/db/database.ts';
import { isRecordFormat } from './custom-field.format.ts';
import { presentCustomValues } from './custom-field.presenter.ts';
import {
  deleteCustomValuesOf,
  replaceCustomValues,
  selectCustomFieldsOfType,
  selectCustomValues,
  selectSystemVersions,
  type CustomFieldDef,
  type Writer,
} from './custom-field.repository.ts';
import { allowedRecordIdsFor, customValueWrites } from './custom-field.service.ts';
import { customFieldInputOf, validateCustomValues } from './custom-value.rules.ts';

/** The customizable records this module serves. */
export type CustomizedKind = 'Project' | 'User' | 'Group' | 'Version' | 'TimeEntry';

const FIELD_TYPE: Readonly<Record<CustomizedKind, string>> = {
  Project: 'ProjectCustomField',
  User: 'UserCustomField',
  Group: 'GroupCustomField',
  Version: 'VersionCustomField',
  TimeEntry: 'TimeEntryCustomField',
};

/** `custom_values.customized_type`: Rails stores an STI model's base class, so users and groups are both Principal. */
const CUSTOMIZED_TYPE: Readonly<Record<CustomizedKind, string>> = {
  Project: 'Project',
  User: 'Principal',
  Group: 'Principal',
  Version: 'Version',
  TimeEntry: 'TimeEntry',
};

/** The fields of a kind and the stored values of some of its records, read once for a page. */
export interface CustomValueSheet {
  readonly fields: readonly CustomFieldDef[];
  readonly values: ReadonlyMap<number, ReadonlyMap<number, readonly string[]>>;
}

/** Every custom field of the kind, by position (Redmine's available_custom_fields). */
export function customFieldsOfKind(db: Queryable, kind: CustomizedKind): Promise<CustomFieldDef[]> {
  return selectCustomFieldsOfType(db, FIELD_TYPE[kind]);
}

/**
 * The kind's fields and the records' values: one query for the fields, and one for the values only
 * when the kind has fields (a tenant without them pays a single cheap query per page).
 */
export async function customValueSheet(db: Queryable, kind: CustomizedKind, ids: readonly number[]): Promise<CustomValueSheet> {
  const fields = await customFieldsOfKind(db, kind);
  const values = fields.length > 0 && ids.length > 0 ? await selectCustomValues(db, CUSTOMIZED_TYPE[kind], ids) : new Map<number, Map<number, string[]>>();
  return { fields, values };
}

/**
 * The record's `custom_fields` section (§1.5): the fields `isVisible` keeps, each with its value (null
 * when never stored), or undefined when none is kept — Redmine then omits the key.
 */
export function presentedCustomFields(sheet: CustomValueSheet, id: number, isVisible: (field: CustomFieldDef) => boolean): ListValue | undefined {
  const fields = sheet.fields.filter(isVisible);
  return fields.length > 0 ? presentCustomValues(fields, sheet.values.get(id)) : undefined;
}

/** What a create/update body does to a record's custom values, checked before anything is written. */
export interface CustomValuesPlan {
  readonly kind: CustomizedKind;
  /** The fields the actor may edit (the others were dropped silently, as Redmine does). */
  readonly fields: readonly CustomFieldDef[];
  /** Values to store: the fields submitted and, on a new record, the defaults of the others. */
  readonly values: ReadonlyMap<number, readonly string[]>;
  readonly stored: ReadonlyMap<number, readonly string[]>;
  /** Redmine's messages ("Stage cannot be blank"); the caller lists them before its own, as Redmine does. */
  readonly errors: readonly string[];
}

export interface CustomValuesRequest {
  /** The resource's hash of the body (`project`, `user`, `group`, `version`), holding `custom_fields` / `custom_field_values`. */
  readonly body: Params;
  /** The record being updated; undefined for a new one (defaults apply, every editable field is validated). */
  readonly recordId?: number | undefined;
  /**
   * The project whose members and shared versions user and version fields may name (the project
   * itself, or a version's project); undefined: none for user fields, system-wide versions for
   * version fields (Redmine's answer for a project not saved yet).
   */
  readonly projectId?: number | undefined;
  /** May the actor set this field? */
  readonly editable: (field: CustomFieldDef) => boolean;
}

const idsOfSetting = (value: unknown) => (Array.isArray(value) ? value.map((item) => String(item)).filter((item) => item.trim() !== '') : []);

/** The ids each user or version field may hold when there is no saved project to ask. */
async function recordIdsWithoutProject(db: Queryable, fields: readonly CustomFieldDef[]): Promise<Map<number, ReadonlySet<number>>> {
  const result = new Map<number, ReadonlySet<number>>();
  const recordFields = fields.filter((field) => isRecordFormat(field.fieldFormat));
  const versions = recordFields.some((field) => field.fieldFormat === 'version') ? await selectSystemVersions(db) : [];
  for (const field of recordFields) {
    const statuses = idsOfSetting(field.formatStore.version_status);
    const ids = field.fieldFormat === 'version' ? versions.filter((v) => statuses.length === 0 || statuses.includes(v.status)).map((v) => v.id) : [];
    result.set(field.id, new Set(ids));
  }
  return result;
}

/**
 * Reads the custom values of a create/update body, keeps the editable fields and validates them
 * (Redmine's validate_custom_field_values: on a new record, or when values were submitted). Reads
 * only; write the plan with `storeCustomValues` once the record is saved.
 */
export async function planCustomValues(db: Queryable, kind: CustomizedKind, request: CustomValuesRequest): Promise<CustomValuesPlan> {
  const fields = (await customFieldsOfKind(db, kind)).filter((field) => request.editable(field));
  if (fields.length === 0) {
    return { kind, fields, values: new Map(), stored: new Map(), errors: [] };
  }
  const { recordId, projectId } = request;
  const stored = recordId === undefined ? new Map<number, string[]>() : ((await selectCustomValues(db, CUSTOMIZED_TYPE[kind], [recordId])).get(recordId) ?? new Map<number, string[]>());
  const given = customFieldInputOf(request.body) ?? new Map<number, string | string[]>();
  const offered = new Map([...given].filter(([id]) => fields.some((field) => field.id === id)));
  const allowedIdsByField = projectId === undefined ? await recordIdsWithoutProject(db, fields) : await allowedRecordIdsFor(db, fields, projectId);
  const result = validateCustomValues(fields, offered, { isNew: recordId === undefined, existing: stored, allowedIdsByField });
  return { kind, fields, values: result.values, stored, errors: result.errors };
}

/**
 * Writes a validated plan for the saved record, in the caller's transaction; unchanged fields are
 * left alone. True when some value changed (Redmine then touches the record's updated_on).
 */
export async function storeCustomValues(db: Writer, plan: CustomValuesPlan, recordId: number): Promise<boolean> {
  const multiple = new Set(plan.fields.filter((field) => field.multiple).map((field) => field.id));
  const { fieldIds, rows } = customValueWrites(plan.values, plan.stored, multiple);
  await replaceCustomValues(db, CUSTOMIZED_TYPE[plan.kind], recordId, fieldIds, rows);
  return fieldIds.length > 0;
}

/** Deletes the records' values, in the caller's transaction (acts_as_customizable's `dependent: :delete_all`). */
export async function deleteCustomValues(db: Writer, kind: CustomizedKind, ids: readonly number[]): Promise<void> {
  await deleteCustomValuesOf(db, CUSTOMIZED_TYPE[kind], ids);
}
