/**
 * REST routes of attachments (§6.12): upload raw bytes for a token, show, rename/describe, delete,
 * download (no format suffix) and thumbnails (the image itself for pictures, 404 for other files).
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_CONTENT_TYPE } from '#src/api/format.ts';
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { resource } from '#src/api/resource.ts';
import { NotFoundError } from '#src/errors.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { contentDisposition, downloadContentType } from './attachment.filename.ts';
import { presentAttachment, presentUpload } from './attachment.presenter.ts';
import {
  checkUploadAllowed,
  destroyAttachment,
  getAttachment,
  openAttachment,
  openThumbnail,
  updateAttachment,
  uploadAttachment,
  type AttachmentContext,
} from './attachment.service.ts';

/** Redmine sends files with this policy: whatever a file holds, a browser runs none of it. */
const DOWNLOAD_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** The unread body of each upload request, handed from the content parser to the handler. */
const uploadBodies = new WeakMap<FastifyRequest, Readable>();

function attachmentIdOf(params: Params): number {
  const id = paramString(params.id) ?? '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no attachment ${id}`);
  }
  return Number(id);
}

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function declaredSizeOf(request: FastifyRequest): number | undefined {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] === undefined && length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

function carriesApiCredentials(request: FastifyRequest): boolean {
  const key = (request.query as Record<string, unknown> | undefined)?.key;
  return (typeof key === 'string' && key !== '') || request.headers['x-redmine-api-key'] !== undefined || /^basic\s/i.test(request.headers.authorization ?? '');
}

/**
 * Redmine's accept_api_auth on routes without a format suffix (downloads, thumbnails): a request that
 * brings API credentials is authenticated the way API requests are (api/api-auth.ts runs on requests
 * with an apiFormat); one without them keeps the browser session.
 */
async function acceptApiAuth(request: FastifyRequest): Promise<void> {
  if (request.apiFormat === undefined && carriesApiCredentials(request)) {
    request.apiFormat = 'json';
  }
}

/**
 * After a refused upload, reads and drops what is left of the body, so a client that sends its whole
 * body before reading the answer (as most do) gets to read the refusal; Rails, behind its server, always
 * reads the body first. Past `limit` bytes the connection is cut instead.
 */
function discardRest(body: Readable, limit: number): void {
  let seen = 0;
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      body.destroy();
    }
  });
  body.on('error', () => {});
  body.resume();
}

async function sandboxed(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('content-security-policy', DOWNLOAD_CSP);
}

export async function attachmentsApi(app: FastifyInstance): Promise<void> {
  async function contextOf(request: FastifyRequest): Promise<AttachmentContext> {
    const { db, settings, files } = tenantOf(request);
    return { db, settings, actor: await actorOf(request), now: new Date(), files };
  }

  // Upload bodies are file content up to attachment_max_size, not parameters: in this scope every body
  // stays an unread stream, and the handler streams it to disk once the uploader is known to be allowed.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      uploadBodies.set(request, payload);
      done(null, undefined);
    });
    scope.addHook('onResponse', async (request) => {
      const body = uploadBodies.get(request);
      if (body && !body.readableEnded && !body.destroyed) {
        const maxBytes = Number(request.tenantContext?.settings.attachment_max_size ?? 0) * 1024;
        discardRest(body, Math.max(2 * maxBytes, 1024 * 1024));
      }
    });
    apiRoute(scope, ['POST'], '/uploads', async (request, reply) => {
      const ctx = await contextOf(request);
      // Redmine authorizes first, then refuses anything but raw bytes with a bare 406.
      await checkUploadAllowed(ctx);
      if (mediaTypeOf(request) !== 'application/octet-stream') {
        return reply.status(406).type(API_CONTENT_TYPE[request.apiFormat ?? 'json']).send('');
      }
      const params = apiParams(request);
      const row = await uploadAttachment(ctx, {
        content: uploadBodies.get(request) ?? Buffer.alloc(0),
        declaredSize: declaredSizeOf(request),
        filename: paramString(params.filename),
        contentType: paramString(params.content_type),
      });
      return sendApi(request, reply, resource('upload', presentUpload(row)), 201);
    });
  });

  apiGet(app, '/attachments/:id', async (request, reply) => {
    const row = await getAttachment(await contextOf(request), attachmentIdOf(apiParams(request)));
    return sendApi(request, reply, resource('attachment', presentAttachment(row, baseUrl(request))));
  });

  apiRoute(app, ['PUT', 'PATCH'], '/attachments/:id', async (request, reply) => {
    const params = apiParams(request);
    const attachment = paramObject(params.attachment) ?? {};
    // A key sent as null (JSON null, an empty XML element) still sets the attribute, as in Rails.
    const given = (key: string) => Object.hasOwn(attachment, key);
    await updateAttachment(await contextOf(request), attachmentIdOf(params), {
      filename: given('filename') ? (paramString(attachment.filename) ?? '') : undefined,
      description: given('description') ? (paramString(attachment.description) ?? null) : undefined,
      contentType: given('content_type') ? (paramString(attachment.content_type) ?? null) : undefined,
    });
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/attachments/:id', async (request, reply) => {
    await destroyAttachment(await contextOf(request), attachmentIdOf(apiParams(request)));
    return sendNoContent(reply);
  });

  // The name is a wildcard, not a parameter: router parameters stop at 100 characters, names at 255
  // (and a non-ASCII name triples in length once %-encoded).
  for (const url of ['/attachments/download/:id', '/attachments/download/:id/*']) {
    app.route({
      method: 'GET',
      url,
      onRequest: acceptApiAuth,
      onSend: sandboxed,
      handler: async (request, reply) => {
        const params = request.params as { id: string; '*'?: string };
        const filename = params['*'] === undefined || params['*'] === '' ? undefined : params['*'];
        const { row, stream, size } = await openAttachment(await contextOf(request), attachmentIdOf(params), filename);
        const etag = `"${row.digest}"`;
        if (request.headers['if-none-match'] === etag) {
          stream.destroy();
          return reply.status(304).header('etag', etag).send();
        }
        const type = downloadContentType(row.contentType, row.filename);
        return reply
          .header('content-type', type)
          .header('content-disposition', contentDisposition(type === 'application/pdf' ? 'inline' : 'attachment', row.filename))
          .header('content-length', size)
          .header('etag', etag)
          .header('cache-control', 'private')
          .header('x-content-type-options', 'nosniff')
          .send(stream);
      },
    });
  }

  // The image itself, whatever the size asked: pages give it its width.
  for (const url of ['/attachments/thumbnail/:id', '/attachments/thumbnail/:id/:size']) {
    app.route({
      method: 'GET',
      url,
      onRequest: acceptApiAuth,
      onSend: sandboxed,
      handler: async (request, reply) => {
        const { row, stream, size, contentType } = await openThumbnail(await contextOf(request), attachmentIdOf(request.params as Params));
        const etag = `"${row.digest}"`;
        if (request.headers['if-none-match'] === etag) {
          stream.destroy();
          return reply.status(304).header('etag', etag).send();
        }
        return reply
          .header('content-type', contentType)
          .header('content-disposition', contentDisposition('inline', row.filename))
          .header('content-length', size)
          .header('etag', etag)
          .header('cache-control', 'private')
          .header('x-content-type-options', 'nosniff')
          .send(stream);
      },
    });
  }
}
