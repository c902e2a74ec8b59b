/**
 * The values of a key/value list (administrators only; Redmine's CustomFieldEnumerationsController):
 * list them, add one at the end, rename, (de)activate and reorder them all at once, and delete one —
 * a value stored somewhere goes only once its records are given another value of the list.
 */
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import type { CustomFieldContext } from './custom-field-definition.service.ts';
import { selectCustomFieldDraft } from './custom-field-definition.repository.ts';
import type { CustomFieldDraft } from './custom-field-definition.rules.ts';
import {
  deleteEnumerationRow,
  insertEnumeration,
  reassignEnumerationValues,
  selectEnumerations,
  updateEnumerationRow,
  type EnumerationRow,
} from './custom-field-enumeration.repository.ts';

export type { EnumerationRow } from './custom-field-enumeration.repository.ts';

/** Redmine's CustomFieldEnumeration validation: a name of at most 60 characters. */
const MAX_NAME = 60;

function nameErrors(name: string): string[] {
  if (name.trim() === '') {
    return ['Name cannot be blank'];
  }
  return [...name].length > MAX_NAME ? [`Name is too long (maximum is ${MAX_NAME} characters)`] : [];
}

/** The key/value list field `fieldId`; any other field (or none) is a 404. */
async function enumerationField(ctx: CustomFieldContext, fieldId: number): Promise<CustomFieldDraft> {
  assertAdministrator(ctx.actor);
  const field = await selectCustomFieldDraft(ctx.db, fieldId);
  if (!field || field.field_format !== 'enumeration') {
    throw new NotFoundError(`no key/value list ${fieldId}`);
  }
  return field;
}

/** The field and its values by position, each with how many stored values use it. */
export async function listEnumerations(ctx: CustomFieldContext, fieldId: number): Promise<{ field: CustomFieldDraft; values: EnumerationRow[] }> {
  const field = await enumerationField(ctx, fieldId);
  return { field, values: await selectEnumerations(ctx.db, fieldId) };
}

/** Adds an active value at the end of the list. */
export async function addEnumeration(ctx: CustomFieldContext, fieldId: number, name: string): Promise<number> {
  await enumerationField(ctx, fieldId);
  const errors = nameErrors(name);
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  return insertEnumeration(ctx.db, fieldId, name.trim(), true);
}

/** What the list form sends for one value; a key left out keeps what is stored. */
export interface EnumerationChange {
  readonly name?: string | undefined;
  readonly active?: boolean | undefined;
  readonly position?: number | undefined;
}

/**
 * Applies the changes to the field's values in one transaction (Redmine's update_each): ids of other
 * fields are ignored, and one invalid value changes nothing.
 */
export async function updateEnumerations(ctx: CustomFieldContext, fieldId: number, changes: ReadonlyMap<number, EnumerationChange>): Promise<void> {
  await enumerationField(ctx, fieldId);
  await ctx.db.transaction(async (tx) => {
    const stored = new Map((await selectEnumerations(tx, fieldId)).map((row) => [row.id, row]));
    const errors: string[] = [];
    for (const [id, change] of changes) {
      const row = stored.get(id);
      if (!row) {
        continue;
      }
      const name = change.name?.trim() ?? row.name;
      errors.push(...nameErrors(name));
      await updateEnumerationRow(tx, fieldId, id, { name, active: change.active ?? row.active, position: change.position ?? row.position });
    }
    if (errors.length > 0) {
      throw new ValidationError([...new Set(errors)]);
    }
  });
}

export type DeleteOutcome =
  | { readonly deleted: true }
  /** The value is in use and no other value was chosen: Redmine's confirmation page. */
  | { readonly deleted: false; readonly value: EnumerationRow; readonly others: EnumerationRow[] };

/**
 * Deletes a value. One in use needs `reassignTo`, another value of the same field, which the records
 * holding it then hold; without it nothing is deleted and the caller asks for one.
 */
export async function deleteEnumeration(ctx: CustomFieldContext, fieldId: number, id: number, reassignTo: number | undefined): Promise<DeleteOutcome> {
  await enumerationField(ctx, fieldId);
  return ctx.db.transaction(async (tx) => {
    const values = await selectEnumerations(tx, fieldId);
    const value = values.find((row) => row.id === id);
    if (!value) {
      throw new NotFoundError(`no value ${id} in custom field ${fieldId}`);
    }
    const target = values.find((row) => row.id === reassignTo && row.id !== id);
    if (value.objects_count > 0 && !target) {
      return { deleted: false, value, others: values.filter((row) => row.id !== id) };
    }
    if (target) {
      await reassignEnumerationValues(tx, fieldId, id, target.id);
    }
    await deleteEnumerationRow(tx, fieldId, id);
    return { deleted: true };
  });
}
