import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParamValue } from '#src/api/params.ts';
import { issueInputOf, parseDate } from './issue.input.ts';

test('estimated hours: Redmine’s String#to_hours (src/domain/hours.ts); blank clears; the rest is invalid', () => {
  const read = (value: ParamValue) => {
    const { input, errors } = issueInputOf({ issue: { estimated_hours: value } });
    return errors.length > 0 ? errors : input.estimatedHours;
  };
  const invalid = ['Estimated time is invalid'];
  assert.equal(read('2.5'), 2.5);
  assert.equal(read('2,5'), 2.5);
  assert.equal(read('2:30'), 2.5);
  assert.equal(read('2h30'), 2.5);
  assert.equal(read('2h 30m'), 2.5);
  assert.equal(read('45m'), 0.75);
  assert.equal(read('2 hours'), 2);
  assert.equal(read('1e1'), 10);
  assert.equal(read(1.5), 1.5);
  assert.equal(read(''), null);
  assert.equal(read('   '), null);
  assert.equal(read(null), null);
  assert.deepEqual(read('abc'), invalid);
  assert.deepEqual(read('30 minutes'), invalid, 'Redmine knows m and min only');
  assert.deepEqual(read('2h30x'), invalid);
  assert.deepEqual(read('-1'), invalid);
  assert.deepEqual(read(-0.5), invalid);
  assert.deepEqual(read('Infinity'), invalid);
  assert.deepEqual(read(true), invalid);
  assert.deepEqual(read(['1']), invalid);
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
