/**
 * HTML routes of group administration (Redmine's GroupsController): the list, new/create, edit with
 * tabs (general, users, projects) and update, adding and removing users, deletion. Administrators only
 * (403 for others, before anything is read); writes go through group.service.ts, where a user who
 * joins a group inherits the group's memberships.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramIdList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { getGroupForAdmin, groupCustomValues, listGroupsWithCounts, loadGroupUsers } from './group.admin.ts';
import { addUsersToGroup, createGroup, deleteGroup, removeUserFromGroup, updateGroup, type GroupInput } from './group.service.ts';
import { principalMembershipPages } from './principal-memberships.pages.tsx';
import { loadPrincipalMemberships } from './principal-memberships.service.ts';
import type { UserContext } from './user.service.ts';
import { GroupEditFrame, GroupGeneralTab, GroupListPage, GroupUsersTab, NewGroupPage, type GroupTab } from './views/group-pages.tsx';
import { PrincipalMembershipsTab } from './views/principal-memberships.tsx';

/** At most this many users are offered for adding at once; a search narrows them. */
const CANDIDATE_LIMIT = 100;
const TABS: readonly GroupTab[] = ['general', 'users', 'memberships'];

async function adminContext(request: FastifyRequest): Promise<UserContext> {
  const actor = await requireAdministrator(request);
  const { db, settings } = tenantOf(request);
  return { db, settings, actor, now: new Date(), auditSource: auditSourceOf(request) };
}

