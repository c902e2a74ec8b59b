/**
 * Issue use cases: create, update (attributes, notes, files, a move to another project), delete.
 * Each asks the permission engine, plans the change (issue.plan.ts), and writes in one transaction
 * with a journal of the change.
 */
import type { Queryable } from '#src/db/database.ts';
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, isOrBelongsTo, issueFactsOf } from '#src/domain/issue-visibility.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { anonymousUserId } from '#src/features/account/index.ts';
import { allowedGlobally, findProject, findProjectAccess, getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import type { IssueInput } from './issue.input.ts';
import { issueRightsOf } from './issue.policy.ts';
import {
  deleteIssueRows,
  insertIssue,
  JOURNALIZED_ATTRIBUTES,
  selectSameNamedCategory,
  selectClosingObstacles,
  selectIssueRecord,
  moveSubtaskRow,
  selectSubtasksInProject,
  updateIssueRow,
  type IssueRecord,
} from './issue.records.ts';
import { issueCustomFieldsFor, saveCustomValues, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { attachUploads, deleteAttachments, deleteAttachmentsOf, type AttachmentRow } from '#src/features/attachments/index.ts';
import { attachFileValues, deleteFileValuesOf } from './issue.attachment-values.ts';
import { assignableVersionIds, sharedVersionIds } from '#src/features/versions/index.ts';
import { deleteRelationsOfIssues, rescheduleFollowers } from '#src/features/issue-relations/index.ts';
import { addWatchers } from '#src/features/watchers/index.ts';
import { disposeIssueTimeEntries, moveIssueTimeEntries, type IssueTimeDisposal } from '#src/features/time-entries/index.ts';
import { descendantIds, rebuildIssueTrees, recalculateAncestors } from './issue.tree.ts';
import { allowedStatuses, type StatusRow } from './issue.workflow.ts';
import { insertJournal, type JournalDetail } from './journal.repository.ts';
import {
  creatableTrackers,
  existingTree,
  ISSUE_UPDATE_CONFLICT,
  journalValueOf,
  newIssueDraft,
  plan,
  planCustomValues,
  refuse,
  situationOf,
  type CreateTarget,
  type Draft,
  type IssueContext,
} from './issue.plan.ts';

/** More steps of a create: issue.copy.ts uses them to copy an issue. */
export interface CreateExtension {
  /** Fills the draft before the request's attributes apply to it; returns errors that refuse the create. */
  seed(draft: Draft, target: CreateTarget): Promise<string[]>;
  /** Writes more, in the create's transaction, once the issue is stored. */
  afterInsert(tx: Queryable, issueId: number, draft: Readonly<Draft>): Promise<void>;
}

/**
 * POST /issues and /projects/:id/issues. `pathProject` is the project of a nested route (404 when
 * invisible, 403 without add_issues); a project in the body that the user cannot add issues to is
 * "Project cannot be blank", as Redmine answers.
 */
export async function createIssue(ctx: IssueContext, pathProject: string | undefined, input: IssueInput, extension?: CreateExtension): Promise<number> {
  const { actor, db } = ctx;
  let project: ProjectRow | undefined;
  let access: ProjectAccess | undefined;
  if (pathProject !== undefined) {
    project = await getVisibleProject(ctx, pathProject);
    access = await loadProjectAccess(db.orm, project);
    if (!allowedTo(actor, 'add_issues', access)) {
      refuse(actor);
    }
  } else {
    if (!allowedGlobally(actor, 'add_issues')) {
      refuse(actor);
    }
    const found = input.projectId ? await findProject(db.orm, input.projectId) : undefined;
    access = found && (await loadProjectAccess(db.orm, found));
    project = found && access && allowedTo(actor, 'add_issues', access) ? found : undefined;
  }
  if (!project) {
    throw new ValidationError(['Project cannot be blank', ...(input.subject?.trim() ? [] : ['Subject cannot be blank'])]);
  }
  const situation = await situationOf(ctx, project, access, (offered) => {
    const trackers = creatableTrackers(actor, offered);
    return trackers.find((t) => t.id === input.trackerId) ?? trackers[0];
  });
  const draft = newIssueDraft(situation, actor.userId ?? (await anonymousUserId(db)));
  const seedErrors = extension ? await extension.seed(draft, situation) : [];
  const planned = await plan({ ctx, situation, input, existing: undefined, draft, attributesEditable: true });
  const custom = await planCustomValues(ctx, situation, input, draft, undefined, true);
  const uploads = input.uploads;
  const errors = [...seedErrors, ...planned.errors, ...custom.errors];
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const watcherIds = input.watcherUserIds !== undefined && allowedTo(actor, 'add_issue_watchers', situation.access) ? input.watcherUserIds : [];
  const closedOn = planned.status?.is_closed ? ctx.now : null;
  if (draft.parent_id === null && custom.values.size === 0 && uploads.length === 0 && watcherIds.length === 0 && !extension) {
    // Nothing but the row: one statement, atomic by itself, spares BEGIN and COMMIT.
    return insertIssue(db, draft, ctx.now, closedOn);
  }
  return db.transaction(async (tx) => {
    const id = await insertIssue(tx, draft, ctx.now, closedOn);
    if (draft.parent_id !== null && planned.parentRecord) {
      await rebuildIssueTrees(tx, [planned.parentRecord.root_id ?? planned.parentRecord.id]);
      await recalculateAncestors(tx, draft.parent_id, ctx.settings, ctx.now);
    }
    await saveCustomValues(tx, 'Issue', id, custom.values, custom.stored);
    await attachFileValues(tx, id, custom.fields, custom.values, custom.stored);
    if (uploads.length > 0) {
      const attached = await attachUploads(tx, { containerType: 'Issue', containerId: id, authorId: draft.author_id, uploads });
      if (attached.errors.length > 0) {
        throw new ValidationError(attached.errors);
      }
    }
    if (watcherIds.length > 0) {
      await addWatchers(tx, id, watcherIds);
    }
    await extension?.afterInsert(tx, id, draft);
    return id;
  });
}

/** The stored issue, if the actor may see it: unknown → 404, invisible → 403 (401 anonymous), as Redmine. */
export async function getIssueForChange(ctx: IssueContext, issueId: number): Promise<{ record: IssueRecord; project: ProjectRow; access: ProjectAccess }> {
  const record = await selectIssueRecord(ctx.db, issueId);
  const found = record ? await findProjectAccess(ctx.db.orm, record.project_id) : undefined;
  if (!record || !found) {
    throw new NotFoundError(`no issue ${issueId}`);
  }
  const { project, access } = found;
  if (!canViewIssue(ctx.actor, access, issueFactsOf(record))) {
    refuse(ctx.actor);
  }
  return { record, project, access };
}

/**
 * Redmine's Issue#after_project_change, in the update's transaction: the time logged on the issue,
 * and the subtasks that were in its old project (with their time, a category of the same name and a
 * version still shared), follow it; relations go unless cross-project relations are allowed.
 * Simplified: every subtask in the old project follows, also one below a subtask that stayed.
 */
async function followProjectChange(tx: Queryable, ctx: IssueContext, moved: IssueRecord, projectId: number): Promise<void> {
  const subtasks = await selectSubtasksInProject(tx, moved, moved.project_id);
  // A version stays when it is shared with the new project (whatever its status), as for a move.
  const shared = subtasks.some((s) => s.fixed_version_id !== null) ? await sharedVersionIds(tx, projectId) : new Set<number>();
  for (const subtask of subtasks) {
    await moveSubtaskRow(
      tx,
      subtask.id,
      {
        projectId,
        categoryId: subtask.category_id === null ? null : await selectSameNamedCategory(tx, subtask.category_id, projectId),
        fixedVersionId: subtask.fixed_version_id !== null && shared.has(subtask.fixed_version_id) ? subtask.fixed_version_id : null,
      },
      ctx.now,
    );
  }
  const followers = [moved.id, ...subtasks.map((s) => s.id)];
  await moveIssueTimeEntries(tx, followers, projectId);
  if (ctx.settings.cross_project_issue_relations !== '1') {
    await deleteRelationsOfIssues(tx, followers);
  }
}

/**
 * Moves the draft to another project when the user may: Redmine has no permission of its own for it
 * (it went in 3.0); whoever may edit the issue's attributes (the caller checked) may move it to a
 * project where they may add issues.
 */
async function planMove(ctx: IssueContext, input: IssueInput, current: ProjectRow, draft: Draft): Promise<ProjectRow> {
  if (input.projectId === undefined) {
    return current;
  }
  const target = await findProject(ctx.db.orm, input.projectId);
  if (!target || target.id === current.id || !allowedTo(ctx.actor, 'add_issues', await loadProjectAccess(ctx.db.orm, target))) {
    return current;
  }
  draft.project_id = target.id;
  // Redmine's Issue#project=: a category of the same name, a version still shared, else none.
  if (draft.category_id !== null) {
    draft.category_id = await selectSameNamedCategory(ctx.db, draft.category_id, target.id);
  }
  if (draft.fixed_version_id !== null && !(await assignableVersionIds(ctx.db, target.id, { versionId: draft.fixed_version_id, movingProject: true })).has(draft.fixed_version_id)) {
    draft.fixed_version_id = null;
  }
  return target;
}

/**
 * Moved to another project or given another tracker, the issue loses the values of the custom fields
 * it had and no longer has (Redmine keeps only its fields' values): they are cleared, journalled, and
 * their files go. The bulk edit form warns of it (bulkDroppedValues).
 */
async function clearDroppedFields<T extends { fields: CustomFieldDef[]; values: Map<number, string[]>; stored: Map<number, string[]> }>(
  ctx: IssueContext,
  record: IssueRecord,
  draft: Draft,
  custom: T,
): Promise<T> {
  if (draft.project_id === record.project_id && draft.tracker_id === record.tracker_id) {
    return custom;
  }
  const kept = new Set(custom.fields.map((f) => f.id));
  const dropped = (await issueCustomFieldsFor(ctx.db, record.project_id, record.tracker_id)).filter(
    (f) => !kept.has(f.id) && (custom.stored.get(f.id) ?? []).some((v) => v.trim() !== ''),
  );
  for (const field of dropped) {
    custom.values.set(field.id, []);
  }
  return { ...custom, fields: [...custom.fields, ...dropped] };
}

/**
 * More of an update, as Redmine saves the time logged from the issue form with the issue: errors found
 * beforehand refuse the update along with its own, and `afterUpdate` writes in its transaction.
 */
export interface UpdateExtension {
  readonly errors: readonly string[];
  afterUpdate(tx: Queryable): Promise<void>;
}

/**
 * PUT /issues/:id: attributes (if editable), notes, files. Returns the attachments it removed, whose
 * files the caller deletes once the change is committed.
 */
export async function updateIssue(ctx: IssueContext, issueId: number, input: IssueInput, extension?: UpdateExtension): Promise<AttachmentRow[]> {
  const { actor, db } = ctx;
  const { record, project, access } = await getIssueForChange(ctx, issueId);
  const { attributesEditable, notesAddable } = issueRightsOf(actor, access, { trackerId: record.tracker_id, authorId: record.author_id });
  if (!attributesEditable && !notesAddable) {
    refuse(actor);
  }
  const { id: _id, root_id: _root, lft: _lft, rgt: _rgt, lock_version: _lock, closed_on: _closed, ...current } = record;
  const draft: Draft = { ...current };
  const target = attributesEditable ? await planMove(ctx, input, project, draft) : project;
  const situation = await situationOf(ctx, target, target === project ? access : undefined, (offered) => {
    const wanted = attributesEditable && input.trackerId !== undefined && input.trackerId !== record.tracker_id ? input.trackerId : undefined;
    const changedTo = wanted === undefined ? undefined : creatableTrackers(actor, offered).find((t) => t.id === wanted);
    // Moved to a project without the tracker: its first tracker, as Redmine does.
    return changedTo ?? offered.trackers.find((t) => t.id === record.tracker_id) ?? offered.trackers[0];
  });
  draft.tracker_id = situation.tracker?.id ?? draft.tracker_id;
  const planned = await plan({ ctx, situation, input, existing: record, draft, attributesEditable });
  const custom = await clearDroppedFields(ctx, record, draft, await planCustomValues(ctx, situation, input, draft, record, attributesEditable));
  const errors = [...planned.errors, ...custom.errors, ...(extension?.errors ?? [])];
  if (input.lockVersion !== undefined && input.lockVersion !== record.lock_version) {
    errors.push(ISSUE_UPDATE_CONFLICT);
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const notes = notesAddable || attributesEditable ? (input.notes ?? '') : '';
  const privateNotes = input.privateNotes === true && allowedTo(actor, 'set_notes_private', situation.access);
  const uploads = attributesEditable || notesAddable ? input.uploads : [];
  // Redmine's attachments_deletable?: whoever may edit the issue's attributes.
  const deletable = input.deletedAttachmentIds !== undefined && attributesEditable;

  return db.transaction(async (tx) => {
    const locked = await selectIssueRecord(tx, issueId, true);
    if (!locked || (input.lockVersion !== undefined && locked.lock_version !== input.lockVersion)) {
      throw new ValidationError([ISSUE_UPDATE_CONFLICT]);
    }
    const details: JournalDetail[] = [];
    const changes: Partial<Draft> = {};
    for (const attribute of JOURNALIZED_ATTRIBUTES) {
      if (draft[attribute] !== locked[attribute]) {
        (changes as Record<string, unknown>)[attribute] = draft[attribute];
        details.push({ property: 'attr', propKey: attribute, oldValue: journalValueOf(attribute, locked[attribute]), value: journalValueOf(attribute, draft[attribute]) });
      }
    }
    for (const change of await saveCustomValues(tx, 'Issue', issueId, custom.values, custom.stored)) {
      details.push({ property: 'cf', propKey: String(change.fieldId), oldValue: change.oldValue, value: change.newValue });
    }
    const replacedFiles = await attachFileValues(tx, issueId, custom.fields, custom.values, custom.stored);
    if (uploads.length > 0) {
      const attached = await attachUploads(tx, { containerType: 'Issue', containerId: issueId, authorId: actor.userId ?? draft.author_id, uploads });
      if (attached.errors.length > 0) {
        throw new ValidationError(attached.errors);
      }
      details.push(...attached.attached.map((a) => ({ property: 'attachment' as const, propKey: String(a.id), oldValue: null, value: a.filename })));
    }
    const removed = deletable && input.deletedAttachmentIds && input.deletedAttachmentIds.length > 0 ? await deleteAttachments(tx, 'Issue', issueId, input.deletedAttachmentIds) : [];
    details.push(...removed.map((a) => ({ property: 'attachment' as const, propKey: String(a.id), oldValue: a.filename, value: null })));
    const statusChanged = draft.status_id !== locked.status_id;
    const closing = statusChanged && planned.status?.is_closed === true && !situation.statuses.find((s) => s.id === locked.status_id)?.is_closed;
    if (Object.keys(changes).length > 0 || details.length > 0 || notes !== '') {
      await updateIssueRow(tx, issueId, changes, ctx.now, closing ? ctx.now : undefined);
    }
    await recordChange(tx, { issueId, userId: actor.userId ?? (await anonymousUserId(tx)), notes, privateNotes, details, createdOn: ctx.now });

    if ('project_id' in changes) {
      await followProjectChange(tx, ctx, record, draft.project_id);
    }
    if ('parent_id' in changes) {
      // The issue's subtree leaves its old tree (unless it was that tree's root) and joins the new
      // parent's tree, or becomes a tree of its own.
      const roots = new Set<number>();
      if (locked.parent_id !== null && locked.root_id !== null) {
        roots.add(locked.root_id);
      }
      roots.add(planned.parentRecord ? (planned.parentRecord.root_id ?? planned.parentRecord.id) : issueId);
      await rebuildIssueTrees(tx, [...roots]);
      if (locked.parent_id !== null) {
        await recalculateAncestors(tx, locked.parent_id, ctx.settings, ctx.now);
      }
    }
    if (draft.parent_id !== null && Object.keys(changes).length > 0) {
      await recalculateAncestors(tx, draft.parent_id, ctx.settings, ctx.now);
    }
    if ('start_date' in changes || 'due_date' in changes) {
      await rescheduleFollowers(tx, issueId, ctx.now, actor.userId ?? draft.author_id);
    }
    await extension?.afterUpdate(tx);
    return [...removed, ...replacedFiles];
  });
}

/**
 * One change's journal. Private notes with attribute changes become two journals (the changes in
 * a public one), so no half-private journal exists — Redmine's Journal#split_private_notes.
 */
async function recordChange(
  db: Queryable,
  change: { issueId: number; userId: number; notes: string; privateNotes: boolean; details: JournalDetail[]; createdOn: Date },
): Promise<void> {
  const privateNotes = change.privateNotes && change.notes !== '';
  if (privateNotes && change.details.length > 0) {
    await insertJournal(db, { ...change, notes: null, privateNotes: false });
    await insertJournal(db, { ...change, details: [], privateNotes: true });
    return;
  }
  await insertJournal(db, { ...change, privateNotes });
}

/**
 * DELETE /issues/:id: the issue and its subtasks (delete_issues), and the time logged on them unless
 * `timeEntries` says to keep or move it. Returns the attachments removed (files to delete after commit).
 */
export async function deleteIssue(ctx: IssueContext, issueId: number, timeEntries: IssueTimeDisposal = {}): Promise<AttachmentRow[]> {
  const { record, access } = await getIssueForChange(ctx, issueId);
  if (!issueRightsOf(ctx.actor, access, { trackerId: record.tracker_id, authorId: record.author_id }).deletable) {
    refuse(ctx.actor);
  }
  return ctx.db.transaction(async (tx) => {
    const ids = [issueId, ...(await descendantIds(tx, issueId))];
    await disposeIssueTimeEntries(tx, ctx.settings, ids, record.project_id, timeEntries);
    const removed = [...(await deleteAttachmentsOf(tx, 'Issue', ids)), ...(await deleteFileValuesOf(tx, ids))];
    await deleteIssueRows(tx, ids);
    if (record.parent_id !== null) {
      await rebuildIssueTrees(tx, [record.root_id ?? record.parent_id]);
      await recalculateAncestors(tx, record.parent_id, ctx.settings, ctx.now);
    }
    return removed;
  });
}

/** The statuses the workflow lets the actor move the issue to (the `allowed_statuses` include; edit rights are not asked, as in Redmine). */
export async function allowedStatusesFor(ctx: IssueContext, record: IssueRecord, access: ProjectAccess, project: ProjectRow): Promise<StatusRow[]> {
  const isAuthor = ctx.actor.userId !== undefined && record.author_id === ctx.actor.userId;
  const situation = await situationOf(ctx, project, access, (offered) => offered.trackers.find((t) => t.id === record.tracker_id));
  const obstacles = await selectClosingObstacles(ctx.db, existingTree(record));
  return allowedStatuses(situation.workflow, {
    fromStatusId: record.status_id,
    initialStatusId: record.status_id,
    roleIds: new Set(situation.workflowRoleIds),
    isAuthor,
    isAssignee: isOrBelongsTo(ctx.actor, record.assigned_to_id),
    statuses: situation.statuses,
    defaultStatusId: situation.tracker?.default_status_id ?? null,
    closable: !(obstacles.openChildren || obstacles.openBlockers),
    reopenable: !obstacles.closedAncestor,
  });
}
