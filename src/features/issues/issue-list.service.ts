/**
 * The issue list of a page or an export (Redmine's IssuesController#index with IssueQuery): who may
 * see it, which query it shows (a saved one, the request's, or the project's default), the issues on
 * the page with what their columns show, and the counts and totals of groups. Same visibility and
 * filters as the REST list (issue.query.ts, issue.policy.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { paramString, type Params } from '#src/api/params.ts';
import { allowedTo, isLoggedIn, PROJECT_STATUS } from '#src/domain/authorization.ts';
import { formatOf, issueListCustomFields, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { recall, remember } from '#src/db/version-memo.ts';
import { KanriError } from '#src/errors.ts';
import { allowedGlobally, getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { getSavedQuery, projectDefaultQueryId } from '#src/features/queries/index.ts';
import { visibleSpentHoursOfIssue } from '#src/features/time-entries/index.ts';
import { utcToday } from './issue-filter.dates.ts';
import { issueFilterCatalogue, issueFiltersOf, type FilterContext, type FilterType } from './issue-filter.model.ts';
import { columnCatalogue, defaultColumnsFor, type ColumnCatalogue, type ListColumn } from './issue-list.columns.ts';
import { selectGroupTotals, selectGroupValues, selectIssueIds, type GroupTotals } from './issue-list.repository.ts';
import {
  buildsQuery,
  perPageOptionsOf,
  queryString,
  sortParam,
  stateFromParams,
  stateFromSavedQuery,
  stateParams,
  type IssueListState,
  type ListDefaults,
  type ListFilter,
} from './issue-list.state.ts';
import { loadRowValues, type ListRow, type ValueNames } from './issue-list.values.ts';
import type { IssueContext } from './issue.plan.ts';
import { refuse } from './issue.plan.ts';
import { visibleIssuesCondition } from './issue.policy.ts';
import { customFieldShownIn } from './issue.custom-field-order.ts';
import { issueFilters, issueOrder } from './issue.query.ts';
import { selectIssuePage } from './issue.repository.ts';

export interface ListScope {
  readonly project: ProjectRow | undefined;
  /** The project and its subprojects shown (display_subprojects_issues), not archived. */
  readonly projectIds: readonly number[] | undefined;
  readonly filterContext: FilterContext;
  /** The user's today, for relative dates and overdue issues. */
  readonly today: string;
}

/** A list's query, ready to run: its state, columns and SQL. */
export interface PreparedList {
  readonly scope: ListScope;
  readonly state: IssueListState;
  readonly columns: ColumnCatalogue;
  readonly customFields: readonly CustomFieldDef[];
  /** Unusable filters: the list shows these instead of issues. */
  readonly errors: readonly string[];
  readonly where: SQL;
  readonly order: SQL;
  readonly groupColumn: ListColumn | undefined;
}

async function subprojectIds(ctx: IssueContext, project: ProjectRow): Promise<number[]> {
  const rows = await ctx.db.query<{ id: number }>('SELECT id FROM projects WHERE lft > $1 AND rgt < $2 AND status <> $3 ORDER BY lft', [
    project.lft ?? 0,
    project.rgt ?? 0,
    PROJECT_STATUS.archived,
  ]);
  return rows.map((r) => Number(r.id));
}

/**
 * Who may open the list (view_issues in the project, or somewhere for all projects: else 403, or the
 * sign-in page for visitors) and what it covers.
 */
export async function listScope(ctx: IssueContext, project: ProjectRow | undefined, today: string): Promise<ListScope> {
  const { actor } = ctx;
  const mayFilterPrivate = allowedGlobally(actor, 'set_issues_private') || allowedGlobally(actor, 'set_own_issues_private');
  if (!project) {
    if (!allowedGlobally(actor, 'view_issues')) {
      refuse(actor);
    }
    return { project, projectIds: undefined, today, filterContext: { hasProject: false, projectHasChildren: false, isLoggedIn: isLoggedIn(actor), mayFilterPrivate } };
  }
  if (!allowedTo(actor, 'view_issues', await loadProjectAccess(ctx.db.orm, project))) {
    refuse(actor);
  }
  const children = await subprojectIds(ctx, project);
  return {
    project,
    projectIds: ctx.settings.display_subprojects_issues === '1' ? [project.id, ...children] : [project.id],
    today,
    filterContext: { hasProject: true, projectHasChildren: children.length > 0, isLoggedIn: isLoggedIn(actor), mayFilterPrivate },
  };
}

/** The filter type of a custom field (its format's), or undefined when it cannot filter. */
export function customFieldFilterType(field: CustomFieldDef): FilterType | undefined {
  return formatOf(field.fieldFormat).filterType;
}

function longFormParams(filters: readonly ListFilter[]): Params {
  const op: Params = {};
  const v: Params = {};
  for (const filter of filters) {
    op[filter.field] = filter.operator;
    v[filter.field] = [...filter.values];
  }
  return { set_filter: '1', f: filters.map((f) => f.field), op, v };
}

