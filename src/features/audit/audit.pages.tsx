/**
 * HTML routes of Administration → Audit trail: `GET /admin/audit` (filtered, a page at a time) and
 * the exports of the filtered trail, `GET /admin/audit/export/csv` (UTF-8 with a byte order mark, or
 * `encoding=Shift_JIS`) and `…/export/json`. Administrators only (403 for others, before anything is
 * read). An export the filter makes too large, or a date that is no date, shows the page again (422).
 * `GET /admin/application_log?from=&to=` downloads the tenant's application log of those UTC days
 * (application-log.service.ts); a range it refuses shows the page again (422) saying why.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramString, type Params } from '#src/api/params.ts';
import { listPageOf, requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { pageFormatter } from '#src/http/page.tsx';
import { nowOf } from '#src/http/clock.ts';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator, type Translate } from '#src/i18n/index.ts';
import { csvContentType, csvDisposition, csvEncodingOf, csvText, encodeCsv } from '#src/lib/csv.ts';
import type { Platform } from '#src/platform/platform.ts';
import { auditSourceOf } from './index.ts';
import { auditFilterFormOf, auditFilterOf, auditFilterParams, type AuditFilterForm } from './audit-filter.ts';
import { auditCsvLines, presentAuditEvent } from './audit.presenter.ts';
import { AUDIT_EXPORT_LIMIT, exportAuditTrail, listAuditTrail, type AuditExportFormat, type AuditTrailContext } from './audit-trail.service.ts';
import { checkLogRange, defaultLogRange, downloadApplicationLog, type LogRange, type LogRangeRefusal } from './application-log.service.ts';
import { APPLICATION_LOG_PATH, AUDIT_EXPORT_PATHS, AUDIT_TRAIL_PATH, AuditTrailPage } from './views/audit-trail.tsx';

async function contextOf(request: FastifyRequest): Promise<AuditTrailContext> {
  const actor = await requireAdministrator(request);
  return { db: tenantOf(request).db, actor, auditSource: auditSourceOf(request) };
}

/** The filter of the request, read in the viewer's time zone, and the messages of its refused dates. */
async function filterOf(request: FastifyRequest, query = request.query as Params) {
  const lang = pageLanguage(request, request.user?.language);
  const t = translator(lang);
  const format = await pageFormatter(request, t, lang);
  const form = auditFilterFormOf(query);
  const { filter, invalid } = auditFilterOf(form, format.timeZone);
  const errors = (tr: Translate) => invalid.map((field) => tr('error_audit_date_invalid', { field: tr(field === 'from' ? 'label_date_from' : 'label_date_to') }));
  return { t, query, form, filter, invalid, errors };
}

export async function auditPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  /** The page; `logForm`: the application log range refused (the trail is then shown unfiltered). */
  async function sendTrailPage(request: FastifyRequest, reply: FastifyReply, ctx: AuditTrailContext, refusal?: (t: Translate) => readonly string[], logForm?: LogRange) {
    const { query, form, filter, invalid, errors } = await filterOf(request, logForm ? {} : (request.query as Params));
    const paging = listPageOf(query, tenantOf(request).settings);
    const refused = refusal !== undefined || invalid.length > 0;
    const { events, total } = invalid.length > 0 ? { events: [], total: 0 } : await listAuditTrail(ctx, filter, paging);
    return sendAdminPage(platform, request, reply, 'audit', {
      status: refused ? 422 : 200,
      title: (t) => t('label_audit_trail'),
      body: ({ t, format }) => (
        <AuditTrailPage
          t={t}
          format={format}
          form={form}
          errors={[...errors(t), ...(refusal?.(t) ?? [])]}
          events={events}
          page={paging.page}
          perPage={paging.perPage}
          total={total}
          logForm={logForm ?? defaultLogRange(nowOf(request))}
        />
      ),
    });
  }

  app.get(AUDIT_TRAIL_PATH, async (request, reply) => sendTrailPage(request, reply, await contextOf(request)));

  /** The export's events, or the page again with why there are none. */
  async function exported(request: FastifyRequest, reply: FastifyReply, format: AuditExportFormat) {
    const ctx = await contextOf(request);
    const { t, form, filter, invalid } = await filterOf(request);
    if (invalid.length > 0) {
      return { refused: await sendTrailPage(request, reply, ctx) };
    }
    const result = await exportAuditTrail(ctx, filter, auditFilterParams(form), format);
    if ('tooMany' in result) {
      const vars = { count: String(result.tooMany), max: String(AUDIT_EXPORT_LIMIT) };
      return { refused: await sendTrailPage(request, reply, ctx, (tr) => [tr('error_audit_export_too_large', vars)]) };
    }
    return { t, form, events: result.events };
  }

  app.get(AUDIT_EXPORT_PATHS.csv, async (request, reply) => {
    const outcome = await exported(request, reply, 'csv');
    if ('refused' in outcome) {
      return outcome.refused;
    }
    const encoding = csvEncodingOf(paramString((request.query as Params).encoding));
    return reply
      .type(csvContentType(encoding))
      .header('content-disposition', csvDisposition(exportName(outcome.form), 'audit-trail'))
      .header('cache-control', 'no-store')
      .send(encodeCsv(csvText(auditCsvLines(outcome.t, outcome.events)), encoding));
  });

  app.get(AUDIT_EXPORT_PATHS.json, async (request, reply) => {
    const outcome = await exported(request, reply, 'json');
    if ('refused' in outcome) {
      return outcome.refused;
    }
    const body = { audit_events: outcome.events.map(presentAuditEvent), total_count: outcome.events.length, filter: auditFilterParams(outcome.form) };
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(outcome.form)}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(body));
  });

  app.get(APPLICATION_LOG_PATH, async (request, reply) => {
    const ctx = await contextOf(request);
    const query = request.query as Params;
    const asked = { from: (paramString(query.from) ?? '').trim().slice(0, 10), to: (paramString(query.to) ?? '').trim().slice(0, 10) };
    const checked = checkLogRange(asked, nowOf(request));
    if ('refused' in checked) {
      const { refused, allowed } = checked;
      return sendTrailPage(request, reply, ctx, (t) => [logRangeMessage(t, refused, allowed)], asked);
    }
    const { range } = checked;
    const { tenant } = tenantOf(request);
    const stream = await downloadApplicationLog({ ...ctx, dataDir: platform.config.dataDir, account: tenant.account, writer: app.applicationLog }, range);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="application-log-${tenant.account}-${range.from}-${range.to}.jsonl"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}

function logRangeMessage(t: Translate, refused: LogRangeRefusal, allowed: LogRange): string {
  switch (refused) {
    case 'from_invalid':
    case 'to_invalid':
      return t('error_audit_date_invalid', { field: t(refused === 'from_invalid' ? 'label_date_from' : 'label_date_to') });
    case 'order':
      return t('error_application_log_range_order');
    case 'outside':
      return t('error_application_log_range_outside', { from: allowed.from, to: allowed.to });
  }
}

/** `audit-trail`, with the dates of the filter when it has some: `audit-trail-2026-11-01-2026-11-30`. */
function exportName(form: AuditFilterForm): string {
  return ['audit-trail', form.from, form.to].filter((part) => part !== '').join('-');
}
