/**
 * The nine relation types (Redmine's IssueRelation::TYPES, contract §8.2): each pair is stored in its
 * forward form, so `blocked`, `duplicated`, `follows` and `copied_from` are saved as their counterpart
 * with the issues swapped, and `relates` with the lower issue id first (the unique index on
 * issue_from_id/issue_to_id then also catches the mirror image). Pure.
 */
import type { IssueRelationType } from '#src/db/schema/core-tracker.ts';

export type RelationType = IssueRelationType;

interface TypeInfo {
  /** Display order of relations of an issue. */
  readonly order: number;
  /** The type as seen from the other issue. */
  readonly sym: RelationType;
  /** Set on reverse types: the type they are stored as, issues swapped. */
  readonly reverse?: RelationType;
}

const TYPES: Readonly<Record<RelationType, TypeInfo>> = {
  relates: { order: 1, sym: 'relates' },
  duplicates: { order: 2, sym: 'duplicated' },
  duplicated: { order: 3, sym: 'duplicates', reverse: 'duplicates' },
  blocks: { order: 4, sym: 'blocked' },
  blocked: { order: 5, sym: 'blocks', reverse: 'blocks' },
  precedes: { order: 6, sym: 'follows' },
  follows: { order: 7, sym: 'precedes', reverse: 'precedes' },
  copied_to: { order: 8, sym: 'copied_from' },
  copied_from: { order: 9, sym: 'copied_to', reverse: 'copied_to' },
};

export function isRelationType(value: string): value is RelationType {
  return Object.hasOwn(TYPES, value);
}

/** A stored relation: the issue it goes from, the issue it goes to, its type and delay in days. */
export interface StoredRelation {
  readonly issueFromId: number;
  readonly issueToId: number;
  readonly relationType: string;
  readonly delay: number | null;
}

/**
 * The relation as it is stored (Redmine's reverse_if_needed and delay rule): reverse types swapped to
 * their forward form, `relates` ordered by id, the delay kept (default 0) only for `precedes`.
 */
export function normalizeRelation(issueFromId: number, issueToId: number, type: RelationType, delay: number | null): StoredRelation {
  const reverse = TYPES[type].reverse;
  let [from, to, stored] = [issueFromId, issueToId, type];
  if (reverse) {
    [from, to, stored] = [issueToId, issueFromId, reverse];
  } else if (type === 'relates' && issueFromId > issueToId) {
    [from, to] = [issueToId, issueFromId];
  }
  return { issueFromId: from, issueToId: to, relationType: stored, delay: stored === 'precedes' ? (delay ?? 0) : null };
}

/** The relation's type as seen from `issueId` (Redmine's relation_type_for): its own, or the symmetric one. */
export function relationTypeFor(relation: StoredRelation, issueId: number): string {
  if (!isRelationType(relation.relationType)) {
    return relation.relationType;
  }
  return relation.issueFromId === issueId ? relation.relationType : TYPES[relation.relationType].sym;
}

/** The issue at the other end of the relation from `issueId`. */
export function otherIssueId(relation: StoredRelation, issueId: number): number {
  return relation.issueFromId === issueId ? relation.issueToId : relation.issueFromId;
}

/** Redmine's order of an issue's relations: by type (relates, duplicates, blocks…), then by id. */
export function compareRelations<R extends StoredRelation & { readonly id: number }>(a: R, b: R): number {
  const order = (r: R) => (isRelationType(r.relationType) ? TYPES[r.relationType].order : Number.MAX_SAFE_INTEGER);
  return order(a) - order(b) || a.id - b.id;
}
