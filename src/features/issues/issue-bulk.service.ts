/**
 * Acting on several issues of a list at once (Redmine's ContextMenusController#issues and
 * IssuesController#bulk_edit/#bulk_update/#destroy): what the selection allows (statuses every issue
 * may move to, trackers, assignees and versions all projects share…, custom fields all issues have,
 * projects to move or copy to), and the changes, moves, copies and deletions, each issue through
 * updateIssue/copyIssue/deleteIssue so that permissions, the workflow and journals apply.
 */
import { paramList, paramObject, paramString, type Params, type ParamValue } from '#src/api/params.ts';
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { KanriError, NotFoundError, ValidationError } from '#src/errors.ts';
import { attachmentsOf, purgeAttachmentFiles } from '#src/features/attachments/index.ts';
import type { FileStore } from '#src/storage/file-store.ts';
import { allowedGlobally, findProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
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
import { customFieldVisibleTo, customValuesOf, issueCustomFieldsFor, issueCustomFieldsForMany } from '#src/features/custom-fields/index.ts';
import { customFieldModels } from './issue-form.custom-fields.ts';
import { selectAddableProjects, type ProjectChoice } from './issue-form.repository.ts';
import type { Choice } from './issue-form.types.ts';
import { copyIssue } from './issue.copy.ts';
import { issueInputOf } from './issue.input.ts';
import { hiddenFieldRoles, refuse, situationOf, type IssueContext } from './issue.plan.ts';
import { issueRightsOf, type IssueRights } from './issue.policy.ts';
import { selectAssignableIds, selectIssueRecord, selectProjectTrackers, type IssueRecord } from './issue.records.ts';
import { issueExists } from './issue.repository.ts';
import { allowedStatusesFor, deleteIssue, getIssueForChange, updateIssue } from './issue.service.ts';
import { fieldRules, type StatusRow } from './issue.workflow.ts';

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
  /** The parent task may be set or cleared: issues of one project, manage_subtasks where they go (Redmine shows it with `@project`). */
  readonly parent: boolean;
  /** "Private" may be set on every issue (set_issues_private, or set_own_issues_private on one's own). */
  readonly isPrivate: boolean;
  /** The notes may be private (set_notes_private in every issue's project). */
  readonly privateNotes: boolean;
}

/** Where a bulk edit moves or copies the issues (`issue[project_id]` among the projects the actor may add issues to). */
export interface BulkTarget {
  readonly project: ProjectRow;
  readonly access: ProjectAccess;
}

/** What the form is for: a copy offers no statuses (copies get their tracker's default), a move the target's choices. */
export interface BulkMode {
  readonly copy?: boolean;
  readonly target?: BulkTarget | undefined;
}

/**
 * What the selection allows changing to (the context menu and the bulk edit form). With a target
 * project, trackers, assignees, versions and categories are the target's, and the statuses those the
 * workflow allows there (Redmine's bulk_edit after `issue.project = @target_project`).
 */
