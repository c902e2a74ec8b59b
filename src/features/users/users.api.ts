/** REST routes of users (§6.4): list, show, create, update, delete (administrators, except show). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageOf } from '#src/api/pagination.ts';
import { includesOf, paramBool, paramIdList, paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { ValidationError } from '#src/errors.ts';
import { accountMailContext } from '#src/features/account/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { principalCustomFields } from './user.custom-fields.ts';
import { presentUser, presentUserListItem } from './user.presenter.ts';
import type { PreferenceChanges, UserListFilters, UserSort, UserSortColumn } from './user.repository.ts';
import {
  createUserByAdmin,
  deleteUserByAdmin,
  detailsOfUser,
  getVisibleUser,
  listUsers,
  updateOwnAccount,
  updateUserByAdmin,
  type UserChangeContext,
  type UserContext,
  type UserInput,
} from './user.service.ts';

export { groupsApi } from './groups.api.ts';

async function userContextOf(request: FastifyRequest): Promise<UserContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

const PREFERENCE_KEYS = ['comments_sorting', 'no_self_notified', 'warn_on_leaving_unsaved', 'textarea_font', 'history_default_tab', 'auto_watch_on'];

/** The top-level `pref` object of a create/update body. */
function preferencesOf(params: Params): PreferenceChanges | undefined {
  const p = paramObject(params.pref);
  if (!p) {
    return undefined;
  }
  const others: Record<string, unknown> = {};
  for (const key of PREFERENCE_KEYS) {
    if (Object.hasOwn(p, key)) {
      others[key] = p[key];
    }
  }
  return {
    hideMail: Object.hasOwn(p, 'hide_mail') ? (paramBool(p.hide_mail) ?? false) : undefined,
    timeZone: Object.hasOwn(p, 'time_zone') ? (paramString(p.time_zone) ?? '') : undefined,
    others,
  };
}

/** The `user` object of a create/update body, read the Rails way, with the top-level `pref`. */
export function userInputOf(params: Params): UserInput {
  const u = paramObject(params.user) ?? {};
  const has = (key: string) => Object.hasOwn(u, key);
  const text = (key: string) => (has(key) ? (paramString(u[key]) ?? '') : undefined);
  return {
    login: text('login'),
    firstname: text('firstname'),
    lastname: text('lastname'),
    mail: text('mail'),
    password: text('password'),
    passwordConfirmation: text('password_confirmation'),
    generatePassword: has('generate_password') ? paramBool(u.generate_password) : undefined,
    mustChangePasswd: has('must_change_passwd') ? paramBool(u.must_change_passwd) : undefined,
    admin: has('admin') ? paramBool(u.admin) : undefined,
    status: has('status') ? (paramInt(u.status) ?? -1) : undefined,
    language: text('language'),
    mailNotification: text('mail_notification'),
    pref: preferencesOf(params),
    customValues: u,
    groupIds: has('group_ids') ? paramIdList(u.group_ids) : undefined,
  };
}

function idList(text: string): number[] {
  return text.split('|').map((v) => v.trim()).filter((v) => /^\d+$/.test(v)).map(Number);
}

/** Short filters of `GET /users.json`: status (default 1, `*` any, `1|3`, `!3`), name, group_id. */
function filtersOf(params: Params): UserListFilters {
  const status = params.status === undefined ? '1' : (paramString(params.status) ?? '');
  if (status === '') {
    throw new ValidationError(['Status cannot be blank']);
  }
  let statuses: number[] | undefined;
  if (status !== '*') {
    statuses = status.startsWith('!') ? [1, 2, 3].filter((s) => !idList(status.slice(1)).includes(s)) : idList(status.replace(/^=/, ''));
  }
  const groupId = paramString(params.group_id);
  const name = paramString(params.name)?.replace(/^~/, '').trim();
  return { statuses, nameContains: name || undefined, groupIds: groupId ? idList(groupId) : undefined };
}

const SORTABLE: readonly UserSortColumn[] = ['id', 'login', 'firstname', 'lastname', 'mail', 'admin', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'status'];

/** `sort=lastname:desc,login`: up to three known columns; default `login`. */
function sortsOf(params: Params): UserSort[] {
  const sorts = (paramString(params.sort) ?? '')
    .split(',')
    .map((part) => part.trim().split(':'))
    .filter(([column]) => (SORTABLE as readonly string[]).includes(column ?? ''))
    .slice(0, 3)
    .map(([column, direction]) => ({ column: column as UserSortColumn, descending: direction === 'desc' }));
  return sorts.length > 0 ? sorts : [{ column: 'login', descending: false }];
}

export async function usersApi(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  /** Creating, changing and deleting users also needs the tenant's mail (user.mails.ts). */
  const changeContextOf = async (request: FastifyRequest): Promise<UserChangeContext> => ({ ...(await userContextOf(request)), mail: accountMailContext(platform, request) });

  apiGet(app, '/users', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await userContextOf(request);
    const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
    const { rows, total } = await listUsers(ctx, filtersOf(params), sortsOf(params), page);
    const customFields = await principalCustomFields(ctx.db, 'User', rows.map((u) => u.id));
    const meta = page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit };
    const items = rows.map((u) => presentUserListItem(u, customFields.get(u.id)));
    return sendApi(request, reply, collection('users', 'user', items, meta));
  });

  apiGet(app, '/users/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await userContextOf(request);
    const user = await getVisibleUser(ctx, paramString(params.id) ?? '');
    const details = await detailsOfUser(ctx, user, includesOf(params));
    return sendApi(request, reply, resource('user', presentUser(user, details)));
  });

  apiRoute(app, ['POST'], '/users', async (request, reply) => {
    const ctx = await changeContextOf(request);
    // A generated password is not answered: it reaches the user only through the form, or a link.
    const { user } = await createUserByAdmin(ctx, userInputOf(apiParams(request)));
    const details = await detailsOfUser(ctx, user, new Set());
    reply.header('location', `${baseUrl(request)}/users/${user.id}`);
    return sendApi(request, reply, resource('user', presentUser(user, details)), 201);
  });

  // Redmine's MyController#account (GET /my/account is the account feature's).
  apiRoute(app, ['PUT'], '/my/account', async (request, reply) => {
    await updateOwnAccount(await changeContextOf(request), userInputOf(apiParams(request)));
    return sendNoContent(reply);
  });

  apiRoute(app, ['PUT', 'PATCH'], '/users/:id', async (request, reply) => {
    const params = apiParams(request);
    await updateUserByAdmin(await changeContextOf(request), paramString(params.id) ?? '', userInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/users/:id', async (request, reply) => {
    const params = apiParams(request);
    // Rails' `params[:lock]`: any value but a JSON false or null asks for a lock instead.
    const lock = params.lock !== undefined && params.lock !== null && params.lock !== false;
    await deleteUserByAdmin(await changeContextOf(request), paramString(params.id) ?? '', { lock });
    return sendNoContent(reply);
  });
}
