/**
 * Step 1 of every tenant request: the host names a tenant, the tenant is active, its database is
 * leased for the life of the request, and its settings are read. Unknown hosts get a 404 that names
 * nothing; suspended tenants a 503.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '#src/db/database.ts';
import { loadSettings, type Settings } from '#src/features/settings/index.ts';
import { currentDataVersion, memoAsOf } from '#src/db/version-memo.ts';
import { isLanguage, languageFromHeader, type Language } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { findTenantByAccount, type Tenant } from '#src/platform/tenant.repository.ts';
import { targetOfHost } from './host.ts';
import type { FileStore } from '#src/storage/file-store.ts';
import { tenantFileStore } from '#src/storage/local-file-store.ts';
import { requestHost } from './request-host.ts';

export interface TenantContext {
  readonly tenant: Tenant;
  readonly db: Database;
  readonly settings: Settings;
  /** The tenant's own file area (attachments). */
  readonly files: FileStore;
  /**
   * The data version a GET request began at, under which answers are remembered (see
   * db/version-memo.ts); undefined for requests that may write.
   */
  readonly dataVersion: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenantContext: TenantContext | undefined;
  }
  interface FastifyContextConfig {
    /** Routes answered for any host, before and without a tenant (health checks, static files). */
    tenantless?: boolean;
  }
}

export class TenantUnavailable extends Error {
  readonly status: 404 | 503;

  constructor(status: 404 | 503) {
    super(status === 404 ? 'no such tenant' : 'tenant suspended');
    this.status = status;
  }
}

export interface TenantContextOptions {
  platform: Platform;
  /** How long a registry lookup is reused; status changes reach other processes within it. */
  cacheMillis: number;
}

/** The tenant context of a request that is known to have one. */
export function tenantOf(request: FastifyRequest): TenantContext {
  const ctx = request.tenantContext;
  if (!ctx) {
    throw new Error(`route ${request.url} has no tenant context`);
  }
  return ctx;
}

/** The language a page is rendered in: the user's, else the browser's, else the tenant default. */
export function pageLanguage(request: FastifyRequest, userLanguage?: string): Language {
  const ctx = request.tenantContext;
  if (userLanguage && isLanguage(userLanguage)) {
    return userLanguage;
  }
  const fallback = ctx && isLanguage(ctx.settings.default_language) ? ctx.settings.default_language : 'en';
  return languageFromHeader(request.headers['accept-language']) ?? fallback;
}

async function tenantContextPlugin(app: FastifyInstance, options: TenantContextOptions): Promise<void> {
  const { platform } = options;
  const cache = new Map<string, { tenant: Tenant | undefined; at: number }>();

  async function lookup(account: string): Promise<Tenant | undefined> {
    const hit = cache.get(account);
    if (hit && Date.now() - hit.at < options.cacheMillis) {
      return hit.tenant;
    }
    const tenant = await findTenantByAccount(platform.db.orm, account);
    if (options.cacheMillis > 0) {
      if (cache.size > 10_000) {
        cache.clear();
      }
      cache.set(account, { tenant, at: Date.now() });
    }
    return tenant;
  }

  app.decorateRequest('tenantContext', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.tenantless) {
      return;
    }
    const target = targetOfHost(requestHost(request.raw, platform.config.trustedProxies), platform.config.baseDomain);
    const account = target.kind === 'account' ? target.account : platform.defaultTenant;
    const tenant = account ? await lookup(account) : undefined;
    if (!tenant || tenant.status === 'provisioning' || tenant.status === 'cancelled') {
      throw new TenantUnavailable(404);
    }
    if (tenant.status === 'suspended') {
      throw new TenantUnavailable(503);
    }
    const lease = await platform.tenantDatabases.acquire(tenant);
    reply.raw.once('close', lease.release);
    const db = lease.db;
    // A GET reads the data version first: settings, the caller and their roles, and whole answers
    // are then remembered per version, and a repeated read costs this one statement.
    const dataVersion = request.method === 'GET' ? await currentDataVersion(db) : undefined;
    const settings = await memoAsOf(db, 'settings', dataVersion, async () => Object.freeze(await loadSettings(db.orm)));
    request.tenantContext = { tenant, db, settings, files: tenantFileStore(platform.config.dataDir, tenant.account), dataVersion };
  });
}

export const tenantContext = fp(tenantContextPlugin, { name: 'kanri-tenant-context' });
