/**
 * buildApp(platform) → a Fastify instance with every plugin and route registered. It never listens:
 * `serve` does, and tests use `inject()`.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiAuth } from '#src/api/api-auth.ts';
import { parseQueryString } from '#src/api/params.ts';
import { accountApi } from '#src/features/account/account.api.ts';
import { attachmentsApi } from '#src/features/attachments/attachments.api.ts';
import { issuesApi } from '#src/features/issues/issues.api.ts';
import { issueRelationsApi } from '#src/features/issue-relations/index.ts';
import { watchersApi } from '#src/features/watchers/index.ts';
import { syncInheritedMembers } from '#src/features/memberships/index.ts';
import { membershipsApi } from '#src/features/memberships/memberships.api.ts';
import { queriesApi } from '#src/features/queries/queries.api.ts';
import { versionsApi } from '#src/features/versions/versions.api.ts';
import { issueCategoriesApi } from '#src/features/issue-categories/issue-categories.api.ts';
import { timeEntriesApi } from '#src/features/time-entries/time-entries.api.ts';
import { customFieldsApi } from '#src/features/custom-fields/custom-fields.api.ts';
import { groupsApi, usersApi } from '#src/features/users/users.api.ts';
import { projectsApi } from '#src/features/projects/projects.api.ts';
import { referenceDataApi } from '#src/features/reference-data/reference-data.api.ts';
import { installBodyParsers } from '#src/http/body-parsers.ts';
import { installErrorHandling } from '#src/http/errors.tsx';
import { assetRoutes } from '#src/http/assets.ts';
import { clientAddress } from '#src/http/client-address.ts';
import { ipFilter } from '#src/http/ip-filter.ts';
import { pageGuard } from '#src/http/page-guard.ts';
import { sudoGuard } from '#src/features/sudo/sudo.guard.tsx';
import { pages } from './pages.ts';
import { systemClock, type Clock } from '#src/http/clock.ts';
import { healthRoutes } from '#src/http/health.ts';
import { httpsOnly } from '#src/http/https-only.ts';
import { targetOfHost } from '#src/http/host.ts';
import { requestHost } from '#src/http/request-host.ts';
import { requestLog } from '#src/http/request-log.ts';
import { securityHeaders } from '#src/http/security-headers.ts';
import { session } from '#src/http/session.ts';
import { tenantContext } from '#src/http/tenant-context.ts';
import { tlsServerOptions } from '#src/http/tls-server.ts';
import type { Logger } from '#src/logging/logger.ts';
import type { Platform } from '#src/platform/platform.ts';

export interface BuildAppOptions {
  platform: Platform;
  logger: Logger;
  /** How long tenant registry lookups are cached (default 5 s; tests use 0). */
  tenantCacheMillis?: number;
  /** What time it is for sessions and other expiring things (default: the system clock; tests move their own). */
  clock?: Clock;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { platform } = options;
  const { config } = platform;
  const app = Fastify({
    loggerInstance: options.logger,
    // The process ends TLS itself when given a certificate; otherwise plain HTTP (a proxy's TLS).
    ...(config.tls ? { https: tlsServerOptions(config.tls) } : {}),
    // X-Forwarded-For / -Proto / -Host count only when the direct peer is a configured proxy.
    trustProxy: (address: string) => config.trustedProxies.matches(address),
    bodyLimit: 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    childLoggerFactory: (logger, bindings, opts, rawReq) => {
      const target = targetOfHost(requestHost(rawReq, config.trustedProxies), config.baseDomain);
      const tenant = target.kind === 'account' ? target.account : (platform.defaultTenant ?? null);
      return logger.child({ ...bindings, tenant }, opts);
    },
    return503OnClosing: true,
    routerOptions: {
      // Rails bracket notation (`f[]=status_id&v[status_id][]=1`) for pages and API alike.
      querystringParser: (query: string) => parseQueryString(query),
    },
  }) as unknown as FastifyInstance;

  app.decorate('clock', options.clock ?? systemClock);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // First: every later hook and route reads the one client address (`request.ip`).
  await app.register(clientAddress, { trustedProxies: config.trustedProxies });
  installErrorHandling(app, platform);
  installBodyParsers(app);
  await app.register(cookie);
  await app.register(securityHeaders);
  // Before any tenant work: a plain-HTTP request is only redirected.
  await app.register(httpsOnly, { config });
  await app.register(healthRoutes, { platform });
  await app.register(assetRoutes);
  // Browsers ask for it on every site; an empty answer keeps their consoles quiet.
  app.get('/favicon.ico', { config: { tenantless: true } }, async (_request, reply) => reply.status(204).send());
  await app.register(tenantContext, { platform, cacheMillis: options.tenantCacheMillis ?? 5000 });
  // Every tenant request's line in the tenant's own application log.
  await app.register(requestLog, { platform });
  // Right after the tenant is known and before anyone is authenticated: the tenant's allowed addresses.
  await app.register(ipFilter, { platform });
  await app.register(session, { platform });
  await app.register(apiAuth, { platform });
  await app.register(pageGuard, { platform });
  // After the CSRF check: the password prompt before sensitive changes (sudo mode).
  await app.register(sudoGuard, { platform });
  await app.register(pages, { platform });
  await app.register(accountApi);
  await app.register(referenceDataApi);
  await app.register(projectsApi, { syncInheritedMembers });
  await app.register(issuesApi);
  await app.register(usersApi, { platform });
  await app.register(groupsApi);
  await app.register(membershipsApi);
  await app.register(queriesApi);
  await app.register(versionsApi);
  await app.register(issueCategoriesApi);
  await app.register(timeEntriesApi);
  await app.register(customFieldsApi);
  await app.register(attachmentsApi);
  await app.register(issueRelationsApi);
  await app.register(watchersApi);
  return app;
}
