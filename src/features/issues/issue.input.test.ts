import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueInputOf, parseDate, parseHours } from './issue.input.ts';

test('durations read as Redmine reads them', () => {
  assert.equal(parseHours('2.5'), 2.5);
  assert.equal(parseHours('2,5'), 2.5);
  assert.equal(parseHours('2:30'), 2.5);
  assert.equal(parseHours('2h30'), 2.5);
  assert.equal(parseHours('2h 30m'), 2.5);
  assert.equal(parseHours('45m'), 0.75);
  assert.equal(parseHours('3h'), 3);
  assert.equal(parseHours('abc'), undefined);
  assert.equal(parseHours(''), undefined);
});

test('dates must exist on the calendar', () => {
  assert.equal(parseDate('2024-02-29'), '2024-02-29');
  assert.equal(parseDate('2023-02-29'), undefined);
  assert.equal(parseDate('2024-1-5'), undefined);
  assert.equal(parseDate('2024-01-05T10:00:00Z'), '2024-01-05');
});

test('blank values clear, wrong types are errors, absent keys stay undefined', () => {
  const { input, errors } = issueInputOf({ issue: { subject: 'x', category_id: '', assigned_to_id: 'me', parent_issue_id: '#4', estimated_hours: '1:15', done_ratio: 'abc' } });
  assert.deepEqual(errors, []);
  assert.equal(input.categoryId, null);
  assert.equal(input.assignedToId, 'me');
  assert.equal(input.parentIssueId, '#4');
  assert.equal(input.estimatedHours, 1.25);
  assert.equal(input.doneRatio, -1);
  assert.equal(input.dueDate, undefined);
  assert.deepEqual(issueInputOf({ issue: { tracker_id: 'Bug', fixed_version_id: { a: 1 }, watcher_user_ids: ['x'] } }).errors, [
    'Tracker is invalid',
    'Target version is invalid',
    'Watchers is invalid',
  ]);
});
