import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditFilterFormOf, auditFilterOf, auditFilterParams, startOfDayIn } from './audit-filter.ts';

test('startOfDayIn gives the instant a calendar day starts in the zone', () => {
  assert.equal(startOfDayIn('2026-01-11', 'Asia/Tokyo')?.toISOString(), '2026-01-10T15:00:00.000Z');
  assert.equal(startOfDayIn('2026-01-11', '')?.toISOString(), '2026-01-11T00:00:00.000Z');
  assert.equal(startOfDayIn('2026-07-01', 'America/New_York')?.toISOString(), '2026-07-01T04:00:00.000Z');
  // The day DST starts in New York (02:00 → 03:00) still starts at midnight, EST.
  assert.equal(startOfDayIn('2026-03-08', 'America/New_York')?.toISOString(), '2026-03-08T05:00:00.000Z');
  assert.equal(startOfDayIn('2026-01-11', 'Not/A_Zone')?.toISOString(), '2026-01-11T00:00:00.000Z');
});

test('startOfDayIn refuses what is no date', () => {
  for (const day of ['2026-02-30', '2026-13-01', '11/01/2026', '2026-1-1', '']) {
    assert.equal(startOfDayIn(day, 'UTC'), undefined, day);
  }
});

test('the date range includes both days, in the viewer\'s zone', () => {
  const form = auditFilterFormOf({ from: '2026-01-11', to: '2026-01-11', event: 'user.lock', actor: ' admin ', ip: '203.0.113.' });
  const { filter, invalid } = auditFilterOf(form, 'Asia/Tokyo');
  assert.deepEqual(invalid, []);
  assert.equal(filter.since?.toISOString(), '2026-01-10T15:00:00.000Z');
  assert.equal(filter.until?.toISOString(), '2026-01-11T15:00:00.000Z');
  assert.equal(filter.event, 'user.lock');
  assert.equal(filter.actor, 'admin');
  assert.equal(filter.ip, '203.0.113.');
  assert.equal(filter.target, undefined);
});

test('an unknown event is no filter; dates that are no dates are reported', () => {
  const form = auditFilterFormOf({ event: 'user.hack', from: 'yesterday', to: '2026-02-31' });
  assert.equal(form.event, '');
  const { filter, invalid } = auditFilterOf(form, 'UTC');
  assert.deepEqual(invalid, ['from', 'to']);
  assert.equal(filter.since, undefined);
  assert.equal(filter.until, undefined);
  assert.deepEqual(auditFilterParams(form), { from: 'yesterday', to: '2026-02-31' });
});
