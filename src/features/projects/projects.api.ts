/** REST routes of projects (§6.2): list, show, create, update, delete, archive/unarchive/close/reopen. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageOf } from '#src/api/pagination.ts';
import { includesOf, paramBool, paramInt, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { PROJECT_STATUS } from '#src/domain/authorization.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { projectInputOf } from './project.input.ts';
import { presentationsOf, listVisibleProjects } from './project.list.ts';
import { presentProject } from './project.presenter.ts';
import {
  changeProjectStatus,
  createProject,
  getProjectForAdmin,
  getVisibleProject,
  scheduleProjectDeletion,
  updateProject,
  type InheritedMembersSync,
  type ProjectContext,
} from './project.service.ts';
import type { ProjectListFilters, ProjectRow } from './project.repository.ts';

async function contextOf(request: FastifyRequest): Promise<ProjectContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/** Short filters of `GET /projects.json`. */
function filtersOf(params: Params, currentUserProjects: () => number[]): ProjectListFilters {
  const status = paramString(params.status) ?? '1';
  const statuses = status === '*' ? [PROJECT_STATUS.active, PROJECT_STATUS.closed] : status.split('|').map(Number);
  const id = paramString(params.id);
  return {
    statuses: statuses.filter((s) => s === PROJECT_STATUS.active || s === PROJECT_STATUS.closed),
    isPublic: params.is_public === undefined ? undefined : paramBool(params.is_public),
    parentId: paramInt(params.parent_id),
    ids: id === undefined ? undefined : id === 'mine' ? currentUserProjects() : id.split(/[|,]/).map(Number).filter(Number.isInteger),
    nameContains: paramString(params.name)?.replace(/^~/, ''),
  };
}

export interface ProjectsApiOptions {
  /** Memberships' re-computation of inherited members, run when a project's parent or inherit_members changes. */
  syncInheritedMembers: InheritedMembersSync;
}

export async function projectsApi(app: FastifyInstance, options: ProjectsApiOptions): Promise<void> {
  const { syncInheritedMembers } = options;
  apiGet(app, '/projects', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
    const filters = filtersOf(params, () => [...ctx.actor.memberRoles.keys()]);
    const { rows, total } = await listVisibleProjects(ctx, filters, page, params);
    const extras = await presentationsOf(ctx, rows, includesOf(params));
    const items = rows.map((row) => presentProject(row, extras.get(row.id) ?? {}));
    return sendApi(request, reply, collection('projects', 'project', items, page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit }));
  });

  apiGet(app, '/projects/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, paramString(params.id) ?? '');
    return sendApi(request, reply, resource('project', await presented(ctx, project, includesOf(params), true)));
  });

  apiRoute(app, ['POST'], '/projects', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await createProject(ctx, projectInputOf(apiParams(request)), syncInheritedMembers);
    reply.header('location', `${baseUrl(request)}/projects/${project.id}`);
    return sendApi(request, reply, resource('project', await presented(ctx, project, new Set())), 201);
  });

  apiRoute(app, ['PUT', 'PATCH'], '/projects/:id', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, paramString(params.id) ?? '');
    await updateProject(ctx, project, projectInputOf(params), syncInheritedMembers);
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/projects/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, paramString(apiParams(request).id) ?? '');
    await scheduleProjectDeletion(ctx, project);
    return sendNoContent(reply);
  });

  for (const action of ['archive', 'unarchive', 'close', 'reopen'] as const) {
    apiRoute(app, ['PUT', 'POST'], `/projects/:id/${action}`, async (request, reply) => {
      const ctx = await contextOf(request);
      const id = paramString(apiParams(request).id) ?? '';
      const project = action === 'unarchive' ? await getProjectForAdmin(ctx, id) : await getVisibleProject(ctx, id);
      await changeProjectStatus(ctx, project, action);
      return sendNoContent(reply);
    });
  }
}

async function presented(ctx: ProjectContext, project: ProjectRow, include: Set<string>, show = false) {
  const extras = await presentationsOf(ctx, [project], include, { show });
  return presentProject(project, extras.get(project.id) ?? {});
}
