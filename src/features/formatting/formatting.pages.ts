/**
 * `POST /preview/text` (Redmine 5's route): the text of a form rendered as it will be shown, a
 * `div.wiki` fragment for the Preview tab of the wiki toolbar. `project_id` gives the project its
 * references resolve in, `issue_id` the attachments `attachment:` and inline images may name; both
 * must be visible to the actor (404 otherwise). The page guard requires the CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { attachmentsOf } from '#src/features/attachments/index.ts';
import { getVisibleProject } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { renderTexts } from './index.ts';
import { findVisibleIssueProjectId } from './reference.repository.ts';

const previewForm = z.object({
  text: z.string().max(1_000_000).default(''),
  project_id: z.string().max(100).optional(),
  issue_id: z.string().regex(/^\d{1,10}$/).optional(),
});

export async function formattingPages(app: FastifyInstance, _options: { platform: Platform }): Promise<void> {
  app.post('/preview/text', async (request, reply) => {
    const form = previewForm.safeParse(request.body ?? {});
    if (!form.success) {
      throw new ValidationError(form.error.issues.map((issue) => `${issue.path.join('.')} is invalid`));
    }
    const { text, project_id: projectParam, issue_id: issueParam } = form.data;
    const { db, settings } = tenantOf(request);
    const actor = await actorOf(request);
    let projectId = projectParam ? (await getVisibleProject({ db, actor, settings, now: new Date() }, projectParam)).id : undefined;
    let attachments: { id: number; filename: string; contentType: string | null }[] = [];
    if (issueParam) {
      const issueId = Number(issueParam);
      const issueProjectId = await findVisibleIssueProjectId(db, actor, issueId);
      if (issueProjectId === undefined) {
        throw new NotFoundError(`no issue ${issueId}`);
      }
      projectId ??= issueProjectId;
      attachments = (await attachmentsOf(db, 'Issue', [issueId])).get(issueId) ?? [];
    }
    const [html = ''] = await renderTexts({ db, actor, settings, projectId, attachments, lang: pageLanguage(request, request.user?.language) }, [text]);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<div class="wiki">${html}</div>`);
  });
}
