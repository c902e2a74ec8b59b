/**
 * Acting on several issues of a list at once (Redmine's ContextMenusController#issues and
 * IssuesController#bulk_edit/#bulk_update/#destroy): what the selection allows (statuses every issue
 * may move to, trackers, assignees and versions all projects share…), and the changes and deletions,
 * each issue through updateIssue/deleteIssue so that permissions, the workflow and journals apply.
 */
import type { Params } from '#src/api/params.ts';
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { KanriError, NotFoundError, ValidationError } from '#src/errors.ts';
import { purgeAttachmentFiles } from '#src/features/attachments/index.ts';
import type { FileStore } from '#src/storage/file-store.ts';
import type { ProjectRow } from '#src/features/projects/index.ts';
import { loggedHoursOnIssues } from '#src/features/time-entries/index.ts';
import { assignableVersionIds } from '#src/features/versions/index.ts';
import { watchersOf } from '#src/features/watchers/index.ts';
import {
  selectCategoryChoices,
  selectPrincipalsByIds,
  selectPriorityChoices,
  selectVersionNames,
  type NamedRow,
  type PrincipalRow,
} from './issue-list.choices.repository.ts';
import { issueInputOf } from './issue.input.ts';
import { refuse, type IssueContext } from './issue.plan.ts';
import { issueRightsOf, type IssueRights } from './issue.policy.ts';
import { selectAssignableIds, selectProjectTrackers, type IssueRecord } from './issue.records.ts';
import { issueExists } from './issue.repository.ts';
import { allowedStatusesFor, deleteIssue, getIssueForChange, updateIssue } from './issue.service.ts';
import type { StatusRow } from './issue.workflow.ts';

/** Most issues one bulk request acts on. */
const MAX_SELECTED = 500;

export interface SelectedIssue {
  readonly record: IssueRecord;
  readonly project: ProjectRow;
  readonly access: ProjectAccess;
  readonly rights: IssueRights;
}

/** `ids[]` (or `id`) as distinct issue ids. */
export function selectedIdsOf(params: Params): number[] {
  const raw = [params.ids, params.id].flat().filter((v) => v !== undefined && v !== null);
  const ids = raw.map((v) => (typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN)).filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647);
  return [...new Set(ids)].slice(0, MAX_SELECTED);
}

/** The selected issues, each visible to the actor (Redmine's find_issues: one unknown or invisible refuses all). */
export async function selectedIssues(ctx: IssueContext, ids: readonly number[]): Promise<SelectedIssue[]> {
  if (ids.length === 0) {
    throw new NotFoundError('no issue selected');
  }
  const selected: SelectedIssue[] = [];
  for (const id of ids) {
    const { record, project, access } = await getIssueForChange(ctx, id);
    selected.push({ record, project, access, rights: issueRightsOf(ctx.actor, access, { trackerId: record.tracker_id, authorId: record.author_id }) });
  }
  return selected;
}

/** The items common to every element (by id), in the first's order. */
function common<T extends { id: number }>(lists: readonly (readonly T[])[]): T[] {
  const [first = [], ...rest] = lists;
  return first.filter((item) => rest.every((list) => list.some((other) => other.id === item.id)));
}

function distinctProjects(issues: readonly SelectedIssue[]): SelectedIssue[] {
  return issues.filter((issue, i) => issues.findIndex((other) => other.project.id === issue.project.id) === i);
}

export interface BulkChoices {
  /** Every selected issue's attributes may be edited. */
  readonly canEdit: boolean;
  readonly canDelete: boolean;
  /** Statuses the workflow allows for every selected issue. */
  readonly statuses: readonly StatusRow[];
  readonly trackers: readonly NamedRow[];
  /** Highest first, as Redmine's context menu. */
  readonly priorities: readonly NamedRow[];
  readonly assignees: readonly PrincipalRow[];
  readonly versions: readonly NamedRow[];
  /** Categories, when every issue is of the same project. */
  readonly categories: readonly NamedRow[] | undefined;
  readonly doneRatio: boolean;
}

