/**
 * Custom values as Redmine's acts_as_customizable handles them, without I/O: reading them from a
 * request body, who may see a field, validating and normalising submitted values (defaults for new
 * records, required fields, each format's rules), and the journal details a change makes.
 */
import { paramObject, type ParamValue, type Params } from '#src/api/params.ts';
import { rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { formatOf, MESSAGES } from './custom-field.format.ts';
import type { CustomFieldDef } from './custom-field.repository.ts';

export type CustomFieldInput = Map<number, string | string[]>;

/** A scalar as Rails' `to_s` spells it (null → ""); nested objects keep their JSON text. */
function textOf(value: ParamValue | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function inputValueOf(value: ParamValue | undefined): string | string[] {
  return Array.isArray(value) ? value.map(textOf) : textOf(value);
}

function fieldIdOf(value: ParamValue | undefined): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Entries of a `custom_fields` array; an XML body without type="array" arrives as a hash of them. */
function customFieldEntries(value: ParamValue | undefined): Params[] {
  const items = Array.isArray(value) ? value : Object.values(paramObject(value) ?? {});
  return items.flatMap((item) => (Array.isArray(item) ? item : [item])).flatMap((item): Params[] => {
    const entry = paramObject(item);
    return entry ? [entry] : [];
  });
}

/**
 * The custom values of a create/update body (§1.5): `custom_field_values: {"1": "x"}` and/or
 * `custom_fields: [{id, value}]` (entries need both keys; the array wins on a clash). Undefined when the
 * body has neither. Unknown field ids are kept: the caller keeps only the fields it lets the user edit.
 */
export function customFieldInputOf(params: Params): CustomFieldInput | undefined {
  const byMap = paramObject(params.custom_field_values);
  const hasArray = Object.hasOwn(params, 'custom_fields') && params.custom_fields !== null;
  if (!byMap && !hasArray) {
    return undefined;
  }
  const input: CustomFieldInput = new Map();
  for (const [key, value] of Object.entries(byMap ?? {})) {
    const id = fieldIdOf(key);
    if (id !== undefined) {
      input.set(id, inputValueOf(value));
    }
  }
  for (const entry of customFieldEntries(params.custom_fields)) {
    const id = fieldIdOf(entry.id);
    if (id !== undefined && Object.hasOwn(entry, 'value')) {
      input.set(id, inputValueOf(entry.value));
    }
  }
  return input;
}

/**
 * Redmine's CustomField#visible_by?: a visible field, an administrator, or a role of the actor in the
 * project that the field names. With `project`, the Non member / Anonymous role counts on a public
 * project as in Redmine; without it, only the actor's member roles do.
 */
export function customFieldVisibleTo(field: CustomFieldDef, actor: Actor, projectId: number, project?: ProjectAccess): boolean {
  if (field.visible || actor.isAdmin) {
    return true;
  }
  const roles = project && project.id === projectId ? rolesInProject(actor, project) : (actor.memberRoles.get(projectId) ?? []);
  return roles.some((role) => field.roleIds.includes(role.id));
}

export interface CustomValueContext {
  /** A record being created: fields not given get their default value. */
  readonly isNew: boolean;
  /** Values stored before (customValuesOf); their values stay acceptable even if no longer offered. */
  readonly existing: ReadonlyMap<number, readonly string[]>;
  /** Users every user-format field may point to (e.g. active members of the project). */
  readonly allowedUserIds?: ReadonlySet<number> | undefined;
  /** Versions every version-format field may point to (e.g. the project's shared versions). */
  readonly allowedVersionIds?: ReadonlySet<number> | undefined;
  /** Per field id, the record ids that field may hold (user_role / version_status aware); wins over the two above. */
  readonly allowedIdsByField?: ReadonlyMap<number, ReadonlySet<number>> | undefined;
}

/**
 * A field's name as Rails prints it before a validation message (human_attribute_name → humanize):
 * the part after the last dot, underscores as spaces, a trailing " id" dropped, ASCII words in lower
 * case, the first character capitalised — "kx Stage" → "Kx stage", "Database" stays.
 */
export function humanFieldName(name: string): string {
  const parts = name.split('.');
  while (parts.length > 1 && parts.at(-1) === '') {
    parts.pop();
  }
  let text = (parts.at(-1) ?? '').replaceAll('_', ' ').replace(/^[\s\0]+/, '');
  if (text.endsWith(' id')) {
    text = text.slice(0, -3);
  }
  text = text.replace(/[a-z\d]+/gi, (word) => word.toLowerCase());
  return text.replace(/^\w/, (first) => first.toUpperCase());
}

const isBlank = (value: string | null | undefined) => value === null || value === undefined || value.trim() === '';

function allowedIdsFor(field: CustomFieldDef, context: CustomValueContext): ReadonlySet<number> | undefined {
  const byField = context.allowedIdsByField?.get(field.id);
  if (byField) {
    return byField;
  }
  return field.fieldFormat === 'user' ? context.allowedUserIds : field.fieldFormat === 'version' ? context.allowedVersionIds : undefined;
}

/** A submitted value as Redmine stores it: arrays lose blanks and duplicates ([""] when nothing is left). */
function normalise(field: CustomFieldDef, given: string | string[]): string[] {
  const format = formatOf(field.fieldFormat);
  if (!Array.isArray(given)) {
    return [isBlank(given) ? given : format.normalize(given)];
  }
  const values = [...new Set(given.filter((value) => value !== '').map((value) => format.normalize(value)))];
  return values.length === 0 ? [''] : values;
}

/**
 * Validates and normalises submitted values against the fields (Redmine's validate_custom_field_values).
 * `values` in the result holds what to store: the submitted fields, and on a new record the defaults
 * of fields not submitted. Validation runs, as in Redmine, for a new record or when values were
 * submitted, over every field given (the caller passes the fields the user may edit), so a required
 * field left empty is reported even if the request did not mention it.
 */
export function validateCustomValues(
  fields: readonly CustomFieldDef[],
  values: ReadonlyMap<number, string | string[]>,
  context: CustomValueContext,
): { values: Map<number, string[]>; errors: string[] } {
  const result = new Map<number, string[]>();
  const errors: string[] = [];
  const submitted = fields.some((field) => values.has(field.id));
  for (const field of fields) {
    const given = values.get(field.id);
    const stored = context.existing.get(field.id);
    const defaulted = context.isNew && stored === undefined && field.defaultValue !== null ? [field.defaultValue] : undefined;
    const toStore = given !== undefined ? normalise(field, given) : defaulted;
    if (toStore !== undefined) {
      result.set(field.id, toStore);
    }
    const current = given !== undefined ? toStore : (stored ?? defaulted);
    if (!context.isNew && !submitted) {
      continue;
    }
    const present = (current ?? []).filter((value) => value !== '');
    const format = formatOf(field.fieldFormat);
    const fieldErrors: string[] = format.validate(field, present, [...(stored ?? []), ...(defaulted ?? [])], { allowedIds: allowedIdsFor(field, context) });
    if (fieldErrors.length === 0) {
      if (Array.isArray(given) && !field.multiple) {
        fieldErrors.push(MESSAGES.invalid);
      }
      if (field.isRequired && present.every((value) => isBlank(value))) {
        fieldErrors.push(MESSAGES.blank);
      }
    }
    errors.push(...fieldErrors.map((message) => `${humanFieldName(field.name)} ${message}`));
  }
  return { values: result, errors };
}

export interface CustomValueChange {
  fieldId: number;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * The journal details of one field's change (Redmine's Journal#add_attribute_details): a single value
 * gives one old → new detail unless both sides are blank; a multiple field gives one detail per value
 * removed (old = value) and per value added (new = value), blanks ignored.
 */
export function customValueChanges(
  fieldId: number,
  multiple: boolean,
  before: readonly string[] | undefined,
  after: readonly string[],
): CustomValueChange[] {
  if (multiple) {
    const old = (before ?? []).filter((value) => !isBlank(value));
    const next = after.filter((value) => !isBlank(value));
    return [
      ...[...new Set(old.filter((value) => !next.includes(value)))].map((value) => ({ fieldId, oldValue: value, newValue: null })),
      ...[...new Set(next.filter((value) => !old.includes(value)))].map((value) => ({ fieldId, oldValue: null, newValue: value })),
    ];
  }
  const oldValue = before?.[0] ?? null;
  const newValue = after[0] ?? null;
  if (oldValue === newValue || (isBlank(oldValue) && isBlank(newValue))) {
    return [];
  }
  return [{ fieldId, oldValue, newValue }];
}
