/**
 * Counting failed credentials per tenant: wrong passwords per login and per client address, invalid
 * API keys per key and per address (security.md §6, §8). The state lives in the tenant database, so
 * every process of a deployment counts together. `now` is the caller's clock.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { ThrottleConfig } from '#src/config/config.ts';
import type { Database, Queryable } from '#src/db/database.ts';
import { normalizeAddress } from '#src/lib/ip-match.ts';
import {
  afterFailure,
  expiresAt,
  FRESH_STATE,
  isLocked,
  retryAfterSeconds,
  type ThrottlePolicy,
} from './throttle-state.ts';
import {
  changeThrottleState,
  clearThrottleFailures,
  deleteExpiredThrottles,
  deleteThrottle,
  findThrottleStates,
  type ThrottleKey,
} from './throttle.repository.ts';

/** One attempt to prove a password: the login it names (known or not) and where it came from. */
export interface AuthAttempt {
  readonly login: string;
  /** The client address (the request's, resolved across trusted proxies). */
  readonly ip: string;
}

export interface SignInGate {
  /**
   * False while the account is soft-locked or the address blocked: the attempt must then be answered
   * exactly as a wrong password is, and its password not checked.
   */
  readonly allowed: boolean;
  /** The account has failures on record, which a completed sign-in clears. */
  readonly accountHasFailures: boolean;
}

export interface AuthFailureOutcome {
  /** Set when this failure soft-locked the account: the lock's end. */
  readonly accountLockedUntil: Date | undefined;
  /** Set when this failure blocked the address: the block's end. */
  readonly addressBlockedUntil: Date | undefined;
}

/** Logins are matched case-insensitively, so their counts are too. */
function loginKey(login: string): ThrottleKey {
  return { scope: 'login', subject: login.toLowerCase().slice(0, 255) };
}

/**
 * The address a count is kept for. An IPv6 client usually holds a whole /64 and can change its address
 * within it at will, so IPv6 addresses count by their /64.
 */
