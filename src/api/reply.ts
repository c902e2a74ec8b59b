/** Sends API documents in the request's format, and the small guards every API route shares. */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { User } from '#src/features/account/index.ts';
import { UnauthenticatedError } from '#src/errors.ts';
import { API_CONTENT_TYPE } from './format.ts';
import type { ApiDocument } from './resource.ts';
import { writeJson, writeXml } from './writers.ts';

export function sendApi(request: FastifyRequest, reply: FastifyReply, doc: ApiDocument, status = 200) {
  const format = request.apiFormat ?? 'json';
  return reply
    .status(status)
    .type(API_CONTENT_TYPE[format])
    .send(format === 'json' ? writeJson(doc) : writeXml(doc));
}

/** The authenticated user, or 401 for anonymous callers. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) {
    throw new UnauthenticatedError();
  }
  return request.user;
}

/** Registers `GET {path}.json` and `GET {path}.xml` (HEAD comes with GET). */
export function apiGet(app: FastifyInstance, path: string, handler: RouteHandlerMethod): void {
  app.get(`${path}.json`, handler);
  app.get(`${path}.xml`, handler);
}