export async function bulkChoices(ctx: IssueContext, issues: readonly SelectedIssue[], mode: BulkMode = {}): Promise<BulkChoices> {
  const { db } = ctx;
  const { target } = mode;
  const projects = target ? [target.project] : distinctProjects(issues).map((i) => i.project);
  const withGroups = ctx.settings.issue_group_assignment === '1';
  const [statusLists, trackerLists, assignableLists, versionLists, priorities, categories] = await Promise.all([
    mode.copy ? [] : Promise.all(issues.map((i) => allowedStatusesFor(ctx, i.record, target?.access ?? i.access, target?.project ?? i.project))),
    Promise.all(projects.map((p) => selectProjectTrackers(db, p.id))),
    Promise.all(projects.map((p) => selectAssignableIds(db, p.id, withGroups))),
    Promise.all(projects.map((p) => assignableVersionIds(db, p.id))),
    selectPriorityChoices(db),
    projects.length === 1 && projects[0] ? selectCategoryChoices(db, [projects[0].id]) : undefined,
  ]);
  const toRows = (sets: readonly ReadonlySet<number>[]) => common(sets.map((set) => [...set].map((id) => ({ id }))));
  const [assignees, versions] = await Promise.all([
    selectPrincipalsByIds(db, toRows(assignableLists).map((r) => r.id)),
    selectVersionNames(db, toRows(versionLists).map((r) => r.id)),
  ]);
  const name = (p: PrincipalRow) => (p.type === 'Group' ? p.lastname : `${p.firstname} ${p.lastname}`).toLowerCase();
  const own = distinctProjects(issues);
  const parentAccess = target?.access ?? own[0]?.access;
  return {
    canEdit: mode.copy === true || issues.every((i) => i.rights.attributesEditable),
    canDelete: issues.every((i) => i.rights.deletable),
    statuses: common(statusLists),
    trackers: common(trackerLists),
    priorities: [...priorities].reverse(),
    assignees: assignees.sort((a, b) => name(a).localeCompare(name(b))),
    versions: versions.sort((a, b) => a.name.localeCompare(b.name)),
    categories,
    doneRatio: ctx.settings.issue_done_ratio === 'issue_field',
    parent: own.length === 1 && parentAccess !== undefined && allowedTo(ctx.actor, 'manage_subtasks', parentAccess),
    // Redmine offers what is a safe attribute of every selected issue; the update checks each issue again.
    isPrivate:
      !mode.copy &&
      issues.every(
        (i) =>
          allowedTo(ctx.actor, 'set_issues_private', target?.access ?? i.access) ||
          (i.record.author_id === ctx.actor.userId && allowedTo(ctx.actor, 'set_own_issues_private', target?.access ?? i.access)),
      ),
    privateNotes: issues.every((i) => allowedTo(ctx.actor, 'set_notes_private', target?.access ?? i.access)),
  };
}

/** A custom field the bulk edit form offers: one every selected issue has and the actor may edit on each. */
export interface BulkCustomField {
  readonly id: number;
  readonly name: string;
  readonly format: string;
  readonly multiple: boolean;
  readonly required: boolean;
  /** Values every issue accepts (lists, enumerations, users, versions, booleans); empty for typed values. */
  readonly choices: readonly Choice[];
}

/** Formats the bulk edit form cannot set (Redmine's bulk_edit_supported). */
const NOT_BULK_EDITABLE = new Set(['attachment']);

/**
 * Redmine's `@custom_fields` of bulk_edit: the editable custom fields common to all the selected
 * issues (in the target project and tracker when the form moves them), each with the choices all of
 * them accept.
 */
export async function bulkCustomFields(ctx: IssueContext, issues: readonly SelectedIssue[], mode: BulkMode & { trackerId?: number | undefined } = {}): Promise<BulkCustomField[]> {
  // Issues of the same project, tracker, status and rights offer the same fields: read them once.
  const byKind = new Map<string, BulkCustomField[]>();
  const editableFor = async (issue: SelectedIssue): Promise<BulkCustomField[]> => {
    const project = mode.target?.project ?? issue.project;
    const access = mode.target?.access ?? issue.access;
    const wantedTracker = mode.trackerId ?? issue.record.tracker_id;
    const editableAttributes = mode.copy === true || issue.rights.attributesEditable;
    const key = [project.id, wantedTracker, mode.copy ? 'copy' : issue.record.status_id, editableAttributes].join(':');
    const known = byKind.get(key);
    if (known) {
      return known;
    }
    const situation = await situationOf(ctx, project, access, (offered) => offered.trackers.find((t) => t.id === wantedTracker) ?? offered.trackers[0]);
    const fields = situation.tracker ? await issueCustomFieldsFor(ctx.db, project.id, situation.tracker.id) : [];
    const statusId = mode.copy ? (situation.tracker?.default_status_id ?? issue.record.status_id) : issue.record.status_id;
    const models = await customFieldModels(ctx, ctx.actor, {
      fields: fields.filter((f) => !NOT_BULK_EDITABLE.has(f.fieldFormat)),
      projectId: project.id,
      access,
      rules: fieldRules(situation.workflow, situation.workflowRoleIds, statusId, hiddenFieldRoles(fields)),
      raw: {},
      stored: new Map(),
      isNew: mode.copy === true,
      attributesEditable: editableAttributes,
    });
    const editable = models
      .filter((m) => !m.readonly)
      .map((m) => ({ id: m.id, name: m.name, format: m.format, multiple: m.multiple, required: m.required, choices: m.choices }));
    byKind.set(key, editable);
    return editable;
  };
  let shared: BulkCustomField[] | undefined;
  for (const issue of issues) {
    const editable = await editableFor(issue);
    shared =
      shared === undefined
        ? editable
        : shared.flatMap((field) => {
            const other = editable.find((f) => f.id === field.id);
            return other ? [{ ...field, required: field.required || other.required, choices: field.choices.filter((c) => other.choices.some((o) => o.value === c.value)) }] : [];
          });
  }
  return shared ?? [];
}

