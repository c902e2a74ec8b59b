/**
 * Who an API request is (§2): `key` parameter, else `X-Redmine-API-Key`, else HTTP Basic (login and
 * password, or the API key as the user name), then `X-Redmine-Switch-User` for administrators. With the
 * REST API setting off, credentials are ignored. Browser sessions never count for API requests.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  findActiveUserByLogin,
  findApiKeyUser,
  mustChangePassword,
  type User,
} from '#src/features/account/index.ts';
import { ForbiddenError, PreconditionFailedError, UnauthenticatedError } from '#src/errors.ts';
import { oidcSignInOffer } from '#src/features/oidc/index.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { nowOf } from '#src/http/clock.ts';
import { tenantOf, type TenantContext } from '#src/http/tenant-context.ts';
import { recordFailedAttempt, recordInvalidApiKey, verifyThrottled } from '#src/features/throttle/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { collection } from './resource.ts';
import { writeXml } from './writers.ts';
import { noteAttemptedLogin } from '#src/http/request-log.ts';
import { replyFromMemo } from './answer-memo.ts';
import { API_CONTENT_TYPE, apiFormatOf, type ApiFormat } from './format.ts';

export type ApiAuthMethod = 'key' | 'basic';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on API requests (`.json`/`.xml` or `format=`). */
    apiFormat: ApiFormat | undefined;
    /** How an API request authenticated, if it did. */
    apiAuthMethod: ApiAuthMethod | undefined;
  }
}

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function keyParameter(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.key;
  const fromBody = (request.body as Record<string, unknown> | undefined | null)?.key;
  const key = typeof fromQuery === 'string' && fromQuery ? fromQuery : fromBody;
  return typeof key === 'string' && key ? key : undefined;
}

