/** Who may list, add and remove relations (Redmine's `manage_issue_relations`), and tree kinship. */
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { RelatedIssue } from './issue-relation.repository.ts';

/** Listing an issue's relations and adding or removing them all need `manage_issue_relations`. */
export function canManageRelations(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'manage_issue_relations', project);
}

/** Is one issue a subtask (at any depth) of the other? Such issues cannot be related. */
export function isAncestorOrDescendant(a: RelatedIssue, b: RelatedIssue): boolean {
  if (a.rootId === null || a.rootId !== b.rootId || a.lft === null || a.rgt === null || b.lft === null || b.rgt === null) {
    return false;
  }
  return (a.lft < b.lft && a.rgt > b.rgt) || (b.lft < a.lft && b.rgt > a.rgt);
}
