/** Working-day arithmetic with Redmine's default Saturday/Sunday weekend and with other calendars. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addWorkingDays, nextWorkingDate, workingCalendar, workingDays } from './working-days.ts';

// 2026-11-02 is a Monday.
const weekend = workingCalendar(['6', '7']);

describe('working days', () => {
  test('working days between two dates count the start, not the end', () => {
    assert.equal(workingDays(weekend, '2026-11-02', '2026-11-02'), 0);
    assert.equal(workingDays(weekend, '2026-11-02', '2026-11-06'), 4);
    assert.equal(workingDays(weekend, '2026-11-02', '2026-11-09'), 5);
    assert.equal(workingDays(weekend, '2026-11-06', '2026-11-10'), 2, 'Friday to Tuesday');
    assert.equal(workingDays(weekend, '2026-11-07', '2026-11-09'), 0, 'a weekend has none');
    assert.equal(workingDays(weekend, '2026-11-09', '2026-11-02'), 0, 'backwards is none');
    assert.equal(workingDays(weekend, '2026-11-02', '2026-11-30'), 20);
  });

  test('adding working days skips the weekend and lands on a working day', () => {
    assert.equal(addWorkingDays(weekend, '2026-11-04', 2), '2026-11-06');
    assert.equal(addWorkingDays(weekend, '2026-11-06', 1), '2026-11-09');
    assert.equal(addWorkingDays(weekend, '2026-11-02', 5), '2026-11-09');
    assert.equal(addWorkingDays(weekend, '2026-11-02', 12), '2026-11-18');
    assert.equal(addWorkingDays(weekend, '2026-11-07', 1), '2026-11-09', 'from a Saturday');
    assert.equal(addWorkingDays(weekend, '2026-11-07', 0), '2026-11-07', 'zero days keep even a weekend day');
    assert.equal(addWorkingDays(weekend, '2026-11-07', -3), '2026-11-07');
    assert.equal(addWorkingDays(weekend, '2026-12-31', 1), '2027-01-01', 'across a year');
  });

  test('the next working date', () => {
    assert.equal(nextWorkingDate(weekend, '2026-11-06'), '2026-11-06');
    assert.equal(nextWorkingDate(weekend, '2026-11-07'), '2026-11-09');
    assert.equal(nextWorkingDate(weekend, '2026-11-08'), '2026-11-09');
  });

  test('other calendars: no weekend, every day off means none, a Wednesday off', () => {
    const none = workingCalendar([]);
    assert.equal(addWorkingDays(none, '2026-11-06', 1), '2026-11-07');
    assert.equal(workingDays(none, '2026-11-02', '2026-11-09'), 7);
    assert.deepEqual([...workingCalendar(['1', '2', '3', '4', '5', '6', '7']).nonWorkingDays], []);
    const wednesday = workingCalendar(['3']);
    assert.equal(addWorkingDays(wednesday, '2026-11-03', 1), '2026-11-05');
    assert.equal(workingDays(wednesday, '2026-11-02', '2026-11-09'), 6);
  });
});
