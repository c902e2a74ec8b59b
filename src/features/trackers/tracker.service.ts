/**
 * Tracker administration (administrators only): list, new (optionally copied), create (optionally
 * copying another tracker's workflow), edit, update, reorder, delete (refused while issues use the
 * tracker), and the fields summary (standard and custom fields × trackers). The issue code and the
 * REST API read the same rows, so a disabled standard field is gone from issues at once.
 */
import type { Queryable } from '#src/db/database.ts';
import { closePositionGap, moveToPosition, nextPosition } from '#src/db/positions.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { listProjectChoices, type ProjectChoice, type ProjectContext } from '#src/features/projects/index.ts';
import { copyWorkflowRules } from '#src/features/workflows/index.ts';
import { applyTrackerInput, copiedTrackerDraft, fieldsBitsOf, newTrackerDraft, trackerErrors, type TrackerDraft, type TrackerInput } from './tracker.input.ts';
import {
  deleteTrackerRow,
  insertTracker,
  isTrackerNameTaken,
  replaceTrackerCustomFields,
  replaceTrackerProjects,
  selectAllTrackerCustomFieldIds,
  selectIssueCustomFieldChoices,
  selectProjectsUsingTracker,
  selectStatusChoices,
  selectTracker,
  selectTrackerCustomFieldIds,
  selectTrackerList,
  selectTrackerProjectIds,
  statusExists,
  TRACKER_POSITIONS,
  updateTrackerFieldsBits,
  updateTrackerRow,
  type TrackerListRow,
  type TrackerRecord,
} from './tracker.repository.ts';

export type TrackerContext = ProjectContext;

interface Choice {
  readonly id: number;
  readonly name: string;
}

export interface TrackerFormChoices {
  readonly statuses: Choice[];
  readonly customFields: Choice[];
  readonly projects: ProjectChoice[];
  /** Trackers to copy a workflow from (new trackers). */
  readonly trackers: Choice[];
}

export async function listTrackers(ctx: TrackerContext): Promise<TrackerListRow[]> {
  assertAdministrator(ctx.actor);
  return selectTrackerList(ctx.db);
}

async function formChoices(db: Queryable): Promise<TrackerFormChoices> {
  const [statuses, customFields, projects, trackers] = await Promise.all([
    selectStatusChoices(db),
    selectIssueCustomFieldChoices(db),
    listProjectChoices(db),
    selectTrackerList(db),
  ]);
  return { statuses, customFields, projects, trackers: trackers.map((t) => ({ id: t.id, name: t.name })) };
}

async function existingTracker(db: Queryable, id: number): Promise<TrackerRecord> {
  const tracker = await selectTracker(db, id);
  if (!tracker) {
    throw new NotFoundError(`no tracker ${id}`);
  }
  return tracker;
}

async function storedDraft(db: Queryable, tracker: TrackerRecord): Promise<TrackerDraft> {
  const [customFieldIds, projectIds] = await Promise.all([selectTrackerCustomFieldIds(db, tracker.id), selectTrackerProjectIds(db, tracker.id)]);
  return { tracker, customFieldIds, projectIds };
}

/** The new-tracker form: defaults, or a copy of tracker `copyId` when it exists. */
export async function newTrackerForm(ctx: TrackerContext, copyId: number | undefined): Promise<{ draft: TrackerDraft; choices: TrackerFormChoices; copiedFrom: number | undefined }> {
  assertAdministrator(ctx.actor);
  const choices = await formChoices(ctx.db);
  const source = copyId === undefined ? undefined : await selectTracker(ctx.db, copyId);
  if (source) {
    const stored = await storedDraft(ctx.db, source);
    return { draft: copiedTrackerDraft(source, stored.customFieldIds, stored.projectIds), choices, copiedFrom: source.id };
  }
  return { draft: newTrackerDraft(choices.statuses[0]?.id ?? null), choices, copiedFrom: undefined };
}

export async function editTrackerForm(ctx: TrackerContext, id: number): Promise<{ draft: TrackerDraft; choices: TrackerFormChoices }> {
  assertAdministrator(ctx.actor);
  const tracker = await existingTracker(ctx.db, id);
  const [draft, choices] = await Promise.all([storedDraft(ctx.db, tracker), formChoices(ctx.db)]);
  return { draft, choices };
}