/** What the selection allows changing to (the context menu and the bulk edit form). */
export async function bulkChoices(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<BulkChoices> {
  const { db } = ctx;
  const projects = distinctProjects(issues);
  const withGroups = ctx.settings.issue_group_assignment === '1';
  const [statusLists, trackerLists, assignableLists, versionLists, priorities, categories] = await Promise.all([
    Promise.all(issues.map((i) => allowedStatusesFor(ctx, i.record, i.access, i.project))),
    Promise.all(projects.map((p) => selectProjectTrackers(db, p.project.id))),
    Promise.all(projects.map((p) => selectAssignableIds(db, p.project.id, withGroups))),
    Promise.all(projects.map((p) => assignableVersionIds(db, p.project.id))),
    selectPriorityChoices(db),
    projects.length === 1 && projects[0] ? selectCategoryChoices(db, [projects[0].project.id]) : undefined,
  ]);
  const toRows = (sets: readonly ReadonlySet<number>[]) => common(sets.map((set) => [...set].map((id) => ({ id }))));
  const [assignees, versions] = await Promise.all([
    selectPrincipalsByIds(db, toRows(assignableLists).map((r) => r.id)),
    selectVersionNames(db, toRows(versionLists).map((r) => r.id)),
  ]);
  const name = (p: PrincipalRow) => (p.type === 'Group' ? p.lastname : `${p.firstname} ${p.lastname}`).toLowerCase();
  return {
    canEdit: issues.every((i) => i.rights.attributesEditable),
    canDelete: issues.every((i) => i.rights.deletable),
    statuses: common(statusLists),
    trackers: common(trackerLists),
    priorities: [...priorities].reverse(),
    assignees: assignees.sort((a, b) => name(a).localeCompare(name(b))),
    versions: versions.sort((a, b) => a.name.localeCompare(b.name)),
    categories,
    doneRatio: ctx.settings.issue_done_ratio === 'issue_field',
  };
}

/** Are all the issues watched by the actor? (The context menu then offers "Unwatch".) */
export async function allWatched(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<boolean> {
  if (ctx.actor.userId === undefined) {
    return false;
  }
  const watchers = await watchersOf(ctx.db, issues.map((i) => i.record.id));
  return issues.every((i) => (watchers.get(i.record.id) ?? []).some((w) => w.id === ctx.actor.userId));
}

/** Other things the context menu offers, per Redmine's `@can`. */
export function bulkAbilities(ctx: IssueContext, issues: readonly SelectedIssue[]) {
  const projects = distinctProjects(issues);
  const onlyProject = projects.length === 1 ? projects[0] : undefined;
  const single = issues.length === 1 ? issues[0] : undefined;
  return {
    copy: single !== undefined && allowedTo(ctx.actor, 'copy_issues', single.access) && allowedTo(ctx.actor, 'add_issues', single.access),
    logTime: onlyProject !== undefined && allowedTo(ctx.actor, 'log_time', onlyProject.access),
    watch: ctx.actor.userId !== undefined,
  };
}

/**
 * Redmine's parse_params_for_bulk_update: blank attributes are "no change", `none` clears; the notes
 * (`notes`) go with each change.
 */
export function bulkIssueParams(params: Params): Params {
  const given = params.issue && typeof params.issue === 'object' && !Array.isArray(params.issue) ? params.issue : {};
  const issue: Params = {};
  for (const [key, value] of Object.entries(given)) {
    if (typeof value === 'string' && value.trim() !== '') {
      issue[key] = value === 'none' ? '' : value;
    }
  }
  const notes = typeof params.notes === 'string' ? params.notes : typeof given.notes === 'string' ? given.notes : '';
  if (notes.trim() !== '') {
    issue.notes = notes;
  }
  return { issue };
}

export interface BulkUpdateResult {
  readonly saved: readonly number[];
  /** The issues not saved, with their messages. */
  readonly failed: readonly { readonly id: number; readonly errors: readonly string[] }[];
}

/** Applies the same change to each issue, one update each; an issue that cannot take it is listed, the others are saved. */
export async function bulkUpdateIssues(ctx: IssueContext, issues: readonly SelectedIssue[], params: Params, files: FileStore): Promise<BulkUpdateResult> {
  const { input, errors } = issueInputOf(bulkIssueParams(params));
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const saved: number[] = [];
  const failed: { id: number; errors: string[] }[] = [];
  for (const { record } of issues) {
    try {
      await purgeAttachmentFiles(ctx.db, files, await updateIssue(ctx, record.id, { ...input, uploads: [] }));
      saved.push(record.id);
    } catch (error) {
      if (!(error instanceof KanriError)) {
        throw error;
      }
      failed.push({ id: record.id, errors: error instanceof ValidationError ? [...error.errors] : [] });
    }
  }
  return { saved, failed };
}

/** The hours logged on the selected issues (a deletion asks what becomes of them when not 0). */
export function loggedHoursOf(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<number> {
  return loggedHoursOnIssues(ctx.db, issues.map((i) => i.record.id));
}

/**
 * Deletes the issues (Redmine's destroy with `todo` for their time): refused as a whole unless every
 * one is deletable; subtasks go with their parent.
 */
export async function bulkDeleteIssues(ctx: IssueContext, issues: readonly SelectedIssue[], disposal: { todo?: string | undefined; reassignToId?: string | undefined }, files: FileStore): Promise<void> {
  if (!issues.every((i) => i.rights.deletable)) {
    refuse(ctx.actor);
  }
  for (const { record } of issues) {
    if (await issueExists(ctx.db, record.id)) {
      await purgeAttachmentFiles(ctx.db, files, await deleteIssue(ctx, record.id, disposal));
    }
  }
}
