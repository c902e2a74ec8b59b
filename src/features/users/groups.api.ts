/** REST routes of groups (§6.5), read side: the list (administrators) and one group with its includes. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramInt, paramList } from '#src/api/params.ts';
import { apiGet, apiParams, sendApi } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { detailsOfGroup, getVisibleGroup, listGroups } from './group.service.ts';
import { presentGroup, presentGroupListItem } from './user.presenter.ts';
import type { UserContext } from './user.service.ts';

async function userContextOf(request: FastifyRequest): Promise<UserContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

export async function groupsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/groups', async (request, reply) => {
    const groups = await listGroups(await userContextOf(request));
    return sendApi(request, reply, collection('groups', 'group', groups.map(presentGroupListItem)));
  });

  apiGet(app, '/groups/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await userContextOf(request);
    const group = await getVisibleGroup(ctx, paramInt(params.id));
    const include = new Set(paramList(params.include).flatMap((v) => v.split(',')).map((v) => v.trim()));
    return sendApi(request, reply, resource('group', presentGroup(group, await detailsOfGroup(ctx, group, include))));
  });
}
