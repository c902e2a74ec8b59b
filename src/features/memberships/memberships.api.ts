/** REST routes of project memberships (§6.3): list, add, show, change roles, remove. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageOf } from '#src/api/pagination.ts';
import { paramInt, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { NotFoundError } from '#src/errors.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { newMembershipsOf, rolesInputOf } from './membership.input.ts';
import { presentMembership } from './membership.presenter.ts';
import {
  createMemberships,
  deleteMembership,
  getMembership,
  listProjectMemberships,
  updateMembershipRoles,
  type MembershipChangeContext,
} from './membership.service.ts';

async function contextOf(request: FastifyRequest): Promise<MembershipChangeContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

function membershipIdOf(params: Params): number {
  const id = paramInt(params.id);
  if (id === undefined || id < 1) {
    throw new NotFoundError(`no membership ${paramString(params.id) ?? ''}`);
  }
  return id;
}

export async function membershipsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/projects/:project_id/memberships', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
    const { rows, total } = await listProjectMemberships(ctx, paramString(params.project_id) ?? '', page);
    const meta = page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit };
    return sendApi(request, reply, collection('memberships', 'membership', rows.map(presentMembership), meta));
  });

  apiRoute(app, ['POST'], '/projects/:project_id/memberships', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const membership = await createMemberships(ctx, paramString(params.project_id) ?? '', newMembershipsOf(params));
    reply.header('location', `${baseUrl(request)}/memberships/${membership.id}`);
    return sendApi(request, reply, resource('membership', presentMembership(membership)), 201);
  });

  apiGet(app, '/memberships/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const membership = await getMembership(ctx, membershipIdOf(apiParams(request)));
    return sendApi(request, reply, resource('membership', presentMembership(membership)));
  });

  apiRoute(app, ['PUT', 'PATCH'], '/memberships/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    await updateMembershipRoles(ctx, membershipIdOf(params), rolesInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/memberships/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    await deleteMembership(ctx, membershipIdOf(apiParams(request)));
    return sendNoContent(reply);
  });
}