/** Does the request name any filter (short form `status_id=…`, `cf_1=…`)? */
function namesFilters(params: Params, context: FilterContext): boolean {
  const catalogue = issueFilterCatalogue(context);
  return Object.keys(params).some((key) => catalogue.has(key) || /^cf_\d+$/.test(key));
}

/**
 * The list's query for a request (Redmine's retrieve_query): `query_id` → that saved query (visible,
 * of all projects or of this one); filter parameters → the request's own; neither → the project's
 * default query, else open issues.
 */
export async function prepareIssueList(ctx: IssueContext, params: Params, scope: ListScope): Promise<PreparedList> {
  const { actor, db } = ctx;
  const customFields = await issueListCustomFields(db, actor, scope.projectIds);
  const columns = columnCatalogue({
    spentHours: allowedGlobally(actor, 'view_time_entries') ? visibleSpentHoursOfIssue(actor) : undefined,
    mayViewPrivate: scope.filterContext.mayFilterPrivate,
    customFields,
    visibleIn: (field) => customFieldShownIn(actor, field),
  });
  const defaults: ListDefaults = { columns: defaultColumnsFor(scope.project !== undefined), totals: [], perPageOptions: perPageOptionsOf(ctx.settings.per_page_options) };
  const queryScope = { project: scope.project, displaySubprojects: ctx.settings.display_subprojects_issues === '1', today: scope.today };

  let queryId = paramString(params.query_id)?.trim() || undefined;
  if (!queryId && scope.project && !buildsQuery(params) && !namesFilters(params, scope.filterContext)) {
    queryId = (await projectDefaultQueryId({ db, actor }, scope.project))?.toString();
  }
  let state: IssueListState;
  let filterParams: Params;
  if (queryId) {
    state = stateFromSavedQuery(await getSavedQuery({ db, actor }, 'IssueQuery', queryId, scope.project), params, defaults);
    filterParams = { query_id: queryId };
  } else {
    const catalogue = issueFilterCatalogue(scope.filterContext);
    state = stateFromParams(params, defaults, () => issueFiltersOf(params, catalogue));
    filterParams = buildsQuery(params) ? longFormParams(state.filters) : params;
  }
  state = {
    ...state,
    columns: state.columns.filter((name) => columns.byName(name) !== undefined),
    groupBy: state.groupBy && columns.byName(state.groupBy)?.group ? state.groupBy : undefined,
    totals: state.totals.filter((name) => columns.byName(name)?.total !== undefined),
  };
  const { conditions, errors } = await issueFilters(db, filterParams, actor, queryScope);
  const where = sql.join([visibleIssuesCondition(actor), ...conditions], sql` AND `);
  const groupColumn = state.groupBy ? columns.byName(state.groupBy) : undefined;
  return { scope, state, columns, customFields, errors, where, order: orderOf(state, columns, groupColumn, scope), groupColumn };
}

/** Groups first (in the direction the sort gives the group column, else its own), then the sort. */
function orderOf(state: IssueListState, columns: ColumnCatalogue, groupColumn: ListColumn | undefined, scope: ListScope): SQL {
  const customFields = Object.fromEntries(columns.all.flatMap((c) => (c.sortKey && c.order ? [[c.sortKey, c.order] as const] : [])));
  const order = issueOrder({ sort: sortParam(state.sort) }, { mayViewPrivate: scope.filterContext.mayFilterPrivate, customFields });
  if (!groupColumn?.group) {
    return order;
  }
  const sorted = state.sort.find(([key]) => key === groupColumn.sortKey)?.[1];
  const direction = (sorted ?? groupColumn.defaultOrder ?? 'asc').toUpperCase();
  return sql`${sql.raw(groupColumn.group.order.map((expression) => `${expression} ${direction}`).join(', '))}, ${order}`;
}

/** The columns a list shows inline and under each row, in their order. */
export function shownColumns(prepared: PreparedList): { inline: ListColumn[]; block: ListColumn[] } {
  const chosen = prepared.state.columns.map((name) => prepared.columns.byName(name)).filter((c): c is ListColumn => c !== undefined);
  return { inline: chosen.filter((c) => !c.block), block: chosen.filter((c) => c.block) };
}

export interface IssueListResult {
  readonly rows: readonly ListRow[];
  readonly names: ValueNames;
  readonly total: number;
  /** Per group value, its count and totals (grouped lists). */
  readonly groups: ReadonlyMap<string | null, GroupTotals>;
  /** The whole list's totals, when totals are asked for. */
  readonly totals: GroupTotals | undefined;
}

