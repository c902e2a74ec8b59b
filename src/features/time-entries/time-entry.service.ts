/**
 * Time entry use cases (Redmine's TimelogController and TimeEntry): list with filters, show, log
 * (create), update, delete. Reads need `view_time_entries` and the role's time-entry visibility;
 * logging needs `log_time` (for someone else also `log_time_for_other_users`); changing or deleting
 * an entry needs `edit_time_entries`, or `edit_own_time_entries` for one's own. The project must be
 * visible (404 otherwise, as for projects) and have time tracking on.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Page } from '#src/api/pagination.ts';
import type { Params } from '#src/api/params.ts';
import type { Queryable } from '#src/db/database.ts';
import { projectAllows, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { Permission } from '#src/domain/permissions.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { customFieldVisibleTo, customValueSheet, deleteCustomValues, storeCustomValues, type CustomFieldDef, type CustomValuesPlan } from '#src/features/custom-fields/index.ts';
import { utcToday } from '#src/features/issues/issue-filter.dates.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { allowedGlobally, getVisibleProject, loadProjectAccess, projectAccessByIds, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { applyInput, defaultActivityId, planCustomFields, takeIssueProject, validated, type Draft } from './time-entry.draft.ts';
import type { TimeEntryInput } from './time-entry.input.ts';
import { canEditTimeEntry, canLogTime, canViewTimeEntries, canViewTimeEntry, visibleTimeEntriesCondition } from './time-entry.policy.ts';
import { timeEntryQuery } from './time-entry.query.ts';
import {
  deleteTimeEntryRows,
  insertTimeEntry,
  selectDescendantProjectIds,
  selectIssueFacts,
  selectTimeEntry,
  selectTimeEntryPage,
  selectTotalHours,
  touchTimeEntry,
  updateTimeEntryRow,
  type IssueFacts,
  type TimeEntryRow,
  type TimeEntryValues,
} from './time-entry.repository.ts';

export type TimeEntryContext = ProjectContext;

/** An entry with the custom fields the viewer sees on it. */
export interface TimeEntryView {
  readonly row: TimeEntryRow;
  readonly customFields: readonly CustomFieldDef[];
  readonly customValues: ReadonlyMap<number, readonly string[]> | undefined;
}

