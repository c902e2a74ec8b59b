/**
 * HTML routes of saved issue queries (Redmine's QueriesController): `GET /queries/new` (from an issue
 * list's Save button, with its filters and options), `POST /queries`, `GET /queries/:id/edit`,
 * `POST /queries/:id`, `POST /queries/:id/delete`. The filters are checked by the issue list that
 * owns them; who may save and share is decided in saved-query.service.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { loadListChoices } from '#src/features/issues/issue-list.choices.ts';
import { filterDefinitions } from '#src/features/issues/issue-list.filters.ts';
import { customFieldFilterType, listScope, prepareIssueList, type PreparedList } from '#src/features/issues/issue-list.service.ts';
import { sortOf, storedFiltersOf, storedSortOf, type SortCriteria } from '#src/features/issues/issue-list.state.ts';
import { issueFilterCatalogue } from '#src/features/issues/issue-filter.model.ts';
import type { IssueContext } from '#src/features/issues/issue.plan.ts';
import { getVisibleProject, type ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageFormatter, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import { todayInZone } from '#src/lib/zoned-today.ts';
import type { Platform } from '#src/platform/platform.ts';
import { QUERY_VISIBILITY } from './query.policy.ts';
import {
  createSavedQuery,
  deleteSavedQuery,
  getEditableQuery,
  queryRoleChoices,
  savedQueryRights,
  updateSavedQuery,
  type SavedQueryInput,
} from './saved-query.service.ts';
import { QueryEditPage } from './views/query-edit.tsx';

async function contextOf(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function listPathOf(project: ProjectRow | undefined): string {
  return project ? `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/issues` : '/issues';
}

async function projectOf(ctx: IssueContext, params: Params): Promise<ProjectRow | undefined> {
  const id = paramString(params.project_id)?.trim();
  return id ? getVisibleProject(ctx, id) : undefined;
}

/** The issue list's query of the form's parameters, as the list itself reads them. */
async function preparedOf(request: FastifyRequest, ctx: IssueContext, project: ProjectRow | undefined, params: Params): Promise<PreparedList> {
  const lang = pageLanguage(request, request.user?.language);
  const format = await pageFormatter(request, translator(lang), lang);
  return prepareIssueList(ctx, params, await listScope(ctx, project, todayInZone(ctx.now, format.timeZone)));
}

/** `query[sort_criteria][0][]=priority&…[0][]=desc` (the form's selects), else the list's `sort`. */
function sortFromForm(query: Params, params: Params): SortCriteria {
  const criteria = paramObject(query.sort_criteria);
  if (!criteria) {
    return sortOf(paramString(params.sort));
  }
  const text = ['0', '1', '2']
    .map((i) => paramList(criteria[i]))
    .filter(([key]) => key !== undefined && key !== '')
    .map(([key, direction]) => (direction === 'desc' ? `${key}:desc` : key))
    .join(',');
  return sortOf(text);
}

/** What the form asks to save; the filters are those the list knows. */
function inputOf(params: Params, prepared: PreparedList): SavedQueryInput & { sort: SortCriteria } {
  const query = paramObject(params.query) ?? {};
  const known = new Set([...issueFilterCatalogue(prepared.scope.filterContext).keys(), ...prepared.customFields.map((f) => `cf_${f.id}`)]);
  const sort = sortFromForm(query, params);
  return {
    name: paramString(query.name) ?? '',
    visibility: Number(paramString(query.visibility) ?? QUERY_VISIBILITY.private),
    roleIds: paramList(query.role_ids).filter((id) => /^\d{1,9}$/.test(id)).map(Number),
    forAllProjects: paramString(params.query_is_for_all) === '1',
    isDefault: paramString(query.default_project_query) === '1',
    filters: storedFiltersOf(prepared.state.filters.filter((f) => known.has(f.field))),
    columnNames: [...prepared.state.columns],
    sortCriteria: storedSortOf(sort),
    sort,
    groupBy: prepared.state.groupBy ?? null,
    totalableNames: [...prepared.state.totals],
    filterErrors: prepared.errors,
  };
}

interface FormPage {
  readonly project: ProjectRow | undefined;
  readonly prepared: PreparedList;
  readonly queryId: number | undefined;
  readonly values: Omit<SavedQueryInput, 'filters' | 'columnNames' | 'sortCriteria' | 'groupBy' | 'totalableNames' | 'filterErrors'> & { sort: SortCriteria };
  readonly forAllEditable: boolean;
  readonly errors: readonly string[];
  readonly status: number;
}

