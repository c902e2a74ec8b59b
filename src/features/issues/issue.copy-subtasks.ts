/**
 * The subtasks of a copied issue (Redmine's Issue#after_create_from_copy). Inside the copy's
 * transaction, every descendant of the source that the user sees is copied, parents before children,
 * under the copy of its parent, in the copy's project; one whose parent was not copied is not either.
 * Each is built as Redmine builds it — the source subtask's attributes without the request's, the
 * default status of its tracker, the copier as author, only an open version the project shares and an
 * assignee who may still be given the issue — and one that would not be valid is skipped, as Redmine
 * skips (and logs) the subtasks it cannot save. Attachments, watchers and the copied_to relation follow
 * the options of the whole copy.
 */
import type { Queryable } from '#src/db/database.ts';
import { allowedTo, rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, issueFactsOf } from '#src/domain/issue-visibility.ts';
import { copyAttachments } from '#src/features/attachments/index.ts';
import {
  allowedRecordIdsFor,
  customFieldVisibleTo,
  customValuesOf,
  issueCustomFieldsFor,
  saveCustomValues,
  validateCustomValues,
  type CustomFieldDef,
} from '#src/features/custom-fields/index.ts';
import { categoryOfProject } from '#src/features/issue-categories/index.ts';
import { linkCopiedIssue } from '#src/features/issue-relations/index.ts';
import { projectAccessByIds } from '#src/features/projects/index.ts';
import { sharedVersionIds } from '#src/features/versions/index.ts';
import { addWatchers, watchersOf } from '#src/features/watchers/index.ts';
import {
  insertIssue,
  selectAssignableIds,
  selectSameNamedCategory,
  selectIssueRecord,
  selectIssueRecords,
  type IssueRecord,
  type PriorityRow,
  type TrackerRow,
} from './issue.records.ts';
import { disabledFields, hiddenFieldRoles, type CreateTarget, type Draft, type IssueContext } from './issue.plan.ts';
import { descendantIds, rebuildIssueTrees, recalculateIssues } from './issue.tree.ts';
import { fieldRules, selectAllRoles, selectStatuses, selectWorkflow, workflowRoles, type StatusRow, type WorkflowRow } from './issue.workflow.ts';

/** What a copy takes along, decided once for the issue and its subtasks. */
export interface CopyOptions {
  /** A copied_to relation from each source issue to its copy. */
  readonly link: boolean;
  readonly attachments: boolean;
  readonly subtasks: boolean;
  /** The source's watchers (Redmine: when the user may add watchers). */
  readonly watchers: boolean;
}

/**
 * Redmine's clear_disabled_fields: the core fields the tracker disables are emptied (a priority and a
 * done ratio fall back to the default priority and 0).
 */
export function clearDisabledFields(draft: Draft, tracker: TrackerRow | undefined, priorities: readonly PriorityRow[]): void {
  for (const field of disabledFields(tracker)) {
    switch (field) {
      case 'priority_id':
        draft.priority_id = (priorities.find((p) => p.is_default) ?? priorities[0])?.id ?? draft.priority_id;
        break;
      case 'done_ratio':
        draft.done_ratio = 0;
        break;
      case 'parent_issue_id':
        draft.parent_id = null;
        break;
      case 'assigned_to_id':
      case 'category_id':
      case 'fixed_version_id':
      case 'start_date':
      case 'due_date':
      case 'estimated_hours':
      case 'description':
        draft[field] = null;
        break;
    }
  }
}

/** The principals watching the issue whom the user may see watching (Redmine's visible_watcher_users). */
export function visibleWatcherIds(actor: Actor, watcherIds: readonly number[], mayViewWatchers: boolean): number[] {
  return watcherIds.filter((id) => mayViewWatchers || id === actor.userId);
}

/** What every subtask's copy is checked against: the copy's project, read once. */
interface Surroundings {
  readonly ctx: IssueContext;
  readonly tx: Queryable;
  readonly target: CreateTarget;
  readonly authorId: number;
  readonly statuses: readonly StatusRow[];
  readonly openSharedVersions: ReadonlySet<number>;
  readonly assignable: ReadonlySet<number>;
  readonly workflowRoleIds: readonly number[];
  /** Per tracker: its workflow rows for those roles and the issue custom fields of the project. */
  readonly byTracker: Map<number, Promise<{ workflow: WorkflowRow[]; fields: CustomFieldDef[]; allowedIds: Map<number, ReadonlySet<number>> }>>;
}

interface PlannedSubtask {
  readonly draft: Draft;
  readonly status: StatusRow;
  readonly values: Map<number, string[]>;
}

