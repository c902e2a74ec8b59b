/**
 * Sessions and autologin tokens: rows of Redmine's `tokens` table with action `session` or
 * `autologin`, a session's details (last seen, address, browser, sign-in method) in
 * `kanri_session_details` (migration 20261126000007 says why apart). The cookie carries a random token;
 * the table keeps only its SHA-256, so reading the table does not yield a usable cookie.
 *
 * Times go in as ISO strings and come out as epoch milliseconds: the columns are `timestamp` without
 * time zone holding UTC, and neither driver's Date conversion for that type is UTC-safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '#src/db/database.ts';

/** 256 random bits, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the table keeps of a token: its SHA-256 in hex (64 characters, `tokens.value`'s size). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionRow {
  readonly id: number;
  readonly userId: number;
  readonly createdOn: Date;
  readonly lastSeenOn: Date;
  readonly ip: string;
  readonly userAgent: string;
  readonly signInMethod: string;
}

export interface SessionListRow extends SessionRow {
  /** The session of the cookie given to the query. */
  readonly isCurrent: boolean;
}

interface RawSession {
  id: number;
  user_id: number;
  created_ms: number;
  last_seen_ms: number;
  ip: string;
  user_agent: string;
  sign_in_method: string;
}

// A session copied from Redmine has no details row: it was last seen when its token was last updated.
const LAST_SEEN = 'coalesce(d.last_seen_on, t.updated_on, t.created_on)';
const SESSION_COLUMNS = `t.id, t.user_id,
  (extract(epoch FROM t.created_on) * 1000)::float8 AS created_ms,
  (extract(epoch FROM ${LAST_SEEN}) * 1000)::float8 AS last_seen_ms,
  coalesce(d.ip, '') AS ip, coalesce(d.user_agent, '') AS user_agent, coalesce(d.sign_in_method, '') AS sign_in_method`;
const SESSIONS = "tokens t LEFT JOIN kanri_session_details d ON d.token_id = t.id WHERE t.action = 'session'";

function sessionOf(row: RawSession): SessionRow {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    createdOn: new Date(Number(row.created_ms)),
    lastSeenOn: new Date(Number(row.last_seen_ms)),
    ip: row.ip,
    userAgent: row.user_agent,
    signInMethod: row.sign_in_method,
  };
}

export interface NewSession {
  readonly userId: number;
  readonly token: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly signInMethod: string;
}

/** Inserts the token row and its details; run it in a transaction. */
export async function insertSession(db: Queryable, session: NewSession, now: Date): Promise<number> {
  const at = now.toISOString();
  const [row] = await db.query<{ id: number }>(
    "INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, 'session', $2, $3, $3) RETURNING id",
    [session.userId, tokenDigest(session.token), at],
  );
  const id = Number(row?.id);
  await db.query('INSERT INTO kanri_session_details (token_id, last_seen_on, ip, user_agent, sign_in_method) VALUES ($1, $2, $3, $4, $5)', [
    id,
    at,
    session.ip.slice(0, 64),
    session.userAgent.slice(0, 255),
    session.signInMethod.slice(0, 30),
  ]);
  return id;
}

export async function findSessionByToken(db: Queryable, token: string): Promise<SessionRow | undefined> {
  const [row] = await db.query<RawSession>(`SELECT ${SESSION_COLUMNS} FROM ${SESSIONS} AND t.value = $1`, [tokenDigest(token)]);
  return row ? sessionOf(row) : undefined;
}

/** The user's sessions, most recently seen first. */
export async function listSessionsOfUser(db: Queryable, userId: number, currentToken: string | undefined): Promise<SessionListRow[]> {
  const rows = await db.query<RawSession & { is_current: boolean }>(
    `SELECT ${SESSION_COLUMNS}, t.value = $2 AS is_current FROM ${SESSIONS} AND t.user_id = $1 ORDER BY ${LAST_SEEN} DESC, t.id DESC`,
    [userId, currentToken === undefined ? '' : tokenDigest(currentToken)],
  );
  return rows.map((row) => ({ ...sessionOf(row), isCurrent: row.is_current === true }));
}