/** Decodes `Authorization: Basic …` into login and password. */
export function basicCredentials(header: string | undefined): { login: string; password: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { login: decoded, password: '' } : { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Past the limit on invalid API keys (security.md §8): wait this many seconds. */
interface RateLimited {
  readonly retryAfter: number;
}

/**
 * Redmine's answer to HTTP Basic with a password for a user with two-factor authentication; Kanri's
 * too where "SSO only" leaves passwords to administrators.
 */
const TWOFA_BASIC_REFUSED = 'HTTP Basic authentication is not allowed. Use API key instead';

/** Right credentials of a kind this user may not use (Redmine's render_error with status 401). */
interface Refused {
  readonly refused: string;
}

async function credentialsUser(
  platform: Platform,
  ctx: TenantContext,
  request: FastifyRequest,
): Promise<{ user: User; method: ApiAuthMethod } | RateLimited | Refused | undefined> {
  const orm = ctx.db.orm;
  const key = keyParameter(request) ?? singleHeader(request, 'x-redmine-api-key');
  if (key) {
    // Once a key is given, Basic is not consulted, even when the key is wrong. Who a key is cannot
    // change without a commit, so it is looked up once per data version.
    const user = await memoAsOf(ctx.db, `api-key\u0001${key}`, ctx.dataVersion, () => findApiKeyUser(orm, key));
    if (!user) {
      // Throttled (features/throttle): an invalid key is anonymous until the limit, then 429.
      const retryAfter = await recordInvalidApiKey(ctx.db, platform.config.throttle, { key, ip: request.ip }, nowOf(request));
      return retryAfter === undefined ? undefined : { retryAfter };
    }
    return { user, method: 'key' };
  }
  const basic = basicCredentials(singleHeader(request, 'authorization'));
  if (!basic) {
    return undefined;
  }
  // Throttled (features/throttle) like the sign-in form; a failure counts once the name is no API key either.
  const byPassword = await verifyThrottled(platform, request, basic.login, basic.password);
  if (byPassword) {
    if (byPassword.twofaScheme) {
      // HTTP Basic with a password is refused for 2FA users (it would skip the second factor): they
      // use their API key.
      return { refused: TWOFA_BASIC_REFUSED };
    }
    // "SSO only" (features/oidc): a password opens the API to administrators only, as it signs in only
    // them on the form; everyone else uses their API key.
    if (!byPassword.admin && (await oidcSignInOffer(ctx))?.ssoOnly) {
      return { refused: TWOFA_BASIC_REFUSED };
    }
    return { user: byPassword, method: 'basic' };
  }
  const byKey = await findApiKeyUser(orm, basic.login);
  if (!byKey) {
    await recordFailedAttempt(platform, request, basic.login, 'api_basic');
    // The application log names the login a failed Basic request gave, as for the sign-in form — unless
    // it has the shape of an API key (a mistyped key is still a secret).
    if (!/^[0-9a-f]{40}$/i.test(basic.login)) {
      noteAttemptedLogin(request, basic.login);
    }
    // Under "SSO only" a wrong password gets the same answer as a right one of a non-administrator,
    // as on the sign-in form: the API is no oracle for passwords there.
    if ((await oidcSignInOffer(ctx))?.ssoOnly) {
      return { refused: TWOFA_BASIC_REFUSED };
    }
  }
  return byKey && { user: byKey, method: 'key' };
}

/**
 * 401 naming why, in Redmine's error document (Redmine answers these with an empty body; the message
 * tells the client what to do instead). No `WWW-Authenticate`: trying Basic again would not help.
 */
function sendUnauthorized(request: FastifyRequest, reply: FastifyReply, message: string) {
  const format = request.apiFormat ?? 'json';
  return reply
    .status(401)
    .type(API_CONTENT_TYPE[format])
    .send(format === 'json' ? JSON.stringify({ errors: [message] }) : writeXml(collection('errors', 'error', [message])));
}

/** 429 with `Retry-After` and Redmine's error document. */
function sendTooManyRequests(request: FastifyRequest, reply: FastifyReply, retryAfter: number) {
  const format = request.apiFormat ?? 'json';
  const messages = [`Too many invalid API keys; retry in ${retryAfter} seconds`];
  return reply
    .status(429)
    .header('retry-after', String(retryAfter))
    .type(API_CONTENT_TYPE[format])
    .send(format === 'json' ? JSON.stringify({ errors: messages }) : writeXml(collection('errors', 'error', messages)));
}

async function apiAuthPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.decorateRequest('apiFormat', undefined);
  app.decorateRequest('apiAuthMethod', undefined);
  app.addHook('onRequest', async (request) => {
    request.apiFormat = apiFormatOf(request.url);
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!request.apiFormat || !request.tenantContext) {
      return;
    }
    const ctx = tenantOf(request);
    const { db, settings } = ctx;
    const restApiEnabled = settings.rest_api_enabled === '1';
    const found = restApiEnabled ? await credentialsUser(platform, ctx, request) : undefined;
    if (found && 'retryAfter' in found) {
      return sendTooManyRequests(request, reply, found.retryAfter);
    }
    if (found && 'refused' in found) {
      return sendUnauthorized(request, reply, found.refused);
    }
    let user = found?.user;
    // Redmine: a password that must be changed (administrator's flag, expiry) opens no API by itself;
    // the user's API key still does.
    if (user && found?.method === 'basic' && mustChangePassword(user, settings, nowOf(request))) {
      throw new ForbiddenError('You must change your password');
    }
    const switchTo = singleHeader(request, 'x-redmine-switch-user');
    if (user?.admin && switchTo) {
      const other = await findActiveUserByLogin(db.orm, switchTo);
      if (!other) {
        throw new PreconditionFailedError(`cannot switch to user ${switchTo}`);
      }
      user = other;
    }
    if (!user && settings.login_required === '1') {
      // With the REST API off, Redmine answers 403 where it would otherwise ask for credentials.
      throw restApiEnabled ? new UnauthenticatedError() : new ForbiddenError('REST API is disabled');
    }
    request.user = user;
    request.apiAuthMethod = found?.method;
  });
  // After the caller is known: the same GET answered before at this data version is answered again.
  app.addHook('preHandler', async (request, reply) => {
    if (replyFromMemo(request, reply)) {
      return reply;
    }
    return undefined;
  });
}

export const apiAuth = fp(apiAuthPlugin, { name: 'kanri-api-auth', dependencies: ['kanri-tenant-context', 'kanri-session'] });
