/**
 * Issues for other features: which issues an actor sees, as SQL. The REST routes (issues.api.ts)
 * import this folder's modules directly.
 */
export { visibleIssuesCondition } from './issue.policy.ts';
