/**
 * Redmine's IssueRelation validations, in its order and with its messages: a related issue the user
 * can see, a known type, a numeric delay, no second relation to the same issue, not to itself, within
 * the project unless cross-project relations are on, no circular blocks/precedes chains, and not
 * between an issue and its subtasks.
 */
import type { Queryable } from '#src/db/database.ts';
import { isAncestorOrDescendant } from './issue-relation.policy.ts';
import { relationExists, selectAncestorIds, selectLeafIds, selectRelatedFrom, type RelatedIssue } from './issue-relation.repository.ts';
import { isRelationType } from './relation-type.ts';

export interface RelationDraft {
  readonly from: RelatedIssue;
  /** Undefined when the related issue is missing, unknown or not visible to the user. */
  readonly to: RelatedIssue | undefined;
  /** As given (before reverse types are turned around). */
  readonly type: string;
  /** Days, none, or something that is not a number. */
  readonly delay: number | null | 'invalid';
}

/** Breadth-first: does following `next` from `start` reach `target` (start itself not counted)? */
async function reaches(start: number, target: number, next: (ids: number[]) => Promise<number[]>): Promise<boolean> {
  const seen = new Set([start]);
  let frontier = [start];
  while (frontier.length > 0) {
    const found = [...new Set(await next(frontier))].filter((id) => !seen.has(id));
    if (found.includes(target)) {
      return true;
    }
    found.forEach((id) => seen.add(id));
    frontier = found;
  }
  return false;
}

/** Redmine's Issue#blocks?: `issue` blocks `other` through a chain of `blocks` relations. */
function blocks(db: Queryable, issue: number, other: number): Promise<boolean> {
  return reaches(issue, other, (ids) => selectRelatedFrom(db, ids, 'blocks'));
}

/**
 * Redmine's Issue#would_reschedule?: moving `issue` would move `other`, through its followers, its
 * leaves and the followers of its ancestors.
 */
function wouldReschedule(db: Queryable, issue: number, other: number): Promise<boolean> {
  return reaches(issue, other, async (ids) => [
    ...(await selectRelatedFrom(db, ids, 'precedes')),
    ...(await selectLeafIds(db, ids)),
    ...(await selectRelatedFrom(db, await selectAncestorIds(db, ids), 'precedes')),
  ]);
}

async function isCircular(db: Queryable, from: RelatedIssue, to: RelatedIssue, type: string): Promise<boolean> {
  switch (type) {
    case 'follows':
      return wouldReschedule(db, from.id, to.id);
    case 'precedes':
      return wouldReschedule(db, to.id, from.id);
    case 'blocked':
      return blocks(db, from.id, to.id);
    case 'blocks':
      return blocks(db, to.id, from.id);
    case 'relates':
      return relationExists(db, to.id, from.id);
    default:
      return false;
  }
}

/** The draft's validation errors as Redmine's full messages; empty when it may be saved. */
export async function relationErrors(db: Queryable, draft: RelationDraft, crossProjectAllowed: boolean): Promise<string[]> {
  const { from, to, type } = draft;
  const errors: string[] = [];
  if (!to) {
    errors.push('Related issue cannot be blank');
  }
  if (type === '') {
    errors.push('Relation type cannot be blank');
  }
  if (!isRelationType(type)) {
    errors.push('Relation type is not included in the list');
  }
  if (draft.delay === 'invalid') {
    errors.push('Delay is not a number');
  }
  if (!to) {
    return errors;
  }
  // Uniqueness is checked on the pair as given; the stored (normalized) pair is checked on insert.
  if (await relationExists(db, from.id, to.id)) {
    errors.push('Related issue has already been taken');
  }
  if (from.id === to.id) {
    errors.push('Related issue is invalid');
  }
  if (from.projectId !== to.projectId && !crossProjectAllowed) {
    errors.push("Related issue doesn't belong to the same project");
  }
  if (await isCircular(db, from, to, type)) {
    errors.push('This relation would create a circular dependency');
  }
  if (isAncestorOrDescendant(from, to)) {
    errors.push('An issue cannot be linked to one of its subtasks');
  }
  return errors;
}
