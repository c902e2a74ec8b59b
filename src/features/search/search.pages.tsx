/**
 * HTML routes of the quick search (Redmine's SearchController#index), issues only for now:
 * `GET /search` and `GET /projects/:project_id/search`. A question that is an issue number (`123`,
 * `#123`) opens that issue when the user sees it; otherwise the visible issues whose subject,
 * description or readable notes contain all the words (or any, without `all_words`), newest first,
 * `search_results_per_page` a page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { paramString, type Params } from '#src/api/params.ts';
import { visibleIssuesCondition } from '#src/features/issues/index.ts';
import { issueIdOfQuestion, issueSearchCondition, searchWordsOf } from '#src/features/issues/issue.search.ts';
import { selectIssue, selectIssuePage } from '#src/features/issues/issue.repository.ts';
import { getVisibleProject, type ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { SearchPage, type SearchResult } from './views/search-page.tsx';

/** Some text around the first word found, as Redmine's excerpt (plain text). */
function excerptOf(text: string | null, words: readonly string[]): string {
  const plain = (text ?? '').replace(/\s+/g, ' ').trim();
  const lower = plain.toLowerCase();
  const at = Math.min(...words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0), plain.length);
  const start = at === plain.length ? 0 : Math.max(0, at - 80);
  const excerpt = plain.slice(start, start + 255);
  return `${start > 0 ? '…' : ''}${excerpt}${start + 255 < plain.length ? '…' : ''}`;
}

export async function searchPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const search = async (request: FastifyRequest, reply: FastifyReply) => {
    const { db, settings } = tenantOf(request);
    const actor = await actorOf(request);
    const ctx = { db, settings, actor, now: new Date() };
    const params = (request.query ?? {}) as Params;
    const projectParam = paramString((request.params as Record<string, string | undefined>).project_id);
    const project: ProjectRow | undefined = projectParam === undefined ? undefined : await getVisibleProject(ctx, projectParam);
    const question = (paramString(params.q) ?? '').trim().slice(0, 255);
    const visible = visibleIssuesCondition(actor);

    const issueId = issueIdOfQuestion(question);
    if (issueId !== undefined && (await selectIssue(db, visible, issueId))) {
      return reply.redirect(`/issues/${issueId}`, 302);
    }

    const words = searchWordsOf(question);
    const allWords = params.all_words === undefined ? true : (paramString(params.all_words) ?? '') !== '';
    const titlesOnly = (paramString(params.titles_only) ?? '') !== '';
    const hasChildren = project !== undefined && (project.rgt ?? 0) - (project.lft ?? 0) > 1;
    const scopes = project
      ? ['all', 'my_projects', ...(hasChildren ? ['subprojects'] : []), 'project']
      : actor.userId !== undefined
        ? ['all', 'my_projects']
        : ['all'];
    const askedScope = paramString(params.scope) ?? '';
    const scope = scopes.includes(askedScope) ? askedScope : project ? (hasChildren ? 'subprojects' : 'project') : 'all';
    const inScope =
      scope === 'my_projects'
        ? sql`p.id IN (${sql.join([-1, ...actor.memberRoles.keys()].map((id) => sql`${id}`), sql`, `)})`
        : scope === 'subprojects' && project
          ? sql`p.lft >= ${project.lft ?? 0} AND p.rgt <= ${project.rgt ?? 0}`
          : scope === 'project' && project
            ? sql`p.id = ${project.id}`
            : sql`TRUE`;

    const perPage = Number(settings.search_results_per_page) || 10;
    const pageNumber = Math.max(1, Math.min(Number(paramString(params.page)) || 1, 100_000));
    const searched = words.length > 0;
    const { rows, total } = searched
      ? await selectIssuePage(
          db,
          sql`${visible} AND ${inScope} AND ${issueSearchCondition(actor, words, { allWords, titlesOnly })}`,
          sql.raw('i.created_on DESC, i.id DESC'),
          { offset: (pageNumber - 1) * perPage, limit: perPage },
        )
      : { rows: [], total: 0 };
    const results: SearchResult[] = rows.map((row) => ({
      id: row.id,
      tracker: row.tracker_name,
      status: row.status_name,
      closed: row.status_is_closed,
      subject: row.subject,
      excerpt: excerptOf(row.description, words),
      createdOn: row.created_on,
      projectName: row.project_name,
    }));
    const action = project ? `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/search` : '/search';
    const pageHref = (page: number) => {
      const pairs = new URLSearchParams({ q: question, scope, all_words: allWords ? '1' : '', titles_only: titlesOnly ? '1' : '', page: String(page) });
      return `${action}?${pairs.toString()}`;
    };
    return sendPage(platform, request, reply, {
      title: (t) => t('label_search'),
      project,
      body: ({ t, format }) => (
        <SearchPage
          t={t}
          format={format}
          action={action}
          question={question}
          words={words}
          allWords={allWords}
          titlesOnly={titlesOnly}
          scope={scope}
          scopes={scopes.map((value) => ({
            value,
            label: t(value === 'all' ? 'label_project_all' : value === 'my_projects' ? 'label_my_projects' : value === 'subprojects' ? 'label_search_with_subprojects' : 'label_search_this_project', { value: project?.name ?? '' }),
          }))}
          results={results}
          total={total}
          page={pageNumber}
          perPage={perPage}
          pageHref={pageHref}
          searched={searched}
          showProject={scope !== 'project'}
        />
      ),
    });
  };
  app.get('/search', search);
  app.get('/projects/:project_id/search', search);
}
