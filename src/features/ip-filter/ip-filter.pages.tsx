/**
 * HTML routes of Administration → IP address filter: `GET /admin/ip_filter` shows the list and the
 * form, `POST /admin/ip_filter` saves it — whole, or not at all (422 with every bad line named).
 * Administrators only (403 for others, before anything is read or written).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramString } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { tenantBaseUrl } from '#src/http/tenant-url.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { listAllowedIps, MAX_ALLOWED_IP_ENTRIES } from './allowed-ips.ts';
import { allowedIpsProblemMessage } from './allowed-ips.messages.ts';
import { AllowedIpsRefused, updateAllowedIps } from './ip-filter.service.ts';
import { IpFilterPage } from './views/ip-filter-page.tsx';

export async function ipFilterPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  function sendIpFilterPage(request: FastifyRequest, reply: FastifyReply, refused?: { text: string; errors: (t: Translate) => readonly string[] }) {
    const stored = tenantOf(request).settings.allowed_ips;
    return sendAdminPage(platform, request, reply, 'ip_filter', {
      status: refused ? 422 : 200,
      title: (t) => t('label_ip_filter'),
      body: ({ t, csrfToken }) => (
        <IpFilterPage
          t={t}
          csrfToken={csrfToken}
          listed={listAllowedIps(stored)}
          text={refused?.text ?? stored}
          address={request.ip}
          maxEntries={MAX_ALLOWED_IP_ENTRIES}
          errors={refused?.errors(t) ?? []}
        />
      ),
    });
  }

  app.get('/admin/ip_filter', async (request, reply) => {
    await requireAdministrator(request);
    return sendIpFilterPage(request, reply);
  });

  app.post('/admin/ip_filter', async (request, reply) => {
    await requireAdministrator(request);
    const { db, tenant, settings } = tenantOf(request);
    const text = paramString(apiParams(request).allowed_ips) ?? '';
    try {
      await updateAllowedIps(
        {
          db,
          mail: { mailer: platform.mailer, tenant, settings, baseUrl: tenantBaseUrl(platform, request) },
          allowPrivate: platform.config.ipFilterAllowPrivate,
          now: nowOf(request),
        },
        { text, source: auditSourceOf(request) },
      );
    } catch (error) {
      if (error instanceof AllowedIpsRefused) {
        const { problems } = error;
        return sendIpFilterPage(request, reply, { text, errors: (t) => problems.map((p) => allowedIpsProblemMessage(t, p)) });
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/admin/ip_filter', 303);
  });
}
