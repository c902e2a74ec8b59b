/**
 * The one error handler: maps the application's errors to answers, logs what is unexpected with the
 * request id, and never shows internals. API requests (`.json`/`.xml`) get Redmine's answers: only a
 * 422 has a body (`{"errors": [...]}`), unless the refusal has no message (a ValidationError of none:
 * Redmine's `head :unprocessable_entity`, an empty body); a 401 asks for Basic credentials when the
 * REST API is on.
 * Pages get an HTML error page, and a sign-in redirect for 401.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_CONTENT_TYPE, apiFormatOf } from '#src/api/format.ts';
import { collection } from '#src/api/resource.ts';
import { writeXml } from '#src/api/writers.ts';
import { KanriError, ValidationError, type ErrorCode } from '#src/errors.ts';
import { translator, type MessageKey } from '#src/i18n/index.ts';
import { renderErrorPage } from '#src/views/error-page.tsx';
import { localizeValidationMessage } from '#src/i18n/validation.ts';
import type { Platform } from '#src/platform/platform.ts';
import { sendPage } from './page.tsx';
import { pageLanguage, TenantUnavailable } from './tenant-context.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 422,
  unauthenticated: 401,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  precondition_failed: 412,
  unavailable: 503,
};

const PAGE_BY_STATUS: Record<number, [MessageKey, MessageKey]> = {
  403: ['label_forbidden', 'label_forbidden'],
  404: ['label_not_found', 'text_not_found'],
  503: ['label_service_unavailable', 'text_service_unavailable'],
  500: ['label_internal_error', 'text_internal_error'],
};

/** Refusals a tenant's page shows inside its frame (menus, account) rather than on a bare page. */
const FRAMED = new Set([403, 404, 422]);

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, messages: readonly string[] = [], platform?: Platform) {
  const format = apiFormatOf(request.url);
  if (format) {
    reply.status(status).type(API_CONTENT_TYPE[format]);
    if (status === 401 && request.tenantContext?.settings.rest_api_enabled === '1') {
      reply.header('www-authenticate', 'Basic realm="Redmine API"');
    }
    if (status !== 422 || messages.length === 0) {
      return reply.send('');
    }
    const doc = collection('errors', 'error', messages);
    return reply.send(format === 'json' ? `{"errors":${JSON.stringify(messages)}}` : writeXml(doc));
  }
  if (status === 401) {
    return reply.redirect(`/login?back_url=${encodeURIComponent(request.url)}`);
  }
  const [titleKey, textKey] = PAGE_BY_STATUS[status] ?? PAGE_BY_STATUS[status >= 500 ? 500 : 404]!;
  if (platform && request.tenantContext && FRAMED.has(status)) {
    const detail = status === 422 ? messages : [];
    return sendPage(platform, request, reply, {
      status,
      title: (t) => t(status === 422 ? 'label_error' : titleKey),
      body: ({ t }) => (
        <div id="errorExplanation" role="alert">
          <p>{status === 403 ? t('notice_not_authorized') : status === 404 ? t(textKey) : detail.map((m) => localizeValidationMessage(m, t)).join(' ') || t(textKey)}</p>
        </div>
      ),
    });
  }
  const lang = pageLanguage(request, request.user?.language);
  const t = translator(lang);
  const message = status === 422 || status === 400 ? messages.join(' ') || t(textKey) : t(textKey);
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(renderErrorPage({ lang, title: t(titleKey), message }));
}

/** `platform` lets tenant pages show refusals inside their frame; without it every page error is bare. */
export function installErrorHandling(app: FastifyInstance, platform?: Platform): void {
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, [], platform));

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof TenantUnavailable) {
      return sendError(request, reply, error.status);
    }
    if (error instanceof ValidationError) {
      return sendError(request, reply, 422, error.errors, platform);
    }
    if (error instanceof KanriError) {
      if (error.code === 'unavailable') {
        request.log.error({ category: 'app', err: error }, 'service unavailable');
      }
      return sendError(request, reply, STATUS_BY_CODE[error.code], [error.message], platform);
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own refusals: unparsable body (400), too large (413), unsupported type (415)…
      return sendError(request, reply, status, [error.message], platform);
    }
    const sqlState = (error as { code?: unknown }).code;
    if (sqlState === '23505' || sqlState === '23503') {
      // A simultaneous request won a race the validation could not see (two creates of the same
      // name, a row deleted meanwhile): the database refused the write, so nothing was stored.
      request.log.warn({ category: 'app', err: error }, 'write refused by a database constraint');
      return sendError(request, reply, 422, [sqlState === '23505' ? 'has already been taken' : 'is invalid']);
    }
    request.log.error({ category: 'app', err: error }, 'unhandled error');
    return sendError(request, reply, 500);
  });
}