/** The issues of one page (or of an export: `limit` rows from the first), with their values, groups and totals. */
/** `asOf`: the data version a reading request saw, to remember the page under (see selectIssuePage). */
export async function runIssueList(
  ctx: IssueContext,
  prepared: PreparedList,
  page: { offset: number; limit: number },
  columns: readonly ListColumn[],
  asOf?: string,
): Promise<IssueListResult> {
  if (prepared.errors.length > 0) {
    return { rows: [], names: { principals: new Map(), versions: new Map() }, total: 0, groups: new Map(), totals: undefined };
  }
  const { rows, total } = await selectIssuePage(ctx.db, prepared.where, prepared.order, page, asOf);
  const totals = prepared.state.totals.map((name) => ({ name, expression: prepared.columns.byName(name)?.total ?? sql`0` }));
  const group = prepared.groupColumn?.group?.value;
  const [values, groupRows, groupOfRow, overall] = await Promise.all([
    loadRowValues(ctx, rows, columns),
    group ? selectGroupTotals(ctx.db, prepared.where, group, totals) : undefined,
    group ? selectGroupValues(ctx.db, rows.map((r) => r.id), group) : undefined,
    !group && totals.length > 0 ? selectGroupTotals(ctx.db, prepared.where, undefined, totals) : undefined,
  ]);
  const groups = new Map((groupRows ?? []).map((g) => [g.value, g]));
  let listTotals = overall?.[0];
  if (groupRows && totals.length > 0) {
    const sums = new Map(totals.map((t) => [t.name, groupRows.reduce((sum, g) => sum + (g.totals.get(t.name) ?? 0), 0)]));
    listTotals = { value: null, count: total, totals: sums };
  }
  const listRows = values.rows.map((row) => ({ ...row, group: groupOfRow?.get(row.issue.id) ?? null }));
  return { rows: listRows, names: values.names, total, groups, totals: listTotals };
}

/** The path of the issue list of a project, or of all projects. */
export function issueListPath(project: ProjectRow | undefined): string {
  return project ? `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/issues` : '/issues';
}

/** The list a user viewed last, as remembered for the issue page: its project and its query's parameters. */
export interface RememberedList {
  /** The project's identifier (or id); undefined for the list of all projects. */
  readonly project: string | undefined;
  readonly params: Params;
}

/** Where an issue stands in the list the user viewed last (Redmine's "« Previous | n of m | Next »"). */
export interface IssueNeighbours {
  readonly previousId: number | undefined;
  readonly nextId: number | undefined;
  /** Its place and the list's size, when the list is shorter than the limit. */
  readonly position: { readonly index: number; readonly count: number; readonly listHref: string } | undefined;
}

/** Issues of the remembered list looked at (Redmine's limit): beyond it, no links. */
const NEIGHBOURS_LIMIT = 500;

/** The remembered list now: its first ids (one more than the limit) and what a link back to it needs. */
interface ListIds {
  readonly ids: readonly number[];
  readonly listPath: string;
  readonly state: IssueListState;
}

/** The list's first ids, or undefined when it cannot be shown any more (project archived, query gone or hidden, filters invalid). */
async function listIdsOf(ctx: IssueContext, list: RememberedList, today: string): Promise<ListIds | undefined> {
  try {
    const project = list.project === undefined ? undefined : await getVisibleProject(ctx, list.project);
    const prepared = await prepareIssueList(ctx, list.params, await listScope(ctx, project, today));
    if (prepared.errors.length > 0) {
      return undefined;
    }
    const ids = await selectIssueIds(ctx.db, prepared.where, prepared.order, NEIGHBOURS_LIMIT + 1);
    return { ids, listPath: issueListPath(project), state: prepared.state };
  } catch (error) {
    // A list the user may no longer see gives no links; the issue page itself is unaffected.
    if (error instanceof KanriError) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The issue's previous and next issues in the remembered list, recomputed with the user's visibility
 * and the list's query (Redmine's retrieve_previous_and_next_issue_ids); undefined when the issue is
 * not among the list's first 500 or the list cannot be shown any more. The list's ids are remembered
 * for the data version the request read (db/version-memo.ts), under everything else they depend on —
 * the user, the list, the days relative dates count from — so paging through issues with unchanged
 * data runs the list's query once.
 */
export async function issueNeighbours(ctx: IssueContext, list: RememberedList, issueId: number, today: string, dataVersion: string | undefined): Promise<IssueNeighbours | undefined> {
  const key = `issue-list-ids\u0001${ctx.actor.userId ?? 0}\u0001${today}\u0001${utcToday(ctx.now)}\u0001${list.project ?? ''}\u0001${JSON.stringify(list.params)}`;
  let found = dataVersion === undefined ? undefined : recall<{ value: ListIds | undefined }>(ctx.db, key, dataVersion);
  if (!found) {
    found = { value: await listIdsOf(ctx, list, today) };
    if (dataVersion !== undefined) {
      remember(ctx.db, key, dataVersion, found, key.length + 8 * (found.value?.ids.length ?? 0) + 512);
    }
  }
  const listed = found.value;
  const at = listed ? listed.ids.indexOf(issueId) : -1;
  if (!listed || at < 0 || at >= NEIGHBOURS_LIMIT) {
    return undefined;
  }
  const { ids, state } = listed;
  const count = ids.length <= NEIGHBOURS_LIMIT ? ids.length : undefined;
  const page = Math.floor(at / state.perPage) + 1;
  return {
    previousId: at > 0 ? ids[at - 1] : undefined,
    nextId: ids[at + 1],
    position: count === undefined ? undefined : { index: at + 1, count, listHref: `${listed.listPath}?${queryString(stateParams(state, { page }))}` },
  };
}
