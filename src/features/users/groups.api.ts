/** REST routes of groups (§6.5): list and show; create, update, delete; add and remove users (administrators). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { includesOf, paramBool, paramIdList, paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import {
  addUsersToGroup,
  createGroup,
  deleteGroup,
  detailsOfGroup,
  getVisibleGroup,
  listGroups,
  removeUserFromGroup,
  updateGroup,
  type GroupInput,
} from './group.service.ts';
import { principalCustomFields } from './user.custom-fields.ts';
import { presentGroup, presentGroupListItem } from './user.presenter.ts';
import type { UserContext } from './user.service.ts';

async function userContextOf(request: FastifyRequest): Promise<UserContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

/** The `group` object of a create/update body. */
function groupInputOf(params: Params): GroupInput {
  const g = paramObject(params.group) ?? {};
  const has = (key: string) => Object.hasOwn(g, key);
  return {
    name: has('name') ? (paramString(g.name) ?? '') : undefined,
    userIds: has('user_ids') ? paramIdList(g.user_ids) : undefined,
    twofaRequired: has('twofa_required') ? (paramBool(g.twofa_required) ?? false) : undefined,
    customValues: g,
  };
}

export async function groupsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/groups', async (request, reply) => {
    const ctx = await userContextOf(request);
    const groups = await listGroups(ctx);
    const customFields = await principalCustomFields(ctx.db, 'Group', groups.map((g) => g.id));
    return sendApi(request, reply, collection('groups', 'group', groups.map((g) => presentGroupListItem(g, customFields.get(g.id)))));
  });

  apiGet(app, '/groups/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await userContextOf(request);
    const group = await getVisibleGroup(ctx, paramInt(params.id));
    return sendApi(request, reply, resource('group', presentGroup(group, await detailsOfGroup(ctx, group, includesOf(params)))));
  });

  apiRoute(app, ['POST'], '/groups', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await userContextOf(request);
    const group = await createGroup(ctx, groupInputOf(params));
    reply.header('location', `${baseUrl(request)}/groups/${group.id}`);
    return sendApi(request, reply, resource('group', presentGroup(group, await detailsOfGroup(ctx, group, includesOf(params)))), 201);
  });

  apiRoute(app, ['PUT', 'PATCH'], '/groups/:id', async (request, reply) => {
    const params = apiParams(request);
    await updateGroup(await userContextOf(request), paramInt(params.id), groupInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/groups/:id', async (request, reply) => {
    await deleteGroup(await userContextOf(request), paramInt(apiParams(request).id));
    return sendNoContent(reply);
  });

  // Top-level `user_id` or `user_ids`, as Redmine reads them for this route.
  apiRoute(app, ['POST'], '/groups/:id/users', async (request, reply) => {
    const params = apiParams(request);
    await addUsersToGroup(await userContextOf(request), paramInt(params.id), paramIdList(params.user_id ?? params.user_ids));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/groups/:id/users/:user_id', async (request, reply) => {
    const params = apiParams(request);
    await removeUserFromGroup(await userContextOf(request), paramInt(params.id), paramInt(params.user_id));
    return sendNoContent(reply);
  });
}
