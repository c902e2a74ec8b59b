import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldRuleCell, fieldRuleChoicesOf, planTransitionChanges, transitionCells, transitionChoicesOf } from './workflow.matrix.ts';
import type { TransitionRow } from './workflow.repository.ts';

const row = (id: number, old: number, next: number, flags: { author?: boolean; assignee?: boolean } = {}, tracker = 1, role = 1): TransitionRow => ({
  id,
  tracker_id: tracker,
  role_id: role,
  old_status_id: old,
  new_status_id: next,
  author: flags.author ?? false,
  assignee: flags.assignee ?? false,
});

test('the form: 0 and 1 change a cell, no_change and unknown keys do not', () => {
  assert.deepEqual(
    transitionChoicesOf({ transitions: { '0': { '2': { always: '1' } }, '1': { '2': { always: 'no_change', author: '0', junk: '1' }, x: { always: '1' } } } }),
    [
      { oldStatusId: 0, newStatusId: 2, rule: 'always', allowed: true },
      { oldStatusId: 1, newStatusId: 2, rule: 'author', allowed: false },
    ],
  );
  assert.deepEqual(fieldRuleChoicesOf({ permissions: { '3': { due_date: 'required', '7': '', subject: 'no_change', bogus: 'readonly', start_date: 'other' } } }), [
    { statusId: 3, field: '7', rule: null },
    { statusId: 3, field: 'due_date', rule: 'required' },
  ]);
});

test('the general table adds and removes rows for every tracker × role; staying in a status is never stored', () => {
  const changes = planTransitionChanges(
    [row(10, 1, 2), row(11, 1, 3, {}, 2)],
    [
      { oldStatusId: 1, newStatusId: 2, rule: 'always', allowed: false },
      { oldStatusId: 1, newStatusId: 3, rule: 'always', allowed: true },
      { oldStatusId: 2, newStatusId: 2, rule: 'always', allowed: true },
    ],
    [1, 2],
    [1],
  );
  assert.deepEqual(changes.deleteIds, [10]);
  assert.deepEqual(changes.inserts, [{ tracker_id: 1, role_id: 1, old_status_id: 1, new_status_id: 3, author: false, assignee: false }]);
  assert.deepEqual(changes.updates, []);
});

test('author and assignee share one row per cell: a flag is added to it, or removed from it, or the row goes', () => {
  const existing = [row(1, 1, 2, { assignee: true }), row(2, 1, 3, { author: true, assignee: true }), row(3, 1, 4, { author: true }), row(4, 1, 4)];
  const changes = planTransitionChanges(
    existing,
    [
      { oldStatusId: 1, newStatusId: 2, rule: 'author', allowed: true },
      { oldStatusId: 1, newStatusId: 3, rule: 'author', allowed: false },
      { oldStatusId: 1, newStatusId: 4, rule: 'author', allowed: false },
      { oldStatusId: 1, newStatusId: 5, rule: 'assignee', allowed: true },
      { oldStatusId: 1, newStatusId: 5, rule: 'author', allowed: true },
    ],
    [1],
    [1],
  );
  assert.deepEqual(changes.deleteIds, [3], 'the general row of 1 → 4 stays');
  assert.deepEqual(changes.updates, [
    { id: 1, author: true, assignee: true },
    { id: 2, author: false, assignee: true },
  ]);
  assert.deepEqual(changes.inserts, [{ tracker_id: 1, role_id: 1, old_status_id: 1, new_status_id: 5, author: true, assignee: true }]);
});

test('cells show on, mixed or nothing across the chosen combinations', () => {
  const rows = [row(1, 1, 2, {}, 1, 1), row(2, 1, 2, {}, 1, 2), row(3, 1, 3, {}, 1, 1), row(4, 1, 3, { author: true }, 1, 2)];
  const always = transitionCells(rows, 'always', 2);
  assert.equal(always.get('1:2'), 'on');
  assert.equal(always.get('1:3'), 'mixed');
  assert.equal(transitionCells(rows, 'author', 2).get('1:3'), 'mixed');
  assert.equal(always.get('2:3'), undefined);
  assert.equal(fieldRuleCell(['required', 'required'], 2), 'required');
  assert.equal(fieldRuleCell(['required'], 2), 'no_change');
  assert.equal(fieldRuleCell(['required', 'readonly'], 2), 'no_change');
  assert.equal(fieldRuleCell(undefined, 2), '');
});
