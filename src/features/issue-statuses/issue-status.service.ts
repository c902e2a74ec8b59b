/**
 * Issue status administration (administrators only): list, create, edit, update, reorder, delete
 * (refused while issues are in the status or a tracker starts in it), and "update issue done
 * ratios" when the done ratio follows the status. A status that becomes closed dates the closing of
 * its open-dated issues, as Redmine does.
 */
import { closePositionGap, moveToPosition, nextPosition } from '#src/db/positions.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import type { ProjectContext } from '#src/features/projects/index.ts';
import { applyIssueStatusInput, issueStatusErrors, newIssueStatusDraft, type IssueStatusDraft, type IssueStatusInput } from './issue-status.input.ts';
import {
  applyStatusDoneRatios,
  deleteStatusRow,
  insertStatus,
  isStatusNameTaken,
  selectProjectsUsingStatus,
  selectStatus,
  selectStatusList,
  selectTrackersDefaultingTo,
  setClosedOnForStatus,
  STATUS_POSITIONS,
  updateStatusRow,
  type IssueStatusListRow,
  type IssueStatusRecord,
} from './issue-status.repository.ts';
import type { Queryable } from '#src/db/database.ts';

export type IssueStatusContext = ProjectContext;

export async function listIssueStatuses(ctx: IssueStatusContext): Promise<IssueStatusListRow[]> {
  assertAdministrator(ctx.actor);
  return selectStatusList(ctx.db);
}

async function existingStatus(db: Queryable, id: number): Promise<IssueStatusRecord> {
  const status = await selectStatus(db, id);
  if (!status) {
    throw new NotFoundError(`no issue status ${id}`);
  }
  return status;
}

/** The form of a new status, or of status `id`. */
export async function issueStatusForm(ctx: IssueStatusContext, id: number | undefined): Promise<IssueStatusDraft> {
  assertAdministrator(ctx.actor);
  return id === undefined ? newIssueStatusDraft() : existingStatus(ctx.db, id);
}

async function validated(db: Queryable, draft: IssueStatusDraft): Promise<Omit<IssueStatusRecord, 'id'> & { id: number | undefined }> {
  const errors = issueStatusErrors(draft, { nameTaken: await isStatusNameTaken(db, draft.name, draft.id) });
  const ratio = draft.default_done_ratio;
  if (errors.length > 0 || typeof ratio === 'string') {
    throw new ValidationError(errors);
  }
  return { ...draft, default_done_ratio: ratio };
}

export async function createIssueStatus(ctx: IssueStatusContext, input: IssueStatusInput): Promise<number> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const status = await validated(tx, applyIssueStatusInput(newIssueStatusDraft(), input));
    const id = await insertStatus(tx, { ...status, position: await nextPosition(tx, STATUS_POSITIONS) });
    if (input.position !== undefined) {
      await moveToPosition(tx, STATUS_POSITIONS, id, input.position);
    }
    return id;
  });
}

/** Updates the attributes the input names (a position alone just moves the status). */
export async function updateIssueStatus(ctx: IssueStatusContext, id: number, input: IssueStatusInput): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const stored = await existingStatus(tx, id);
    const status = await validated(tx, applyIssueStatusInput(stored, input));
    await updateStatusRow(tx, id, status);
    if (status.is_closed && !stored.is_closed) {
      await setClosedOnForStatus(tx, id);
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, STATUS_POSITIONS, id, input.position);
    }
  });
}

export type IssueStatusDeletion =
  | { readonly deleted: true }
  | { readonly deleted: false; readonly reason: 'issues' | 'default_status'; readonly names: readonly string[] };

/** Deletes a status no issue has and no tracker starts in (its workflow rules go with it). */
export async function deleteIssueStatus(ctx: IssueStatusContext, id: number): Promise<IssueStatusDeletion> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    await existingStatus(tx, id);
    const projects = await selectProjectsUsingStatus(tx, id);
    if (projects.length > 0) {
      return { deleted: false, reason: 'issues', names: projects };
    }
    const trackers = await selectTrackersDefaultingTo(tx, id);
    if (trackers.length > 0) {
      return { deleted: false, reason: 'default_status', names: trackers };
    }
    await deleteStatusRow(tx, id);
    await closePositionGap(tx, STATUS_POSITIONS);
    return { deleted: true };
  });
}

/**
 * Gives every issue its status's default done ratio. Only when the done ratio follows the status
 * (setting `issue_done_ratio` = `issue_status`); returns false, writing nothing, otherwise.
 */
export async function updateIssueDoneRatios(ctx: IssueStatusContext): Promise<boolean> {
  assertAdministrator(ctx.actor);
  if (ctx.settings.issue_done_ratio !== 'issue_status') {
    return false;
  }
  await ctx.db.transaction((tx) => applyStatusDoneRatios(tx));
  return true;
}
