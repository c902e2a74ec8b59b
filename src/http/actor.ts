/** The request's Actor (user + roles per project), loaded on first use and kept for the request. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '#src/domain/authorization.ts';
import { loadActor } from '#src/features/access/index.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { tenantOf } from './tenant-context.ts';

const cache = new WeakMap<FastifyRequest, Promise<Actor>>();

export function actorOf(request: FastifyRequest): Promise<Actor> {
  let actor = cache.get(request);
  if (!actor) {
    const { db, dataVersion } = tenantOf(request);
    const user = request.user;
    // Roles and memberships change only by commits: once per user and data version.
    actor = memoAsOf(db, `actor\u0001${user ? `${user.id}:${user.admin}` : 'anonymous'}`, dataVersion, () => loadActor(db, user));
    cache.set(request, actor);
  }
  return actor;
}
