/**
 * Browser sessions and autologin tokens (security.md §4, Redmine's Token actions `session` and
 * `autologin`): starting one, checking it on every request against the tenant's `session_lifetime`
 * and `session_timeout`, listing and ending a user's sessions. The clock is a parameter (`now`), so
 * tests move time without sleeping. Endings are audited in the transaction that deletes the rows.
 */
import type { Database, Queryable } from '#src/db/database.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import {
  deleteAutologinById,
  deleteAutologinByToken,
  deleteAutologinsOfUser,
  deleteExpiredSessionsOfUser,
  deleteSessionById,
  deleteSessionByToken,
  deleteSessionOfUser,
  deleteSessionsOfUser,
  evictAutologinsBeyond,
  evictSessionsBeyond,
  findAutologinByToken,
  findSessionByToken,
  insertAutologin,
  insertSession,
  listSessionsOfUser,
  newSessionToken,
  replaceSessionToken,
  touchAutologin,
  touchSession,
  type SessionListRow,
} from './session.repository.ts';
import { findUserById, USER_STATUS, type User } from './user.repository.ts';

export type { SessionListRow } from './session.repository.ts';

/** Redmine keeps ten sessions (and ten autologin tokens) per user; a new one evicts the oldest. */
export const MAX_SESSIONS_PER_USER = 10;
/** Last-seen times move at most this often (Redmine), so a busy browser writes once a minute. */
const TOUCH_EVERY_MS = 60_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How the user proved who they are: shown on My account → Sessions. */
export type SignInMethod = 'password' | 'autologin' | 'oidc';

/** Why a browser was signed out other than by its user (kept in the `logout` audit row). */
export type SignOutReason = 'invalid_authenticity_token';

/** The tenant's session settings, in Redmine's units; 0 turns a limit off. */
export interface SessionPolicy {
  /** `session_lifetime`: minutes a session may last from sign-in. */
  readonly lifetimeMinutes: number;
  /** `session_timeout`: minutes a session may stay unused. */
  readonly timeoutMinutes: number;
  /** `autologin`: days a "stay logged in" token lasts; 0 = autologin off. */
  readonly autologinDays: number;
}

/** Where a request comes from, as kept with a session and written in audit rows. */
export interface SessionClient {
  readonly ip: string;
  readonly userAgent: string;
}

function sourceFor(user: Pick<User, 'id' | 'login'>, client: SessionClient): AuditSource {
  return { actorId: user.id, actorName: user.login, ip: client.ip, userAgent: client.userAgent };
}

/** Why a session is over at `now`, or undefined while it lasts. At exactly the limit it is over (Redmine). */
function expiryOf(session: { createdOn: Date; lastSeenOn: Date }, policy: SessionPolicy, now: Date): 'lifetime' | 'timeout' | undefined {
  if (policy.lifetimeMinutes > 0 && now.getTime() >= session.createdOn.getTime() + policy.lifetimeMinutes * MINUTE_MS) {
    return 'lifetime';
  }
  if (policy.timeoutMinutes > 0 && now.getTime() >= session.lastSeenOn.getTime() + policy.timeoutMinutes * MINUTE_MS) {
    return 'timeout';
  }
  return undefined;
}

/** Inserts a new session: the user's expired sessions go, and beyond ten the least recently seen. */
async function insertFreshSession(tx: Queryable, userId: number, start: SessionStart, now: Date): Promise<string> {
  const token = newSessionToken();
  const { policy } = start;
  const createdBefore = policy.lifetimeMinutes > 0 ? new Date(now.getTime() - policy.lifetimeMinutes * MINUTE_MS) : undefined;
  const seenBefore = policy.timeoutMinutes > 0 ? new Date(now.getTime() - policy.timeoutMinutes * MINUTE_MS) : undefined;
  await deleteExpiredSessionsOfUser(tx, userId, createdBefore, seenBefore);
  await evictSessionsBeyond(tx, userId, MAX_SESSIONS_PER_USER - 1);
  await insertSession(tx, { userId, token, ip: start.client.ip, userAgent: start.client.userAgent, signInMethod: start.method }, now);
  return token;
}

export interface SessionStart {
  readonly client: SessionClient;
  readonly method: SignInMethod;
  readonly policy: SessionPolicy;
}

