/**
 * HTML routes of projects: the projects page (board and list), a project's overview, close / reopen /
 * archive / unarchive, and deletion with its confirmation. Forms and settings are in
 * project-settings.pages.tsx.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Params } from '#src/api/params.ts';
import { paramString } from '#src/api/params.ts';
import { allowedTo, PROJECT_STATUS } from '#src/domain/authorization.ts';
import { ForbiddenError, UnauthenticatedError } from '#src/errors.ts';
import { renderTexts } from '#src/features/formatting/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { loadProjectIndex, projectIndexQueryOf, shortDescription } from './project.directory.ts';
import { selectDescendantNames } from './project.overview.repository.ts';
import { loadProjectOverview } from './project.overview.ts';
import { allowedGlobally, canDeleteProject } from './project.policy.ts';
import type { ProjectRow } from './project.repository.ts';
import { changeProjectStatus, getProjectForAdmin, getVisibleProject, loadProjectAccess, scheduleProjectDeletion, type ProjectContext } from './project.service.ts';
import { ProjectDestroyPage } from './views/project-destroy.tsx';
import { ProjectList, ProjectListSidebar } from './views/project-list.tsx';
import { ProjectOverviewPage } from './views/project-overview.tsx';

async function contextOf(request: FastifyRequest): Promise<ProjectContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function paramsOf(request: FastifyRequest): Params {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
  return { ...(request.query as Params), ...body };
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const pathOf = (project: ProjectRow) => `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}`;

export async function projectsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/projects', async (request, reply) => {
    const ctx = await contextOf(request);
    const query = projectIndexQueryOf(request.query as Params);
    const index = await loadProjectIndex(ctx, query);
    const described = query.display === 'board' ? index.rows.filter((r) => r.description) : [];
    const html = await renderTexts(ctx, described.map((r) => shortDescription(r.description)));
    const descriptions = new Map(described.map((r, i) => [r.id, html[i] ?? '']));
    return sendPage(platform, request, reply, {
      title: (t) => t('label_project_plural'),
      current: 'projects',
      body: (view) => (
        <ProjectList
          view={view}
          query={query}
          rows={index.rows}
          total={index.total}
          myProjectIds={index.myProjectIds}
          descriptions={descriptions}
          customFields={index.customFields}
          customValues={index.customValues}
          canAddProject={allowedGlobally(ctx.actor, 'add_project')}
        />
      ),
      sidebar: (view) => <ProjectListSidebar view={view} query={query} />,
    });
  });

  app.get('/projects/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, idOf(request));
    const overview = await loadProjectOverview(ctx, project);
    const [description = ''] = await renderTexts({ ...ctx, projectId: project.id }, [project.description]);
    const can = (permission: string) => allowedTo(ctx.actor, permission, overview.access);
    const actions = {
      addSubproject: can('add_subprojects'),
      close: project.status === PROJECT_STATUS.active && can('close_project'),
      reopen: project.status === PROJECT_STATUS.closed && can('close_project'),
      archive: ctx.actor.isAdmin,
      delete: canDeleteProject(ctx.actor, project, overview.access),
      logTime: can('log_time'),
    };
    return sendPage(platform, request, reply, {
      title: (t) => `${t('label_overview')} - ${project.name}`,
      project,
      menuItem: 'overview',
      body: (view) => <ProjectOverviewPage view={view} project={project} overview={overview} description={description} actions={actions} />,
    });
  });

  for (const action of ['close', 'reopen', 'archive'] as const) {
    app.post(`/projects/:id/${action}`, async (request, reply) => {
      const ctx = await contextOf(request);
      const project = await getVisibleProject(ctx, idOf(request));
      await changeProjectStatus(ctx, project, action);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
      return reply.redirect(action === 'archive' ? '/projects' : pathOf(project), 303);
    });
  }

  app.post('/projects/:id/unarchive', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getProjectForAdmin(ctx, idOf(request));
    await changeProjectStatus(ctx, project, 'unarchive');
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    const back = paramString(paramsOf(request).back_url);
    return reply.redirect(back ? safeBackUrl(back) : pathOf(project), 303);
  });

  /** The project to delete, for those who may (the service asks the same policy again when deleting). */
  const destroyPage = async (request: FastifyRequest) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, idOf(request));
    if (!canDeleteProject(ctx.actor, project, await loadProjectAccess(ctx.db.orm, project))) {
      throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
    }
    return { ctx, project, subprojects: await selectDescendantNames(ctx.db, project) };
  };

  app.get('/projects/:id/destroy', async (request, reply) => {
    const { project, subprojects } = await destroyPage(request);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_confirmation'),
      project,
      menuItem: 'overview',
      body: (view) => <ProjectDestroyPage view={view} project={{ name: project.name, identifier: project.identifier ?? String(project.id) }} subprojects={subprojects} mismatch={false} />,
    });
  });

  app.post('/projects/:id/destroy', async (request, reply) => {
    const { ctx, project, subprojects } = await destroyPage(request);
    if (paramString(paramsOf(request).confirm) !== project.identifier) {
      return sendPage(platform, request, reply, {
        status: 422,
        title: (t) => t('label_confirmation'),
        project,
        menuItem: 'overview',
        flash: { kind: 'error', message: (t) => t('text_project_destroy_identifier_mismatch') },
        body: (view) => <ProjectDestroyPage view={view} project={{ name: project.name, identifier: project.identifier ?? String(project.id) }} subprojects={subprojects} mismatch />,
      });
    }
    await scheduleProjectDeletion(ctx, project);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/projects', 303);
  });
}
