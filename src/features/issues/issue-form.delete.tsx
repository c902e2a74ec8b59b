/**
 * Deleting an issue from its page (Redmine's IssuesController#destroy): when time is logged on it or
 * its subtasks and the post does not say what to do with it, the confirmation asks (delete the hours,
 * keep them on the project, or move them to another issue — `todo` and `reassign_to_id`); then
 * deleteIssue, and the project's issue list.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { paramString } from '#src/api/params.ts';
import { ValidationError } from '#src/errors.ts';
import { purgeAttachmentFiles } from '#src/features/attachments/index.ts';
import { loggedHoursOnIssues } from '#src/features/time-entries/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { refuse, type IssueContext } from './issue.plan.ts';
import { issueRightsOf } from './issue.policy.ts';
import { deleteIssue, getIssueForChange } from './issue.service.ts';
import { descendantIds } from './issue.tree.ts';
import { bodyParams, formContext, issueIdParam } from './issue-form.http.tsx';
import { DeleteIssuePage, type DeleteIssueModel } from './views/issue-form-page.tsx';

/** The issue if the actor may delete it (404/403 otherwise), with its project and the hours logged on its tree. */
async function deletable(ctx: IssueContext, issueId: number) {
  const found = await getIssueForChange(ctx, issueId);
  if (!issueRightsOf(ctx.actor, found.access, { trackerId: found.record.tracker_id, authorId: found.record.author_id }).deletable) {
    refuse(ctx.actor);
  }
  const hours = await loggedHoursOnIssues(ctx.db, [issueId, ...(await descendantIds(ctx.db, issueId))]);
  return { ...found, hours };
}

async function sendConfirmation(platform: Platform, request: FastifyRequest, reply: FastifyReply, found: Awaited<ReturnType<typeof deletable>>, extra: Partial<DeleteIssueModel>, status = 200) {
  const model: DeleteIssueModel = {
    issueId: found.record.id,
    subject: found.record.subject,
    hours: String(Math.round(found.hours * 100) / 100),
    hasHours: found.hours > 0,
    todo: 'destroy',
    reassignToId: '',
    errors: [],
    ...extra,
  };
  return sendPage(platform, request, reply, {
    status,
    title: (t) => t('label_confirmation'),
    project: found.project,
    menuItem: 'issues',
    body: ({ t, csrfToken }) => <DeleteIssuePage model={model} t={t} csrfToken={csrfToken} />,
  });
}

/** GET /issues/:id/delete: the confirmation. */
export async function showDeleteIssue(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await formContext(request);
  return sendConfirmation(platform, request, reply, await deletable(ctx, issueIdParam(request)), {});
}

/** POST /issues/:id/delete. */
export async function deleteFromForm(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const issueId = issueIdParam(request);
  const ctx = await formContext(request);
  const found = await deletable(ctx, issueId);
  const params = bodyParams(request);
  const todo = paramString(params.todo);
  const reassignToId = paramString(params.reassign_to_id) ?? '';
  if (found.hours > 0 && (todo === undefined || todo === '')) {
    return sendConfirmation(platform, request, reply, found, {});
  }
  try {
    const removed = await deleteIssue(ctx, issueId, { todo, reassignToId });
    await purgeAttachmentFiles(ctx.db, tenantOf(request).files, removed);
  } catch (error) {
    if (error instanceof ValidationError) {
      return sendConfirmation(platform, request, reply, found, { todo: todo ?? 'destroy', reassignToId, errors: error.errors }, 422);
    }
    throw error;
  }
  request.log.info({ category: 'issues', issue: issueId }, 'issue deleted from its page');
  setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
  return reply.redirect(`/projects/${encodeURIComponent(found.project.identifier ?? String(found.project.id))}/issues`, 303);
}
