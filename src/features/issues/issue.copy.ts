/**
 * Copying an issue: a create with `copy_from` (Redmine's IssuesController#build_new_issue_from_params,
 * Issue#copy_from and #after_create_from_copy). The copy is created as any new issue is (createIssue:
 * permissions, workflow, validation, one transaction), but starts from the source's attributes and
 * custom values instead of the defaults, and the request's own attributes override those. The status
 * is not copied: the copy gets its tracker's default status unless the request names one the workflow
 * allows. In the same transaction come the source's attachments, its watchers, a `copied_to` relation
 * and its subtasks (issue.copy-subtasks.ts), as the request and the tenant's settings ask; no journal
 * is written but the relation's.
 */
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, issueFactsOf } from '#src/domain/issue-visibility.ts';
import { NotFoundError } from '#src/errors.ts';
import { attachmentsOf, copyAttachments } from '#src/features/attachments/index.ts';
import { customFieldInputOf, customValuesOf } from '#src/features/custom-fields/index.ts';
import { linkCopiedIssue } from '#src/features/issue-relations/index.ts';
import { allowedGlobally, findProjectAccess, getVisibleProject, loadProjectAccess } from '#src/features/projects/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { sharedVersionIds } from '#src/features/versions/index.ts';
import { watchersOf } from '#src/features/watchers/index.ts';
import type { Params, ParamValue } from '#src/api/params.ts';
import type { IssueCopyParams, IssueInput } from './issue.input.ts';
import { clearDisabledFields, copySubtasks, visibleWatcherIds, type CopyOptions } from './issue.copy-subtasks.ts';
import { isActiveUser, selectAssignableIds, selectIssueRecord, selectSameNamedCategory, type IssueRecord } from './issue.records.ts';
import { parentProjectAllowed, refuse, type CreateTarget, type Draft, type IssueContext } from './issue.plan.ts';
import { createIssue } from './issue.service.ts';

/** The issue being copied, with the access facts of its project. */
interface CopySource {
  readonly record: IssueRecord;
  readonly access: ProjectAccess;
}

/**
 * Redmine's link_copy? and copy_attachments?: the setting says yes or no, or (`ask`) leaves it to the
 * request. Subtasks are copied when the request asks; watchers are decided with the target project.
 */
export function copyOptionsOf(
  settings: Pick<Settings, 'link_copied_issue' | 'copy_attachments_on_issue_copy'>,
  params: IssueCopyParams,
): Omit<CopyOptions, 'watchers'> {
  const decide = (setting: string, asked: boolean) => setting === 'yes' || (setting === 'ask' && asked);
  return {
    link: decide(settings.link_copied_issue, params.linkCopy),
    attachments: decide(settings.copy_attachments_on_issue_copy, params.copyAttachments),
    subtasks: params.copySubtasks,
  };
}

/**
 * The issue body with the source's custom values added for every field the request leaves out, as
 * values sent by the user (so only fields the user may edit keep them; the others get their default,
 * as Redmine's force_default_value_on_noneditable_custom_fields does).
 */
export function withCopiedCustomValues(raw: Params, copied: ReadonlyMap<number, readonly string[]> | undefined): Params {
  if (!copied || copied.size === 0) {
    return raw;
  }
  const given = customFieldInputOf(raw) ?? new Map<number, string | string[]>();
  const sent = raw.custom_field_values;
  const values: Params = typeof sent === 'object' && sent !== null && !Array.isArray(sent) ? { ...sent } : {};
  for (const [fieldId, list] of copied) {
    if (!given.has(fieldId)) {
      values[String(fieldId)] = list.length === 1 ? (list[0] ?? '') : [...list];
    }
  }
  return { ...raw, custom_field_values: values };
}

/** The checks Redmine makes before it reads copy_from: add_issues in the path's project, or in some project. */
async function checkMayCreate(ctx: IssueContext, pathProject: string | undefined): Promise<void> {
  if (pathProject !== undefined) {
    const project = await getVisibleProject(ctx, pathProject);
    if (!allowedTo(ctx.actor, 'add_issues', await loadProjectAccess(ctx.db.orm, project))) {
      refuse(ctx.actor);
    }
  } else if (!allowedGlobally(ctx.actor, 'add_issues')) {
    refuse(ctx.actor);
  }
}

