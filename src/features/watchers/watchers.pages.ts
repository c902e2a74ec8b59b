/**
 * The issue page's watcher forms (Redmine's WatchersController routes): add watchers
 * (`POST /issues/:issue_id/watchers`) and remove one (`POST /issues/:issue_id/watchers/:user_id/delete`),
 * each going back to the issue. Watching oneself (`POST /watchers/watch|unwatch`) is issue-bulk.pages.tsx's,
 * shared with the issue list's context menu.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramString } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { principalIdsOf } from './watcher.params.ts';
import { addIssueWatchers, removeIssueWatcher, type WatcherContext } from './watcher.service.ts';

async function contextOf(request: FastifyRequest): Promise<WatcherContext> {
  return { db: tenantOf(request).db, actor: await actorOf(request) };
}

export async function watchersPages(app: FastifyInstance): Promise<void> {
  app.post('/issues/:issue_id/watchers', async (request, reply) => {
    const params = apiParams(request);
    const issueId = paramString(params.issue_id) ?? '';
    await addIssueWatchers(await contextOf(request), issueId, principalIdsOf(params));
    return reply.redirect(`/issues/${issueId}#watchers`, 302);
  });

  app.post('/issues/:issue_id/watchers/:user_id/delete', async (request, reply) => {
    const params = apiParams(request);
    const issueId = paramString(params.issue_id) ?? '';
    await removeIssueWatcher(await contextOf(request), issueId, paramString(params.user_id) ?? '');
    return reply.redirect(`/issues/${issueId}#watchers`, 302);
  });
}