/** The draft a refused form shows again: the input over the new or stored tracker. */
export async function trackerDraftFor(ctx: TrackerContext, id: number | undefined, input: TrackerInput): Promise<{ draft: TrackerDraft; choices: TrackerFormChoices }> {
  const base = id === undefined ? await newTrackerForm(ctx, undefined) : await editTrackerForm(ctx, id);
  return { draft: applyTrackerInput(base.draft, input), choices: base.choices };
}

async function validate(db: Queryable, draft: TrackerDraft): Promise<void> {
  const { tracker } = draft;
  const errors = trackerErrors(tracker, {
    nameTaken: await isTrackerNameTaken(db, tracker.name, tracker.id),
    statusExists: tracker.default_status_id !== null && (await statusExists(db, tracker.default_status_id)),
  });
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
}

/** Creates a tracker; `copyWorkflowFrom` names a tracker whose workflow (for every role) it gets. */
export async function createTracker(ctx: TrackerContext, input: TrackerInput, copyWorkflowFrom: number | undefined): Promise<number> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const draft = applyTrackerInput(newTrackerDraft(null), input);
    await validate(tx, draft);
    const id = await insertTracker(tx, { ...draft.tracker, position: await nextPosition(tx, TRACKER_POSITIONS) });
    await replaceTrackerCustomFields(tx, id, draft.customFieldIds);
    await replaceTrackerProjects(tx, id, draft.projectIds);
    if (input.position !== undefined) {
      await moveToPosition(tx, TRACKER_POSITIONS, id, input.position);
    }
    const source = copyWorkflowFrom === undefined ? undefined : await selectTracker(tx, copyWorkflowFrom);
    if (source) {
      await copyWorkflowRules(tx, { trackerId: source.id }, { trackerIds: [id] });
    }
    return id;
  });
}

/** Updates the attributes the input names (a position alone just moves the tracker). */
export async function updateTracker(ctx: TrackerContext, id: number, input: TrackerInput): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const stored = await storedDraft(tx, await existingTracker(tx, id));
    const draft = applyTrackerInput(stored, input);
    await validate(tx, draft);
    await updateTrackerRow(tx, id, draft.tracker);
    if (input.customFieldIds !== undefined) {
      await replaceTrackerCustomFields(tx, id, draft.customFieldIds);
    }
    if (input.projectIds !== undefined) {
      await replaceTrackerProjects(tx, id, draft.projectIds);
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, TRACKER_POSITIONS, id, input.position);
    }
  });
}

export type TrackerDeletion = { readonly deleted: true } | { readonly deleted: false; readonly projects: readonly string[] };

/** Deletes a tracker no issue uses; otherwise nothing is written and the projects holding its issues are returned. */
export async function deleteTracker(ctx: TrackerContext, id: number): Promise<TrackerDeletion> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    await existingTracker(tx, id);
    const projects = await selectProjectsUsingTracker(tx, id);
    if (projects.length > 0) {
      return { deleted: false, projects };
    }
    await deleteTrackerRow(tx, id);
    await closePositionGap(tx, TRACKER_POSITIONS);
    return { deleted: true };
  });
}

export interface TrackerFieldsSummary {
  readonly trackers: TrackerListRow[];
  readonly customFields: Choice[];
  /** trackerId → its custom field ids. */
  readonly customFieldIds: ReadonlyMap<number, readonly number[]>;
}

/** The fields summary: standard and custom fields (rows) × trackers (columns). */
export async function trackerFieldsSummary(ctx: TrackerContext): Promise<TrackerFieldsSummary> {
  assertAdministrator(ctx.actor);
  const [trackers, customFields, customFieldIds] = await Promise.all([selectTrackerList(ctx.db), selectIssueCustomFieldChoices(ctx.db), selectAllTrackerCustomFieldIds(ctx.db)]);
  return { trackers, customFields, customFieldIds };
}

/** Saves the fields summary: each tracker sent gets exactly the standard and custom fields listed. */
export async function saveTrackerFields(
  ctx: TrackerContext,
  byTracker: ReadonlyMap<number, { readonly coreFields: readonly string[]; readonly customFieldIds: readonly number[] }>,
): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    for (const [trackerId, fields] of byTracker) {
      if (await selectTracker(tx, trackerId)) {
        await updateTrackerFieldsBits(tx, trackerId, fieldsBitsOf(fields.coreFields));
        await replaceTrackerCustomFields(tx, trackerId, fields.customFieldIds);
      }
    }
  });
}
