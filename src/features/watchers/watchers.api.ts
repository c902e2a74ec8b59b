/** REST routes of issue watchers (§6.1.4): add (one or several) and remove. Both answer 204. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { apiParams, apiRoute, sendNoContent } from '#src/api/reply.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { addIssueWatchers, removeIssueWatcher, type WatcherContext } from './watcher.service.ts';

async function contextOf(request: FastifyRequest): Promise<WatcherContext> {
  return { db: tenantOf(request).db, actor: await actorOf(request) };
}

/** An id the way Rails casts it for a query: a number, or a string's leading digits (Ruby's to_i). */
function principalIdOf(value: ParamValue): number | undefined {
  const n = typeof value === 'number' ? Math.trunc(value) : Number.parseInt(paramString(value)?.trim() ?? '', 10);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `watcher[user_ids]` (else `watcher[user_id]`) when a `watcher` is given, else `user_id`; one or many. */
function principalIdsOf(params: Params): number[] {
  const watcher = paramObject(params.watcher);
  const given = watcher ? (watcher.user_ids ?? watcher.user_id) : params.user_id;
  const values = Array.isArray(given) ? given.flat() : given === undefined || given === null ? [] : [given];
  return [...new Set(values.map(principalIdOf).filter((id): id is number => id !== undefined))];
}

export async function watchersApi(app: FastifyInstance): Promise<void> {
  apiRoute(app, ['POST'], '/issues/:issue_id/watchers', async (request, reply) => {
    const params = apiParams(request);
    await addIssueWatchers(await contextOf(request), paramString(params.issue_id) ?? '', principalIdsOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/issues/:issue_id/watchers/:user_id', async (request, reply) => {
    const params = apiParams(request);
    await removeIssueWatcher(await contextOf(request), paramString(params.issue_id) ?? '', paramString(params.user_id) ?? '');
    return sendNoContent(reply);
  });
}
