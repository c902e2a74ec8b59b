/**
 * Headers every response carries. Scripts only from our own files: no inline script anywhere, so no
 * nonce either. HSTS only on answers that went out over HTTPS (the process's own TLS, or a trusted
 * proxy saying `X-Forwarded-Proto: https`): on plain HTTP it would be ignored, and a forged
 * X-Forwarded-Proto from anyone else must not earn it.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiFormatOf } from '#src/api/format.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export const HSTS = 'max-age=31536000; includeSubDomains';

async function securityHeadersPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'SAMEORIGIN');
    reply.header('referrer-policy', 'same-origin');
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', HSTS);
    }
    // API answers carry keys, mail addresses and private data: no cache keeps them. (Pages set
    // no-store in sendPage; attachment downloads choose `private` themselves, for their ETags.)
    if ((request.apiFormat ?? apiFormatOf(request.url)) && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });
}

export const securityHeaders = fp(securityHeadersPlugin, { name: 'kanri-security-headers' });
