/**
 * New issue, copy and create (Redmine's IssuesController#new and #create): the form, the form again
 * for a changed project or tracker, and the post, which goes through createIssue (or copyIssue) as the
 * REST API does. "Create" shows the new issue; "Create and continue" opens a new form with the same
 * tracker and parent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { ValidationError } from '#src/errors.ts';
import { humanSize } from '#src/features/attachments/index.ts';
import { allowedGlobally, findProject, getVisibleProject, loadProjectAccess } from '#src/features/projects/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageLanguage } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { copyFormParams, copyIssue } from './issue.copy.ts';
import { issueInputOf } from './issue.input.ts';
import { refuse, type IssueContext } from './issue.plan.ts';
import { selectIssueRecord } from './issue.records.ts';
import { createIssue } from './issue.service.ts';
import { bodyParams, formContext, pathParam, sendFormFragment, sendFormPage } from './issue-form.http.tsx';
import { loadIssueFormModel } from './issue-form.model.ts';
import { storeFormUploads } from './issue-form.multipart.ts';

/** Redmine's authorize before anything of the post is used: add_issues in the path's project, or somewhere. */
async function checkMayCreate(ctx: IssueContext, pathProject: string | undefined): Promise<void> {
  if (pathProject === undefined) {
    if (!allowedGlobally(ctx.actor, 'add_issues')) {
      refuse(ctx.actor);
    }
    return;
  }
  const project = await getVisibleProject(ctx, pathProject);
  if (!allowedTo(ctx.actor, 'add_issues', await loadProjectAccess(ctx.db.orm, project))) {
    refuse(ctx.actor);
  }
}

/** GET /projects/:id/issues/new and /issues/new: the query may preset attributes (`issue[tracker_id]=2`) or name an issue to copy. */
export async function showNewIssue(platform: Platform, request: FastifyRequest, reply: FastifyReply, pathProject: string | undefined) {
  const ctx = await formContext(request);
  const query = request.query as Params;
  // Redmine also opens a copy as /projects/:id/issues/new?copy_from=N.
  const copyFrom = paramString(query.copy_from);
  const params = copyFrom ? await copyFormParams(ctx, pathProject, copyFrom) : { ...query };
  const model = await loadIssueFormModel(ctx, { projectId: pathProject, params, firstView: true });
  return sendFormPage(platform, request, reply, model);
}

/** GET /projects/:id/issues/:copy_from/copy: the new form filled from the issue to copy. */
export async function showCopyIssue(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await formContext(request);
  const pathProject = pathParam(request, 'project_id');
  const params = await copyFormParams(ctx, pathProject, pathParam(request, 'copy_from'));
  const model = await loadIssueFormModel(ctx, { projectId: pathProject, params, firstView: true });
  return sendFormPage(platform, request, reply, model);
}

/** POST …/issues/new/form: the attributes again for the input so far. */
export async function newIssueFragment(request: FastifyRequest, reply: FastifyReply, pathProject: string | undefined) {
  const ctx = await formContext(request);
  return sendFormFragment(request, reply, await loadIssueFormModel(ctx, { projectId: pathProject, params: bodyParams(request) }));
}

/** Where "Create and continue" goes: a new form of the issue's project with its tracker and parent. */
function continueUrl(identifier: string, params: Params): string {
  const issue = paramObject(params.issue) ?? {};
  const query = new URLSearchParams();
  for (const key of ['tracker_id', 'parent_issue_id']) {
    const value = paramString(issue[key]);
    if (value) {
      query.set(`issue[${key}]`, value);
    }
  }
  const text = query.toString();
  return `/projects/${encodeURIComponent(identifier)}/issues/new${text ? `?${text}` : ''}`;
}

/** POST /projects/:id/issues and /issues (a copy when `copy_from` is given). */
export async function createFromForm(platform: Platform, request: FastifyRequest, reply: FastifyReply, pathProject: string | undefined) {
  const ctx = await formContext(request);
  await checkMayCreate(ctx, pathProject);
  const params = bodyParams(request);
  const t = translator(pageLanguage(request, request.user?.language));
  const uploads = await storeFormUploads(request, ctx, params, (maxBytes) => t('error_attachment_too_big', { max_size: humanSize(maxBytes, t) }));
  const again = async (errors: readonly string[], status: number) =>
    sendFormPage(platform, request, reply, await loadIssueFormModel(ctx, { projectId: pathProject, params, errors, uploads: uploads.kept }), status);
  if (params.update_form !== undefined) {
    return again(uploads.errors, 200);
  }
  const { input, errors } = issueInputOf(params);
  if (errors.length > 0 || uploads.errors.length > 0) {
    return again([...errors, ...uploads.errors], 422);
  }
  let id: number;
  try {
    id = input.copy ? await copyIssue(ctx, pathProject, input, input.copy) : await createIssue(ctx, pathProject, input);
  } catch (error) {
    if (error instanceof ValidationError) {
      return again(error.errors, 422);
    }
    throw error;
  }
  request.log.info({ category: 'issues', issue: id }, 'issue created from the form');
  setFlash(reply, { kind: 'notice', key: 'notice_issue_successful_create', vars: { id: String(id) } });
  if (params.continue !== undefined) {
    const record = await selectIssueRecord(ctx.db, id);
    const project = record ? await findProject(ctx.db.orm, String(record.project_id)) : undefined;
    return reply.redirect(continueUrl(project?.identifier ?? String(record?.project_id ?? ''), params), 303);
  }
  return reply.redirect(`/issues/${id}`, 303);
}
