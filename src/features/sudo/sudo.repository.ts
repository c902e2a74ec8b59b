/**
 * A session's sudo time: `kanri_session_details.sudo_until` (migration 20261126000011) of the session
 * whose cookie token is given. Sessions are `tokens` rows (action 'session', value = SHA-256 of the
 * token); see features/account/session.repository.ts. Times go in as ISO strings and come out as epoch
 * milliseconds, as there (timestamp without time zone holding UTC).
 */
import type { Queryable } from '#src/db/database.ts';
import { tokenDigest } from '#src/features/account/session.repository.ts';

export interface SudoState {
  /** Until when the session is in sudo mode; undefined: it is not. */
  readonly until: Date | undefined;
  /** How the session signed in ('password', 'autologin', 'oidc'…; '' for a session copied from Redmine). */
  readonly signInMethod: string;
}

/** The sudo state of the session with this cookie token, or undefined when there is no such session. */
export async function findSudoState(db: Queryable, sessionToken: string): Promise<SudoState | undefined> {
  const [row] = await db.query<{ until_ms: number | null; sign_in_method: string | null }>(
    `SELECT (extract(epoch FROM d.sudo_until) * 1000)::float8 AS until_ms, d.sign_in_method
       FROM tokens t LEFT JOIN kanri_session_details d ON d.token_id = t.id
      WHERE t.action = 'session' AND t.value = $1`,
    [tokenDigest(sessionToken)],
  );
  if (!row) {
    return undefined;
  }
  return { until: row.until_ms === null ? undefined : new Date(Number(row.until_ms)), signInMethod: row.sign_in_method ?? '' };
}

/**
 * Puts the session in sudo mode until `until`. A session copied from Redmine has no details row yet:
 * it gets one here, last seen now.
 */
export async function setSudoUntil(db: Queryable, sessionToken: string, until: Date, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO kanri_session_details (token_id, last_seen_on, sudo_until)
       SELECT t.id, $3, $2 FROM tokens t WHERE t.action = 'session' AND t.value = $1
     ON CONFLICT (token_id) DO UPDATE SET sudo_until = excluded.sudo_until`,
    [tokenDigest(sessionToken), until.toISOString(), now.toISOString()],
  );
}
