/**
 * The TwofaContext of a request: the tenant's database, settings and mail, keys derived for this
 * tenant only (so a secret or backup code of tenant A means nothing on tenant B), the tenant's host
 * name as the issuer, the audit source (the signed-in user, or `actor` during the sign-in step), and
 * the app's clock.
 */
import type { FastifyRequest } from 'fastify';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { tenantBaseUrl } from '#src/http/tenant-url.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { deriveKey } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { TwofaContext } from './twofa.service.ts';

/** The tenant's keys of two-factor authentication: the secrets' encryption key and the backup codes' MAC key. */
export function twofaKeysOf(platformSecret: string, account: string): TwofaContext['keys'] {
  return { secret: deriveKey(platformSecret, 'twofa', account), backupCodes: deriveKey(platformSecret, 'twofa-backup-codes', account) };
}

export function twofaContextOf(platform: Platform, request: FastifyRequest, actor?: { readonly id: number; readonly login: string }): TwofaContext {
  const { db, settings, tenant } = tenantOf(request);
  return {
    db,
    settings,
    keys: twofaKeysOf(platform.secret, tenant.account),
    issuer: `${tenant.account}.${platform.config.baseDomain}`,
    mail: { mailer: platform.mailer, tenant, settings, baseUrl: tenantBaseUrl(platform, request) },
    source: auditSourceOf(request, actor),
    now: nowOf(request),
  };
}
