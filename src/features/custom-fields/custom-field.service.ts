/**
 * Use cases other features call with their own database handle (or transaction): which custom fields
 * apply to issues, which records a user/version field may point to, and reading and writing values
 * with the journal details the write makes.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { isRecordFormat } from './custom-field.format.ts';
import {
  replaceCustomValues,
  selectCustomFieldsOfType,
  selectCustomValueId,
  selectCustomValueIdsOfFormat,
  selectCustomValueOwner,
  selectCustomValues,
  selectIssueCustomFieldsFor,
  selectIssueCustomFieldsOfTrackers,
  selectIssueListFields,
  selectMultipleFieldIds,
  selectProjectUserIds,
  selectSharedVersionIds,
  type CustomFieldDef,
} from './custom-field.repository.ts';
import { customFieldVisibleTo, customValueChanges, type CustomValueChange } from './custom-value.rules.ts';

/** Issue custom fields available to an issue of the project and tracker (is_for_all or enabled on the project, and enabled on the tracker), by position. */
export function issueCustomFieldsFor(db: Queryable, projectId: number, trackerId: number): Promise<CustomFieldDef[]> {
  return selectIssueCustomFieldsFor(db, projectId, trackerId);
}

/** Same, for many (project, tracker) pairs at once: one query, then answered in memory. */
export async function issueCustomFieldsForMany(
  db: Queryable,
  pairs: ReadonlyArray<{ projectId: number; trackerId: number }>,
): Promise<(projectId: number, trackerId: number) => CustomFieldDef[]> {
  if (pairs.length === 0) {
    return () => [];
  }
  const trackerIds = [...new Set(pairs.map((pair) => pair.trackerId))];
  const projectIds = [...new Set(pairs.map((pair) => pair.projectId))];
  const candidates = await selectIssueCustomFieldsOfTrackers(db, trackerIds, projectIds);
  const answers = new Map<string, CustomFieldDef[]>();
  return (projectId, trackerId) => {
    const key = `${projectId}:${trackerId}`;
    let fields = answers.get(key);
    if (!fields) {
      fields = candidates
        .filter(({ def, projectIds: enabledOn }) => def.trackerIds.includes(trackerId) && (def.isForAll || enabledOn.includes(projectId)))
        .map(({ def }) => def);
      answers.set(key, fields);
    }
    return fields;
  };
}

function idsOfSetting(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => String(item)).filter((item) => item.trim() !== '') : [];
}

/**
 * For each user and version field among `fields`, the ids it may hold on a record of the project:
 * active members (having one of the field's `user_role` roles, if set), or the project's shared
 * versions (in one of the field's `version_status` statuses, if set). Pass it as `allowedIdsByField`.
 */
export async function allowedRecordIdsFor(
  db: Queryable,
  fields: readonly CustomFieldDef[],
  projectId: number,
): Promise<Map<number, ReadonlySet<number>>> {
  const result = new Map<number, ReadonlySet<number>>();
  for (const field of fields) {
    if (!isRecordFormat(field.fieldFormat)) {
      continue;
    }
    const ids =
      field.fieldFormat === 'user'
        ? await selectProjectUserIds(db, projectId, idsOfSetting(field.formatStore.user_role).filter((id) => /^\d{1,9}$/.test(id)).map(Number))
        : await selectSharedVersionIds(db, projectId, idsOfSetting(field.formatStore.version_status));
    result.set(field.id, new Set(ids));
  }
  return result;
}

