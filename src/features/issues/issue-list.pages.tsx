/**
 * HTML routes of the issue list (Redmine's IssuesController#index): `/issues` and
 * `/projects/:id/issues` with the query form, table, groups, totals and pages, and their CSV export
 * (`.csv`). The issues shown are the REST list's (same visibility and filters). The bulk routes
 * (context menu, bulk edit, delete), saved queries and search register from here too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramString, type Params } from '#src/api/params.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { renderTexts } from '#src/features/formatting/index.ts';
import { allowedGlobally, getVisibleProject, loadProjectAccess } from '#src/features/projects/index.ts';
import { QUERY_VISIBILITY, savedQueryRights, sidebarQueries, getEditableQuery } from '#src/features/queries/index.ts';
import { queryPages } from '#src/features/queries/query.pages.tsx';
import { searchPages } from '#src/features/search/search.pages.tsx';
import { actorOf } from '#src/http/actor.ts';
import { pageFormatter, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import { todayInZone } from '#src/lib/zoned-today.ts';
import type { Platform } from '#src/platform/platform.ts';
import { issueBulkPages } from './issue-bulk.pages.tsx';
import { loadListChoices, priorityClasses } from './issue-list.choices.ts';
import { csvContentType, csvDisposition, csvEncodingOf, encodeCsv } from '#src/lib/csv.ts';
import { issueCsvText } from './issue-list.csv.ts';
import { filterDefinitions } from './issue-list.filters.ts';
import { rememberIssueList } from './issue-list.remember.ts';
import { customFieldFilterType, issueListPath, listScope, prepareIssueList, runIssueList, shownColumns, type PreparedList } from './issue-list.service.ts';
import { perPageOptionsOf } from './issue-list.state.ts';
import { issueFilterCatalogue } from './issue-filter.model.ts';
import type { IssueContext } from './issue.plan.ts';
import { IssueListSidebar, IssueListView } from './views/issue-list.tsx';
import { choiceText } from './views/query-filters.tsx';

async function contextOf(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function queryParams(request: FastifyRequest): Params {
  return (request.query ?? {}) as Params;
}

/**
 * The list of the request: the project of the path (or, for `/queries/filter`, of the `project_id`
 * parameter), the user's formats and today, the prepared query.
 */
async function listOf(request: FastifyRequest, projectFrom: 'path' | 'query' = 'path') {
  const ctx = await contextOf(request);
  const projectParam = paramString((projectFrom === 'path' ? (request.params as Params) : queryParams(request)).project_id);
  const project = projectParam === undefined ? undefined : await getVisibleProject(ctx, projectParam);
  const lang = pageLanguage(request, request.user?.language);
  const t = translator(lang);
  const format = await pageFormatter(request, t, lang);
  const scope = await listScope(ctx, project, todayInZone(ctx.now, format.timeZone));
  const prepared = await prepareIssueList(ctx, queryParams(request), scope);
  return { ctx, project, lang, t, format, prepared };
}

/** Descriptions as safe HTML, when the description column is shown. */
async function descriptionsOf(ctx: IssueContext, prepared: PreparedList, rows: readonly { issue: { id: number; description: string | null } }[], lang: 'en' | 'ja') {
  const html = await renderTexts({ db: ctx.db, actor: ctx.actor, settings: ctx.settings, projectId: prepared.scope.project?.id, lang }, rows.map((r) => r.issue.description));
  return new Map(rows.map((r, i) => [r.issue.id, html[i] ?? '']));
}

