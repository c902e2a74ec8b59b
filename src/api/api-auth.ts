/**
 * Who an API request is (§2): `key` parameter, else `X-Redmine-API-Key`, else HTTP Basic (login and
 * password, or the API key as the user name), then `X-Redmine-Switch-User` for administrators. With the
 * REST API setting off, credentials are ignored. Browser sessions never count for API requests.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  authenticate,
  findActiveUserByLogin,
  findApiKeyUser,
  type User,
} from '#src/features/account/index.ts';
import { ForbiddenError, PreconditionFailedError, UnauthenticatedError } from '#src/errors.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { tenantOf, type TenantContext } from '#src/http/tenant-context.ts';
import { replyFromMemo } from './answer-memo.ts';
import { apiFormatOf, type ApiFormat } from './format.ts';

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

async function credentialsUser(ctx: TenantContext, request: FastifyRequest): Promise<{ user: User; method: ApiAuthMethod } | undefined> {
  const orm = ctx.db.orm;
  const key = keyParameter(request) ?? singleHeader(request, 'x-redmine-api-key');
  if (key) {
    // Once a key is given, Basic is not consulted, even when the key is wrong. Who a key is cannot
    // change without a commit, so it is looked up once per data version.
    const user = await memoAsOf(ctx.db, `api-key\u0001${key}`, ctx.dataVersion, () => findApiKeyUser(orm, key));
    return user && { user, method: 'key' };
  }
  const basic = basicCredentials(singleHeader(request, 'authorization'));
  if (!basic) {
    return undefined;
  }
  const byPassword = await authenticate(orm, basic.login, basic.password, new Date());
  if (byPassword) {
    if (byPassword.twofaScheme) {
      // HTTP Basic with a password is refused for 2FA users: they use their API key.
      throw new UnauthenticatedError('two-factor users authenticate with their API key');
    }
    return { user: byPassword, method: 'basic' };
  }
  const byKey = await findApiKeyUser(orm, basic.login);
  return byKey && { user: byKey, method: 'key' };
}

async function apiAuthPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('apiFormat', undefined);
  app.decorateRequest('apiAuthMethod', undefined);
  app.addHook('onRequest', async (request) => {
    request.apiFormat = apiFormatOf(request.url);
  });
  app.addHook('preHandler', async (request) => {
    if (!request.apiFormat || !request.tenantContext) {
      return;
    }
    const ctx = tenantOf(request);
    const { db, settings } = ctx;
    const restApiEnabled = settings.rest_api_enabled === '1';
    const found = restApiEnabled ? await credentialsUser(ctx, request) : undefined;
    let user = found?.user;
    if (user?.mustChangePasswd) {
      throw new ForbiddenError('password change required');
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
