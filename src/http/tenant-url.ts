/**
 * The absolute address of the tenant a request is for, for links that leave the browser (e-mails).
 *
 * Why not always Redmine's `protocol` + `host_name` settings: every tenant starts with Redmine's
 * default `localhost:3000`, which is no tenant's address, and an administrator has no reason to know
 * they should change it. The request's own host is right whenever it names this tenant exactly
 * (`{account}.{BASE_DOMAIN}`, read across trusted proxies only): tenant resolution has already
 * checked it, and a client cannot make it name another domain, so a reset requested with a forged
 * Host cannot send a victim's link elsewhere. A request that reached the tenant some other way (the
 * default tenant on a bare host or an IP address, where Host is whatever the client wrote) falls back
 * to the settings, which only the tenant's administrators can change.
 */
import type { FastifyRequest } from 'fastify';
import type { Platform } from '#src/platform/platform.ts';
import { targetOfHost } from './host.ts';
import { requestHost } from './request-host.ts';
import { tenantOf } from './tenant-context.ts';

/** `https://acme.example.com` (no trailing slash). */
export function tenantBaseUrl(platform: Platform, request: FastifyRequest): string {
  const { tenant, settings } = tenantOf(request);
  const host = requestHost(request.raw, platform.config.trustedProxies);
  const target = targetOfHost(host, platform.config.baseDomain);
  if (host && target.kind === 'account' && target.account === tenant.account && /^[a-z0-9.-]+(:\d{1,5})?$/i.test(host.trim())) {
    // request.protocol honours X-Forwarded-Proto from trusted proxies only (the app's trustProxy).
    return `${request.protocol}://${host.trim().toLowerCase().replace(/\.(?=:|$)/, '')}`;
  }
  const protocol = settings.protocol === 'https' ? 'https' : 'http';
  return `${protocol}://${settings.host_name.trim().replace(/\/+$/, '')}`;
}
