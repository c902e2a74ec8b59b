/**
 * HTML routes of roles (administrators only): `/roles` (list), `/roles/new` (`?copy=ID`), `POST
 * /roles`, `/roles/:id/edit`, `POST /roles/:id` (update, or a new position alone), `POST
 * /roles/:id/delete`, and the permissions report `/roles/permissions` (GET and POST).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { roleInputOf, type RoleInput } from './role.input.ts';
import {
  createRole,
  deleteRole,
  editRoleForm,
  listRoles,
  newRoleForm,
  permissionsReport,
  roleDraftFor,
  savePermissionsReport,
  updateRole,
  type RoleChangeContext,
  type RoleContext,
  type RoleDeletion,
} from './role.service.ts';
import { PermissionsReportPage } from './views/permissions-report.tsx';
import { RoleForm } from './views/role-form.tsx';
import { RolesList } from './views/roles-list.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<RoleChangeContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date(), auditSource: auditSourceOf(request) };
}

function idOf(request: FastifyRequest): number {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) {
    throw new NotFoundError(`no role ${id}`);
  }
  return Number(id);
}

function optionalId(value: Params[string] | undefined): number | undefined {
  const text = paramString(value) ?? '';
  return ID.test(text) ? Number(text) : undefined;
}

function refusalMessage(t: Translate, refusal: Exclude<RoleDeletion, { deleted: true }>): string {
  const base = t('error_can_not_remove_role');
  return refusal.reason === 'members' ? `${base} ${t('error_can_not_remove_role_reason_members', { projects: refusal.projects.join(', ') })}` : base;
}

/** `permissions[<role id>][]` of the report form. */
function reportPermissionsOf(params: Params): Map<number, string[]> {
  const byRole = paramObject(params.permissions) ?? {};
  return new Map(
    Object.entries(byRole)
      .filter(([roleId]) => ID.test(roleId))
      .map(([roleId, names]) => [Number(roleId), paramList(names).filter((name) => name.trim() !== '')]),
  );
}

export async function rolesPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showList = async (request: FastifyRequest, reply: FastifyReply, ctx: RoleContext, refusal?: Exclude<RoleDeletion, { deleted: true }>) => {
    const roles = await listRoles(ctx);
    return sendAdminPage(platform, request, reply, 'roles', {
      title: (t) => t('label_role_plural'),
      ...(refusal ? { status: 422, flash: { kind: 'error' as const, message: (t: Translate) => refusalMessage(t, refusal) } } : {}),
      body: ({ t, csrfToken }) => <RolesList t={t} csrfToken={csrfToken} roles={roles} />,
    });
  };

  const showForm = async (request: FastifyRequest, reply: FastifyReply, ctx: RoleContext, id: number | undefined, input: RoleInput, errors: readonly string[], copyWorkflowFrom?: number) => {
    const { draft, choices } = await roleDraftFor(ctx, id, input);
    return sendAdminPage(platform, request, reply, 'roles', {
      status: 422,
      title: (t) => t('label_role_plural'),
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <RoleForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={errors} copyWorkflowFrom={copyWorkflowFrom} />,
    });
  };

  app.get('/roles', async (request, reply) => showList(request, reply, await contextOf(request)));

  app.get('/roles/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const { draft, choices, copiedFrom } = await newRoleForm(ctx, optionalId((request.query as Params).copy));
    return sendAdminPage(platform, request, reply, 'roles', {
      title: (t) => `${t('label_role_plural')} - ${t('label_role_new')}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <RoleForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={[]} copyWorkflowFrom={copiedFrom} />,
    });
  });

  app.post('/roles', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const input = roleInputOf(params);
    const copyWorkflowFrom = optionalId(params.copy_workflow_from);
    try {
      await createRole(ctx, input, copyWorkflowFrom);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, undefined, input, error.errors, copyWorkflowFrom);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect('/roles', 303);
  });

  app.get('/roles/permissions', async (request, reply) => {
    const ctx = await contextOf(request);
    const ids = paramList((request.query as Params).ids).filter((id) => ID.test(id)).map(Number);
    const report = await permissionsReport(ctx, ids);
    return sendAdminPage(platform, request, reply, 'roles', {
      title: (t) => `${t('label_role_plural')} - ${t('label_permissions_report')}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <PermissionsReportPage t={t} csrfToken={csrfToken} report={report} />,
    });
  });

  app.post('/roles/permissions', async (request, reply) => {
    const ctx = await contextOf(request);
    await savePermissionsReport(ctx, reportPermissionsOf((request.body ?? {}) as Params));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/roles', 303);
  });

  app.get('/roles/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const { draft, choices } = await editRoleForm(ctx, idOf(request));
    return sendAdminPage(platform, request, reply, 'roles', {
      title: (t) => t('label_role_plural'),
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <RoleForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={[]} />,
    });
  });

  app.post('/roles/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = idOf(request);
    const input = roleInputOf((request.body ?? {}) as Params);
    try {
      await updateRole(ctx, id, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, id, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/roles', 303);
  });

  app.post('/roles/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const result = await deleteRole(ctx, idOf(request));
    if (!result.deleted) {
      return showList(request, reply, ctx, result);
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/roles', 303);
  });
}
