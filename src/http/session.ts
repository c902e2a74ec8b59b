/**
 * Step 2 for browsers: the session cookie names a session of this tenant, and the session a user.
 * The cookie is host-only (no Domain attribute), signed with a key of this tenant, and its token is
 * looked up in this tenant's database, so a cookie of tenant A is no session on tenant B.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { endSession, findSessionUser, startSession, type User } from '#src/features/account/index.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { apiFormatOf } from '#src/api/format.ts';
import { tenantOf } from './tenant-context.ts';

export const SESSION_COOKIE = '_kanri_session';

const PASSWORD_CHANGE_EXEMPT: ReadonlySet<string> = new Set(['/my/password', '/logout', '/login']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, undefined for anonymous requests. */
    user: User | undefined;
    sessionToken: string | undefined;
  }
}

function sessionKey(platform: Platform, request: FastifyRequest): Buffer {
  return deriveKey(platform.secret, 'session', tenantOf(request).tenant.account);
}

export function isSecureRequest(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** Starts a session for `user` and sets its cookie. A session cookie sent before is replaced. */
export async function signIn(platform: Platform, request: FastifyRequest, reply: FastifyReply, user: User): Promise<void> {
  const ctx = tenantOf(request);
  if (request.sessionToken) {
    await endSession(ctx.db.orm, request.sessionToken);
  }
  const token = await startSession(ctx.db.orm, user, new Date());
  reply.setCookie(SESSION_COOKIE, sealValue(sessionKey(platform, request), token), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureRequest(request),
  });
  request.user = user;
  request.sessionToken = token;
}

export async function signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.sessionToken) {
    await endSession(tenantOf(request).db.orm, request.sessionToken);
  }
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  request.user = undefined;
  request.sessionToken = undefined;
}

async function sessionPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('preHandler', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    // API requests authenticate with their own credentials only (api/api-auth.ts), never the cookie.
    if (!request.tenantContext || !cookie || apiFormatOf(request.url)) {
      return;
    }
    const token = unsealValue(sessionKey(platform, request), cookie);
    if (!token) {
      return;
    }
    const user = await findSessionUser(tenantOf(request).db.orm, token);
    if (!user) {
      return;
    }
    request.user = user;
    request.sessionToken = token;
    // A user who must change the password (one-time password, expiry) sees nothing else until then.
    const path = request.url.split('?')[0] ?? '';
    if (user.mustChangePasswd && !PASSWORD_CHANGE_EXEMPT.has(path)) {
      return reply.redirect('/my/password');
    }
  });
}

export const session = fp(sessionPlugin, { name: 'kanri-session', dependencies: ['kanri-tenant-context'] });
