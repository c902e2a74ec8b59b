/** REST routes of issue watchers (§6.1.4): add (one or several) and remove. Both answer 204. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramString } from '#src/api/params.ts';
import { apiParams, apiRoute, sendNoContent } from '#src/api/reply.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { principalIdsOf } from './watcher.params.ts';
import { addIssueWatchers, removeIssueWatcher, type WatcherContext } from './watcher.service.ts';

async function contextOf(request: FastifyRequest): Promise<WatcherContext> {
  return { db: tenantOf(request).db, actor: await actorOf(request) };
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