/** Per custom field visible only to some roles, those roles (the workflow makes it read-only for others). */
function trackerFacts(env: Surroundings, trackerId: number) {
  let facts = env.byTracker.get(trackerId);
  if (!facts) {
    facts = (async () => {
      const [workflow, fields] = [await selectWorkflow(env.tx, trackerId, env.workflowRoleIds), await issueCustomFieldsFor(env.tx, env.target.project.id, trackerId)];
      return { workflow, fields, allowedIds: await allowedRecordIdsFor(env.tx, fields, env.target.project.id) };
    })();
    env.byTracker.set(trackerId, facts);
  }
  return facts;
}

/** The category of the same name in the copy's project (Redmine's Issue#project=), or the same one when the project is the same. */
async function categoryIn(tx: Queryable, projectId: number, source: IssueRecord): Promise<number | null> {
  if (source.category_id === null || source.project_id === projectId) {
    return source.category_id;
  }
  return selectSameNamedCategory(tx, source.category_id, projectId);
}

/** The copy of one subtask, or undefined when Redmine would not save it. */
async function planSubtask(env: Surroundings, child: IssueRecord, parentCopyId: number, stored: ReadonlyMap<number, string[]>): Promise<PlannedSubtask | undefined> {
  const { ctx, tx, target } = env;
  const projectId = target.project.id;
  const moved = child.project_id !== projectId;
  // A subtask moving to another project gets its first tracker when the project lacks the subtask's.
  const tracker = target.trackers.find((t) => t.id === child.tracker_id) ?? (moved ? target.trackers[0] : undefined);
  const status = env.statuses.find((s) => s.id === tracker?.default_status_id);
  if (!tracker || !status) {
    return undefined;
  }
  const draft: Draft = {
    project_id: projectId,
    tracker_id: tracker.id,
    status_id: status.id,
    priority_id: child.priority_id,
    subject: child.subject,
    description: child.description,
    category_id: await categoryIn(tx, projectId, child),
    // Only an open version the project shares, and an assignee who may be given issues there (or the author).
    fixed_version_id: child.fixed_version_id !== null && env.openSharedVersions.has(child.fixed_version_id) ? child.fixed_version_id : null,
    assigned_to_id: child.assigned_to_id !== null && (env.assignable.has(child.assigned_to_id) || child.assigned_to_id === env.authorId) ? child.assigned_to_id : null,
    author_id: env.authorId,
    parent_id: parentCopyId,
    start_date: child.start_date,
    due_date: child.due_date,
    done_ratio: child.done_ratio,
    estimated_hours: child.estimated_hours,
    is_private: child.is_private,
  };
  if (draft.assigned_to_id === null) {
    // Redmine's default_assign: the category's assignee, else the project's default assignee.
    const fromCategory = draft.category_id === null ? null : ((await categoryOfProject(tx, projectId, draft.category_id))?.assignedToId ?? null);
    const fallback = fromCategory ?? target.project.defaultAssignedToId;
    draft.assigned_to_id = fallback !== null && env.assignable.has(fallback) ? fallback : null;
  }
  if (ctx.settings.issue_done_ratio === 'issue_status' && status.default_done_ratio !== null) {
    draft.done_ratio = status.default_done_ratio;
  }
  clearDisabledFields(draft, tracker, target.priorities);

  // Custom values: those the user may edit are copied (fields without one get their default) and
  // validated; fields the user may not edit are left out, as in a plain create.
  const { workflow, fields, allowedIds } = await trackerFacts(env, tracker.id);
  const rules = fieldRules(workflow, env.workflowRoleIds, status.id, hiddenFieldRoles(fields));
  const editable = fields
    .filter((f) => customFieldVisibleTo(f, ctx.actor, projectId, target.access) && rules.get(String(f.id)) !== 'readonly')
    .map((f) => (rules.get(String(f.id)) === 'required' ? { ...f, isRequired: true } : f));
  const given = new Map<number, string | string[]>();
  for (const field of editable) {
    const values = stored.get(field.id);
    // A file field's file stays with its issue: the copy has none (Redmine blanks another issue's file).
    if (values !== undefined && field.fieldFormat !== 'attachment') {
      given.set(field.id, field.multiple ? values : (values[0] ?? ''));
    }
  }
  const checked = validateCustomValues(editable, given, { isNew: true, existing: new Map(), allowedIdsByField: allowedIds });
  return checked.errors.length > 0 ? undefined : { draft, status, values: checked.values };
}

/** The roles whose workflow applies to the user in the project (administrators: every role). */
async function workflowRoleIdsOf(tx: Queryable, actor: Actor, access: ProjectAccess): Promise<number[]> {
  const roles = actor.isAdmin ? await selectAllRoles(tx) : rolesInProject(actor, access);
  return workflowRoles(roles).map((r) => r.id);
}

