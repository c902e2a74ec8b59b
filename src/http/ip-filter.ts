/**
 * Step 1½ of every tenant request, right after tenant resolution and before sessions, API keys,
 * CSRF and any route: the tenant's IP address filter (security.md §7). Pages, sign-in, the REST API,
 * attachments and every other tenant route are covered, because they all pass here. A refused
 * address gets a 403 that names its address and nothing else (no tenant frame, no user data): a bare
 * page, or for API formats (`.json`/`.xml`) Redmine's `{"errors": […]}` / `<errors>` document.
 *
 * Not filtered: tenantless routes (health checks, the built JS/CSS assets, favicon). They are answered
 * for any host before a tenant is known, hold no tenant data (every deployment serves the same files),
 * and the refusal page itself needs the stylesheet.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { API_CONTENT_TYPE, apiFormatOf } from '#src/api/format.ts';
import { collection } from '#src/api/resource.ts';
import { writeXml } from '#src/api/writers.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { checkClientAddress, EventAggregator } from '#src/features/ip-filter/index.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { renderErrorPage } from '#src/views/error-page.tsx';
import { nowOf } from './clock.ts';
import { pageLanguage } from './tenant-context.ts';

async function ipFilterPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  // One per app: the windows that keep rejections to one audit row per address and ~10 minutes.
  const events = new EventAggregator();
  app.addHook('onRequest', async (request, reply) => {
    const ctx = request.tenantContext;
    if (!ctx) {
      return undefined;
    }
    const verdict = await checkClientAddress(
      { db: ctx.db, tenant: ctx.tenant, settings: ctx.settings, supportAddresses: platform.config.supportAddresses, events, log: request.log, now: nowOf(request) },
      auditSourceOf(request, null),
      { method: request.method, path: request.url.split('?')[0] ?? '' },
    );
    if (verdict !== 'refused') {
      return undefined;
    }
    const lang = pageLanguage(request);
    const t = translator(lang);
    const message = t('error_ip_filter_address_not_allowed', { ip: request.ip });
    reply.status(403).header('cache-control', 'no-store');
    const format = apiFormatOf(request.url);
    if (format) {
      return reply.type(API_CONTENT_TYPE[format]).send(format === 'json' ? JSON.stringify({ errors: [message] }) : writeXml(collection('errors', 'error', [message])));
    }
    return reply.type('text/html; charset=utf-8').send(renderErrorPage({ lang, title: t('label_forbidden'), message }));
  });
}

export const ipFilter = fp(ipFilterPlugin, { name: 'kanri-ip-filter', dependencies: ['kanri-tenant-context', 'kanri-client-address'] });
