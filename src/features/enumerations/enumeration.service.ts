/**
 * Enumeration administration (administrators only): the shared issue priorities, time-entry
 * activities and document categories — list, create, edit, update (name, active, default, position),
 * and delete, which moves the records using a value to another one of the same type when asked and
 * is refused otherwise while the value is in use. The REST API (`/enumerations/*.json`) and the
 * issue and time-entry code read the same rows.
 */
import type { Queryable } from '#src/db/database.ts';
import { closePositionGap, moveToPosition, nextPosition } from '#src/db/positions.ts';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import type { ProjectContext } from '#src/features/projects/index.ts';
import {
  alignOverridePositions,
  clearOtherDefaults,
  countEnumerationUse,
  deleteEnumerationRow,
  enumerationPositionScope,
  insertEnumeration,
  isEnumerationNameTaken,
  selectPriorityOrder,
  selectSharedEnumeration,
  selectSharedEnumerations,
  transferEnumerationUse,
  updateEnumerationRow,
  updatePositionNames,
  type EnumerationRecord,
} from './enumeration.repository.ts';

export type EnumerationContext = ProjectContext;

/** The types in the order Redmine lists them. */
export const ENUMERATION_TYPES = ['IssuePriority', 'TimeEntryActivity', 'DocumentCategory'] as const satisfies readonly EnumerationType[];

export function isEnumerationType(value: string): value is EnumerationType {
  return (ENUMERATION_TYPES as readonly string[]).includes(value);
}

export interface EnumerationInput {
  readonly name?: string;
  readonly active?: boolean;
  readonly isDefault?: boolean;
  readonly position?: number;
}

export type EnumerationDraft = Omit<EnumerationRecord, 'id'> & { readonly id: number | undefined };

/** Every type with its shared values. */
export async function listEnumerations(ctx: EnumerationContext): Promise<Array<{ type: EnumerationType; values: EnumerationRecord[] }>> {
  assertAdministrator(ctx.actor);
  return Promise.all(ENUMERATION_TYPES.map(async (type) => ({ type, values: await selectSharedEnumerations(ctx.db, type) })));
}

async function existing(db: Queryable, id: number): Promise<EnumerationRecord> {
  const row = await selectSharedEnumeration(db, id);
  if (!row) {
    throw new NotFoundError(`no enumeration ${id}`);
  }
  return row;
}

/** The form of a new value of `type`, or of value `id`. */
export async function enumerationForm(ctx: EnumerationContext, target: { type: EnumerationType } | { id: number }): Promise<EnumerationDraft> {
  assertAdministrator(ctx.actor);
  if ('id' in target) {
    return existing(ctx.db, target.id);
  }
  return { id: undefined, name: '', type: target.type, position: null, is_default: false, active: true };
}

export function applyEnumerationInput(draft: EnumerationDraft, input: EnumerationInput): EnumerationDraft {
  return {
    ...draft,
    name: input.name !== undefined ? input.name.trim() : draft.name,
    active: input.active ?? draft.active,
    is_default: input.isDefault ?? draft.is_default,
  };
}

async function validate(db: Queryable, draft: EnumerationDraft): Promise<void> {
  const errors: string[] = [];
  if (draft.name === '') {
    errors.push('Name cannot be blank');
  } else if (await isEnumerationNameTaken(db, draft.type, draft.name, draft.id)) {
    errors.push('Name has already been taken');
  }
  if ([...draft.name].length > 30) {
    errors.push('Name is too long (maximum is 30 characters)');
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
}

/**
 * Priorities are named by their place around the default (or middle) one — lowest, low2…, default,
 * high2…, highest — for themes (Redmine's IssuePriority.compute_position_names).
 */
export function priorityPositionNames(active: ReadonlyArray<{ id: number; position: number }>, defaultPosition: number | null): Array<{ id: number; positionName: string }> {
  if (active.length === 0) {
    return [];
  }
  const middle = active[Math.floor((active.length - 1) / 2)]?.position ?? 0;
  const base = defaultPosition ?? middle;
  return active.map((priority, index) => {
    if (priority.position === base) {
      return { id: priority.id, positionName: 'default' };
    }
    if (priority.position < base) {
      return { id: priority.id, positionName: index === 0 ? 'lowest' : `low${index + 1}` };
    }
    return { id: priority.id, positionName: index === active.length - 1 ? 'highest' : `high${active.length - index}` };
  });
}

/** What follows any write of a type's list: overrides' positions, and the priorities' position names. */
async function afterWrite(db: Queryable, type: EnumerationType): Promise<void> {
  await alignOverridePositions(db, type);
  if (type === 'IssuePriority') {
    const { active, defaultPosition } = await selectPriorityOrder(db);
    await updatePositionNames(db, priorityPositionNames(active, defaultPosition));
  }
}

export async function createEnumeration(ctx: EnumerationContext, type: EnumerationType, input: EnumerationInput): Promise<number> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const draft = applyEnumerationInput({ id: undefined, name: '', type, position: null, is_default: false, active: true }, input);
    await validate(tx, draft);
    const scope = enumerationPositionScope(type);
    const id = await insertEnumeration(tx, { ...draft, position: await nextPosition(tx, scope) });
    if (draft.is_default) {
      await clearOtherDefaults(tx, type, id);
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, scope, id, input.position);
    }
    await afterWrite(tx, type);
    return id;
  });
}

/** Updates the attributes the input names (a position alone just moves the value). */
export async function updateEnumeration(ctx: EnumerationContext, id: number, input: EnumerationInput): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const stored = await existing(tx, id);
    const draft = applyEnumerationInput(stored, input);
    await validate(tx, draft);
    await updateEnumerationRow(tx, id, draft, stored.name);
    if (draft.is_default && !stored.is_default) {
      await clearOtherDefaults(tx, stored.type, id);
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, enumerationPositionScope(stored.type), id, input.position);
    }
    await afterWrite(tx, stored.type);
  });
}

export interface EnumerationDeletionQuestion {
  readonly enumeration: EnumerationRecord;
  /** How many records use it. */
  readonly count: number;
  /** The other shared values of the type, to move those records to. */
  readonly others: EnumerationRecord[];
}

export type EnumerationDeletion = { readonly deleted: true; readonly type: EnumerationType } | ({ readonly deleted: false } & EnumerationDeletionQuestion);

/**
 * Deletes the value. While records use it, they move to `reassignToId` (another shared value of the
 * same type); without one, nothing is written and the question to ask is returned.
 */
export async function deleteEnumeration(ctx: EnumerationContext, id: number, reassignToId: number | undefined): Promise<EnumerationDeletion> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const enumeration = await existing(tx, id);
    const count = await countEnumerationUse(tx, enumeration);
    if (count > 0) {
      const target = reassignToId === undefined || reassignToId === id ? undefined : await selectSharedEnumeration(tx, reassignToId);
      if (!target || target.type !== enumeration.type) {
        const others = (await selectSharedEnumerations(tx, enumeration.type)).filter((e) => e.id !== id);
        return { deleted: false, enumeration, count, others };
      }
      await transferEnumerationUse(tx, enumeration, target.id);
    }
    await deleteEnumerationRow(tx, id);
    await closePositionGap(tx, enumerationPositionScope(enumeration.type));
    await afterWrite(tx, enumeration.type);
    return { deleted: true, type: enumeration.type };
  });
}
