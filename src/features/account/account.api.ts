/** REST routes of the signed-in user: /users/current and /my/account (§6.4, §6.21). */
import type { FastifyInstance } from 'fastify';
import { apiGet, requireUser, sendApi } from '#src/api/reply.ts';
import { resource, time, type ListValue } from '#src/api/resource.ts';
import type { Queryable } from '#src/db/database.ts';
import { customValueSheet, presentedCustomFields } from '#src/features/custom-fields/index.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { apiKeyOf, type User } from './index.ts';

/** The user's custom values with the `visible` flag (Redmine shows a user's fields by that flag alone). */
async function ownCustomFields(db: Queryable, userId: number): Promise<ListValue | undefined> {
  return presentedCustomFields(await customValueSheet(db, 'User', [userId]), userId, (field) => field.visible);
}

/** `/users/:id` as its own user (or an administrator) sees it. */
export function presentUserToSelf(user: User, apiKey: string, viewerIsAdmin: boolean, customFields?: ListValue) {
  return {
    id: user.id,
    login: user.login,
    admin: user.admin,
    firstname: user.firstname,
    lastname: user.lastname,
    mail: user.mail ?? undefined,
    created_on: time(user.createdOn),
    updated_on: time(user.updatedOn),
    last_login_on: time(user.lastLoginOn),
    passwd_changed_on: time(user.passwdChangedOn),
    twofa_scheme: user.twofaScheme,
    api_key: apiKey,
    status: viewerIsAdmin ? user.status : undefined,
    custom_fields: customFields,
  };
}

export async function accountApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/users/current', async (request, reply) => {
    const user = requireUser(request);
    const { db } = tenantOf(request);
    const apiKey = await apiKeyOf(db.orm, user.id, new Date());
    return sendApi(request, reply, resource('user', presentUserToSelf(user, apiKey, user.admin, await ownCustomFields(db, user.id))));
  });

  apiGet(app, '/my/account', async (request, reply) => {
    const user = requireUser(request);
    const { db } = tenantOf(request);
    const apiKey = await apiKeyOf(db.orm, user.id, new Date());
    const customFields = await ownCustomFields(db, user.id);
    return sendApi(
      request,
      reply,
      resource('user', {
        id: user.id,
        login: user.login,
        admin: user.admin,
        firstname: user.firstname,
        lastname: user.lastname,
        mail: user.mail,
        created_on: time(user.createdOn),
        last_login_on: time(user.lastLoginOn),
        api_key: apiKey,
        custom_fields: customFields,
      }),
    );
  });
}
