/**
 * REST routes of issues (§6.1): list (all visible projects, or one project and its subprojects),
 * show with includes, create, update, delete; and journals (§6.22).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, sql } from 'drizzle-orm';
import { pageOf } from '#src/api/pagination.ts';
import { includesOf, paramList, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, float, list, resource, type ApiValue } from '#src/api/resource.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { canViewPrivateNote } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { attachmentsOf, presentAttachment, purgeAttachmentFiles } from '#src/features/attachments/index.ts';
import {
  customFieldVisibleTo,
  customValuesOf,
  issueCustomFieldsForMany,
  presentCustomValues,
  visibleIssueFieldIds,
} from '#src/features/custom-fields/index.ts';
import { presentRelationRef, relationsOf } from '#src/features/issue-relations/index.ts';
import { getVisibleProject, projectAccessByIds } from '#src/features/projects/index.ts';
import { presentWatchers, watchersOf } from '#src/features/watchers/index.ts';
import { issueSpentHours, type IssueHours, type IssueTimeDisposal } from '#src/features/time-entries/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { copyIssue } from './issue.copy.ts';
import { issueInputOf } from './issue.input.ts';
import { visibleIssuesCondition } from './issue.policy.ts';
import { presentChildren, presentIssue, presentStatuses, type IssueExtras } from './issue.presenter.ts';
import { issueFilters } from './issue.query.ts';
import { issueExists, selectChildren, selectIssue, selectIssuePage, type IssueRow } from './issue.repository.ts';
import type { IssueContext } from './issue.plan.ts';
import { allowedStatusesFor, createIssue, deleteIssue, getIssueForChange, updateIssue } from './issue.service.ts';
import { editJournal } from './journal.service.ts';
import { presentJournals } from './journal.presenter.ts';
import { selectJournals } from './journal.repository.ts';

async function contextOf(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/** `/issues/:id` with a numeric id, else 404. */
function issueIdOf(params: Params): number {
  const id = paramString(params.id) ?? '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no issue ${id}`);
  }
  return Number(id);
}

/** Custom values of the rows, visible ones only, keyed by issue id. */
async function customFieldsOf(ctx: IssueContext, rows: readonly IssueRow[]): Promise<Map<number, ApiValue>> {
  const out = new Map<number, ApiValue>();
  if (rows.length === 0) {
    return out;
  }
  const fieldsFor = await issueCustomFieldsForMany(ctx.db, rows.map((r) => ({ projectId: r.project_id, trackerId: r.tracker_id })));
  const withFields = rows.filter((row) => fieldsFor(row.project_id, row.tracker_id).length > 0);
  // Values are read only when some issue has fields (a tenant without custom fields saves the query).
  const values = withFields.length > 0 ? await customValuesOf(ctx.db, 'Issue', withFields.map((r) => r.id)) : new Map<number, Map<number, string[]>>();
  // Fields visible only to some roles need each project's facts (its Non member / Anonymous role counts on public ones).
  const restricted = withFields.some((row) => fieldsFor(row.project_id, row.tracker_id).some((f) => !f.visible));
  const access = restricted ? await projectAccessByIds(ctx.db, [...new Set(withFields.map((r) => r.project_id))]) : undefined;
  for (const row of rows) {
    const fields = fieldsFor(row.project_id, row.tracker_id).filter((f) => customFieldVisibleTo(f, ctx.actor, row.project_id, access?.get(row.project_id)));
    if (fields.length > 0) {
      out.set(row.id, presentCustomValues(fields, values.get(row.id)));
    }
  }
  return out;
}

/** `spent_hours` and `total_spent_hours`, for viewers who may see time entries in the issue's project. */
function spentHoursOf(hours: IssueHours | undefined): Pick<IssueExtras, 'spent_hours' | 'total_spent_hours'> {
  return hours ? { spent_hours: float(hours.spent), total_spent_hours: float(hours.total) } : {};
}

