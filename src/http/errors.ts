/**
 * The one error handler: maps the application's errors to answers, logs what is unexpected with the
 * request id, and never shows internals. Pages get an HTML error page; `.json`/`.xml` requests get
 * Redmine's `{"errors": [...]}` body.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KanriError, ValidationError } from '#src/errors.ts';
import { translator, type MessageKey } from '#src/i18n/index.ts';
import { renderErrorPage } from '#src/views/error-page.tsx';
import { pageLanguage, TenantUnavailable } from './tenant-context.ts';

const STATUS_BY_CODE = {
  validation_failed: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
} as const;

const PAGE_BY_STATUS: Record<number, [MessageKey, MessageKey]> = {
  403: ['label_forbidden', 'label_forbidden'],
  404: ['label_not_found', 'text_not_found'],
  503: ['label_service_unavailable', 'text_service_unavailable'],
  500: ['label_internal_error', 'text_internal_error'],
};

function wantsApiFormat(request: FastifyRequest): 'json' | 'xml' | undefined {
  const path = request.url.split('?')[0] ?? '';
  if (path.endsWith('.json')) {
    return 'json';
  }
  if (path.endsWith('.xml')) {
    return 'xml';
  }
  return undefined;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, messages: readonly string[] = []) {
  const format = wantsApiFormat(request);
  if (format === 'json') {
    return reply.status(status).type('application/json; charset=utf-8').send(messages.length ? { errors: messages } : {});
  }
  if (format === 'xml') {
    const items = messages.map((m) => `<error>${escapeXml(m)}</error>`).join('');
    return reply
      .status(status)
      .type('application/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?><errors type="array">${items}</errors>`);
  }
  const [titleKey, textKey] = PAGE_BY_STATUS[status] ?? PAGE_BY_STATUS[status >= 500 ? 500 : 404]!;
  const lang = pageLanguage(request);
  const t = translator(lang);
  const message = status === 422 || status === 400 ? messages.join(' ') || t(textKey) : t(textKey);
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(renderErrorPage({ lang, title: t(titleKey), message }));
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404));

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof TenantUnavailable) {
      return sendError(request, reply, error.status);
    }
    if (error instanceof ValidationError) {
      return sendError(request, reply, 422, error.errors);
    }
    if (error instanceof KanriError) {
      if (error.code === 'unavailable') {
        request.log.error({ category: 'app', err: error }, 'service unavailable');
      }
      return sendError(request, reply, STATUS_BY_CODE[error.code], [error.message]);
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own refusals: unparsable body (400), too large (413), unsupported type (415)…
      return sendError(request, reply, status, [error.message]);
    }
    request.log.error({ category: 'app', err: error }, 'unhandled error');
    return sendError(request, reply, 500);
  });
}