export async function issueListPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const { ctx, project, lang, prepared } = await listOf(request);
    const { state, scope } = prepared;
    const { inline, block } = shownColumns(prepared);
    const result = await runIssueList(ctx, prepared, { offset: (state.page - 1) * state.perPage, limit: state.perPage }, [...inline, ...block], tenantOf(request).dataVersion);
    const queryCtx = { db: ctx.db, actor: ctx.actor };
    const [choices, queries, rights, descriptions, access] = await Promise.all([
      loadListChoices(ctx, scope, tenantOf(request).dataVersion),
      sidebarQueries(queryCtx, 'IssueQuery', project),
      savedQueryRights(queryCtx, project),
      block.length > 0 ? descriptionsOf(ctx, prepared, result.rows, lang) : new Map<number, string>(),
      project ? loadProjectAccess(ctx.db.orm, project) : undefined,
    ]);
    const editable = state.query ? await getEditableQuery(queryCtx, 'IssueQuery', String(state.query.id)).then(() => state.query?.id, () => undefined) : undefined;
    const definitions = filterDefinitions(issueFilterCatalogue(scope.filterContext), choices, prepared.customFields, customFieldFilterType);
    const listPath = issueListPath(project);
    const mayAdd = access ? allowedTo(ctx.actor, 'add_issues', access) : allowedGlobally(ctx.actor, 'add_issues');
    // The issue page's previous/next links follow the list viewed last (Redmine's session query).
    rememberIssueList(platform, request, reply, project ? (project.identifier ?? String(project.id)) : undefined, state);
    return sendPage(platform, request, reply, {
      title: (t) => state.query?.name ?? t('label_issue_plural'),
      project,
      menuItem: 'issues',
      scripts: ['issue-query', 'context-menu'],
      body: ({ t, format, csrfToken }) => (
        <IssueListView
          t={t}
          format={format}
          csrfToken={csrfToken}
          listPath={listPath}
          projectIdentifier={project ? (project.identifier ?? String(project.id)) : undefined}
          state={state}
          definitions={definitions}
          columns={prepared.columns.all}
          inline={inline}
          block={block}
          groupColumn={prepared.groupColumn}
          result={result}
          descriptions={descriptions}
          errors={prepared.errors}
          perPageOptions={perPageOptionsOf(ctx.settings.per_page_options)}
          exportLimit={Number(ctx.settings.issues_export_limit)}
          canSaveQuery={rights.save}
          editableQueryId={editable}
          newIssuePath={mayAdd ? (project ? `${listPath}/new` : '/issues/new') : undefined}
          priorityClasses={priorityClasses(choices.priorityRows)}
          today={scope.today}
          userId={ctx.actor.userId}
          groupIds={ctx.actor.groupIds}
        />
      ),
      sidebar: ({ t }) => (
        <IssueListSidebar
          t={t}
          listPath={listPath}
          queries={queries.map((q) => ({ id: q.id, name: q.name, isPrivate: q.visibility === QUERY_VISIBILITY.private }))}
          currentId={state.query?.id}
        />
      ),
    });
  };

  const csv = async (request: FastifyRequest, reply: FastifyReply) => {
    const { ctx, t, format, prepared } = await listOf(request);
    const params = queryParams(request);
    const asked = params.c === undefined ? undefined : paramList(params.c);
    const { inline, block } = shownColumns(prepared);
    const columns = [
      ...(asked?.includes('all_inline') ? prepared.columns.all.filter((c) => !c.block) : inline),
      ...(asked ? prepared.columns.all.filter((c) => c.block && asked.includes(c.name)) : block),
    ];
    const limit = Number(ctx.settings.issues_export_limit) || 500;
    const result = await runIssueList(ctx, prepared, { offset: 0, limit }, columns);
    if (prepared.errors.length > 0) {
      return reply.status(422).type('text/plain; charset=utf-8').send(prepared.errors.join('\n'));
    }
    const encoding = csvEncodingOf(paramString(params.encoding));
    const text = issueCsvText({ t, format, columns, rows: result.rows, names: result.names });
    return reply
      .type(csvContentType(encoding))
      .header('content-disposition', csvDisposition(prepared.state.query?.name ?? 'issues', 'issues'))
      .header('cache-control', 'no-store')
      .send(encodeCsv(text, encoding));
  };

  /**
   * Redmine's `GET /queries/filter?type=IssueQuery&project_id=…&name=…`: the values of one list
   * filter as `[label, value]` or `[label, value, group]`, for the filter rows the page leaves empty.
   * Same choices, same visibility as the page's own.
   */
  const filterValues = async (request: FastifyRequest, reply: FastifyReply) => {
    const { ctx, t, format, prepared } = await listOf(request, 'query');
    const name = paramString(queryParams(request).name);
    const choices = await loadListChoices(ctx, prepared.scope, tenantOf(request).dataVersion);
    const definition = filterDefinitions(issueFilterCatalogue(prepared.scope.filterContext), choices, prepared.customFields, customFieldFilterType).find((d) => d.field === name);
    if (!definition?.choices) {
      return reply.status(404).type('application/json').send('[]');
    }
    return reply
      .header('cache-control', 'no-store')
      .send(definition.choices.map((c) => (c.group === undefined ? [choiceText(t, format, c.label), c.value] : [choiceText(t, format, c.label), c.value, c.group])));
  };

  app.get('/issues', list);
  app.get('/queries/filter', filterValues);
  app.get('/projects/:project_id/issues', list);
  app.get('/issues.csv', csv);
  app.get('/projects/:project_id/issues.csv', csv);
  await app.register(issueBulkPages, { platform });
  await app.register(queryPages, { platform });
  await app.register(searchPages, { platform });
}
