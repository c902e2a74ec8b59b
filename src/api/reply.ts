/** Sends API documents in the request's format, and the small guards every API route shares. */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { mergeParams, type Params } from './params.ts';
import type { User } from '#src/features/account/index.ts';
import { UnauthenticatedError } from '#src/errors.ts';
import { keepAnswer } from './answer-memo.ts';
import { API_CONTENT_TYPE } from './format.ts';
import type { ApiDocument } from './resource.ts';
import { writeJson, writeXml } from './writers.ts';

export function sendApi(request: FastifyRequest, reply: FastifyReply, doc: ApiDocument, status = 200) {
  const format = request.apiFormat ?? 'json';
  const type = API_CONTENT_TYPE[format];
  const body = format === 'json' ? writeJson(doc) : writeXml(doc);
  keepAnswer(request, status, type, body);
  return reply.status(status).type(type).send(body);
}

/** The authenticated user, or 401 for anonymous callers. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) {
    throw new UnauthenticatedError();
  }
  return request.user;
}

/** Registers `{path}.json` and `{path}.xml` for the methods (HEAD comes with GET). */
export function apiRoute(app: FastifyInstance, methods: HTTPMethods[], path: string, handler: RouteHandlerMethod): void {
  for (const suffix of ['.json', '.xml']) {
    app.route({ method: methods, url: `${path}${suffix}`, handler });
  }
}

export function apiGet(app: FastifyInstance, path: string, handler: RouteHandlerMethod): void {
  apiRoute(app, ['GET'], path, handler);
}

/** 204 No Content: empty body and no media type, as Redmine answers updates and deletes. */
export function sendNoContent(reply: FastifyReply) {
  return reply.status(204).send();
}

/** Body, query string and path parameters merged as Rails merges them (query over body, path over both). */
export function apiParams(request: FastifyRequest): Params {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
  const query = (request.query ?? {}) as Params;
  return mergeParams(body, query, (request.params ?? {}) as Record<string, string>);
}

/** `http(s)://host` of the request, for Location headers. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