export async function queryPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showForm = async (request: FastifyRequest, reply: FastifyReply, ctx: IssueContext, page: FormPage) => {
    const queryCtx = { db: ctx.db, actor: ctx.actor };
    const [choices, roles, rights] = await Promise.all([loadListChoices(ctx, page.prepared.scope, undefined), queryRoleChoices(ctx.db), savedQueryRights(queryCtx, page.project)]);
    const { prepared, project, values } = page;
    const definitions = filterDefinitions(issueFilterCatalogue(prepared.scope.filterContext), choices, prepared.customFields, customFieldFilterType);
    return sendPage(platform, request, reply, {
      status: page.status,
      title: (t) => (page.queryId === undefined ? t('label_query_new') : t('label_query_edit')),
      project,
      menuItem: 'issues',
      scripts: ['issue-query'],
      body: ({ t, format, csrfToken }) => (
        <QueryEditPage
          t={t}
          format={format}
          csrfToken={csrfToken}
          action={page.queryId === undefined ? '/queries' : `/queries/${page.queryId}`}
          queryId={page.queryId}
          projectIdentifier={project ? (project.identifier ?? String(project.id)) : undefined}
          name={values.name}
          visibility={values.visibility}
          roleIds={values.roleIds}
          roles={roles}
          forAllProjects={values.forAllProjects}
          forAllEditable={page.forAllEditable}
          isDefault={values.isDefault}
          mayShare={rights.managePublic}
          mayBeDefault={project !== undefined && rights.managePublic}
          sort={values.sort}
          definitions={definitions}
          columns={prepared.columns.all}
          state={prepared.state}
          errors={page.errors}
          listPath={listPathOf(project)}
        />
      ),
    });
  };

  app.get('/queries/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const project = await projectOf(ctx, params);
    if (!(await savedQueryRights({ db: ctx.db, actor: ctx.actor }, project)).save) {
      throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('may not save queries');
    }
    const prepared = await preparedOf(request, ctx, project, params);
    const values = { name: '', visibility: QUERY_VISIBILITY.private, roleIds: [], forAllProjects: project === undefined, isDefault: false, sort: prepared.state.sort };
    return showForm(request, reply, ctx, { project, prepared, queryId: undefined, values, forAllEditable: true, errors: [], status: 200 });
  });

  app.post('/queries', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const project = await projectOf(ctx, params);
    const prepared = await preparedOf(request, ctx, project, { ...params, query_id: '' });
    const input = inputOf(params, prepared);
    try {
      const id = await createSavedQuery({ db: ctx.db, actor: ctx.actor }, 'IssueQuery', project, input);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
      return reply.redirect(`${listPathOf(input.forAllProjects ? undefined : project)}?query_id=${id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      return showForm(request, reply, ctx, { project, prepared, queryId: undefined, values: input, forAllEditable: true, errors: error.errors, status: 422 });
    }
  });

  app.get('/queries/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = paramString((request.params as Params).id) ?? '';
    const editable = await getEditableQuery({ db: ctx.db, actor: ctx.actor }, 'IssueQuery', id);
    const { query, project } = editable;
    const prepared = await preparedOf(request, ctx, project, { query_id: String(query.id) });
    const values = {
      name: query.name,
      visibility: query.visibility,
      roleIds: query.roleIds,
      forAllProjects: query.projectId === null,
      isDefault: editable.isDefault,
      sort: prepared.state.sort,
    };
    const forAllEditable = project !== undefined && (query.visibility === QUERY_VISIBILITY.private || ctx.actor.isAdmin);
    return showForm(request, reply, ctx, { project, prepared, queryId: query.id, values, forAllEditable, errors: [], status: 200 });
  });

  app.post('/queries/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const id = paramString((request.params as Params).id) ?? '';
    const queryCtx = { db: ctx.db, actor: ctx.actor };
    const editable = await getEditableQuery(queryCtx, 'IssueQuery', id);
    const prepared = await preparedOf(request, ctx, editable.project, { ...params, query_id: '' });
    const input = inputOf(params, prepared);
    try {
      const saved = await updateSavedQuery(queryCtx, 'IssueQuery', id, input);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
      return reply.redirect(`${listPathOf(saved.projectId === null ? undefined : editable.project)}?query_id=${saved.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      const forAllEditable = editable.project !== undefined && (editable.query.visibility === QUERY_VISIBILITY.private || ctx.actor.isAdmin);
      return showForm(request, reply, ctx, { project: editable.project, prepared, queryId: editable.query.id, values: input, forAllEditable, errors: error.errors, status: 422 });
    }
  });

  app.post('/queries/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = paramString((request.params as Params).id) ?? '';
    const project = await deleteSavedQuery({ db: ctx.db, actor: ctx.actor }, 'IssueQuery', id);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect(`${listPathOf(project)}?set_filter=1`, 303);
  });
}