/** A custom field whose values a bulk change would delete, and on how many of the selected issues. */
export interface DroppedCustomValues {
  readonly name: string;
  readonly count: number;
}

/**
 * Redmine's `@values_by_custom_field` of bulk_edit: the custom fields holding a value on some selected
 * issue that the issue no longer has once moved to the target project or given the chosen tracker (an
 * issue keeps only the fields of its project and tracker, so saving deletes those values). Only fields
 * the actor sees are named: the warning must not reveal the others.
 */
export async function bulkDroppedValues(ctx: IssueContext, issues: readonly SelectedIssue[], mode: BulkMode & { trackerId?: number | undefined }): Promise<DroppedCustomValues[]> {
  if (!mode.target && mode.trackerId === undefined) {
    return [];
  }
  const trackersOf = new Map<number, readonly { id: number }[]>();
  const afterOf = async (issue: SelectedIssue) => {
    const projectId = mode.target?.project.id ?? issue.project.id;
    let trackers = trackersOf.get(projectId);
    if (!trackers) {
      trackers = await selectProjectTrackers(ctx.db, projectId);
      trackersOf.set(projectId, trackers);
    }
    // A tracker the project lacks: the project's first, as a move does (Redmine's Issue#project=).
    const wanted = [mode.trackerId, issue.record.tracker_id].find((id) => id !== undefined && trackers.some((t) => t.id === id)) ?? trackers[0]?.id ?? 0;
    return { projectId, trackerId: wanted };
  };
  const moves = await Promise.all(issues.map(async (issue) => ({ issue, after: await afterOf(issue) })));
  const fieldsOf = await issueCustomFieldsForMany(ctx.db, [...moves.map((m) => ({ projectId: m.issue.project.id, trackerId: m.issue.record.tracker_id })), ...moves.map((m) => m.after)]);
  const stored = await customValuesOf(ctx.db, 'Issue', issues.map((i) => i.record.id));
  const dropped = new Map<number, { name: string; position: number; count: number }>();
  for (const { issue, after } of moves) {
    const kept = new Set(fieldsOf(after.projectId, after.trackerId).map((f) => f.id));
    const values = stored.get(issue.record.id);
    for (const field of fieldsOf(issue.project.id, issue.record.tracker_id)) {
      const present = (values?.get(field.id) ?? []).some((v) => v.trim() !== '');
      if (present && !kept.has(field.id) && customFieldVisibleTo(field, ctx.actor, issue.project.id, issue.access)) {
        const known = dropped.get(field.id) ?? { name: field.name, position: field.position, count: 0 };
        dropped.set(field.id, { ...known, count: known.count + 1 });
      }
    }
  }
  return [...dropped.values()].sort((a, b) => a.position - b.position).map(({ name, count }) => ({ name, count }));
}