async function listIssues(request: FastifyRequest, params: Params, projectId: string | undefined) {
  const ctx = await contextOf(request);
  const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
  const project = projectId === undefined ? undefined : await getVisibleProject(ctx, projectId);
  const query = await issueFilters(ctx.db, params, ctx.actor, { project, displaySubprojects: ctx.settings.display_subprojects_issues === '1' });
  if (query.errors.length > 0) {
    throw new ValidationError(query.errors);
  }
  const visible = visibleIssuesCondition(ctx.actor);
  const where = and(visible, ...query.conditions) ?? sql`TRUE`;
  const { rows, total } = await selectIssuePage(ctx.db, where, query.order, page);
  const include = includesOf(params);
  const ids = rows.map((r) => r.id);
  const [customFields, attachments, relations, hours] = await Promise.all([
    customFieldsOf(ctx, rows),
    include.has('attachments') ? attachmentsOf(ctx.db, 'Issue', ids) : undefined,
    include.has('relations') ? relationsOf(ctx.db, ids, visible) : undefined,
    issueSpentHours(ctx.db, ctx.actor, rows),
  ]);
  const base = baseUrl(request);
  const items = rows.map((row) =>
    presentIssue(row, {
      custom_fields: customFields.get(row.id),
      ...spentHoursOf(hours.get(row.id)),
      attachments: attachments && list('attachment', (attachments.get(row.id) ?? []).map((a) => presentAttachment(a, base))),
      relations: relations && list('relation', (relations.get(row.id) ?? []).map(presentRelationRef)),
    }),
  );
  return collection('issues', 'issue', items, page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit });
}

const SHOW_INCLUDES = new Set(['children', 'attachments', 'relations', 'changesets', 'journals', 'watchers', 'allowed_statuses']);

/** The show-only includes (§6.1.2); each is looked up only when asked for. */
async function showExtras(request: FastifyRequest, ctx: IssueContext, row: IssueRow, include: Set<string>): Promise<IssueExtras> {
  if (![...include].some((name) => SHOW_INCLUDES.has(name))) {
    return { custom_fields: (await customFieldsOf(ctx, [row])).get(row.id) };
  }
  // The row passed the visibility condition; its project's facts decide what else the viewer sees.
  const access = (await projectAccessByIds(ctx.db, [row.project_id])).get(row.project_id);
  if (!access) {
    throw new NotFoundError(`no issue ${row.id}`);
  }
  const visible = visibleIssuesCondition(ctx.actor);
  const [customFields, children, attachments, relations, journals, visibleFields, watchers, statuses] = await Promise.all([
    customFieldsOf(ctx, [row]),
    include.has('children') ? selectChildren(ctx.db, row.id) : undefined,
    include.has('attachments') ? attachmentsOf(ctx.db, 'Issue', [row.id]) : undefined,
    include.has('relations') ? relationsOf(ctx.db, [row.id], visible) : undefined,
    include.has('journals') ? selectJournals(ctx.db, row.id) : undefined,
    include.has('journals') ? visibleIssueFieldIds(ctx.db, ctx.actor, access) : undefined,
    include.has('watchers') && allowedTo(ctx.actor, 'view_issue_watchers', access) ? watchersOf(ctx.db, [row.id]) : undefined,
    // The workflow needs the whole record, read only for this include.
    include.has('allowed_statuses')
      ? getIssueForChange(ctx, row.id).then(({ record, project }) => allowedStatusesFor(ctx, record, access, project))
      : undefined,
  ]);
  const issueRelations = relations?.get(row.id) ?? [];
  return {
    custom_fields: customFields.get(row.id),
    children: children && presentChildren(children, row.id),
    attachments: attachments && list('attachment', (attachments.get(row.id) ?? []).map((a) => presentAttachment(a, baseUrl(request)))),
    // Show omits relations when there are none to see (the list always has the key).
    relations: issueRelations.length > 0 ? list('relation', issueRelations.map(presentRelationRef)) : undefined,
    changesets: include.has('changesets') ? list('changeset', []) : undefined,
    journals:
      journals &&
      presentJournals(journals, {
        privateNoteVisible: (authorId) => canViewPrivateNote(ctx.actor, access, authorId),
        customFieldVisible: (fieldId) => visibleFields?.has(fieldId) ?? false,
      }),
    watchers: watchers && presentWatchers(watchers.get(row.id) ?? []),
    allowed_statuses: statuses && presentStatuses(statuses),
  };
}