/**
 * Starts a session for `userId` and returns the token for its cookie (256 random bits). The user's
 * expired sessions go, and beyond the ten most recently seen the oldest are evicted (Redmine).
 */
export async function startSession(db: Database, userId: number, start: SessionStart, now: Date): Promise<string> {
  return db.transaction((tx) => insertFreshSession(tx, userId, start, now));
}

/**
 * A new session from a "stay logged in" token, when the token is good (see autologinUser); recorded
 * as a `login.success` by autologin.
 */
export async function restoreSession(
  db: Database,
  autologinToken: string,
  policy: SessionPolicy,
  client: SessionClient,
  now: Date,
): Promise<{ readonly user: User; readonly token: string } | undefined> {
  const user = await autologinUser(db, autologinToken, policy, now);
  if (!user) {
    return undefined;
  }
  const token = await db.transaction(async (tx) => {
    const made = await insertFreshSession(tx, user.id, { client, method: 'autologin', policy }, now);
    await recordAudit(tx, {
      event: 'login.success',
      source: sourceFor(user, client),
      target: { type: 'User', id: user.id, name: user.login },
      details: { method: 'autologin' },
    });
    return made;
  });
  return { user, token };
}

/** What a session cookie's token stands for at a request. */
export type SessionState =
  | { readonly kind: 'live'; readonly user: User; readonly sessionId: number }
  /** Past `session_lifetime` or `session_timeout`: deleted now, and audited. */
  | { readonly kind: 'expired'; readonly sessionId: number; readonly reason: 'lifetime' | 'timeout' }
  /** No such session (ended, evicted, never existed), or its user is no longer active. */
  | { readonly kind: 'gone' };

/**
 * The session of `token` checked against the current settings (so a change applies to existing
 * sessions at their next request): live (last seen moved, at most once a minute), or expired and
 * destroyed, or gone. A session of a user who is not active any more is deleted as well.
 */
export async function resumeSession(db: Database, token: string, policy: SessionPolicy, client: SessionClient, now: Date): Promise<SessionState> {
  const session = await findSessionByToken(db, token);
  if (!session) {
    return { kind: 'gone' };
  }
  const user = await findUserById(db.orm, session.userId);
  if (user?.status !== USER_STATUS.active) {
    await deleteSessionById(db, session.id);
    return { kind: 'gone' };
  }
  const reason = expiryOf(session, policy, now);
  if (reason) {
    await db.transaction(async (tx) => {
      await deleteSessionById(tx, session.id);
      await recordAudit(tx, {
        event: 'session.expired',
        source: sourceFor(user, client),
        target: { type: 'User', id: user.id, name: user.login },
        details: { session_id: session.id, reason },
      });
    });
    return { kind: 'expired', sessionId: session.id, reason };
  }
  if (now.getTime() - session.lastSeenOn.getTime() >= TOUCH_EVERY_MS) {
    await touchSession(db, session.id, now);
  }
  return { kind: 'live', user, sessionId: session.id };
}

/** Gives the session of `token` a new token (sign-in step done, privilege change); undefined when there is none. */
export async function rotateSession(db: Database, token: string): Promise<string | undefined> {
  const session = await findSessionByToken(db, token);
  if (!session) {
    return undefined;
  }
  const next = newSessionToken();
  await replaceSessionToken(db, session.id, next);
  return next;
}

/** Ends the session of `token` silently (a session replaced at sign-in). */
export async function dropSession(db: Database, token: string): Promise<void> {
  await deleteSessionByToken(db, token);
}

/** Sign-out: the session and the autologin token of this browser end; audited as `logout`. */
export async function signOutSession(
  db: Database,
  user: Pick<User, 'id' | 'login'>,
  tokens: { readonly session: string | undefined; readonly autologin: string | undefined },
  client: SessionClient,
  reason?: SignOutReason,
): Promise<void> {
  await db.transaction(async (tx) => {
    const sessionId = tokens.session === undefined ? undefined : await deleteSessionByToken(tx, tokens.session);
    if (tokens.autologin !== undefined) {
      await deleteAutologinByToken(tx, tokens.autologin);
    }
    const details = { ...(sessionId === undefined ? {} : { session_id: sessionId }), ...(reason ? { reason } : {}) };
    await recordAudit(tx, {
      event: 'logout',
      source: sourceFor(user, client),
      target: { type: 'User', id: user.id, name: user.login },
      ...(Object.keys(details).length === 0 ? {} : { details }),
    });
  });
}

