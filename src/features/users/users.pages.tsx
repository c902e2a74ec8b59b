/**
 * HTML routes of user administration (Redmine's UsersController for administrators): the list with
 * its filters, new/create, edit with tabs and update (also lock, unlock, activate), deletion after a
 * confirmation. Every route is for administrators (403 for others, before anything is read); the
 * writes go through user.service.ts, as the REST API's do.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramBool, paramString, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { ValidationError } from '#src/errors.ts';
import { accountMailContext, passwordRulesOf, sendAccountInformation, USER_STATUS } from '#src/features/account/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { listPageOf, requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { accountLockedUntil, SignInLockNotice } from '#src/features/throttle/index.ts';
import { isTwofaEnabled, TwofaUserBox } from '#src/features/twofa/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { principalMembershipPages } from './principal-memberships.pages.tsx';
import { loadPrincipalMemberships } from './principal-memberships.service.ts';
import { allGroups, loadUserForEdit, userCustomFields, userStatusCounts } from './user.admin.ts';
import { newUserFormValues, userFormValuesFromParams, userFormValuesOf } from './user.form.ts';
import { createUserByAdmin, deleteUserByAdmin, listUsers, updateUserByAdmin, type UserChangeContext, type UserContext } from './user.service.ts';
import { userInputOf } from './users.api.ts';
import { GeneratedPasswordPage } from './views/generated-password.tsx';
import { NewUserPage, UserDeletePage, UserEditFrame, UserGeneralTab, UserGroupsTab, type UserTab } from './views/user-edit.tsx';
import { PrincipalMembershipsTab } from './views/principal-memberships.tsx';
import { USER_LIST_COLUMNS, UserListPage, type UserListColumn, type UserListFilterValues } from './views/user-list.tsx';

async function adminContext(request: FastifyRequest): Promise<UserContext> {
  const actor = await requireAdministrator(request);
  const { db, settings } = tenantOf(request);
  return { db, settings, actor, now: new Date(), auditSource: auditSourceOf(request) };
}

/** The context of a create, change or delete: also the tenant's mail (administrators are told of administrator changes). */
async function adminChangeContext(platform: Platform, request: FastifyRequest): Promise<UserChangeContext> {
  return { ...(await adminContext(request)), mail: accountMailContext(platform, request) };
}

function listFiltersOf(query: Params): UserListFilterValues {
  const status = query.status === undefined ? '1' : (paramString(query.status) ?? '');
  const [column, direction] = (paramString(query.sort) ?? '').split(':');
  const known = USER_LIST_COLUMNS.some(([c]) => c === column);
  return {
    status: ['', '1', '2', '3'].includes(status) ? status : '1',
    name: (paramString(query.name) ?? '').trim().slice(0, 255),
    groupId: /^\d{1,9}$/.test(paramString(query.group_id) ?? '') ? (paramString(query.group_id) ?? '') : '',
    sort: { column: known ? (column as UserListColumn) : 'login', descending: known && direction === 'desc' },
  };
}

const TABS: readonly UserTab[] = ['general', 'groups', 'memberships'];

function tabOf(value: unknown): UserTab {
  return TABS.find((tab) => tab === value) ?? 'general';
}

