/** All SQL on `auth_throttles`: one row per throttled subject (a login, an address, an API key's hash). */
import type { Database, Queryable } from '#src/db/database.ts';
import { FRESH_STATE, type ThrottleState } from './throttle-state.ts';

export type ThrottleScope = 'login' | 'ip' | 'api_key' | 'api_ip' | 'reset_account' | 'reset_ip';

export interface ThrottleKey {
  readonly scope: ThrottleScope;
  readonly subject: string;
}

interface ThrottleRow {
  scope: ThrottleScope;
  subject: string;
  failures: Date[];
  locked_until: Date | null;
  locks: number;
}

function stateOf(row: ThrottleRow | undefined): ThrottleState {
  return row
    ? { failures: row.failures.map((at) => at.getTime()), lockedUntil: row.locked_until?.getTime() ?? null, locks: row.locks }
    : FRESH_STATE;
}

/** The states of these subjects (a subject with no row has a fresh state), in the order asked. */
export async function findThrottleStates(db: Queryable, keys: readonly ThrottleKey[]): Promise<ThrottleState[]> {
  const rows = await db.query<ThrottleRow>(
    `SELECT scope, subject, failures, locked_until, locks FROM auth_throttles
      WHERE (scope, subject) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
    [keys.map((k) => k.scope), keys.map((k) => k.subject)],
  );
  return keys.map((key) => stateOf(rows.find((r) => r.scope === key.scope && r.subject === key.subject)));
}

/**
 * Changes one subject's state under its row lock, so processes that count the same subject at once
 * each see the other's failure (and exactly one of them starts a lock). One row per transaction: a
 * transaction never waits for a second row while holding one, so two of them cannot deadlock.
 */
export async function changeThrottleState<T>(
  db: Database,
  key: ThrottleKey,
  change: (state: ThrottleState) => { state: ThrottleState; expiresAt: number; result: T },
): Promise<T> {
  return db.transaction(async (tx) => {
    // An upsert that changes nothing still takes the row lock, and returns the row in one round trip.
    const [row] = await tx.query<ThrottleRow>(
      `INSERT INTO auth_throttles (scope, subject, expires_at) VALUES ($1, $2, now())
       ON CONFLICT (scope, subject) DO UPDATE SET locks = auth_throttles.locks
       RETURNING scope, subject, failures, locked_until, locks`,
      [key.scope, key.subject],
    );
    const { state, expiresAt, result } = change(stateOf(row));
    await tx.query(
      'UPDATE auth_throttles SET failures = $3, locked_until = $4, locks = $5, expires_at = $6 WHERE scope = $1 AND subject = $2',
      [
        key.scope,
        key.subject,
        state.failures.map((at) => new Date(at)),
        state.lockedUntil === null ? null : new Date(state.lockedUntil),
        state.locks,
        new Date(expiresAt),
      ],
    );
    return result;
  });
}

/** Forgets a login's failures (not its lock series), when it has any. */
export async function clearThrottleFailures(db: Queryable, key: ThrottleKey): Promise<void> {
  await db.query("UPDATE auth_throttles SET failures = '{}' WHERE scope = $1 AND subject = $2 AND cardinality(failures) > 0", [key.scope, key.subject]);
}

/** Forgets everything about a subject: failures, lock and lock series. */
export async function deleteThrottle(db: Queryable, key: ThrottleKey): Promise<void> {
  await db.query('DELETE FROM auth_throttles WHERE scope = $1 AND subject = $2', [key.scope, key.subject]);
}

/**
 * Deletes up to `limit` rows that say nothing any more. Called as failures are recorded, so the table
 * stays as small as the attacks of the last day, whatever logins they made up. Rows another request
 * holds are skipped rather than waited for.
 */
export async function deleteExpiredThrottles(db: Queryable, now: Date, limit = 100): Promise<void> {
  await db.query(
    `DELETE FROM auth_throttles WHERE (scope, subject) IN (
       SELECT scope, subject FROM auth_throttles WHERE expires_at < $1 LIMIT ${Math.trunc(limit)} FOR UPDATE SKIP LOCKED)`,
    [now],
  );
}
