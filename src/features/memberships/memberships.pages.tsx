/**
 * HTML routes of project members: "New member" (`/projects/:id/memberships/new`, search with `q`),
 * add (`POST /projects/:id/memberships`), change roles (`/memberships/:id/edit`, `POST /memberships/:id`)
 * and remove (`POST /memberships/:id/delete`). Writes go through membership.service.ts, which gives only
 * the roles the actor manages and keeps inherited roles.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramIdList, paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { findProject, type ProjectRow } from '#src/features/projects/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { newMembershipsOf, rolesInputOf } from './membership.input.ts';
import { createMemberships, deleteMembership, getMembership, updateMembershipRoles, type MembershipChangeContext, type MembershipContext } from './membership.service.ts';
import { listMemberCandidates, loadMemberSettings, loadMembershipForEdit } from './membership.settings.ts';
import { EditMemberPage, NewMemberPage } from './views/members-tab.tsx';

async function contextOf(request: FastifyRequest): Promise<MembershipChangeContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

function bodyOf(request: FastifyRequest): Params {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
}

function membershipIdOf(request: FastifyRequest): number {
  const id = paramInt((request.params as { id: string }).id);
  if (id === undefined || id < 1) {
    throw new NotFoundError('no such membership');
  }
  return id;
}

const CANDIDATE_LIMIT = 100;
const membersUrl = (project: { id: number; identifier: string | null }) => `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/settings?tab=members`;

export async function membershipsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const sendNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: MembershipContext,
    projectId: string,
    form: { q: string; errors: readonly string[]; principals: ReadonlySet<number>; roles: ReadonlySet<number> },
    status = 200,
  ) => {
    const settings = await loadMemberSettings(ctx, projectId);
    const candidates = await listMemberCandidates(ctx, settings.project, form.q, CANDIDATE_LIMIT);
    return sendPage(platform, request, reply, {
      status,
      title: (t) => t('label_member_new'),
      project: settings.project,
      menuItem: 'settings',
      body: (view) => (
        <NewMemberPage view={view} settings={settings} candidates={candidates} q={form.q} errors={form.errors} chosenPrincipals={form.principals} chosenRoles={form.roles} />
      ),
    });
  };

  app.get('/projects/:id/memberships/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const q = paramString((request.query as Params).q) ?? '';
    return sendNew(request, reply, ctx, (request.params as { id: string }).id, { q, errors: [], principals: new Set(), roles: new Set() });
  });

  app.post('/projects/:id/memberships', async (request, reply) => {
    const ctx = await contextOf(request);
    const projectId = (request.params as { id: string }).id;
    const body = bodyOf(request);
    let project: ProjectRow | undefined;
    try {
      const membership = await createMemberships(ctx, projectId, newMembershipsOf(body));
      project = await findProject(ctx.db.orm, String(membership.project.id));
    } catch (error) {
      if (error instanceof ValidationError) {
        const hash = paramObject(body.membership) ?? {};
        const form = { q: '', errors: error.errors, principals: new Set(paramIdList(hash.user_ids)), roles: new Set(paramIdList(hash.role_ids)) };
        return sendNew(request, reply, ctx, projectId, form, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect(project ? membersUrl(project) : '/projects', 303);
  });

  const sendEdit = async (request: FastifyRequest, reply: FastifyReply, ctx: MembershipContext, id: number, errors: readonly string[], status = 200) => {
    const { line, settings } = await loadMembershipForEdit(ctx, id);
    return sendPage(platform, request, reply, {
      status,
      title: (t) => `${t('label_member')} ${line.membership.principal.name}`,
      project: settings.project,
      menuItem: 'settings',
      body: (view) => <EditMemberPage view={view} line={line} settings={settings} errors={errors} />,
    });
  };

  app.get('/memberships/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    return sendEdit(request, reply, ctx, membershipIdOf(request), []);
  });

  app.post('/memberships/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = membershipIdOf(request);
    try {
      await updateMembershipRoles(ctx, id, rolesInputOf(bodyOf(request)));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendEdit(request, reply, ctx, id, error.errors, 422);
      }
      throw error;
    }
    const membership = await getMembership(ctx, id);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(membersUrl({ id: membership.project.id, identifier: (await findProject(ctx.db.orm, String(membership.project.id)))?.identifier ?? null }), 303);
  });

  app.post('/memberships/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = membershipIdOf(request);
    const membership = await getMembership(ctx, id);
    const project = await findProject(ctx.db.orm, String(membership.project.id));
    try {
      await deleteMembership(ctx, id);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      setFlash(reply, { kind: 'error', key: 'error_can_not_delete' });
    }
    return reply.redirect(project ? membersUrl(project) : '/projects', 303);
  });
}
