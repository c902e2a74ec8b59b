/** Saved queries: the list of those a user may see, and one to apply to an issue or time-entry list. */
import type { Database } from '#src/db/database.ts';
import type { QueryFilters } from '#src/db/schema/core-tracker.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { isQueryVisible, QUERY_TYPES, visibleQueriesCondition } from './query.policy.ts';
import { selectQueryPage, selectSavedQuery, type QueryListRow, type SavedQueryRow } from './query.repository.ts';

export interface QueryContext {
  readonly db: Database;
  readonly actor: Actor;
}

/**
 * A page of the saved queries of a kind (`IssueQuery` unless `type` names another) the actor may
 * see, ordered by name (GET /queries, §6.11). An unknown kind is a 404.
 */
export async function listVisibleQueries(
  ctx: QueryContext,
  type: string,
  page: { offset: number; limit: number },
): Promise<{ rows: QueryListRow[]; total: number }> {
  if (!Object.hasOwn(QUERY_TYPES, type)) {
    throw new NotFoundError(`no query type ${type}`);
  }
  return selectQueryPage(ctx.db, visibleQueriesCondition(ctx.actor, type), page);
}

/** What a list takes from a saved query: its filters, its sort and its grouping (and, for pages, its columns and totals). */
export interface SavedQuery {
  readonly id: number;
  readonly name: string;
  readonly filters: QueryFilters | null;
  /** Redmine's SortCriteria#to_param of the sort (`[["id","desc"]]` → `id:desc`); '' when none. */
  readonly sortParam: string;
  /** The column the query groups by (lists order by it first), or null. */
  readonly groupBy: string | null;
  /** The chosen columns; null: the list's defaults. */
  readonly columnNames: readonly string[] | null;
  /** Columns whose totals show (options.totalable_names); null: the list's defaults. */
  readonly totalableNames: readonly string[] | null;
  readonly projectId: number | null;
  readonly visibility: number;
  readonly userId: number;
  readonly roleIds: readonly number[];
}

/** The kinds of saved query a list can apply. */
export type ListQueryType = 'IssueQuery' | 'TimeEntryQuery';

function sortParamOf(criteria: unknown): string {
  if (!Array.isArray(criteria)) {
    return '';
  }
  return criteria
    .filter((c): c is unknown[] => Array.isArray(c) && typeof c[0] === 'string')
    .map((c) => `${String(c[0])}${c[1] === 'desc' ? ':desc' : ''}`)
    .join(',');
}

/**
 * The saved query of the kind `query_id` names, for a list of `project` (undefined: of all projects),
 * as Redmine's retrieve_query finds it: a query of all projects or of that project (else 404), visible
 * to the actor (else 403, or 401 when anonymous).
 */
export async function getSavedQuery(ctx: QueryContext, type: ListQueryType, queryId: string, project: ProjectRow | undefined): Promise<SavedQuery> {
  const id = /^\d{1,9}$/.test(queryId.trim()) ? Number(queryId.trim()) : undefined;
  const row = id === undefined ? undefined : await selectSavedQuery(ctx.db, id, type, project?.id);
  if (!row) {
    throw new NotFoundError(`no query ${queryId}`);
  }
  const access = row.project_id !== null && project ? await loadProjectAccess(ctx.db.orm, project) : undefined;
  const visible = isQueryVisible(ctx.actor, { type, visibility: row.visibility, userId: row.user_id, roleIds: row.role_ids, project: access });
  if (!visible) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError(`query ${row.id} not visible`);
  }
  return savedQueryOf(row);
}

const strings = (value: unknown): string[] | null => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null);

/** A stored row as the lists read it. */
export function savedQueryOf(row: SavedQueryRow): SavedQuery {
  return {
    id: row.id,
    name: row.name,
    filters: row.filters,
    sortParam: sortParamOf(row.sort_criteria),
    groupBy: row.group_by?.trim() ? row.group_by.trim() : null,
    columnNames: strings(row.column_names),
    totalableNames: strings(row.options?.totalable_names),
    projectId: row.project_id,
    visibility: row.visibility,
    userId: row.user_id,
    roleIds: row.role_ids,
  };
}