/** The issue to copy: unknown or not visible is 404 (Redmine's Issue.visible.find), no copy_issues on its project 403. */
async function findCopySource(ctx: IssueContext, copyFrom: string): Promise<CopySource> {
  const text = copyFrom.trim();
  const record = /^\d{1,9}$/.test(text) ? await selectIssueRecord(ctx.db, Number(text)) : undefined;
  const found = record ? await findProjectAccess(ctx.db.orm, record.project_id) : undefined;
  if (!record || !found || !canViewIssue(ctx.actor, found.access, issueFactsOf(record))) {
    throw new NotFoundError(`no issue ${copyFrom} to copy`);
  }
  if (!allowedTo(ctx.actor, 'copy_issues', found.access)) {
    refuse(ctx.actor);
  }
  return { record, access: found.access };
}

/** May the source's assignee be given an issue of the target project (Issue#assignable_users: members with an assignable role, or the author)? */
async function isAssignableIn(ctx: IssueContext, projectId: number, principalId: number, authorId: number): Promise<boolean> {
  if ((await selectAssignableIds(ctx.db, projectId, ctx.settings.issue_group_assignment === '1')).has(principalId)) {
    return true;
  }
  return principalId === authorId && (await isActiveUser(ctx.db, principalId));
}

/**
 * Issue#copy_from, then Issue#project= when the copy goes to another project: the category of the same
 * name, the version only if that project shares it, the assignee only if assignable there, the parent
 * only if the cross_project_subtasks setting allows it. Returns "Tracker is invalid" when the request
 * names no tracker and the user may not add issues with the one the copy would keep.
 */
async function seedCopy(ctx: IssueContext, source: IssueRecord, input: IssueInput, draft: Draft, target: CreateTarget): Promise<string[]> {
  const projectId = target.project.id;
  const moved = source.project_id !== projectId;
  const errors: string[] = [];
  const kept = target.trackers.some((t) => t.id === source.tracker_id) ? source.tracker_id : target.trackers[0]?.id;
  if (input.trackerId === undefined && target.tracker !== undefined && target.tracker.id !== kept) {
    errors.push('Tracker is invalid');
  }
  draft.subject = source.subject;
  draft.description = source.description;
  if (target.priorities.some((p) => p.id === source.priority_id)) {
    draft.priority_id = source.priority_id;
  }
  draft.start_date = source.start_date;
  draft.due_date = source.due_date;
  draft.done_ratio = source.done_ratio;
  draft.estimated_hours = source.estimated_hours;
  draft.is_private = source.is_private;
  draft.category_id = source.category_id;
  draft.fixed_version_id = source.fixed_version_id;
  draft.assigned_to_id = source.assigned_to_id;
  draft.parent_id = source.parent_id;
  if (moved) {
    if (source.category_id !== null) {
      draft.category_id = await selectSameNamedCategory(ctx.db, source.category_id, projectId);
    }
    if (source.fixed_version_id !== null && !(await sharedVersionIds(ctx.db, projectId)).has(source.fixed_version_id)) {
      draft.fixed_version_id = null;
    }
    if (source.assigned_to_id !== null && !(await isAssignableIn(ctx, projectId, source.assigned_to_id, draft.author_id))) {
      draft.assigned_to_id = null;
    }
    const parent = source.parent_id === null ? undefined : await selectIssueRecord(ctx.db, source.parent_id);
    if (parent && !(await parentProjectAllowed(ctx, projectId, parent.project_id))) {
      draft.parent_id = null;
    }
  }
  clearDisabledFields(draft, target.tracker, target.priorities);
  return errors;
}

/**
 * POST /issues (or /projects/:id/issues) with `copy_from`: creates a copy of the issue and returns its
 * id. Refusals come in Redmine's order — add_issues (403), the source (404 when unknown or not
 * visible), copy_issues on its project (403), then the create's own checks — and write nothing.
 */
