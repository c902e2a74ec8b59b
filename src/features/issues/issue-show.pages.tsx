/**
 * The issue page (`GET /issues/:id`, Redmine's issues#show) and the forms it carries that answer with
 * the page again: adding a relation (`POST /issues/:id/relations`, the page comes back with the
 * refusal) and removing one (`POST /relations/:id/delete`). The page links the previous and next
 * issues of the list the browser viewed last (issue-list.remember.ts). The note routes are
 * journal.pages.tsx, the watcher routes the watchers feature's pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { createRelations, deleteRelation, getRelation, newRelationOf } from '#src/features/issue-relations/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { pageFormatter, sendPage } from '#src/http/page.tsx';
import { isLanguage, translator } from '#src/i18n/index.ts';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { todayInZone } from '#src/lib/zoned-today.ts';
import type { Platform } from '#src/platform/platform.ts';
import { rememberedIssueList } from './issue-list.remember.ts';
import { issueIdParam, loadIssueShow, type IssueShowModel, type ShowContext } from './issue-show.loader.ts';
import { journalPages } from './journal.pages.tsx';
import type { RelationFormState } from './views/issue-relations.tsx';
import { IssueShow, IssueSidebar } from './views/issue-show.tsx';

export async function showContextOf(request: FastifyRequest): Promise<ShowContext> {
  const { db, settings, dataVersion } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), dataVersion };
}

/** The user's today (their time zone), for the relative dates of a remembered list's filters. */
async function userToday(request: FastifyRequest, now: Date): Promise<string> {
  const lang = pageLanguage(request, request.user?.language);
  return todayInZone(now, (await pageFormatter(request, translator(lang), lang)).timeZone);
}

const bodyOf = (request: FastifyRequest): Params => (request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {});
const queryOf = (request: FastifyRequest): Params => (request.query ?? {}) as Params;

/** Renders the loaded page (also after a refused relation, with its form open and its errors). */
export function sendIssuePage(platform: Platform, request: FastifyRequest, reply: FastifyReply, model: IssueShowModel, options: { status?: number; relationForm?: RelationFormState } = {}) {
  const { issue } = model;
  return sendPage(platform, request, reply, {
    title: (t) => t('label_issue_page_title', { tracker: issue.tracker_name, id: String(issue.id), subject: issue.subject }),
    project: model.project,
    menuItem: 'issues',
    status: options.status,
    scripts: ['issue-history'],
    bodyClass: 'controller-issues action-show',
    body: ({ t, format, csrfToken, settings }) => {
      // A quote becomes part of the text, so its "X wrote:" is in the tenant's language (as the edit form's own quote).
      const quoteT = translator(isLanguage(settings.default_language) ? settings.default_language : 'en');
      return <IssueShow model={model} t={t} format={format} csrfToken={csrfToken} relationForm={options.relationForm} quoteT={quoteT} />;
    },
    sidebar: ({ t, format, csrfToken }) => <IssueSidebar model={model} t={t} format={format} csrfToken={csrfToken} />,
  });
}

/** Back to the issue a form was posted from (a hidden `issue_id`), else `fallback`. */
function issuePath(params: Params, fallback: number, anchor: string): string {
  const given = paramString(params.issue_id) ?? '';
  return `/issues/${/^\d{1,9}$/.test(given) ? given : fallback}${anchor}`;
}

export async function issueShowPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/issues/:id', async (request, reply) => {
    const id = issueIdParam((request.params as Params).id);
    const ctx = await showContextOf(request);
    const remembered = rememberedIssueList(platform, request);
    const list = remembered && { remembered, today: await userToday(request, ctx.now) };
    const model = await loadIssueShow(ctx, id, paramString(queryOf(request).tab), list);
    return sendIssuePage(platform, request, reply, model);
  });

  app.post('/issues/:id/relations', async (request, reply) => {
    const id = issueIdParam((request.params as Params).id);
    const ctx = await showContextOf(request);
    const body = bodyOf(request);
    try {
      await createRelations(ctx, String(id), newRelationOf(body));
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      const relation = (body.relation ?? {}) as Params;
      const model = await loadIssueShow(ctx, id, undefined);
      return sendIssuePage(platform, request, reply, model, {
        status: 422,
        relationForm: {
          errors: error.errors,
          relationType: paramString(relation.relation_type) ?? 'relates',
          issueToId: paramString(relation.issue_to_id) ?? '',
          delay: paramString(relation.delay) ?? '',
        },
      });
    }
    return reply.redirect(`/issues/${id}#relations`, 302);
  });

  app.post('/relations/:id/delete', async (request, reply) => {
    const param = paramString((request.params as Params).id) ?? '';
    if (!/^\d{1,9}$/.test(param)) {
      throw new NotFoundError(`no relation ${param}`);
    }
    const ctx = await showContextOf(request);
    const relation = await getRelation(ctx, param);
    await deleteRelation(ctx, param);
    return reply.redirect(issuePath(bodyOf(request), relation.issueFromId, '#relations'), 302);
  });

  await app.register(journalPages, { platform });
}
