/**
 * What the issue form's routes share: the request's context and params, the form page inside the
 * frame, and the bare `#all_attributes` the island swaps in after a change of project, tracker or
 * status.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { render } from 'preact-render-to-string';
import { paramString, type Params } from '#src/api/params.ts';
import { NotFoundError } from '#src/errors.ts';
import { findProject } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { IssueContext } from './issue.plan.ts';
import type { IssueFormModel } from './issue-form.types.ts';
import { IssueFormAttributes } from './views/issue-form-attributes.tsx';
import { EditIssuePage, NewIssuePage } from './views/issue-form-page.tsx';

export async function formContext(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/** The posted form as a params tree (an urlencoded body, or a multipart one read by issue-form.multipart.ts). */
export function bodyParams(request: FastifyRequest): Params {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Params) } : {};
}

export function pathParam(request: FastifyRequest, name: string): string {
  return paramString((request.params as Params)[name]) ?? '';
}

/** `/issues/:id` with a numeric id, else 404. */
export function issueIdParam(request: FastifyRequest): number {
  const id = pathParam(request, 'id');
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no issue ${id}`);
  }
  return Number(id);
}

/** The new or edit page with the form, in the frame of the issue's project. */
export async function sendFormPage(platform: Platform, request: FastifyRequest, reply: FastifyReply, model: IssueFormModel, status = 200) {
  const project = await findProject(tenantOf(request).db.orm, String(model.project.id));
  const issue = model.issue;
  return sendPage(platform, request, reply, {
    status,
    title: (t) => (issue ? t('label_issue_edit_title', { tracker: issue.trackerName, id: String(issue.id), subject: issue.subject }) : t('label_issue_new')),
    project,
    menuItem: issue ? 'issues' : 'new_issue',
    scripts: ['issue-form'],
    body: ({ t, csrfToken }) => (issue ? <EditIssuePage model={model} t={t} csrfToken={csrfToken} /> : <NewIssuePage model={model} t={t} csrfToken={csrfToken} />),
  });
}

/** The inside of `#all_attributes` for the current input (Redmine's update_form), as an HTML fragment. */
export function sendFormFragment(request: FastifyRequest, reply: FastifyReply, model: IssueFormModel) {
  const t = translator(pageLanguage(request, request.user?.language));
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(render(<IssueFormAttributes model={model} t={t} />));
}
