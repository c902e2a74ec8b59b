/**
 * Step 2 for browsers: the session cookie names a session of this tenant, and the session a user.
 * The cookie is host-only (no Domain attribute), signed with a key of this tenant, and its token is
 * looked up in this tenant's database, so a cookie of tenant A is no session on tenant B.
 *
 * Every request checks the session against the tenant's `session_lifetime` and `session_timeout`
 * (features/account/session.service.ts): an expired one is destroyed and the browser sent to sign in
 * again with Redmine's "Your session has expired". A browser with no live session but a "stay logged
 * in" cookie gets a new session from it (Redmine's autologin).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  dropAutologin,
  dropSession,
  issueAutologin,
  mustChangePassword,
  restoreSession,
  resumeSession,
  rotateSession as rotateStoredSession,
  signOutSession,
  startSession,
  type SessionClient,
  type SessionPolicy,
  type SignInMethod,
  type SignOutReason,
  type User,
} from '#src/features/account/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { apiFormatOf } from '#src/api/format.ts';
import { nowOf } from './clock.ts';
import { cookieName, isSecureRequest } from './cookies.ts';
import { setFlash } from './flash.ts';
import { noteSignedOutUser } from './request-log.ts';
import { tenantOf } from './tenant-context.ts';

/** The cookies' names before the `__Host-` prefix (see cookies.ts). */
const SESSION_COOKIE = 'kanri_sid';
const AUTOLOGIN_COOKIE = 'kanri_autologin';
type CookieBase = typeof SESSION_COOKIE | typeof AUTOLOGIN_COOKIE;

const PASSWORD_CHANGE_EXEMPT: ReadonlySet<string> = new Set(['/my/password', '/logout', '/login']);
/** Where a dead session cookie is only dropped, without the "expired" detour: the visitor is signing in or out. */
const EXPIRY_NOTICE_EXEMPT: ReadonlySet<string> = new Set(['/login', '/logout']);
const DAY_SECONDS = 86_400;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, undefined for anonymous requests. */
    user: User | undefined;
    sessionToken: string | undefined;
  }
}

/** The browser's autologin token (unsealed), for sign-in and sign-out to end it. */
const autologinTokens = new WeakMap<FastifyRequest, string>();

/** HttpOnly, SameSite=Lax, Path=/, no Domain; no expiry unless `maxAge` (the autologin cookie's days). */
function cookieOptions(request: FastifyRequest, maxAge?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isSecureRequest(request), ...(maxAge ? { maxAge } : {}) };
}

function cookieKey(platform: Platform, request: FastifyRequest, base: CookieBase): Buffer {
  return deriveKey(platform.secret, base === SESSION_COOKIE ? 'session' : 'autologin', tenantOf(request).tenant.account);
}

/** The token in the cookie when its signature is good; tampered, truncated or foreign cookies give none. */
function readToken(platform: Platform, request: FastifyRequest, base: CookieBase): string | undefined {
  const sealed = request.cookies[cookieName(request, base)];
  return sealed ? unsealValue(cookieKey(platform, request, base), sealed) : undefined;
}

function writeToken(platform: Platform, request: FastifyRequest, reply: FastifyReply, base: CookieBase, token: string, maxAge?: number): void {
  reply.setCookie(cookieName(request, base), sealValue(cookieKey(platform, request, base), token), cookieOptions(request, maxAge));
}

function clearToken(request: FastifyRequest, reply: FastifyReply, base: CookieBase): void {
  reply.clearCookie(cookieName(request, base), cookieOptions(request));
}

/** The tenant's session settings as numbers (minutes, minutes, days; 0 = off). */
export function sessionPolicyOf(settings: Pick<Settings, 'session_lifetime' | 'session_timeout' | 'autologin'>): SessionPolicy {
  return {
    lifetimeMinutes: Number(settings.session_lifetime) || 0,
    timeoutMinutes: Number(settings.session_timeout) || 0,
    autologinDays: Number(settings.autologin) || 0,
  };
}

/** The client as a session and the audit trail keep it. */
export function sessionClientOf(request: FastifyRequest): SessionClient {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent : '' };
}

export interface SignInOptions {
  /** How the user proved who they are (default: password). */
  readonly method?: SignInMethod;
  /** "Stay logged in" was ticked: an autologin cookie is issued while the `autologin` setting is on. */
  readonly stayLoggedIn?: boolean;
}

/**
 * Starts a session for `user` under a new id and sets its cookie. The browser's earlier session and
 * autologin token end here, so an id planted in the browser before sign-in is dead after it (fixation).
 */
