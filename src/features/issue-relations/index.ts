/**
 * Issue relations (Redmine's IssueRelation): relates, duplicates, blocks, precedes (with rescheduling
 * of following issues) and copied_to, with their reverse forms. The issue feature uses
 * `relationsOf`/`presentRelationRef` for `include=relations`, `rescheduleFollowers` /
 * `soonestStartOf` when an issue's dates change, and `linkCopiedIssue` when it copies an issue. The
 * REST routes are `issueRelationsApi`.
 */
export {
  createRelations,
  deleteRelation,
  getRelation,
  linkCopiedIssue,
  listIssueRelations,
  relationsOf,
  type CopiedIssueLink,
  type NewRelationInput,
  type RelationContext,
} from './issue-relation.service.ts';
export { rescheduleFollowers, soonestStartOf } from './issue-schedule.service.ts';
export { presentRelation, presentRelationRef } from './issue-relation.presenter.ts';
export { deleteRelationsOfIssues } from './issue-relation.repository.ts';
export type { RelationRow } from './issue-relation.repository.ts';
export { relationTypeFor, type RelationType } from './relation-type.ts';
export { newRelationOf } from './issue-relation.params.ts';
export { issueRelationsApi } from './issue-relations.api.ts';
