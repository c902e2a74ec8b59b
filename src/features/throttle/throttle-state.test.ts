import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, expiresAt, FRESH_STATE, isLocked, lockDurationMs, retryAfterSeconds, type ThrottlePolicy, type ThrottleState } from './throttle-state.ts';
import { addressSubject } from './throttle.service.ts';

const MIN = 60_000;
const ACCOUNT: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MIN, lockMs: 15 * MIN, maxLockMs: 24 * 60 * MIN };
const T0 = Date.parse('2026-11-26T09:00:00Z');

/** The state after failures at these instants, and whether the last one started a lock. */
function failAt(instants: readonly number[], policy = ACCOUNT, start: ThrottleState = FRESH_STATE) {
  let state = start;
  let lockedNow = false;
  for (const at of instants) {
    ({ state, lockedNow } = afterFailure(state, policy, at));
  }
  return { state, lockedNow };
}

/** `count` failures one minute apart from `from`. */
const burst = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * MIN);

test('the 5th failure within 15 minutes starts a 15-minute lock; the 4th does not', () => {
  const four = failAt(burst(T0, 4));
  assert.equal(four.lockedNow, false);
  assert.equal(isLocked(four.state, T0 + 4 * MIN), false);
  const five = failAt(burst(T0, 5));
  assert.equal(five.lockedNow, true);
  assert.equal(five.state.lockedUntil, T0 + 4 * MIN + 15 * MIN);
  assert.equal(isLocked(five.state, T0 + 19 * MIN - 1), true);
  assert.equal(isLocked(five.state, T0 + 19 * MIN), false, 'the lock ends on time');
  assert.deepEqual(five.state.failures, [], 'a lock starts the count afresh');
});

test('the window slides: failures older than 15 minutes no longer count', () => {
  // 4 failures, then the 5th just after the first has left the window.
  const late = failAt([...burst(T0, 4), T0 + 15 * MIN]);
  assert.equal(late.lockedNow, false);
  assert.equal(late.state.failures.length, 4);
  // …and one just inside it does lock.
  assert.equal(failAt([...burst(T0, 4), T0 + 15 * MIN - 1]).lockedNow, true);
  // Only the limit's worth of failures is ever kept.
  assert.equal(failAt(burst(T0, 4), { ...ACCOUNT, maxFailures: 50 }).state.failures.length, 4);
  assert.equal(failAt(burst(T0, 60).map((at, i) => at + i * 15 * MIN)).state.failures.length, 1);
});

test('failures during a lock change nothing: no longer lock, no next lock', () => {
  const locked = failAt(burst(T0, 5)).state;
  const during = failAt(burst(T0 + 5 * MIN, 10), ACCOUNT, locked);
  assert.deepEqual(during.state, locked);
  assert.equal(during.lockedNow, false);
});

test('repeated locks double: 15, 30, 60 min … capped at 24 h', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200].map((n) => lockDurationMs(ACCOUNT, n) / MIN), [15, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440, 1440]);
  let state = FRESH_STATE;
  let at = T0;
  const durations: number[] = [];
  for (let lock = 0; lock < 9; lock++) {
    ({ state } = failAt(burst(at, 5), ACCOUNT, state));
    const start = at + 4 * MIN;
    durations.push(((state.lockedUntil ?? 0) - start) / MIN);
    at = state.lockedUntil ?? 0; // the attacker comes back the moment the lock ends
  }
  assert.deepEqual(durations, [15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  assert.equal(state.locks, 9);
});

test('a lock more than 24 h after the last one ended starts a new series', () => {
  const first = failAt(burst(T0, 5)).state;
  const end = first.lockedUntil ?? 0;
  const soon = failAt(burst(end + 24 * 60 * MIN - 5 * MIN, 5), ACCOUNT, first).state;
  assert.equal(soon.locks, 2);
  const later = failAt(burst(end + 24 * 60 * MIN, 5), ACCOUNT, first).state;
  assert.equal(later.locks, 1);
  assert.equal(((later.lockedUntil ?? 0) - (end + 24 * 60 * MIN + 4 * MIN)) / MIN, 15);
});

test('an address block (lock = max) never grows', () => {
  const ADDRESS: ThrottlePolicy = { maxFailures: 50, windowMs: 15 * MIN, lockMs: 15 * MIN, maxLockMs: 15 * MIN };
  const spray = Array.from({ length: 50 }, (_, i) => T0 + i * 1000);
  const first = failAt(spray, ADDRESS);
  assert.equal(first.lockedNow, true);
  assert.equal(failAt(spray.slice(0, 49), ADDRESS).lockedNow, false);
  const again = failAt(spray.map((at) => at + 16 * MIN), ADDRESS, first.state).state;
  assert.equal(((again.lockedUntil ?? 0) - (T0 + 16 * MIN + 49_000)) / MIN, 15);
});

test('expiry: a row says nothing after its window and its lock series', () => {
  const two = failAt(burst(T0, 2)).state;
  assert.equal(expiresAt(two, ACCOUNT), T0 + MIN + 15 * MIN);
  const locked = failAt(burst(T0, 5)).state;
  assert.equal(expiresAt(locked, ACCOUNT), (locked.lockedUntil ?? 0) + 24 * 60 * MIN);
  assert.equal(expiresAt(FRESH_STATE, ACCOUNT), 0);
});

test('Retry-After: whole seconds left, at least 1', () => {
  const state: ThrottleState = { failures: [], lockedUntil: T0 + 90_500, locks: 1 };
  assert.equal(retryAfterSeconds(state, T0), 91);
  assert.equal(retryAfterSeconds(state, T0 + 90_400), 1);
});

test('addresses: IPv4 as is (also when IPv4-mapped), IPv6 by its /64', () => {
  assert.equal(addressSubject('203.0.113.7'), '203.0.113.7');
  assert.equal(addressSubject('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressSubject('2001:db8:0:1:aaaa::1'), '2001:db8:0:1::/64');
  assert.equal(addressSubject('2001:DB8:0:1:bbbb:cccc:dddd:eeee'), '2001:db8:0:1::/64');
  assert.equal(addressSubject('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressSubject('::1'), '0:0:0:0::/64');
  assert.equal(addressSubject('fe80::1%eth0'), 'fe80:0:0:0::/64');
});