export async function signIn(platform: Platform, request: FastifyRequest, reply: FastifyReply, user: User, options: SignInOptions = {}): Promise<void> {
  const { db, settings } = tenantOf(request);
  const now = nowOf(request);
  const policy = sessionPolicyOf(settings);
  if (request.sessionToken) {
    await dropSession(db, request.sessionToken);
  }
  const earlierAutologin = autologinTokens.get(request);
  if (earlierAutologin) {
    await dropAutologin(db, earlierAutologin);
    autologinTokens.delete(request);
  }
  const token = await startSession(db, user.id, { client: sessionClientOf(request), method: options.method ?? 'password', policy }, now);
  writeToken(platform, request, reply, SESSION_COOKIE, token);
  const autologin = options.stayLoggedIn ? await issueAutologin(db, user.id, policy, now) : undefined;
  if (autologin) {
    writeToken(platform, request, reply, AUTOLOGIN_COOKIE, autologin, policy.autologinDays * DAY_SECONDS);
    autologinTokens.set(request, autologin);
  } else if (earlierAutologin) {
    clearToken(request, reply, AUTOLOGIN_COOKIE);
  }
  request.user = user;
  request.sessionToken = token;
}

/**
 * Gives the browser's session a new id and cookie, keeping its sign-in time (so its lifetime): after
 * a step that raises what the session may do (two-factor step, password change, new rights).
 */
export async function rotateSession(platform: Platform, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.sessionToken) {
    return;
  }
  const next = await rotateStoredSession(tenantOf(request).db, request.sessionToken);
  if (next) {
    writeToken(platform, request, reply, SESSION_COOKIE, next);
    request.sessionToken = next;
  }
}

/**
 * Ends the browser's session and its autologin token (audited as `logout`, with `reason` when it was
 * not the user's choice) and clears both cookies.
 */
export async function signOut(request: FastifyRequest, reply: FastifyReply, reason?: SignOutReason): Promise<void> {
  const { db } = tenantOf(request);
  const autologin = autologinTokens.get(request);
  if (request.user) {
    await signOutSession(db, request.user, { session: request.sessionToken, autologin }, sessionClientOf(request), reason);
  } else if (autologin) {
    await dropAutologin(db, autologin);
  }
  autologinTokens.delete(request);
  clearToken(request, reply, SESSION_COOKIE);
  clearToken(request, reply, AUTOLOGIN_COOKIE);
  if (request.user) {
    noteSignedOutUser(request, request.user);
  }
  request.user = undefined;
  request.sessionToken = undefined;
}

/**
 * A state-changing request without the form's token (security.md §9, Redmine's
 * handle_unverified_request): the browser is signed out — session and autologin token ended, both
 * cookies cleared — so a forged post cannot act, nor try again, as the user. A browser with neither
 * is left as it is.
 */
export async function signOutUnverified(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.user || autologinTokens.has(request)) {
    await signOut(request, reply, 'invalid_authenticity_token');
  }
}

async function sessionPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('preHandler', async (request, reply) => {
    // API requests authenticate with their own credentials only (api/api-auth.ts), never the cookie.
    if (!request.tenantContext || apiFormatOf(request.url)) {
      return;
    }
    const sessionToken = readToken(platform, request, SESSION_COOKIE);
    const autologinToken = readToken(platform, request, AUTOLOGIN_COOKIE);
    if (sessionToken === undefined && autologinToken === undefined) {
      return;
    }
    const { db, settings } = tenantOf(request);
    const now = nowOf(request);
    const policy = sessionPolicyOf(settings);
    const client = sessionClientOf(request);
    // The cookie named a session of this tenant (its signature says so) that is over now.
    let ended = false;
    if (sessionToken !== undefined) {
      const state = await resumeSession(db, sessionToken, policy, client, now);
      if (state.kind === 'live') {
        request.user = state.user;
        request.sessionToken = sessionToken;
      } else {
        ended = true;
        clearToken(request, reply, SESSION_COOKIE);
        if (state.kind === 'expired') {
          request.log.info({ category: 'auth', session: state.sessionId, reason: state.reason }, 'session expired');
        }
      }
    }
    if (autologinToken !== undefined) {
      autologinTokens.set(request, autologinToken);
      if (!request.user) {
        const restored = await restoreSession(db, autologinToken, policy, client, now);
        if (restored) {
          writeToken(platform, request, reply, SESSION_COOKIE, restored.token);
          request.user = restored.user;
          request.sessionToken = restored.token;
          request.log.info({ category: 'auth', user: restored.user.id }, 'session restored by autologin');
        } else {
          clearToken(request, reply, AUTOLOGIN_COOKIE);
          autologinTokens.delete(request);
        }
      }
    }
    const path = request.url.split('?')[0] ?? '';
    const user = request.user;
    if (!user) {
      if (ended && !EXPIRY_NOTICE_EXEMPT.has(path)) {
        // Redmine: scripts get a bare 401; pages go to sign-in with the reason and the way back.
        if (request.headers['x-requested-with'] === 'XMLHttpRequest') {
          return reply.status(401).send();
        }
        setFlash(reply, { kind: 'error', key: 'error_session_expired' });
        return reply.redirect(request.method === 'GET' ? `/login?back_url=${encodeURIComponent(request.url)}` : '/login');
      }
      return;
    }
    // A user who must change the password (one-time password, expiry) sees nothing else until then.
    if (!PASSWORD_CHANGE_EXEMPT.has(path) && mustChangePassword(user, settings, nowOf(request))) {
      return reply.redirect('/my/password');
    }
  });
}

export const session = fp(sessionPlugin, { name: 'kanri-session', dependencies: ['kanri-tenant-context'] });