/** The source's descendants, each parent before its children, siblings in tree order. */
async function descendantsInOrder(tx: Queryable, sourceId: number): Promise<IssueRecord[]> {
  const records = await selectIssueRecords(tx, await descendantIds(tx, sourceId));
  const children = new Map<number, IssueRecord[]>();
  for (const record of records.sort((a, b) => (a.lft ?? 0) - (b.lft ?? 0) || a.id - b.id)) {
    children.set(record.parent_id ?? 0, [...(children.get(record.parent_id ?? 0) ?? []), record]);
  }
  const ordered: IssueRecord[] = [];
  const visit = (id: number) => {
    for (const child of children.get(id) ?? []) {
      ordered.push(child);
      visit(child.id);
    }
  };
  visit(sourceId);
  return ordered;
}

export interface SubtaskCopyInput {
  readonly source: IssueRecord;
  /** The stored copy of the source. */
  readonly copyId: number;
  readonly copyDraft: Readonly<Draft>;
  readonly target: CreateTarget;
  readonly options: CopyOptions;
}

/**
 * Copies the source's subtasks under its copy (see the file comment), then rebuilds the copy's tree,
 * derives the parents' attributes from their new children, and links each subtask to its copy when the
 * copy is linked. Returns the ids of the copies, in the order they were made.
 */
export async function copySubtasks(ctx: IssueContext, tx: Queryable, input: SubtaskCopyInput): Promise<number[]> {
  const { source, copyId, copyDraft, target, options } = input;
  // A copy made under the source itself (parent_issue_id) is among its descendants now: not copied again.
  const descendants = (await descendantsInOrder(tx, source.id)).filter((d) => d.id !== copyId);
  if (descendants.length === 0) {
    return [];
  }
  const projectId = target.project.id;
  const access = await projectAccessByIds(tx, [...new Set(descendants.map((d) => d.project_id))]);
  const env: Surroundings = {
    ctx,
    tx,
    target,
    authorId: copyDraft.author_id,
    statuses: await selectStatuses(tx),
    openSharedVersions: await sharedVersionIds(tx, projectId, { openOnly: true }),
    assignable: await selectAssignableIds(tx, projectId, ctx.settings.issue_group_assignment === '1'),
    workflowRoleIds: await workflowRoleIdsOf(tx, ctx.actor, target.access),
    byTracker: new Map(),
  };
  const visible = descendants.filter((d) => {
    const project = access.get(d.project_id);
    return project !== undefined && canViewIssue(ctx.actor, project, issueFactsOf(d));
  });
  const ids = visible.map((d) => d.id);
  const [values, watchers] = [await customValuesOf(tx, 'Issue', ids), options.watchers ? await watchersOf(tx, ids) : undefined];

  // Source issue id → its copy, and whether that copy is closed (an open subtask cannot go under it).
  const copies = new Map<number, { id: number; closed: boolean }>([[source.id, { id: copyId, closed: env.statuses.find((s) => s.id === copyDraft.status_id)?.is_closed ?? false }]]);
  const made: { sourceId: number; projectId: number; copyId: number; parentCopyId: number }[] = [];
  for (const child of visible) {
    const parent = copies.get(child.parent_id ?? 0);
    if (!parent) {
      continue;
    }
    const planned = await planSubtask(env, child, parent.id, values.get(child.id) ?? new Map());
    if (!planned || (parent.closed && !planned.status.is_closed)) {
      continue;
    }
    const id = await insertIssue(tx, planned.draft, ctx.now, planned.status.is_closed ? ctx.now : null);
    await saveCustomValues(tx, 'Issue', id, planned.values, new Map());
    if (options.attachments) {
      await copyAttachments(tx, { type: 'Issue', id: child.id }, { type: 'Issue', id });
    }
    const childAccess = access.get(child.project_id);
    if (watchers && childAccess) {
      const watching = (watchers.get(child.id) ?? []).map((w) => w.id);
      await addWatchers(tx, id, visibleWatcherIds(ctx.actor, watching, allowedTo(ctx.actor, 'view_issue_watchers', childAccess)));
    }
    copies.set(child.id, { id, closed: planned.status.is_closed });
    made.push({ sourceId: child.id, projectId: child.project_id, copyId: id, parentCopyId: parent.id });
  }
  if (made.length === 0) {
    return [];
  }

  const root = await selectIssueRecord(tx, copyId);
  await rebuildIssueTrees(tx, [root?.root_id ?? copyId]);
  await recalculateIssues(tx, [...new Set(made.map((m) => m.parentCopyId))], ctx.settings, ctx.now);
  if (options.link) {
    for (const m of made) {
      await linkCopiedIssue(tx, {
        sourceId: m.sourceId,
        copyId: m.copyId,
        userId: copyDraft.author_id,
        now: ctx.now,
        crossProjectAllowed: ctx.settings.cross_project_issue_relations === '1',
      });
    }
  }
  return made.map((m) => m.copyId);
}