/** Are all the issues watched by the actor? (The context menu then offers "Unwatch".) */
export async function allWatched(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<boolean> {
  if (ctx.actor.userId === undefined) {
    return false;
  }
  const watchers = await watchersOf(ctx.db, issues.map((i) => i.record.id));
  return issues.every((i) => (watchers.get(i.record.id) ?? []).some((w) => w.id === ctx.actor.userId));
}

/** Redmine's `allowed_to?(:copy_issues, @projects)`: copy_issues in the project of every selected issue. */
function mayCopyAll(ctx: IssueContext, issues: readonly SelectedIssue[]): boolean {
  return issues.every((i) => allowedTo(ctx.actor, 'copy_issues', i.access));
}

/** Other things the context menu offers, per Redmine's `@can`. */
export function bulkAbilities(ctx: IssueContext, issues: readonly SelectedIssue[]) {
  const projects = distinctProjects(issues);
  const onlyProject = projects.length === 1 ? projects[0] : undefined;
  const single = issues.length === 1 ? issues[0] : undefined;
  return {
    // One issue is copied with the issue form in its project; several with the bulk edit form, to any
    // project the user may add issues to (Redmine asks for some: Issue.allowed_target_projects.any?).
    copy: single !== undefined ? allowedTo(ctx.actor, 'copy_issues', single.access) && allowedTo(ctx.actor, 'add_issues', single.access) : mayCopyAll(ctx, issues) && allowedGlobally(ctx.actor, 'add_issues'),
    logTime: onlyProject !== undefined && allowedTo(ctx.actor, 'log_time', onlyProject.access),
    watch: ctx.actor.userId !== undefined,
  };
}

/** The value of a custom field's "none" choice in the bulk edit form (Redmine's `__none__`). */
export const NONE_VALUE = '__none__';

/**
 * Redmine's parse_params_for_bulk_update: blank attributes are "no change", `none` clears (custom
 * values: `__none__`); the notes (`notes`) go with each change.
 */
export function bulkIssueParams(params: Params): Params {
  const given = params.issue && typeof params.issue === 'object' && !Array.isArray(params.issue) ? params.issue : {};
  const issue: Params = {};
  for (const [key, value] of Object.entries(given)) {
    if (typeof value === 'string' && value.trim() !== '') {
      issue[key] = value === 'none' ? '' : value;
    }
  }
  const custom = bulkCustomValues(given.custom_field_values);
  if (custom) {
    issue.custom_field_values = custom;
  }
  const notes = typeof params.notes === 'string' ? params.notes : typeof given.notes === 'string' ? given.notes : '';
  if (notes.trim() !== '') {
    issue.notes = notes;
  }
  return { issue };
}

/**
 * The custom values of a bulk change: blank is "no change", `__none__` clears (in a list of values,
 * it clears along with the others given); undefined when nothing changes.
 */
function bulkCustomValues(sent: ParamValue | undefined): Params | undefined {
  const given = paramObject(sent);
  if (!given) {
    return undefined;
  }
  const values: Params = {};
  for (const [fieldId, value] of Object.entries(given)) {
    if (!/^\d{1,9}$/.test(fieldId)) {
      continue;
    }
    if (Array.isArray(value)) {
      const items = value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (items.length > 0) {
        values[fieldId] = items.includes(NONE_VALUE) ? [...items.filter((v) => v !== NONE_VALUE), ''] : items;
      }
    } else if (typeof value === 'string' && value.trim() !== '') {
      values[fieldId] = value === NONE_VALUE ? '' : value;
    }
  }
  return Object.keys(values).length > 0 ? values : undefined;
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

/** The projects a bulk edit may move or copy issues to (Redmine's Issue.allowed_target_projects). */
export function bulkTargetProjects(ctx: IssueContext): Promise<ProjectChoice[]> {
  return selectAddableProjects(ctx.db, ctx.actor);
}

/** The project the form names (`issue[project_id]`), when it is one of `allowed`. */
export async function bulkTargetOf(ctx: IssueContext, params: Params, allowed: readonly ProjectChoice[]): Promise<BulkTarget | undefined> {
  const wanted = paramString(paramObject(params.issue)?.project_id)?.trim();
  const choice = wanted ? allowed.find((p) => String(p.id) === wanted) : undefined;
  const project = choice ? await findProject(ctx.db.orm, String(choice.id)) : undefined;
  return project ? { project, access: await loadProjectAccess(ctx.db.orm, project) } : undefined;
}

/**
 * Redmine's checks of a bulk copy: copy_issues in every selected issue's project, and (on the update)
 * add_issues in the project the copies go to — the one the form names, else each issue's own.
 */
export async function checkBulkCopy(ctx: IssueContext, issues: readonly SelectedIssue[], params?: Params): Promise<void> {
  if (!mayCopyAll(ctx, issues)) {
    refuse(ctx.actor);
  }
  if (!params) {
    return;
  }
  const named = paramString(paramObject(params.issue)?.project_id)?.trim();
  if (named) {
    const project = /^\d{1,9}$/.test(named) ? await findProject(ctx.db.orm, named) : undefined;
    if (!project || !allowedTo(ctx.actor, 'add_issues', await loadProjectAccess(ctx.db.orm, project))) {
      refuse(ctx.actor);
    }
  } else if (!distinctProjects(issues).every((i) => allowedTo(ctx.actor, 'add_issues', i.access))) {
    refuse(ctx.actor);
  }
}

/** A form's checkbox sent after its hidden `0` (the last value counts, as in Rails). */
function checked(value: ParamValue | undefined): boolean {
  return paramList(value).at(-1) === '1';
}

/** What the copy part of the bulk edit form offers (Redmine shows each only when there is something to copy). */
export interface BulkCopyOffer {
  readonly link: boolean;
  readonly attachments: boolean;
  readonly subtasks: boolean;
  readonly watchers: boolean;
}

export async function bulkCopyOffer(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<BulkCopyOffer> {
  const ids = issues.map((i) => i.record.id);
  const [attachments, watchers] = await Promise.all([attachmentsOf(ctx.db, 'Issue', ids), watchersOf(ctx.db, ids)]);
  return {
    link: ctx.settings.link_copied_issue === 'ask',
    attachments: ctx.settings.copy_attachments_on_issue_copy === 'ask' && ids.some((id) => (attachments.get(id) ?? []).length > 0),
    subtasks: issues.some((i) => i.record.lft !== null && i.record.rgt !== null && i.record.rgt - i.record.lft > 1),
    watchers: issues.every((i) => allowedTo(ctx.actor, 'add_issue_watchers', i.access)) && ids.some((id) => (watchers.get(id) ?? []).length > 0),
  };
}

function isDescendantOf(issue: IssueRecord, other: IssueRecord): boolean {
  return issue.root_id !== null && issue.root_id === other.root_id && (issue.lft ?? 0) > (other.lft ?? 0) && (issue.rgt ?? 0) < (other.rgt ?? 0);
}

export interface BulkCopyResult extends BulkUpdateResult {
  /** The copies made, in the order of their sources. */
  readonly copies: readonly { readonly sourceId: number; readonly id: number; readonly projectId: number }[];
}

/**
 * Redmine's bulk_update with `copy`: each selected issue is copied as a single copy is (copyIssue),
 * with the form's attributes over the source's, to the named project or its own; subtasks selected
 * with their parent are copied once, with it, when subtasks are copied. An issue that cannot be copied
 * is listed; the others are saved.
 */
export async function bulkCopyIssues(ctx: IssueContext, issues: readonly SelectedIssue[], params: Params): Promise<BulkCopyResult> {
  await checkBulkCopy(ctx, issues, params);
  const { input, errors } = issueInputOf(bulkIssueParams(params));
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const subtasks = checked(params.copy_subtasks);
  const options = {
    linkCopy: checked(params.link_copy),
    copyAttachments: checked(params.copy_attachments),
    copySubtasks: subtasks,
    copyWatchers: checked(params.copy_watchers) && issues.every((i) => allowedTo(ctx.actor, 'add_issue_watchers', i.access)),
  };
  const sources = subtasks ? issues.filter((i) => !issues.some((other) => other !== i && isDescendantOf(i.record, other.record))) : issues;
  const copies: { sourceId: number; id: number; projectId: number }[] = [];
  const failed: { id: number; errors: string[] }[] = [];
  for (const { record } of sources) {
    const projectId = input.projectId ?? String(record.project_id);
    try {
      const id = await copyIssue(ctx, undefined, { ...input, projectId, statusId: undefined, notes: undefined, uploads: [] }, { copyFrom: String(record.id), ...options });
      const stored = await selectIssueRecord(ctx.db, id);
      copies.push({ sourceId: record.id, id, projectId: stored?.project_id ?? record.project_id });
    } catch (error) {
      if (!(error instanceof KanriError)) {
        throw error;
      }
      failed.push({ id: record.id, errors: error instanceof ValidationError ? [...error.errors] : [] });
    }
  }
  return { saved: copies.map((c) => c.id), failed, copies };
}