/** The user's sessions, most recently seen first; `currentToken` marks "this session". */
export async function listSessions(db: Database, userId: number, currentToken: string | undefined): Promise<SessionListRow[]> {
  return listSessionsOfUser(db, userId, currentToken);
}

/** Ends one of the user's own sessions (My account → Sessions); false when it is not theirs or gone. */
export async function endOwnSession(db: Database, user: Pick<User, 'id' | 'login'>, sessionId: number, source: AuditSource): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await deleteSessionOfUser(tx, user.id, sessionId);
    if (ended) {
      await recordAudit(tx, {
        event: 'session.ended',
        source,
        target: { type: 'User', id: user.id, name: user.login },
        details: { scope: 'one', session_id: sessionId },
      });
    }
    return ended;
  });
}

/** Ends every session of the user but the one of `keepToken`; returns how many ended. */
export async function endOtherSessions(db: Database, user: Pick<User, 'id' | 'login'>, keepToken: string | undefined, source: AuditSource): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await deleteSessionsOfUser(tx, user.id, keepToken);
    await recordAudit(tx, {
      event: 'session.ended',
      source,
      target: { type: 'User', id: user.id, name: user.login },
      details: { scope: 'others', sessions: ended },
    });
    return ended;
  });
}

/**
 * Ends every session and autologin token of the user (an administrator's "end all sessions"): every
 * browser of theirs is signed out at its next request. Undefined when there is no such user.
 */
export async function endAllSessions(db: Database, userId: number, source: AuditSource): Promise<number | undefined> {
  const user = await findUserById(db.orm, userId);
  if (!user) {
    return undefined;
  }
  return db.transaction(async (tx) => {
    const ended = await deleteSessionsOfUser(tx, user.id, undefined);
    const autologins = await deleteAutologinsOfUser(tx, user.id);
    await recordAudit(tx, {
      event: 'session.ended',
      source,
      target: { type: 'User', id: user.id, name: user.login },
      details: { scope: 'all', sessions: ended, autologin_tokens: autologins },
    });
    return ended;
  });
}

/**
 * Issues a "stay logged in" token (256 random bits, kept hashed as a `tokens` row with action
 * `autologin`); beyond ten per user the least recently used go (Redmine). Undefined when autologin is off.
 */
export async function issueAutologin(db: Database, userId: number, policy: SessionPolicy, now: Date): Promise<string | undefined> {
  if (policy.autologinDays <= 0) {
    return undefined;
  }
  const token = newSessionToken();
  await db.transaction(async (tx) => {
    await evictAutologinsBeyond(tx, userId, MAX_SESSIONS_PER_USER - 1);
    await insertAutologin(tx, userId, token, now);
  });
  return token;
}

/**
 * The active user an autologin token signs in, or undefined: autologin must be on, the token younger
 * than `autologin` days (Redmine) and, when `session_lifetime` is set, younger than that too — a
 * session restored from it could otherwise outlive the lifetime. A token found too old is deleted.
 */
async function autologinUser(db: Database, token: string, policy: SessionPolicy, now: Date): Promise<User | undefined> {
  if (policy.autologinDays <= 0) {
    return undefined;
  }
  const found = await findAutologinByToken(db, token);
  if (!found) {
    return undefined;
  }
  const age = now.getTime() - found.createdOn.getTime();
  if (age >= policy.autologinDays * DAY_MS || (policy.lifetimeMinutes > 0 && age >= policy.lifetimeMinutes * MINUTE_MS)) {
    await deleteAutologinById(db, found.id);
    return undefined;
  }
  const user = await findUserById(db.orm, found.userId);
  if (user?.status !== USER_STATUS.active) {
    return undefined;
  }
  if (now.getTime() - found.updatedOn.getTime() >= TOUCH_EVERY_MS) {
    await touchAutologin(db, found.id, now);
  }
  return user;
}

/** Deletes the autologin token of this browser (sign-in replaces it, a refused one is forgotten). */
export async function dropAutologin(db: Database, token: string): Promise<void> {
  await deleteAutologinByToken(db, token);
}