/** Records that the session was seen now (a copied Redmine session gets its details row here). */
export async function touchSession(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO kanri_session_details (token_id, last_seen_on) VALUES ($1, $2)
     ON CONFLICT (token_id) DO UPDATE SET last_seen_on = excluded.last_seen_on`,
    [id, now.toISOString()],
  );
}

/** Gives the session a new token; its creation time, and so its lifetime, stay. */
export async function replaceSessionToken(db: Queryable, id: number, token: string): Promise<void> {
  await db.query("UPDATE tokens SET value = $2 WHERE id = $1 AND action = 'session'", [id, tokenDigest(token)]);
}

export async function deleteSessionById(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM tokens WHERE id = $1 AND action = 'session'", [id]);
}

/** Deletes the user's session with this id; false when the user has none such. */
export async function deleteSessionOfUser(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query("DELETE FROM tokens WHERE id = $1 AND user_id = $2 AND action = 'session' RETURNING id", [id, userId]);
  return rows.length > 0;
}

/** The id of the deleted session, if the token named one. */
export async function deleteSessionByToken(db: Queryable, token: string): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>("DELETE FROM tokens WHERE action = 'session' AND value = $1 RETURNING id", [tokenDigest(token)]);
  return row ? Number(row.id) : undefined;
}

/** Deletes the user's sessions but the one of `keepToken` (all when undefined); how many went. */
export async function deleteSessionsOfUser(db: Queryable, userId: number, keepToken: string | undefined): Promise<number> {
  const rows = await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'session' AND value <> $2 RETURNING id", [
    userId,
    keepToken === undefined ? '' : tokenDigest(keepToken),
  ]);
  return rows.length;
}

/**
 * After a password change: the user's other sessions, and every "stay logged in" token and mailed
 * password link — a stolen cookie or link must not outlive the change.
 */
export async function deleteCredentialsAfterPasswordChange(db: Queryable, userId: number, keepSession: string | undefined): Promise<void> {
  await deleteSessionsOfUser(db, userId, keepSession);
  await db.query("DELETE FROM tokens WHERE user_id = $1 AND action IN ('autologin', 'recovery', 'set_password')", [userId]);
}

/**
 * Deletes the user's sessions that are past the lifetime (created before `createdBefore`) or the
 * inactivity timeout (last seen before `seenBefore`); undefined: that limit is off.
 */
export async function deleteExpiredSessionsOfUser(db: Queryable, userId: number, createdBefore: Date | undefined, seenBefore: Date | undefined): Promise<void> {
  if (!createdBefore && !seenBefore) {
    return;
  }
  await db.query(
    `DELETE FROM tokens WHERE id IN (
       SELECT t.id FROM ${SESSIONS} AND t.user_id = $1
          AND (($2::timestamp IS NOT NULL AND t.created_on <= $2::timestamp) OR ($3::timestamp IS NOT NULL AND ${LAST_SEEN} <= $3::timestamp)))`,
    [userId, createdBefore?.toISOString() ?? null, seenBefore?.toISOString() ?? null],
  );
}

/** Keeps the user's `keep` most recently seen sessions and deletes the others (Redmine's eviction). */
export async function evictSessionsBeyond(db: Queryable, userId: number, keep: number): Promise<void> {
  await db.query(
    `DELETE FROM tokens WHERE id IN (SELECT t.id FROM ${SESSIONS} AND t.user_id = $1 ORDER BY ${LAST_SEEN} DESC, t.id DESC OFFSET $2)`,
    [userId, keep],
  );
}

export interface AutologinRow {
  readonly id: number;
  readonly userId: number;
  readonly createdOn: Date;
  readonly updatedOn: Date;
}

export async function insertAutologin(db: Queryable, userId: number, token: string, now: Date): Promise<void> {
  await db.query("INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, 'autologin', $2, $3, $3)", [
    userId,
    tokenDigest(token),
    now.toISOString(),
  ]);
}

export async function findAutologinByToken(db: Queryable, token: string): Promise<AutologinRow | undefined> {
  const [row] = await db.query<{ id: number; user_id: number; created_ms: number; updated_ms: number }>(
    `SELECT id, user_id, (extract(epoch FROM created_on) * 1000)::float8 AS created_ms,
            (extract(epoch FROM coalesce(updated_on, created_on)) * 1000)::float8 AS updated_ms
       FROM tokens WHERE action = 'autologin' AND value = $1`,
    [tokenDigest(token)],
  );
  return row
    ? { id: Number(row.id), userId: Number(row.user_id), createdOn: new Date(Number(row.created_ms)), updatedOn: new Date(Number(row.updated_ms)) }
    : undefined;
}

/** Redmine moves an autologin token's updated_on when it is used, at most once a minute. */
export async function touchAutologin(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE tokens SET updated_on = $2 WHERE id = $1', [id, now.toISOString()]);
}

export async function deleteAutologinById(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM tokens WHERE id = $1 AND action = 'autologin'", [id]);
}

export async function deleteAutologinByToken(db: Queryable, token: string): Promise<void> {
  await db.query("DELETE FROM tokens WHERE action = 'autologin' AND value = $1", [tokenDigest(token)]);
}

export async function deleteAutologinsOfUser(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'autologin' RETURNING id", [userId]);
  return rows.length;
}

/** Keeps the user's `keep` most recently used autologin tokens (Redmine: ten per user). */
export async function evictAutologinsBeyond(db: Queryable, userId: number, keep: number): Promise<void> {
  await db.query(
    `DELETE FROM tokens WHERE id IN (
       SELECT id FROM tokens WHERE user_id = $1 AND action = 'autologin'
        ORDER BY coalesce(updated_on, created_on) DESC, id DESC OFFSET $2)`,
    [userId, keep],
  );
}
