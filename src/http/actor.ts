/** The request's Actor (user + roles per project), loaded on first use and kept for the request. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '#src/domain/authorization.ts';
import { loadActor } from '#src/features/access/index.ts';
import { tenantOf } from './tenant-context.ts';

const cache = new WeakMap<FastifyRequest, Promise<Actor>>();

export function actorOf(request: FastifyRequest): Promise<Actor> {
  let actor = cache.get(request);
  if (!actor) {
    actor = loadActor(tenantOf(request).db, request.user);
    cache.set(request, actor);
  }
  return actor;
}