function userIdOf(request: FastifyRequest): number | undefined {
  const id = (request.params as { id?: string }).id ?? '';
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

export async function usersPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  /** The edit page at one tab; `sent` (a refused form) replaces the stored values on the general tab. */
  async function sendEditPage(request: FastifyRequest, reply: FastifyReply, tab: UserTab, refused?: { params: Params; errors: (t: Translate) => readonly string[] }) {
    const ctx = await adminContext(request);
    const edited = await loadUserForEdit(ctx, userIdOf(request));
    const { user } = edited;
    const [groups, customFields, memberships] = await Promise.all([
      allGroups(ctx),
      tab === 'general' ? userCustomFields(ctx) : [],
      tab === 'memberships' ? loadPrincipalMemberships(ctx, 'User', user.id) : undefined,
    ]);
    const shown = groups.length === 0 && tab === 'groups' ? 'general' : tab;
    // A soft lock of the throttle (too many failed sign-ins): shown with a button that lifts it.
    const lockedUntil = shown === 'general' ? await accountLockedUntil(ctx.db, user.login, nowOf(request)) : undefined;
    const stored = userFormValuesOf(edited);
    const values = refused ? userFormValuesFromParams(refused.params, stored) : stored;
    const isSelf = user.id === ctx.actor.userId;
    return sendAdminPage(platform, request, reply, 'users', {
      status: refused ? 422 : 200,
      title: (t) => `${t('label_user_plural')} - ${user.login}`,
      scripts: shown === 'general' ? ['password-fields'] : [],
      body: ({ t, csrfToken, format }) => (
        <UserEditFrame t={t} csrfToken={csrfToken} user={user} tab={shown} isSelf={isSelf} hasGroups={groups.length > 0} errors={refused?.errors(t) ?? []}>
          {shown === 'groups' ? (
            <UserGroupsTab t={t} csrfToken={csrfToken} userId={user.id} groups={groups} groupIds={edited.groupIds} />
          ) : shown === 'memberships' && memberships ? (
            <PrincipalMembershipsTab t={t} csrfToken={csrfToken} basePath={`/users/${user.id}`} data={memberships} />
          ) : (
            <>
              {lockedUntil ? <SignInLockNotice t={t} csrfToken={csrfToken} userId={user.id} until={format.time(lockedUntil)} /> : null}
              <UserGeneralTab
                t={t}
                csrfToken={csrfToken}
                userId={user.id}
                values={values}
                customFields={customFields}
                isSelf={isSelf}
                passwordRules={passwordRulesOf(ctx.settings)}
                sendInformation={user.status === USER_STATUS.active && !isSelf ? paramBool(refused?.params.send_information) === true : undefined}
              />
              {isTwofaEnabled(ctx.settings) ? <TwofaUserBox t={t} csrfToken={csrfToken} userId={user.id} active={Boolean(user.twofaScheme)} isSelf={isSelf} /> : null}
            </>
          )}
        </UserEditFrame>
      ),
    });
  }

  app.get('/users', async (request, reply) => {
    const ctx = await adminContext(request);
    const query = request.query as Params;
    const filters = listFiltersOf(query);
    const paging = listPageOf(query, ctx.settings);
    const [{ rows, total }, statusCounts, groups] = await Promise.all([
      listUsers(
        ctx,
        {
          statuses: filters.status === '' ? undefined : [Number(filters.status)],
          nameContains: filters.name || undefined,
          groupIds: filters.groupId ? [Number(filters.groupId)] : undefined,
        },
        [{ column: filters.sort.column, descending: filters.sort.descending }],
        paging,
      ),
      userStatusCounts(ctx),
      allGroups(ctx),
    ]);
    return sendAdminPage(platform, request, reply, 'users', {
      title: (t) => t('label_user_plural'),
      body: ({ t, format, csrfToken }) => (
        <UserListPage
          t={t}
          format={format}
          csrfToken={csrfToken}
          currentUserId={ctx.actor.userId}
          filters={filters}
          statusCounts={statusCounts}
          groups={groups}
          users={rows}
          page={paging.page}
          perPage={paging.perPage}
          total={total}
        />
      ),
    });
  });

  async function sendNewPage(request: FastifyRequest, reply: FastifyReply, refused?: { params: Params; errors: readonly string[] }) {
    const ctx = await adminContext(request);
    const customFields = await userCustomFields(ctx);
    const defaults = newUserFormValues(ctx.settings);
    const values = refused ? userFormValuesFromParams(refused.params, defaults) : defaults;
    return sendAdminPage(platform, request, reply, 'users', {
      status: refused ? 422 : 200,
      title: (t) => t('label_user_new'),
      scripts: ['password-fields'],
      body: ({ t, csrfToken }) => (
        <NewUserPage
          t={t}
          csrfToken={csrfToken}
          values={values}
          customFields={customFields}
          passwordRules={passwordRulesOf(ctx.settings)}
          errors={refused?.errors ?? []}
          sendInformation={paramBool(refused?.params.send_information) === true}
        />
      ),
    });
  }

  app.get('/users/new', (request, reply) => sendNewPage(request, reply));

  /** A generated password is answered on this page, the only time it is shown; no redirect. */
  const sendGeneratedPassword = (request: FastifyRequest, reply: FastifyReply, user: { id: number; login: string }, password: string, next: string) =>
    sendAdminPage(platform, request, reply, 'users', {
      title: (t) => `${t('label_user_plural')} - ${user.login}`,
      body: ({ t }) => <GeneratedPasswordPage t={t} user={user} password={password} next={next} />,
    });

  app.post('/users', async (request, reply) => {
    const ctx = await adminChangeContext(platform, request);
    const params = apiParams(request);
    let created, generatedPassword;
    try {
      ({ user: created, generatedPassword } = await createUserByAdmin(ctx, userInputOf(params)));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendNewPage(request, reply, { params, errors: error.errors });
      }
      throw error;
    }
    const informed = paramBool(params.send_information) ? await sendAccountInformation(platform, request, created.id, ctx.now) : undefined;
    setFlash(reply, informed?.delivered === false ? { kind: 'warning', key: 'notice_account_information_not_sent' } : { kind: 'notice', key: 'notice_successful_create' });
    const next = params.continue !== undefined ? '/users/new' : `/users/${created.id}/edit`;
    if (generatedPassword !== undefined) {
      return sendGeneratedPassword(request, reply, created, generatedPassword, next);
    }
    return reply.redirect(next, 303);
  });

  app.get('/users/:id/edit', async (request, reply) => sendEditPage(request, reply, tabOf((request.query as Params).tab)));

  app.post('/users/:id', async (request, reply) => {
    const ctx = await adminChangeContext(platform, request);
    const params = apiParams(request);
    const id = userIdOf(request);
    const tab = tabOf(params.tab);
    let generatedPassword;
    try {
      ({ generatedPassword } = await updateUserByAdmin(ctx, String(id ?? ''), userInputOf(params)));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendEditPage(request, reply, tab, { params, errors: () => error.errors });
      }
      throw error;
    }
    // Redmine offers the box for active users other than oneself; the link is for the user to use.
    const informed = paramBool(params.send_information) && id !== ctx.actor.userId ? await sendAccountInformation(platform, request, Number(id), ctx.now) : undefined;
    setFlash(reply, informed?.delivered === false ? { kind: 'warning', key: 'notice_account_information_not_sent' } : { kind: 'notice', key: 'notice_successful_update' });
    const back = params.back_url === undefined ? `/users/${id}/edit?tab=${tab}` : safeBackUrl(params.back_url);
    if (generatedPassword !== undefined) {
      const { user } = await loadUserForEdit(ctx, id);
      return sendGeneratedPassword(request, reply, user, generatedPassword, back);
    }
    return reply.redirect(back, 303);
  });

  /** The confirmation page; `errors` (in the page's language) when a deletion was refused. */
  async function sendDeletePage(request: FastifyRequest, reply: FastifyReply, errors?: (t: Translate) => readonly string[]) {
    const ctx = await adminContext(request);
    const { user } = await loadUserForEdit(ctx, userIdOf(request));
    return sendAdminPage(platform, request, reply, 'users', {
      status: errors ? 422 : 200,
      title: (t) => t('label_confirmation'),
      body: ({ t, csrfToken }) => <UserDeletePage t={t} csrfToken={csrfToken} user={user} errors={errors?.(t) ?? []} />,
    });
  }

  app.get('/users/:id/delete', (request, reply) => sendDeletePage(request, reply));

  app.post('/users/:id/delete', async (request, reply) => {
    const ctx = await adminChangeContext(platform, request);
    const { user } = await loadUserForEdit(ctx, userIdOf(request));
    const params = apiParams(request);
    if (paramString(params.confirm) !== user.login) {
      return sendDeletePage(request, reply, (t) => [t('text_user_destroy_login_mismatch')]);
    }
    try {
      await deleteUserByAdmin(ctx, String(user.id));
    } catch (error) {
      if (error instanceof ValidationError) {
        // Redmine refuses one's own account without a message.
        return sendDeletePage(request, reply, (t) => (error.errors.length > 0 ? error.errors : [t('error_can_not_delete')]));
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/users', 303);
  });

  await principalMembershipPages(app, {
    kind: 'User',
    prefix: '/users',
    context: adminContext,
    sendTab: (request, reply, errors) => sendEditPage(request, reply, 'memberships', { params: {}, errors }),
  });
}