/** Current stored values of customized records: Map<customizedId, Map<fieldId, string[]>> (every id present). */
export function customValuesOf(db: Queryable, customizedType: string, ids: readonly number[]): Promise<Map<number, Map<number, string[]>>> {
  return selectCustomValues(db, customizedType, ids);
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The fields whose values differ from those stored (a field never stored counts as changed). */
function changedFieldIds(values: ReadonlyMap<number, readonly string[]>, existing: ReadonlyMap<number, readonly string[]>): number[] {
  return [...values].filter(([fieldId, next]) => {
    const before = existing.get(fieldId);
    return before === undefined || !sameValues(before, next);
  }).map(([fieldId]) => fieldId);
}

/** What writing `values` over `existing` stores and changes: the changed fields, their rows and journal-ready changes. */
export function customValueWrites(
  values: ReadonlyMap<number, readonly string[]>,
  existing: ReadonlyMap<number, readonly string[]>,
  multiple: ReadonlySet<number>,
): { fieldIds: number[]; rows: Array<{ fieldId: number; value: string }>; changes: CustomValueChange[] } {
  const fieldIds = changedFieldIds(values, existing);
  const rows: Array<{ fieldId: number; value: string }> = [];
  const changes: CustomValueChange[] = [];
  for (const fieldId of fieldIds) {
    const next = values.get(fieldId) ?? [];
    const isMultiple = multiple.has(fieldId);
    const stored = isMultiple ? next.filter((value) => value !== '') : next.slice(0, 1);
    rows.push(...(stored.length === 0 ? [''] : stored).map((value) => ({ fieldId, value })));
    changes.push(...customValueChanges(fieldId, isMultiple, existing.get(fieldId), next));
  }
  return { fieldIds, rows, changes };
}

/**
 * Writes the values (replacing each given field's rows), returning journal-ready changes: for single
 * fields one change {fieldId, oldValue, newValue}; for multiple fields one change per removed
 * (old = value, new = null) and per added (old = null, new = value) value. A multiple field stores one
 * row per value, or one blank row when emptied (as Redmine does). Unchanged fields are not rewritten.
 */
export async function saveCustomValues(
  db: Queryable,
  customizedType: string,
  customizedId: number,
  values: ReadonlyMap<number, readonly string[]>,
  existing: ReadonlyMap<number, readonly string[]>,
): Promise<CustomValueChange[]> {
  const changed = changedFieldIds(values, existing);
  if (changed.length === 0) {
    return [];
  }
  const multiple = await selectMultipleFieldIds(db, changed);
  const { fieldIds, rows, changes } = customValueWrites(values, existing, multiple);
  await replaceCustomValues(db, customizedType, customizedId, fieldIds, rows);
  return changes;
}

/**
 * The issue custom fields the actor may see in the project, whatever the issue's tracker: an issue's
 * history keeps details of fields it no longer has, and shows them only to those who see the field.
 */
export async function visibleIssueFieldIds(db: Queryable, actor: Actor, project: ProjectAccess): Promise<Set<number>> {
  return new Set((await visibleIssueFields(db, actor, project)).map((def) => def.id));
}

/** Same, the fields themselves (the issue page names them in the history), by position. */
export async function visibleIssueFields(db: Queryable, actor: Actor, project: ProjectAccess): Promise<CustomFieldDef[]> {
  const fields = await selectCustomFieldsOfType(db, 'IssueCustomField');
  return fields.filter((def) => customFieldVisibleTo(def, actor, project.id, project));
}

/**
 * The issue fields an issue list of the projects (undefined: of all projects) offers as columns and
 * filters: those the actor may see somewhere (Redmine's IssueCustomField.visible), by position.
 */
export async function issueListCustomFields(db: Queryable, actor: Actor, projectIds: readonly number[] | undefined): Promise<CustomFieldDef[]> {
  const held = new Set([...actor.memberRoles.values()].flat().map((role) => role.id));
  return (await selectIssueListFields(db, projectIds)).filter((field) => field.visible || actor.isAdmin || field.roleIds.some((id) => held.has(id)));
}

/** The record a stored value belongs to, with the value's field (attachments of file fields hang on values). */
export function customValueOwner(db: Queryable, customValueId: number): Promise<{ customizedType: string; customizedId: number; field: CustomFieldDef } | undefined> {
  return selectCustomValueOwner(db, customValueId);
}

/** The id of the stored row holding `value` for the record and field. */
export function customValueId(db: Queryable, customizedType: string, customizedId: number, fieldId: number, value: string): Promise<number | undefined> {
  return selectCustomValueId(db, customizedType, customizedId, fieldId, value);
}

/** Ids of the records' stored values of file fields (whose attachments go with the records). */
export function fileValueIdsOf(db: Queryable, customizedType: string, ids: readonly number[]): Promise<number[]> {
  return selectCustomValueIdsOfFormat(db, customizedType, ids, 'attachment');
}
