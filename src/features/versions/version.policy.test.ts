/** Version rules without a database: due dates, which sharings a user may choose, narrowing, messages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '#src/domain/authorization.ts';
import { allowedSharings, isNarrowing, parseDueDate, versionErrors, type VersionDraft } from './version.policy.ts';

const role = { id: 9, builtin: 1, permissions: [] };
const actor = (isAdmin: boolean): Actor => ({ userId: 2, isAdmin, groupIds: new Set(), memberRoles: new Map(), nonMemberRole: role, anonymousRole: role });
const draft = (changes: Partial<VersionDraft> = {}): VersionDraft => ({
  name: '1.0',
  description: '',
  status: 'open',
  effectiveDate: null,
  invalidDueDate: false,
  sharing: 'none',
  wikiPageTitle: null,
  ...changes,
});

describe('version policy', () => {
  test('due dates: blank clears, YYYY-MM-DD (optionally at midnight) naming a real day, else invalid', () => {
    assert.deepEqual(parseDueDate(null), { date: null });
    assert.deepEqual(parseDueDate(''), { date: null });
    assert.deepEqual(parseDueDate('2024-02-29'), { date: '2024-02-29' });
    assert.deepEqual(parseDueDate('2024-02-29 00:00:00'), { date: '2024-02-29' });
    assert.deepEqual(parseDueDate('0048-02-29'), { date: '0048-02-29' });
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-1', '2024-01-01T00:00:00', '2024-01-01 12:00:00', '0000-01-01', ' 2024-01-01', 'soon']) {
      assert.deepEqual(parseDueDate(bad), { invalid: true }, bad);
    }
  });

  test('sharings: the current one always, system for administrators, tree and hierarchy for managers of the root', () => {
    assert.deepEqual(allowedSharings(actor(false), 'none', false), ['none', 'descendants']);
    assert.deepEqual(allowedSharings(actor(false), 'none', true), ['none', 'descendants', 'hierarchy', 'tree']);
    assert.deepEqual(allowedSharings(actor(false), 'system', false), ['none', 'descendants', 'system']);
    assert.deepEqual(allowedSharings(actor(true), 'none', true), ['none', 'descendants', 'hierarchy', 'tree', 'system']);
  });

  test('narrowing is a move to a sharing of smaller reach', () => {
    assert.equal(isNarrowing('tree', 'hierarchy'), true);
    assert.equal(isNarrowing('descendants', 'none'), true);
    assert.equal(isNarrowing('none', 'system'), false);
    assert.equal(isNarrowing('tree', 'tree'), false);
  });

  test('messages in Redmine’s order; lengths count characters', () => {
    assert.deepEqual(versionErrors(draft(), false), []);
    assert.deepEqual(versionErrors(draft({ name: null }), true), ['Name cannot be blank']);
    assert.deepEqual(versionErrors(draft({ name: 'x'.repeat(61) }), true), ['Name has already been taken', 'Name is too long (maximum is 60 characters)']);
    assert.deepEqual(versionErrors(draft({ name: '🚀'.repeat(60) }), false), []);
    assert.deepEqual(versionErrors(draft({ status: null, sharing: 'everyone', invalidDueDate: true }), false), [
      'Due date is not a valid date',
      'Status is not included in the list',
      'Sharing is not included in the list',
    ]);
  });
});
