/** REST routes of issue relations (§6.8): an issue's relations, add, show, remove. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
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
  type NewRelationInput,
  type RelationContext,
} from './issue-relation.service.ts';

async function contextOf(request: FastifyRequest): Promise<RelationContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/**
 * `issue_to_id` the way Redmine's controller reads it: a string is a comma-separated list, a number
 * one id, an array its items; missing or blank is one blank entry (which fails as "cannot be blank").
 */
function issueToIdsOf(value: ParamValue | undefined): string[] {
  if (typeof value === 'string') {
    const ids = value.split(',').filter((id) => id.trim() !== '');
    return ids.length > 0 ? ids : [''];
  }
  if (typeof value === 'number') {
    return [String(value)];
  }
  if (Array.isArray(value) && value.length > 0) {
    return value.map((item) => paramString(item) ?? '');
  }
  return [''];
}

/** Rails' numericality on `delay`: blank is none, a number (integer part kept), else invalid. */
function delayOf(value: ParamValue | undefined): number | null | 'invalid' {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return null;
  }
  const text = paramString(value)?.trim();
  const n = text !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= 2_147_483_647 ? Math.trunc(n) + 0 : 'invalid';
}

function newRelationOf(params: Params): NewRelationInput {
  const relation = paramObject(params.relation) ?? {};
  const type = Object.hasOwn(relation, 'relation_type') ? (paramString(relation.relation_type) ?? null) : undefined;
  return { issueToIds: issueToIdsOf(relation.issue_to_id), relationType: type, delay: delayOf(relation.delay) };
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
