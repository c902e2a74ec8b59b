/**
 * The arithmetic of one throttle, without I/O: failures counted in a sliding window, a lock when they
 * reach the limit, and locks that double while they keep coming. Instants are milliseconds since the
 * epoch, always from the caller's clock, so tests move time by passing a later `now`.
 */
import type { ThrottlePolicy } from '#src/config/config.ts';

export type { ThrottlePolicy } from '#src/config/config.ts';

export interface ThrottleState {
  /** The latest failures inside the window, oldest first; never more than the limit. */
  readonly failures: readonly number[];
  /** End of the current or last lock; null when there has been none in the current series. */
  readonly lockedUntil: number | null;
  /** Locks in the current series (the next one lasts twice as long as the last). */
  readonly locks: number;
}

export const FRESH_STATE: ThrottleState = { failures: [], lockedUntil: null, locks: 0 };

export function isLocked(state: ThrottleState, now: number): boolean {
  return state.lockedUntil !== null && now < state.lockedUntil;
}

/** How long the `lockNumber`-th lock of a series lasts (1 → the base duration). */
export function lockDurationMs(policy: ThrottlePolicy, lockNumber: number): number {
  // 2 ** large is Infinity, which min() turns into the cap.
  return Math.min(policy.lockMs * 2 ** Math.max(0, lockNumber - 1), policy.maxLockMs);
}

export interface FailureOutcome {
  readonly state: ThrottleState;
  /** True when this failure started a lock (the moment to tell the user, once). */
  readonly lockedNow: boolean;
}

/**
 * The state after one more failure at `now`. While locked nothing changes: attempts during a lock
 * neither extend it nor start the next one. A lock that begins within `maxLockMs` of the previous
 * lock's end continues the series (and doubles); a later one starts a new series.
 */
export function afterFailure(state: ThrottleState, policy: ThrottlePolicy, now: number): FailureOutcome {
  if (isLocked(state, now)) {
    return { state, lockedNow: false };
  }
  const since = now - policy.windowMs;
  const failures = [...state.failures.filter((at) => at > since && at <= now), now].slice(-policy.maxFailures);
  if (failures.length < policy.maxFailures) {
    return { state: { ...state, failures }, lockedNow: false };
  }
  const continues = state.lockedUntil !== null && now - state.lockedUntil < policy.maxLockMs;
  const locks = continues ? state.locks + 1 : 1;
  return { state: { failures: [], lockedUntil: now + lockDurationMs(policy, locks), locks }, lockedNow: true };
}

/** After this instant the state says nothing more than a fresh one: the window and the series are over. */
export function expiresAt(state: ThrottleState, policy: ThrottlePolicy): number {
  const lastFailure = state.failures.at(-1);
  return Math.max(lastFailure === undefined ? 0 : lastFailure + policy.windowMs, state.lockedUntil === null ? 0 : state.lockedUntil + policy.maxLockMs);
}

/** Whole seconds until the lock ends, at least 1 (an HTTP `Retry-After`). */
export function retryAfterSeconds(state: ThrottleState, now: number): number {
  return Math.max(1, Math.ceil(((state.lockedUntil ?? now) - now) / 1000));
}
