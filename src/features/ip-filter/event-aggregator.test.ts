import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregationAddress, EventAggregator } from './event-aggregator.ts';

const MINUTE = 60_000;

test('one row per address per window; the next row carries the count of the events in between', () => {
  const events = new EventAggregator(10 * MINUTE, 100);
  assert.deepEqual(events.note('acme reject', '203.0.113.9', 0), { record: true, repeats: 0 });
  for (let i = 1; i <= 5; i++) {
    assert.deepEqual(events.note('acme reject', '203.0.113.9', i * MINUTE), { record: false, budgetSpent: false });
  }
  assert.deepEqual(events.note('acme reject', '::ffff:203.0.113.9', 9 * MINUTE), { record: false, budgetSpent: false }, 'the same address, mapped');
  assert.deepEqual(events.note('acme reject', '198.51.100.1', 9 * MINUTE), { record: true, repeats: 0 }, 'another address has its own window');
  assert.deepEqual(events.note('other reject', '203.0.113.9', 9 * MINUTE), { record: true, repeats: 0 }, 'another tenant has its own window');
  assert.deepEqual(events.note('acme reject', '203.0.113.9', 10 * MINUTE), { record: true, repeats: 6 });
  assert.deepEqual(events.note('acme reject', '203.0.113.9', 10 * MINUTE + 1), { record: false, budgetSpent: false });
});

test('IPv6 addresses count per /64', () => {
  assert.equal(aggregationAddress('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(aggregationAddress('::ffff:198.51.100.1'), '198.51.100.1');
  const events = new EventAggregator(10 * MINUTE, 100);
  assert.equal(events.note('acme reject', '2001:db8:1:2::1', 0).record, true);
  assert.equal(events.note('acme reject', '2001:db8:1:2:ffff::9', 1).record, false);
  assert.equal(events.note('acme reject', '2001:db8:1:3::1', 2).record, true);
});

test('a tenant gets at most its budget of rows per window, however many addresses', () => {
  const events = new EventAggregator(10 * MINUTE, 3);
  const decisions = Array.from({ length: 6 }, (_, i) => events.note('acme reject', `198.51.100.${i}`, i));
  assert.deepEqual(decisions, [
    { record: true, repeats: 0 },
    { record: true, repeats: 0 },
    { record: true, repeats: 0 },
    { record: false, budgetSpent: true },
    { record: false, budgetSpent: false },
    { record: false, budgetSpent: false },
  ]);
  assert.deepEqual(events.note('acme reject', '198.51.100.5', 10 * MINUTE), { record: true, repeats: 0 }, 'a new window, a new budget');
});