async function showIssue(request: FastifyRequest, ctx: IssueContext, issueId: number, include: Set<string>) {
  const row = await selectIssue(ctx.db, visibleIssuesCondition(ctx.actor), issueId);
  if (!row) {
    if (await issueExists(ctx.db, issueId)) {
      // Redmine's rule for issues: one that exists but is not visible is 403 (401 when anonymous).
      throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('issue not visible');
    }
    throw new NotFoundError(`no issue ${issueId}`);
  }
  const [extras, hours] = await Promise.all([showExtras(request, ctx, row, include), issueSpentHours(ctx.db, ctx.actor, [row])]);
  return presentIssue(row, { ...extras, ...spentHoursOf(hours.get(row.id)) });
}

/** What a delete does with the time logged on the issues: `todo` (destroy, nullify, reassign) and `reassign_to_id`. */
function timeDisposalOf(params: Params): IssueTimeDisposal {
  return { todo: paramString(params.todo), reassignToId: paramString(params.reassign_to_id) };
}

function inputOrFail(params: Params) {
  const { input, errors } = issueInputOf(params);
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  return input;
}

export async function issuesApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/issues', async (request, reply) => {
    const params = apiParams(request);
    return sendApi(request, reply, await listIssues(request, params, paramString(params.project_id)));
  });

  apiGet(app, '/projects/:project_id/issues', async (request, reply) => {
    const params = apiParams(request);
    return sendApi(request, reply, await listIssues(request, params, paramString(params.project_id)));
  });

  apiGet(app, '/issues/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    return sendApi(request, reply, resource('issue', await showIssue(request, ctx, issueIdOf(params), includesOf(params))));
  });

  const create = async (request: FastifyRequest, pathProject: string | undefined) => {
    const ctx = await contextOf(request);
    const input = inputOrFail(apiParams(request));
    const id = input.copy ? await copyIssue(ctx, pathProject, input, input.copy) : await createIssue(ctx, pathProject, input);
    return { id, issue: await showIssue(request, ctx, id, new Set()) };
  };
  apiRoute(app, ['POST'], '/issues', async (request, reply) => {
    const { id, issue } = await create(request, undefined);
    reply.header('location', `${baseUrl(request)}/issues/${id}`);
    return sendApi(request, reply, resource('issue', issue), 201);
  });
  apiRoute(app, ['POST'], '/projects/:project_id/issues', async (request, reply) => {
    const { id, issue } = await create(request, paramString(apiParams(request).project_id) ?? '');
    reply.header('location', `${baseUrl(request)}/issues/${id}`);
    return sendApi(request, reply, resource('issue', issue), 201);
  });

  apiRoute(app, ['PUT', 'PATCH'], '/issues/:id', async (request, reply) => {
    const params = apiParams(request);
    const issueId = issueIdOf(params);
    const ctx = await contextOf(request);
    await purgeAttachmentFiles(ctx.db, tenantOf(request).files, await updateIssue(ctx, issueId, inputOrFail(params)));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/issues/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    await purgeAttachmentFiles(ctx.db, tenantOf(request).files, await deleteIssue(ctx, issueIdOf(params), timeDisposalOf(params)));
    return sendNoContent(reply);
  });

  // Bulk delete: DELETE /issues.json?ids[]=1&ids[]=2 — all or nothing on permission.
  apiRoute(app, ['DELETE'], '/issues', async (request, reply) => {
    const params = apiParams(request);
    const ids = [...paramList(params.ids), ...paramList(params.id)].map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    if (ids.length === 0) {
      throw new NotFoundError('no issue ids');
    }
    const ctx = await contextOf(request);
    for (const id of ids) {
      await getIssueForChange(ctx, id);
    }
    for (const id of ids) {
      if (await issueExists(ctx.db, id)) {
        await purgeAttachmentFiles(ctx.db, tenantOf(request).files, await deleteIssue(ctx, id, timeDisposalOf(params)));
      }
    }
    return sendNoContent(reply);
  });

  apiRoute(app, ['PUT', 'PATCH'], '/journals/:id', async (request, reply) => {
    const params = apiParams(request);
    await editJournal(await contextOf(request), paramString(params.id) ?? '', params);
    return sendNoContent(reply);
  });
}
