/**
 * Saved queries (Redmine's Query, IssueQuery, TimeEntryQuery…): which ones a user sees, the one an
 * issue or time-entry list names with `query_id`, and the SQL form of "projects where the actor has a
 * permission". The REST route `GET /queries` is `queriesApi` in queries.api.ts.
 */
export {
  getSavedQuery,
  listVisibleQueries,
  type ListQueryType,
  type QueryContext,
  type SavedQuery,
} from './query.service.ts';
export { isQueryVisible, QUERY_VISIBILITY, type QueryFacts, type QueryRights } from './query.policy.ts';
export {
  createSavedQuery,
  deleteSavedQuery,
  getEditableQuery,
  projectDefaultQueryId,
  queryRoleChoices,
  savedQueryRights,
  sidebarQueries,
  updateSavedQuery,
  type EditableQuery,
  type SavedQueryInput,
} from './saved-query.service.ts';
export type { SidebarQueryRow } from './query.repository.ts';
export { presentQuery } from './query.presenter.ts';