export async function copyIssue(ctx: IssueContext, pathProject: string | undefined, input: IssueInput, params: IssueCopyParams): Promise<number> {
  await checkMayCreate(ctx, pathProject);
  const source = await findCopySource(ctx, params.copyFrom);
  const asked = copyOptionsOf(ctx.settings, params);
  const [values, watchers] = await Promise.all([customValuesOf(ctx.db, 'Issue', [source.record.id]), watchersOf(ctx.db, [source.record.id])]);
  const watcherIds = visibleWatcherIds(
    ctx.actor,
    (watchers.get(source.record.id) ?? []).map((w) => w.id),
    allowedTo(ctx.actor, 'view_issue_watchers', source.access),
  );
  const copyInput: IssueInput = {
    ...input,
    // The source's tracker and subject unless the request names them; its watchers unless the request
    // lists some (createIssue keeps either only for users who may add watchers).
    trackerId: input.trackerId ?? source.record.tracker_id,
    subject: input.subject ?? source.record.subject,
    watcherUserIds: input.watcherUserIds ?? (params.copyWatchers === false ? [] : watcherIds),
    raw: withCopiedCustomValues(input.raw, values.get(source.record.id)),
  };
  let target: CreateTarget | undefined;
  return createIssue(ctx, pathProject, copyInput, {
    seed: async (draft, into) => {
      target = into;
      return seedCopy(ctx, source.record, input, draft, into);
    },
    afterInsert: async (tx, copyId, draft) => {
      if (!target) {
        throw new Error('a copy is stored before its target was seen');
      }
      const options: CopyOptions = { ...asked, watchers: params.copyWatchers !== false && allowedTo(ctx.actor, 'add_issue_watchers', target.access) };
      if (options.attachments) {
        await copyAttachments(tx, { type: 'Issue', id: source.record.id }, { type: 'Issue', id: copyId });
      }
      if (options.link) {
        const crossProjectAllowed = ctx.settings.cross_project_issue_relations === '1';
        await linkCopiedIssue(tx, { sourceId: source.record.id, copyId, userId: draft.author_id, now: ctx.now, crossProjectAllowed });
      }
      if (options.subtasks) {
        await copySubtasks(ctx, tx, { source: source.record, copyId, copyDraft: draft, target, options });
      }
    },
  });
}

/** What the copy form offers about its source: the checkboxes Redmine shows only when there is something to copy. */
export interface CopySourceFacts {
  readonly id: number;
  readonly hasAttachments: boolean;
  readonly hasSubtasks: boolean;
}

/** The source of a copy form, if the actor sees it and may copy it; undefined otherwise. */
export async function copySourceFacts(ctx: IssueContext, copyFrom: string): Promise<CopySourceFacts | undefined> {
  const source = await findCopySource(ctx, copyFrom).catch(() => undefined);
  if (!source) {
    return undefined;
  }
  const { record } = source;
  const attachments = await attachmentsOf(ctx.db, 'Issue', [record.id]);
  return {
    id: record.id,
    hasAttachments: (attachments.get(record.id) ?? []).length > 0,
    hasSubtasks: record.lft !== null && record.rgt !== null && record.rgt - record.lft > 1,
  };
}

/**
 * The form of a copy (Redmine's IssuesController#new with copy_from): the source's attributes, custom
 * values and watchers as the `issue` params the form starts from, after the checks a copy makes (403
 * without add_issues, 404 for a source the actor does not see, 403 without copy_issues on it). The
 * status is left out: a copy starts from its tracker's default.
 */
export async function copyFormParams(ctx: IssueContext, pathProject: string | undefined, copyFrom: string): Promise<Params> {
  await checkMayCreate(ctx, pathProject);
  const { record, access } = await findCopySource(ctx, copyFrom);
  const [values, watchers] = await Promise.all([customValuesOf(ctx.db, 'Issue', [record.id]), watchersOf(ctx.db, [record.id])]);
  const text = (value: string | number | null) => (value === null ? '' : String(value));
  const customFieldValues: Params = {};
  for (const [fieldId, list] of values.get(record.id) ?? new Map<number, string[]>()) {
    customFieldValues[String(fieldId)] = list.length === 1 ? (list[0] ?? '') : ([...list] as ParamValue[]);
  }
  const watcherIds = visibleWatcherIds(ctx.actor, (watchers.get(record.id) ?? []).map((w) => w.id), allowedTo(ctx.actor, 'view_issue_watchers', access));
  return {
    copy_from: String(record.id),
    issue: {
      tracker_id: String(record.tracker_id),
      subject: record.subject,
      description: record.description ?? '',
      priority_id: String(record.priority_id),
      category_id: text(record.category_id),
      fixed_version_id: text(record.fixed_version_id),
      assigned_to_id: text(record.assigned_to_id),
      parent_issue_id: text(record.parent_id),
      start_date: text(record.start_date),
      due_date: text(record.due_date),
      done_ratio: String(record.done_ratio),
      estimated_hours: text(record.estimated_hours),
      is_private: record.is_private ? '1' : '0',
      custom_field_values: customFieldValues,
      watcher_user_ids: watcherIds.map(String),
    },
  };
}
