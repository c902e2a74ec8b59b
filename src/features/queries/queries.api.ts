/** REST route of saved queries (§6.11): GET /queries, the visible ones, paged, by name. */
import type { FastifyInstance } from 'fastify';
import { pageOf } from '#src/api/pagination.ts';
import { paramString } from '#src/api/params.ts';
import { apiGet, apiParams, sendApi } from '#src/api/reply.ts';
import { collection } from '#src/api/resource.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { presentQuery } from './query.presenter.ts';
import { listVisibleQueries } from './query.service.ts';

export async function queriesApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/queries', async (request, reply) => {
    const params = apiParams(request);
    const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
    const ctx = { db: tenantOf(request).db, actor: await actorOf(request) };
    const { rows, total } = await listVisibleQueries(ctx, paramString(params.type) || 'IssueQuery', page);
    const meta = page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit };
    return sendApi(request, reply, collection('queries', 'query', rows.map(presentQuery), meta));
  });
}
