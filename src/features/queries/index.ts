/**
 * Saved queries (Redmine's Query, IssueQuery…): which ones a user sees, the one an issue list names
 * with `query_id`, and the SQL form of "projects where the actor has a permission". The REST route
 * `GET /queries` is `queriesApi` in queries.api.ts.
 */
export { getSavedIssueQuery, listVisibleQueries, type QueryContext, type SavedIssueQuery } from './query.service.ts';
export { isQueryVisible, QUERY_VISIBILITY, type QueryFacts } from './query.policy.ts';
export { presentQuery } from './query.presenter.ts';
