/** Normalization of relation types and the type as seen from either issue (Redmine's IssueRelation::TYPES). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareRelations, isRelationType, normalizeRelation, otherIssueId, relationTypeFor } from './relation-type.ts';

describe('relation types', () => {
  test('reverse types are stored as their forward form with the issues swapped', () => {
    assert.deepEqual(normalizeRelation(1, 2, 'blocked', null), { issueFromId: 2, issueToId: 1, relationType: 'blocks', delay: null });
    assert.deepEqual(normalizeRelation(1, 2, 'duplicated', 5), { issueFromId: 2, issueToId: 1, relationType: 'duplicates', delay: null });
    assert.deepEqual(normalizeRelation(1, 2, 'copied_from', null), { issueFromId: 2, issueToId: 1, relationType: 'copied_to', delay: null });
    assert.deepEqual(normalizeRelation(1, 2, 'follows', 3), { issueFromId: 2, issueToId: 1, relationType: 'precedes', delay: 3 });
    assert.deepEqual(normalizeRelation(1, 2, 'precedes', null), { issueFromId: 1, issueToId: 2, relationType: 'precedes', delay: 0 });
    assert.deepEqual(normalizeRelation(9, 2, 'relates', 4), { issueFromId: 2, issueToId: 9, relationType: 'relates', delay: null });
    assert.deepEqual(normalizeRelation(9, 2, 'blocks', null), { issueFromId: 9, issueToId: 2, relationType: 'blocks', delay: null });
  });

  test('the type and the other issue as seen from each side', () => {
    const relation = { issueFromId: 4, issueToId: 7, relationType: 'precedes', delay: 0 };
    assert.equal(relationTypeFor(relation, 4), 'precedes');
    assert.equal(relationTypeFor(relation, 7), 'follows');
    assert.equal(relationTypeFor({ ...relation, relationType: 'relates' }, 7), 'relates');
    assert.equal(relationTypeFor({ ...relation, relationType: 'copied_to' }, 7), 'copied_from');
    assert.equal(otherIssueId(relation, 4), 7);
    assert.equal(otherIssueId(relation, 7), 4);
    assert.equal(isRelationType('follows'), true);
    assert.equal(isRelationType('toString'), false);
  });

  test('an issue lists its relations by type order, then id', () => {
    const r = (id: number, relationType: string) => ({ id, issueFromId: 1, issueToId: 2, relationType, delay: null });
    const sorted = [r(1, 'precedes'), r(2, 'copied_to'), r(3, 'relates'), r(4, 'blocks'), r(5, 'relates'), r(6, 'duplicates')].sort(compareRelations);
    assert.deepEqual(sorted.map((x) => x.id), [3, 5, 6, 4, 1, 2]);
  });
});
