/** Saved queries: the list of those a user may see, and one to apply to an issue list. */
import type { Database } from '#src/db/database.ts';
import type { QueryFilters, QuerySortCriteria } from '#src/db/schema/core-tracker.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { isQueryVisible, QUERY_TYPES, visibleQueriesCondition } from './query.policy.ts';
import { selectQueryPage, selectSavedQuery, type QueryListRow } from './query.repository.ts';

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

/** What an issue list takes from a saved query: its filters and its sort. */
export interface SavedIssueQuery {
  readonly id: number;
  readonly filters: QueryFilters | null;
  readonly sortCriteria: QuerySortCriteria | null;
}

/**
 * The saved issue query `query_id` names, for a list of `project` (undefined: of all projects), as
 * Redmine's retrieve_query finds it: a query of all projects or of that project (else 404), visible
 * to the actor (else 403, or 401 when anonymous).
 */
export async function getSavedIssueQuery(ctx: QueryContext, queryId: string, project: ProjectRow | undefined): Promise<SavedIssueQuery> {
  const id = /^\d{1,9}$/.test(queryId.trim()) ? Number(queryId.trim()) : undefined;
  const row = id === undefined ? undefined : await selectSavedQuery(ctx.db, id, 'IssueQuery', project?.id);
  if (!row) {
    throw new NotFoundError(`no query ${queryId}`);
  }
  const access = row.project_id !== null && project ? await loadProjectAccess(ctx.db.orm, project) : undefined;
  const visible = isQueryVisible(ctx.actor, { type: 'IssueQuery', visibility: row.visibility, userId: row.user_id, roleIds: row.role_ids, project: access });
  if (!visible) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError(`query ${row.id} not visible`);
  }
  return { id: row.id, filters: row.filters, sortCriteria: row.sort_criteria };
}
