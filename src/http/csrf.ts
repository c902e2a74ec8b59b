/**
 * CSRF protection for form posts. A random seed lives in an HttpOnly cookie; forms carry
 * `authenticity_token` (Redmine's field name) = HMAC of the seed with a key of this tenant. A post
 * from another site can send the cookie but cannot know the token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deriveKey, sign } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { cookieName, isSecureRequest } from './cookies.ts';
import { tenantOf } from './tenant-context.ts';

const CSRF_COOKIE = '_kanri_csrf';

function tokenFor(platform: Platform, request: FastifyRequest, seed: string): string {
  return sign(deriveKey(platform.secret, 'csrf', tenantOf(request).tenant.account), seed);
}

/** The token to put in this response's forms (sets the seed cookie when there is none). */
export function csrfToken(platform: Platform, request: FastifyRequest, reply: FastifyReply): string {
  const name = cookieName(request, CSRF_COOKIE);
  let seed = request.cookies[name];
  if (!seed || !/^[A-Za-z0-9_-]{32,64}$/.test(seed)) {
    seed = randomBytes(24).toString('base64url');
    reply.setCookie(name, seed, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request) });
    request.cookies[name] = seed;
  }
  return tokenFor(platform, request, seed);
}

export function isValidCsrfToken(platform: Platform, request: FastifyRequest, given: unknown): boolean {
  const seed = request.cookies[cookieName(request, CSRF_COOKIE)];
  if (!seed || typeof given !== 'string') {
    return false;
  }
  const expected = Buffer.from(tokenFor(platform, request, seed));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
