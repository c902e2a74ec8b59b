/**
 * The pending second step of signing in (security.md §5). After a right password, a user with
 * two-factor authentication gets no session: only a pending step, bound to them, kept server-side as
 * a `tokens` row (action `twofa_session`, the SHA-256 of a random token) and named by a signed cookie
 * that also carries how many wrong codes came before and where to go afterwards.
 *
 * Each attempt uses up its token (one DELETE decides, so two requests racing with it cannot both go
 * on); a wrong code issues a new token with the count raised, valid for another 2 minutes. Replaying
 * an older cookie therefore names a token that is gone: the count cannot be reset, and after the third
 * wrong code it is back to the password. A request carrying only this cookie is anonymous: the
 * session plugin never reads it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieName, isSecureRequest } from '#src/http/cookies.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { claimPendingSignIn, findPendingSignIn, insertPendingSignIn } from './twofa.repository.ts';

const PENDING_COOKIE = '_kanri_twofa';
/** The cookie goes only to the pages of the step. */
const PENDING_PATH = '/account/twofa';
/** How long one step waits for its code. */
export const PENDING_STEP_MILLIS = 2 * 60_000;
/** Wrong codes allowed per right password; the last one sends the user back to the password. */
export const MAX_CODE_TRIES = 3;

export interface PendingSignIn {
  readonly token: string;
  /** Wrong codes given so far. */
  readonly tries: number;
  /** A local path (already checked by safeBackUrl when the step began). */
  readonly backUrl: string;
  /** "Stay logged in" was ticked on the password form. */
  readonly stayLoggedIn: boolean;
}

function cookieKey(platform: Platform, request: FastifyRequest): Buffer {
  return deriveKey(platform.secret, 'twofa-pending', tenantOf(request).tenant.account);
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The step named by the request's cookie, if the signature is right (whether it is live is the database's say). */
export function pendingOf(platform: Platform, request: FastifyRequest): PendingSignIn | undefined {
  const sealed = request.cookies[cookieName(request, PENDING_COOKIE, PENDING_PATH)];
  const value = sealed ? unsealValue(cookieKey(platform, request), sealed) : undefined;
  const [token, tries, stay, backUrl] = value?.split('~') ?? [];
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token) || !tries || !/^\d$/.test(tries) || (stay !== '0' && stay !== '1') || backUrl === undefined) {
    return undefined;
  }
  return { token, tries: Number(tries), stayLoggedIn: stay === '1', backUrl: Buffer.from(backUrl, 'base64url').toString('utf8') || '/' };
}

/** Makes a new step for the user (replacing any other of theirs) and names it in the cookie. */
export async function issuePending(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  state: Omit<PendingSignIn, 'token'>,
  now: Date,
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await insertPendingSignIn(tenantOf(request).db, userId, digest(token), now);
  const value = [token, String(state.tries), state.stayLoggedIn ? '1' : '0', Buffer.from(state.backUrl, 'utf8').toString('base64url')].join('~');
  reply.setCookie(cookieName(request, PENDING_COOKIE, PENDING_PATH), sealValue(cookieKey(platform, request), value), {
    path: PENDING_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureRequest(request),
  });
}

export function clearPending(reply: FastifyReply): void {
  reply.clearCookie(cookieName(reply.request, PENDING_COOKIE, PENDING_PATH), { path: PENDING_PATH, secure: isSecureRequest(reply.request) });
}

const notBefore = (now: Date) => new Date(now.getTime() - PENDING_STEP_MILLIS);

/** The user whose live step the cookie names (for showing the code page; uses nothing up). */
export async function pendingUserId(request: FastifyRequest, pending: PendingSignIn, now: Date): Promise<number | undefined> {
  return findPendingSignIn(tenantOf(request).db, digest(pending.token), notBefore(now));
}

/** Uses up the step for one attempt; its user if it was live. */
export async function claimPending(request: FastifyRequest, pending: PendingSignIn, now: Date): Promise<number | undefined> {
  return claimPendingSignIn(tenantOf(request).db, digest(pending.token), notBefore(now));
}
