/** REST routes of issue relations (§6.8): an issue's relations, add, show, remove. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramString } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { presentRelation } from './issue-relation.presenter.ts';
import {
  createRelations,
  deleteRelation,
  getRelation,
  listIssueRelations,
  type RelationContext,
} from './issue-relation.service.ts';
import { newRelationOf } from './issue-relation.params.ts';

async function contextOf(request: FastifyRequest): Promise<RelationContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

export async function issueRelationsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/issues/:issue_id/relations', async (request, reply) => {
    const relations = await listIssueRelations(await contextOf(request), paramString(apiParams(request).issue_id) ?? '');
    return sendApi(request, reply, collection('relations', 'relation', relations.map(presentRelation)));
  });

  apiRoute(app, ['POST'], '/issues/:issue_id/relations', async (request, reply) => {
    const params = apiParams(request);
    const relation = await createRelations(await contextOf(request), paramString(params.issue_id) ?? '', newRelationOf(params));
    reply.header('location', `${baseUrl(request)}/relations/${relation.id}`);
    return sendApi(request, reply, resource('relation', presentRelation(relation)), 201);
  });

  apiGet(app, '/relations/:id', async (request, reply) => {
    const relation = await getRelation(await contextOf(request), paramString(apiParams(request).id) ?? '');
    return sendApi(request, reply, resource('relation', presentRelation(relation)));
  });

  apiRoute(app, ['DELETE'], '/relations/:id', async (request, reply) => {
    await deleteRelation(await contextOf(request), paramString(apiParams(request).id) ?? '');
    return sendNoContent(reply);
  });
}
