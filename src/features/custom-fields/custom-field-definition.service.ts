/**
 * Custom field administration (administrators only): the fields by class, a new field of a class
 * and format (optionally copied from another), create, edit, update, reorder, delete. The REST API
 * and every customizable record read the same definitions (custom-field.repository.ts), so a field
 * saved here is offered on issues of its trackers and projects at once.
 */
import type { Queryable } from '#src/db/database.ts';
import { closePositionGap, moveToPosition, nextPosition } from '#src/db/positions.ts';
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { listProjectChoices, type ProjectChoice, type ProjectContext } from '#src/features/projects/index.ts';
import { applyCustomFieldInput, copiedCustomFieldDraft, type CustomFieldInput } from './custom-field-definition.input.ts';
import {
  customFieldPositionScope,
  deleteCustomFieldRow,
  insertCustomField,
  isCustomFieldNameTaken,
  keepFirstValues,
  replaceCustomFieldLinks,
  selectCustomFieldDraft,
  selectCustomFieldList,
  selectRoleChoices,
  selectTrackerChoices,
  updateCustomFieldRow,
  type CustomFieldListRow,
} from './custom-field-definition.repository.ts';
import { selectEnumerations, type EnumerationRow } from './custom-field-enumeration.repository.ts';
import { customFieldErrors, newCustomFieldDraft, normalizedDraft, type CustomFieldDraft } from './custom-field-definition.rules.ts';

export type CustomFieldContext = ProjectContext;

interface Choice {
  readonly id: number;
  readonly name: string;
}

export interface CustomFieldFormChoices {
  readonly roles: Choice[];
  readonly trackers: Choice[];
  readonly projects: ProjectChoice[];
  /** The values of the key/value list being edited. */
  readonly enumerations: EnumerationRow[];
}

/** Every field, by position (the page groups them by class). */
export async function listCustomFieldDefinitions(ctx: CustomFieldContext): Promise<CustomFieldListRow[]> {
  assertAdministrator(ctx.actor);
  return selectCustomFieldList(ctx.db);
}

async function formChoices(db: Queryable, draft: CustomFieldDraft): Promise<CustomFieldFormChoices> {
  const [roles, trackers, projects, enumerations] = await Promise.all([
    selectRoleChoices(db),
    selectTrackerChoices(db),
    listProjectChoices(db),
    draft.id !== undefined && draft.field_format === 'enumeration' ? selectEnumerations(db, draft.id) : Promise.resolve([]),
  ]);
  return { roles, trackers, projects, enumerations };
}

async function existingDraft(db: Queryable, id: number): Promise<CustomFieldDraft> {
  const draft = await selectCustomFieldDraft(db, id);
  if (!draft) {
    throw new NotFoundError(`no custom field ${id}`);
  }
  return draft;
}

/**
 * The form of a new field of the class: the format asked for (string by default), or a copy of
 * field `copyId` (same class) when it exists; `input` (a format change) is applied on top.
 */
export async function newCustomFieldForm(
  ctx: CustomFieldContext,
  type: CustomFieldType,
  copyId: number | undefined,
  input: CustomFieldInput,
): Promise<{ draft: CustomFieldDraft; choices: CustomFieldFormChoices; copiedFrom: number | undefined }> {
  assertAdministrator(ctx.actor);
  const source = copyId === undefined ? undefined : await selectCustomFieldDraft(ctx.db, copyId);
  const base = source && source.type === type ? copiedCustomFieldDraft(source) : newCustomFieldDraft(type, 'string');
  const draft = applyCustomFieldInput(base, input);
  return { draft, choices: await formChoices(ctx.db, draft), copiedFrom: source?.id };
}

/** The edit form of a field, with `input` (a refused submission) applied on top. */
export async function editCustomFieldForm(ctx: CustomFieldContext, id: number, input: CustomFieldInput): Promise<{ draft: CustomFieldDraft; choices: CustomFieldFormChoices }> {
  assertAdministrator(ctx.actor);
  const draft = applyCustomFieldInput(await existingDraft(ctx.db, id), input);
  return { draft, choices: await formChoices(ctx.db, draft) };
}

async function validated(db: Queryable, draft: CustomFieldDraft): Promise<CustomFieldDraft> {
  const normalized = normalizedDraft(draft);
  const enumerations = normalized.id !== undefined && normalized.field_format === 'enumeration' ? await selectEnumerations(db, normalized.id) : [];
  const errors = customFieldErrors(normalized, { nameTaken: await isCustomFieldNameTaken(db, normalized.type, normalized.name, normalized.id), enumerations });
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  return normalized;
}

/** Creates a field of the class from the form; returns its id. */
export async function createCustomField(ctx: CustomFieldContext, type: CustomFieldType, input: CustomFieldInput): Promise<number> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const draft = await validated(tx, applyCustomFieldInput(newCustomFieldDraft(type, 'string'), input));
    const scope = customFieldPositionScope(type);
    const id = await insertCustomField(tx, draft, await nextPosition(tx, scope));
    await replaceCustomFieldLinks(tx, id, draft);
    if (input.position !== undefined) {
      await moveToPosition(tx, scope, id, input.position);
    }
    return id;
  });
}

/** Updates the attributes the input names (a position alone just moves the field). */
export async function updateCustomField(ctx: CustomFieldContext, id: number, input: CustomFieldInput): Promise<CustomFieldType> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const stored = await existingDraft(tx, id);
    const draft = await validated(tx, applyCustomFieldInput(stored, input));
    await updateCustomFieldRow(tx, id, draft);
    await replaceCustomFieldLinks(tx, id, draft);
    if (stored.multiple && !draft.multiple) {
      await keepFirstValues(tx, id);
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, customFieldPositionScope(stored.type), id, input.position);
    }
    return stored.type;
  });
}

/** Deletes a field with its values everywhere; returns its class (the tab to go back to). */
export async function deleteCustomField(ctx: CustomFieldContext, id: number): Promise<CustomFieldType> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const stored = await existingDraft(tx, id);
    await deleteCustomFieldRow(tx, id);
    await closePositionGap(tx, customFieldPositionScope(stored.type));
    return stored.type;
  });
}