function groupIdOf(request: FastifyRequest): number | undefined {
  const id = (request.params as { id?: string }).id ?? '';
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

/** The `group` hash of the form: its name and custom values (never its users: the users tab does those). */
function groupInputOf(params: Params): GroupInput {
  const g = paramObject(params.group) ?? {};
  return { name: paramString(g.name) ?? '', customValues: g };
}

/** The custom values a refused form sent, over the stored ones. */
function sentCustomValues(params: Params, stored: ReadonlyMap<number, readonly string[]>): Map<number, readonly string[]> {
  const values = new Map(stored);
  for (const [key, value] of Object.entries(paramObject(paramObject(params.group)?.custom_field_values) ?? {})) {
    if (/^\d+$/.test(key)) {
      values.set(Number(key), Array.isArray(value) ? value.map(String).filter((v) => v !== '') : [paramString(value) ?? '']);
    }
  }
  return values;
}

interface Refusal {
  readonly params: Params;
  readonly errors: (t: Translate) => readonly string[];
}

export async function groupsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/groups', async (request, reply) => {
    const ctx = await adminContext(request);
    const groups = await listGroupsWithCounts(ctx);
    return sendAdminPage(platform, request, reply, 'groups', {
      title: (t) => t('label_group_plural'),
      body: ({ t, csrfToken }) => <GroupListPage t={t} csrfToken={csrfToken} groups={groups} />,
    });
  });

  async function sendNewPage(request: FastifyRequest, reply: FastifyReply, refused?: Refusal) {
    const ctx = await adminContext(request);
    const custom = await groupCustomValues(ctx, undefined);
    const name = refused ? (paramString(paramObject(refused.params.group)?.name) ?? '') : '';
    return sendAdminPage(platform, request, reply, 'groups', {
      status: refused ? 422 : 200,
      title: (t) => t('label_group_new'),
      body: ({ t, csrfToken }) => (
        <NewGroupPage
          t={t}
          csrfToken={csrfToken}
          name={name}
          customFields={custom.fields}
          customValues={refused ? sentCustomValues(refused.params, custom.values) : custom.values}
          errors={refused?.errors(t) ?? []}
        />
      ),
    });
  }

  app.get('/groups/new', (request, reply) => sendNewPage(request, reply));

  app.post('/groups', async (request, reply) => {
    const ctx = await adminContext(request);
    const params = apiParams(request);
    let group;
    try {
      group = await createGroup(ctx, groupInputOf(params));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendNewPage(request, reply, { params, errors: () => error.errors });
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect(params.continue !== undefined ? '/groups/new' : `/groups/${group.id}/edit`, 303);
  });

  async function sendEditPage(request: FastifyRequest, reply: FastifyReply, tab: GroupTab, refused?: Refusal) {
    const ctx = await adminContext(request);
    const group = await getGroupForAdmin(ctx, groupIdOf(request));
    const q = paramString((request.query as Params).q)?.slice(0, 100) ?? '';
    const [custom, users, memberships] = await Promise.all([
      tab === 'general' ? groupCustomValues(ctx, group.id) : undefined,
      tab === 'users' ? loadGroupUsers(ctx, group.id, q, CANDIDATE_LIMIT) : undefined,
      tab === 'memberships' ? loadPrincipalMemberships(ctx, 'Group', group.id) : undefined,
    ]);
    const name = refused ? (paramString(paramObject(refused.params.group)?.name) ?? group.name) : group.name;
    return sendAdminPage(platform, request, reply, 'groups', {
      status: refused ? 422 : 200,
      title: (t) => `${t('label_group_plural')} - ${group.name}`,
      body: ({ t, format, csrfToken }) => (
        <GroupEditFrame t={t} group={group} tab={tab} errors={refused?.errors(t) ?? []}>
          {users ? (
            <GroupUsersTab t={t} format={format} csrfToken={csrfToken} groupId={group.id} users={users.users} candidates={users.candidates} q={q} />
          ) : memberships ? (
            <PrincipalMembershipsTab t={t} csrfToken={csrfToken} basePath={`/groups/${group.id}`} data={memberships} />
          ) : (
            <GroupGeneralTab
              t={t}
              csrfToken={csrfToken}
              groupId={group.id}
              name={name}
              customFields={custom?.fields ?? []}
              customValues={refused ? sentCustomValues(refused.params, custom?.values ?? new Map()) : (custom?.values ?? new Map())}
            />
          )}
        </GroupEditFrame>
      ),
    });
  }

  app.get('/groups/:id/edit', (request, reply) => {
    const tab = TABS.find((name) => name === (request.query as Params).tab) ?? 'general';
    return sendEditPage(request, reply, tab);
  });

  app.post('/groups/:id', async (request, reply) => {
    const ctx = await adminContext(request);
    const params = apiParams(request);
    const id = groupIdOf(request);
    try {
      await updateGroup(ctx, id, groupInputOf(params));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendEditPage(request, reply, 'general', { params, errors: () => error.errors });
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/groups/${id}/edit?tab=general`, 303);
  });

  app.post('/groups/:id/users', async (request, reply) => {
    const ctx = await adminContext(request);
    const params = apiParams(request);
    const id = groupIdOf(request);
    const userIds = paramIdList(params.user_ids ?? params.user_id);
    try {
      await addUsersToGroup(ctx, id, userIds);
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendEditPage(request, reply, 'users', { params, errors: () => error.errors });
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/groups/${id}/edit?tab=users`, 303);
  });

  app.post('/groups/:id/users/:user_id/delete', async (request, reply) => {
    const ctx = await adminContext(request);
    const id = groupIdOf(request);
    const userId = (request.params as { user_id?: string }).user_id ?? '';
    await removeUserFromGroup(ctx, id, /^\d{1,9}$/.test(userId) ? Number(userId) : undefined);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/groups/${id}/edit?tab=users`, 303);
  });

  app.post('/groups/:id/delete', async (request, reply) => {
    const ctx = await adminContext(request);
    const id = groupIdOf(request);
    await deleteGroup(ctx, id);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/groups', 303);
  });

  await principalMembershipPages(app, {
    kind: 'Group',
    prefix: '/groups',
    context: adminContext,
    sendTab: (request, reply, errors) => sendEditPage(request, reply, 'memberships', { params: {}, errors }),
  });
}