export function addressSubject(ip: string): string {
  const address = normalizeAddress(ip).replace(/%.*$/, '');
  if (isIP(address) !== 6) {
    return address.slice(0, 255);
  }
  const [head = '', tail] = address.toLowerCase().split('::');
  const groupsOf = (part: string | undefined) =>
    (part ? part.split(':') : []).flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const front = groupsOf(head);
  const back = groupsOf(tail);
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

function addressKey(ip: string): ThrottleKey {
  return { scope: 'ip', subject: addressSubject(ip) };
}

/** Counts one failure of `key`; the lock's end when this failure started one. */
async function countFailure(db: Database, key: ThrottleKey, policy: ThrottlePolicy, now: Date): Promise<Date | undefined> {
  return changeThrottleState(db, key, (before) => {
    const { state, lockedNow } = afterFailure(before, policy, now.getTime());
    return { state, expiresAt: expiresAt(state, policy), result: lockedNow && state.lockedUntil !== null ? new Date(state.lockedUntil) : undefined };
  });
}

/** May this attempt's password be checked? One read of both counts. */
export async function checkSignInAllowed(db: Queryable, policies: ThrottleConfig, attempt: AuthAttempt, now: Date): Promise<SignInGate> {
  const [account = FRESH_STATE, address = FRESH_STATE] = await findThrottleStates(db, [loginKey(attempt.login), addressKey(attempt.ip)]);
  const at = now.getTime();
  return { allowed: !isLocked(account, at) && !isLocked(address, at), accountHasFailures: account.failures.length > 0 };
}

/**
 * Counts a wrong password (or a wrong second factor, or an attempt refused during a lock) against the
 * login and the address. The login's count is kept whether or not such a user exists, so a made-up
 * login locks like a real one and nothing tells them apart.
 */
export async function recordAuthFailure(db: Database, policies: ThrottleConfig, attempt: AuthAttempt, now: Date): Promise<AuthFailureOutcome> {
  const accountLockedUntil = await countFailure(db, loginKey(attempt.login), policies.account, now);
  const addressBlockedUntil = await countFailure(db, addressKey(attempt.ip), policies.address, now);
  await deleteExpiredThrottles(db, now);
  return { accountLockedUntil, addressBlockedUntil };
}

/** After a completed sign-in: the account's failures are forgotten (its lock series fades on its own). */
export async function clearAccountFailures(db: Queryable, login: string): Promise<void> {
  await clearThrottleFailures(db, loginKey(login));
}

/**
 * Lifts the account's soft lock and forgets its failures and lock series. Called when the user has
 * set a new password through a reset link, which proves control of their mailbox.
 */
export async function clearAccountLock(db: Queryable, login: string): Promise<void> {
  await deleteThrottle(db, loginKey(login));
}

/** The end of the account's soft lock when it is locked at `now` (for administrators: Users → edit). */
export async function accountLockedUntil(db: Queryable, login: string, now: Date): Promise<Date | undefined> {
  const [state = FRESH_STATE] = await findThrottleStates(db, [loginKey(login)]);
  return isLocked(state, now.getTime()) && state.lockedUntil !== null ? new Date(state.lockedUntil) : undefined;
}

const HOUR_MS = 3_600_000;

/**
 * "Lost password" requests (security.md §3): a few per target account and hour, so nobody can flood
 * a mailbox with links, and more per client address, so nobody can probe or spam many accounts from
 * one place. Past either, requests go on being answered alike but make no link and send nothing.
 */
const PASSWORD_RESET_POLICIES = {
  account: { maxFailures: 5, windowMs: HOUR_MS, lockMs: HOUR_MS, maxLockMs: HOUR_MS },
  address: { maxFailures: 20, windowMs: HOUR_MS, lockMs: HOUR_MS, maxLockMs: HOUR_MS },
} as const satisfies Record<string, ThrottlePolicy>;

/** A request for a password link: the account it names (or the address typed, when none) and where it came from. */
export interface PasswordResetAttempt {
  /** `user:<id>` for an account, else the address typed, lower-cased. */
  readonly target: string;
  readonly ip: string;
}

/**
 * May a link be made for this request? Counts it against the target and the address when it may;
 * false, counting nothing, while either is over its limit.
 */
export async function admitPasswordResetRequest(db: Database, attempt: PasswordResetAttempt, now: Date): Promise<boolean> {
  const accountKey: ThrottleKey = { scope: 'reset_account', subject: attempt.target.slice(0, 255) };
  const ipKey: ThrottleKey = { scope: 'reset_ip', subject: addressSubject(attempt.ip) };
  const at = now.getTime();
  if ((await findThrottleStates(db, [accountKey, ipKey])).some((state) => isLocked(state, at))) {
    return false;
  }
  await countFailure(db, accountKey, PASSWORD_RESET_POLICIES.account, now);
  await countFailure(db, ipKey, PASSWORD_RESET_POLICIES.address, now);
  await deleteExpiredThrottles(db, now);
  return true;
}

/** An API key attempt: the key given (kept only as its SHA-256) and the client address. */
export interface ApiKeyAttempt {
  readonly key: string;
  readonly ip: string;
}

/**
 * Counts an API key that names no active user, per key and per address. While either is over its
 * limit the answer is the number of seconds to wait (nothing is counted then); otherwise undefined,
 * and the request goes on as an anonymous one, as it did before the limit.
 */
export async function recordInvalidApiKey(db: Database, policies: ThrottleConfig, attempt: ApiKeyAttempt, now: Date): Promise<number | undefined> {
  const keyKey: ThrottleKey = { scope: 'api_key', subject: createHash('sha256').update(attempt.key).digest('hex') };
  const ipKey: ThrottleKey = { scope: 'api_ip', subject: addressSubject(attempt.ip) };
  const at = now.getTime();
  const locked = (await findThrottleStates(db, [keyKey, ipKey])).filter((state) => isLocked(state, at));
  if (locked.length > 0) {
    return Math.max(...locked.map((state) => retryAfterSeconds(state, at)));
  }
  await countFailure(db, keyKey, policies.apiKey, now);
  await countFailure(db, ipKey, policies.apiAddress, now);
  await deleteExpiredThrottles(db, now);
  return undefined;
}