/** Where a request logs time: an issue (`/issues/:id/time_entries`, `issue_id=`) or a project. */
export interface TimeEntryScope {
  readonly issueId?: string | undefined;
  readonly projectId?: string | undefined;
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** Redmine's authorize: an archived project, or one where the permission's module is off, is 403 for everyone. */
function deny(actor: Actor, access: ProjectAccess, permission: Permission): never {
  if (!projectAllows(access, permission)) {
    throw new ForbiddenError(`${permission} is not available in project ${access.id}`);
  }
  refuse(actor);
}

const today = (ctx: TimeEntryContext) => utcToday(ctx.now);

/** The visible project by id, with its access facts (404 when the actor may not see it). */
async function visibleProject(ctx: TimeEntryContext, id: number | string): Promise<{ project: ProjectRow; access: ProjectAccess }> {
  const project = await getVisibleProject(ctx, String(id));
  return { project, access: await loadProjectAccess(ctx.db.orm, project) };
}

/** Custom values of the rows, keeping per row the fields the viewer sees in the row's project. */
async function viewsOf(ctx: TimeEntryContext, rows: readonly TimeEntryRow[]): Promise<TimeEntryView[]> {
  const sheet = await customValueSheet(ctx.db, 'TimeEntry', rows.map((row) => row.id));
  const restricted = sheet.fields.some((field) => !field.visible);
  const access = restricted ? await projectAccessByIds(ctx.db, [...new Set(rows.map((row) => row.project_id))]) : undefined;
  return rows.map((row) => ({
    row,
    customFields: sheet.fields.filter((field) => customFieldVisibleTo(field, ctx.actor, row.project_id, access?.get(row.project_id))),
    customValues: sheet.values.get(row.id),
  }));
}

async function viewOf(ctx: TimeEntryContext, id: number): Promise<TimeEntryView> {
  const row = await selectTimeEntry(ctx.db, id);
  if (!row) {
    throw new Error(`time entry ${id} vanished`);
  }
  const [view] = await viewsOf(ctx, [row]);
  return view ?? { row, customFields: [], customValues: undefined };
}

/** An entry the actor may change (Redmine's check_editability: 403 otherwise), with its project, for an edit form. */
export async function getEditableTimeEntry(ctx: TimeEntryContext, id: number): Promise<TimeEntryView & { project: ProjectRow; access: ProjectAccess }> {
  const { row, project, access } = await visibleEntry(ctx, id);
  if (!canEditTimeEntry(ctx.actor, access, row.user_id)) {
    throw new ForbiddenError(`time entry ${id} is not editable`);
  }
  const [view] = await viewsOf(ctx, [row]);
  return { ...(view ?? { row, customFields: [], customValues: undefined }), project, access };
}

/** Which of the entries the actor may change or delete (a list's edit and delete links). */
export async function editableTimeEntryIds(ctx: TimeEntryContext, rows: readonly TimeEntryRow[]): Promise<Set<number>> {
  const access = await projectAccessByIds(ctx.db, [...new Set(rows.map((row) => row.project_id))]);
  return new Set(
    rows.filter((row) => {
      const projectAccess = access.get(row.project_id);
      return projectAccess !== undefined && canEditTimeEntry(ctx.actor, projectAccess, row.user_id);
    }).map((row) => row.id),
  );
}

/** A list's rows as SQL: visibility, project scope and filters (`where`), the sort, and the project. */
export interface TimeEntryListScope {
  readonly where: SQL;
  readonly order: SQL;
  /** The issues the actor sees, for the joins filters and reports make on the entries' issues. */
  readonly visibleIssues: SQL;
  readonly project: { readonly row: ProjectRow; readonly access: ProjectAccess } | undefined;
}

/**
 * Which entries a list shows: those the actor sees, in the project (and its subprojects, as for
 * issues) or everywhere, filtered and sorted as the request (or the saved query `query_id`) says.
 * Invalid filters are a ValidationError, a saved query that is unknown here a NotFoundError, one the
 * actor may not see a ForbiddenError (UnauthenticatedError when anonymous); so is a list without
 * `view_time_entries`.
 */
export async function timeEntryListScope(ctx: TimeEntryContext, params: Params, projectIdOrIdentifier: string | undefined): Promise<TimeEntryListScope> {
  const scoped = projectIdOrIdentifier === undefined ? undefined : await visibleProject(ctx, projectIdOrIdentifier);
  if (scoped ? !canViewTimeEntries(ctx.actor, scoped.access) : !allowedGlobally(ctx.actor, 'view_time_entries')) {
    return scoped ? deny(ctx.actor, scoped.access, 'view_time_entries') : refuse(ctx.actor);
  }
  const project = scoped?.project;
  const descendantIds = project ? await selectDescendantProjectIds(ctx.db, project) : [];
  const query = await timeEntryQuery(ctx.db, params, {
    actor: ctx.actor,
    today: today(ctx),
    project: project && { row: project, descendantIds },
    displaySubprojects: ctx.settings.display_subprojects_issues === '1',
  });
  if (query.errors.length > 0) {
    throw new ValidationError(query.errors);
  }
  const where = and(visibleTimeEntriesCondition(ctx.actor), ...query.conditions) ?? sql`TRUE`;
  return { where, order: query.order, visibleIssues: visibleIssuesCondition(ctx.actor), project: scoped && { row: scoped.project, access: scoped.access } };
}

/** A page of the entries of a list scope, with the custom fields the viewer sees on each. */
export async function timeEntryPage(ctx: TimeEntryContext, scope: TimeEntryListScope, page: Page): Promise<{ views: TimeEntryView[]; total: number }> {
  const { rows, total } = await selectTimeEntryPage(ctx.db, { where: scope.where, orderBy: scope.order, visibleIssues: scope.visibleIssues }, page);
  return { views: await viewsOf(ctx, rows), total };
}

/** The hours of every entry of a list scope together (the list's "Total time"). */
export async function timeEntryTotalHours(ctx: TimeEntryContext, scope: TimeEntryListScope): Promise<number> {
  return selectTotalHours(ctx.db, { where: scope.where, visibleIssues: scope.visibleIssues });
}

/** The entries the actor sees, filtered and sorted as the request says (see timeEntryListScope). */
export async function listTimeEntries(
  ctx: TimeEntryContext,
  params: Params,
  page: Page,
  projectIdOrIdentifier: string | undefined,
): Promise<{ views: TimeEntryView[]; total: number }> {
  return timeEntryPage(ctx, await timeEntryListScope(ctx, params, projectIdOrIdentifier), page);
}

/** The entry and its project, if the actor sees it: unknown → 404, invisible project → 404, entry not visible → 403/401. */
async function visibleEntry(ctx: TimeEntryContext, id: number): Promise<{ row: TimeEntryRow; project: ProjectRow; access: ProjectAccess }> {
  const row = await selectTimeEntry(ctx.db, id);
  if (!row) {
    throw new NotFoundError(`no time entry ${id}`);
  }
  const { project, access } = await visibleProject(ctx, row.project_id);
  if (!canViewTimeEntry(ctx.actor, access, row.user_id)) {
    refuse(ctx.actor);
  }
  return { row, project, access };
}

export async function getTimeEntry(ctx: TimeEntryContext, id: number): Promise<TimeEntryView> {
  const { row } = await visibleEntry(ctx, id);
  const [view] = await viewsOf(ctx, [row]);
  return view ?? { row, customFields: [], customValues: undefined };
}


/**
 * The issue or project a create request (or its form) is scoped to, after Redmine's
 * find_optional_issue / find_optional_project checks: an unknown or invisible issue or project is a
 * 404, one without `log_time` a 403; without either, `log_time` somewhere.
 */
export async function resolveTimeEntryScope(ctx: TimeEntryContext, scope: TimeEntryScope): Promise<{ issue?: IssueFacts; project?: { row: ProjectRow; access: ProjectAccess } }> {
  if (scope.issueId !== undefined) {
    const id = /^\d{1,9}$/.test(scope.issueId.trim()) ? Number(scope.issueId.trim()) : undefined;
    const issue = id === undefined ? undefined : await selectIssueFacts(ctx.db, id);
    if (!issue) {
      throw new NotFoundError(`no issue ${scope.issueId}`);
    }
    const { project, access } = await visibleProject(ctx, issue.project_id);
    if (!canLogTime(ctx.actor, access)) {
      deny(ctx.actor, access, 'log_time');
    }
    return { issue, project: { row: project, access } };
  }
  if (scope.projectId !== undefined) {
    const { project, access } = await visibleProject(ctx, scope.projectId);
    if (!canLogTime(ctx.actor, access)) {
      deny(ctx.actor, access, 'log_time');
    }
    return { project: { row: project, access } };
  }
  if (!allowedGlobally(ctx.actor, 'log_time')) {
    refuse(ctx.actor);
  }
  return {};
}

/** An entry checked and ready to store: what logging time with an issue update writes in the update's transaction. */
export interface PreparedTimeEntry {
  readonly values: TimeEntryValues;
  readonly customPlan: CustomValuesPlan;
}

/**
 * Checks an entry to log as Redmine's TimelogController#create does (for the actor unless `user_id`
 * names someone else, today unless `spent_on` is given, the default activity unless one is given;
 * without `log_time` in the entry's project: 403), writing nothing; a ValidationError when invalid.
 */
export async function prepareTimeEntry(ctx: TimeEntryContext, scope: TimeEntryScope, input: TimeEntryInput | undefined): Promise<PreparedTimeEntry> {
  const scoped = await resolveTimeEntryScope(ctx, scope);
  const authorId = ctx.actor.userId;
  if (authorId === undefined) {
    return refuse(ctx.actor);
  }
  const draft: Draft = {
    projectId: scoped.project?.row.id ?? null,
    project: scoped.project,
    issueId: scoped.issue?.id ?? null,
    issue: scoped.issue,
    userId: authorId,
    authorId,
    activityId: null,
    hours: null,
    hoursNotANumber: false,
    spentOn: { day: today(ctx), notADate: false },
    comments: null,
  };
  const flags = input ? await applyInput(ctx, draft, input, undefined) : { invalidIssue: false, invalidUser: false };
  if (draft.project && !canLogTime(ctx.actor, draft.project.access)) {
    deny(ctx.actor, draft.project.access, 'log_time');
  }
  await takeIssueProject(ctx, draft);
  if (input?.activityId === undefined) {
    draft.activityId = await defaultActivityId(ctx, draft.project?.row.id);
  }
  const customPlan = await planCustomFields(ctx, draft, input, undefined);
  return { values: await validated(ctx, draft, flags, undefined, customPlan), customPlan };
}

/** Stores a prepared entry inside the caller's transaction; returns its id. */
export async function storePreparedTimeEntry(tx: Queryable, prepared: PreparedTimeEntry, now: Date): Promise<number> {
  const created = await insertTimeEntry(tx, prepared.values, now);
  await storeCustomValues(tx, prepared.customPlan, created);
  return created;
}

/** Logs time (Redmine's TimelogController#create): prepareTimeEntry, then stored in a transaction of its own. */
export async function createTimeEntry(ctx: TimeEntryContext, scope: TimeEntryScope, input: TimeEntryInput | undefined): Promise<TimeEntryView> {
  const prepared = await prepareTimeEntry(ctx, scope, input);
  const id = await ctx.db.transaction((tx) => storePreparedTimeEntry(tx, prepared, ctx.now));
  return viewOf(ctx, id);
}

function isUnchanged(row: TimeEntryRow, values: TimeEntryValues): boolean {
  return (
    row.project_id === values.projectId &&
    row.user_id === values.userId &&
    row.issue_id === values.issueId &&
    row.hours === values.hours &&
    row.comments === values.comments &&
    row.activity_id === values.activityId &&
    row.spent_on === values.spentOn
  );
}

/** Changes an entry the actor may edit; without a `time_entry` in the request nothing changes. */
export async function updateTimeEntry(ctx: TimeEntryContext, id: number, input: TimeEntryInput | undefined): Promise<void> {
  const { row, project, access } = await visibleEntry(ctx, id);
  if (!canEditTimeEntry(ctx.actor, access, row.user_id)) {
    // Redmine's check_editability answers 403 whoever asks.
    throw new ForbiddenError(`time entry ${id} is not editable`);
  }
  if (!input) {
    return;
  }
  const draft: Draft = {
    projectId: row.project_id,
    project: { row: project, access },
    issueId: row.issue_id,
    issue: row.issue_id === null ? undefined : await selectIssueFacts(ctx.db, row.issue_id),
    userId: row.user_id,
    authorId: row.author_id ?? row.user_id,
    activityId: row.activity_id,
    hours: row.hours,
    hoursNotANumber: false,
    spentOn: { day: row.spent_on, notADate: false },
    comments: row.comments,
  };
  const flags = await applyInput(ctx, draft, input, row);
  await takeIssueProject(ctx, draft);
  const customPlan = await planCustomFields(ctx, draft, input, row.id);
  const values = await validated(ctx, draft, flags, row, customPlan);
  await ctx.db.transaction(async (tx) => {
    const valuesChanged = await storeCustomValues(tx, customPlan, row.id);
    if (!isUnchanged(row, values)) {
      await updateTimeEntryRow(tx, row.id, values, ctx.now);
    } else if (valuesChanged) {
      await touchTimeEntry(tx, row.id, ctx.now);
    }
  });
}

/** Deletes an entry the actor may edit, with its custom values. */
export async function deleteTimeEntry(ctx: TimeEntryContext, id: number): Promise<void> {
  const { row, access } = await visibleEntry(ctx, id);
  if (!canEditTimeEntry(ctx.actor, access, row.user_id)) {
    deny(ctx.actor, access, 'edit_own_time_entries');
  }
  await ctx.db.transaction(async (tx) => {
    await deleteCustomValues(tx, 'TimeEntry', [row.id]);
    await deleteTimeEntryRows(tx, [row.id]);
  });
}
