/** Time entry rules without a database: dates as Redmine reads them, the request's values as Rails casts them, messages in order. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '#src/domain/authorization.ts';
import { castHours, castId, timeEntryInputOf } from './time-entry.input.ts';
import { canEditTimeEntry, canViewTimeEntry, parseSpentOn, timeEntryErrors, type TimeEntryChecks, type TimeEntryDraft } from './time-entry.policy.ts';

const draft = (changes: Partial<TimeEntryDraft> = {}): TimeEntryDraft => ({
  userId: 2,
  activityId: 9,
  projectId: 1,
  issueId: null,
  hours: 1,
  hoursNotANumber: false,
  spentOn: { day: '2024-01-10', notADate: false },
  comments: null,
  ...changes,
});

const checks = (changes: Partial<TimeEntryChecks> = {}): TimeEntryChecks => ({
  customFieldErrors: [],
  requiredFields: new Set(),
  projectValid: true,
  userValid: true,
  issueValid: true,
  activityUnavailable: false,
  hoursChanged: true,
  acceptZeroHours: true,
  maxHoursPerDay: 999,
  otherHoursThatDay: 0,
  timespanFormat: 'minutes',
  futureDateRefused: false,
  ...changes,
});

const project = { id: 1, isPublic: true, status: 1, enabledModules: new Set(['time_tracking']) };
const role = (permissions: string[], timeEntriesVisibility: 'all' | 'own') => ({ id: 3, builtin: 0, permissions, timeEntriesVisibility });
const member = (permissions: string[], visibility: 'all' | 'own' = 'all'): Actor => ({
  userId: 2,
  isAdmin: false,
  groupIds: new Set(),
  memberRoles: new Map([[1, [role(permissions, visibility)]]]),
  nonMemberRole: { id: 4, builtin: 1, permissions: [] },
  anonymousRole: { id: 5, builtin: 2, permissions: [] },
});

describe('time entry policy', () => {
  test('spent_on: YYYY-MM-DD (optionally at midnight) naming a real day; Rails still reads a leading day', () => {
    assert.deepEqual(parseSpentOn('2024-02-29'), { day: '2024-02-29', notADate: false });
    assert.deepEqual(parseSpentOn('2024-02-29 00:00:00'), { day: '2024-02-29', notADate: false });
    assert.deepEqual(parseSpentOn(''), { day: null, notADate: false });
    assert.deepEqual(parseSpentOn(null), { day: null, notADate: false });
    assert.deepEqual(parseSpentOn('2024-01-10T10:00:00'), { day: '2024-01-10', notADate: true });
    for (const bad of ['2023-02-29', '0000-01-01', 'tomorrow', '10/01/2024']) {
      assert.deepEqual(parseSpentOn(bad), { day: null, notADate: true }, bad);
    }
  });

  test('ids cast as Rails does: blank is nil, text its leading integer, anything else 0', () => {
    assert.equal(castId(''), null);
    assert.equal(castId(null), null);
    assert.equal(castId('12abc'), 12);
    assert.equal(castId('abc'), 0);
    assert.equal(castId(3.9), 3);
    assert.equal(castId('99999999999'), 0);
    assert.equal(castId({ id: 1 }), 0);
  });

  test('hours cast: a duration, blank, or not a number', () => {
    assert.deepEqual(castHours('1:30'), { value: 1.5, notANumber: false });
    assert.deepEqual(castHours(2), { value: 2, notANumber: false });
    assert.deepEqual(castHours(''), { value: null, notANumber: false });
    assert.deepEqual(castHours('1x'), { value: 1, notANumber: true });
    assert.deepEqual(castHours(true), { value: 0, notANumber: true });
    assert.equal(timeEntryInputOf({ time_entry: 'x' }), undefined);
    const input = timeEntryInputOf({ time_entry: { project_id: 'ecookbook', issue_id: '', hours: '2h', spent_on: 20240101 } });
    assert.deepEqual({ ...input, body: undefined }, { body: undefined, projectId: 'ecookbook', issueId: null, hours: { value: 2, notANumber: false }, spentOn: '20240101' });
  });

  test('messages in Redmine’s order: custom values, blanks, required fields, formats, then the record’s own checks', () => {
    assert.deepEqual(timeEntryErrors(draft(), checks()), []);
    assert.deepEqual(
      timeEntryErrors(
        draft({ userId: null, activityId: null, hours: null, spentOn: { day: null, notADate: true }, comments: ' ' }),
        checks({ customFieldErrors: ['Billable cannot be blank'], requiredFields: new Set(['issue_id', 'comments']), projectValid: false, userValid: false, issueValid: false }),
      ),
      [
        'Billable cannot be blank',
        'User cannot be blank',
        'Activity cannot be blank',
        'Hours cannot be blank',
        'Date cannot be blank',
        'Issue cannot be blank',
        'Comment cannot be blank',
        'Date is not a valid date',
        'Project is invalid',
        'User is invalid',
        'Issue is invalid',
      ],
    );
    assert.deepEqual(timeEntryErrors(draft({ hours: 0, hoursNotANumber: true }), checks({ acceptZeroHours: false })), ['Hours is invalid', 'Hours is invalid']);
    assert.deepEqual(timeEntryErrors(draft({ hours: -0.004 }), checks()), []);
    assert.deepEqual(timeEntryErrors(draft({ hours: 0 }), checks({ acceptZeroHours: false, hoursChanged: false })), []);
    assert.deepEqual(timeEntryErrors(draft({ hours: 2.5 }), checks({ maxHoursPerDay: 8, otherHoursThatDay: 6 })), [
      'Cannot log more than 8:00 hours on the same day (6:00 hours have already been logged)',
    ]);
    assert.deepEqual(timeEntryErrors(draft({ comments: '😀'.repeat(1024) }), checks({ activityUnavailable: true, futureDateRefused: true })), [
      'Activity is not included in the list',
      'Cannot log time on a future date',
    ]);
  });

  test('visibility and editing: the role’s time-entry visibility, edit_own for one’s own entries', () => {
    assert.equal(canViewTimeEntry(member(['view_time_entries']), project, 7), true);
    assert.equal(canViewTimeEntry(member(['view_time_entries'], 'own'), project, 7), false);
    assert.equal(canViewTimeEntry(member(['view_time_entries'], 'own'), project, 2), true);
    assert.equal(canViewTimeEntry(member(['view_time_entries']), { ...project, enabledModules: new Set() }, 2), false);
    assert.equal(canEditTimeEntry(member(['view_time_entries', 'edit_own_time_entries']), project, 2), true);
    assert.equal(canEditTimeEntry(member(['view_time_entries', 'edit_own_time_entries']), project, 7), false);
    assert.equal(canEditTimeEntry(member(['view_time_entries', 'edit_time_entries'], 'own'), project, 7), false);
    assert.equal(canEditTimeEntry(member(['view_time_entries', 'edit_time_entries']), { ...project, status: 5 }, 7), false);
  });
});
