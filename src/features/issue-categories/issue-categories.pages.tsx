/**
 * HTML routes of issue categories: new / create (`/projects/:id/issue_categories/new`,
 * `POST /projects/:id/issue_categories`), edit / update (`/issue_categories/:id/edit`,
 * `POST /issue_categories/:id`) and delete (`POST /issue_categories/:id/delete`), which first asks
 * what becomes of the issues in the category when there are some, as Redmine does.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { listAssignablePrincipals } from '#src/features/memberships/index.ts';
import { getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { formatUserName } from '#src/views/format.ts';
import { categoryInputOf, deletionOf } from './issue-category.input.ts';
import { createCategory, deleteCategory, getCategory, getCategoryDeletionQuestion, updateCategory, type CategoryContext } from './issue-category.service.ts';
import { CategoryDestroyPage, CategoryFormPage } from './views/categories-tab.tsx';

async function contextOf(request: FastifyRequest): Promise<CategoryContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function bodyOf(request: FastifyRequest): Params {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
}

function categoryIdOf(request: FastifyRequest): number {
  const id = paramInt((request.params as { id: string }).id);
  if (id === undefined || id < 1) {
    throw new NotFoundError('no such issue category');
  }
  return id;
}

const identifierOf = (project: ProjectRow) => project.identifier ?? String(project.id);
const settingsUrl = (project: ProjectRow) => `/projects/${encodeURIComponent(identifierOf(project))}/settings?tab=categories`;

export async function issueCategoriesPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  /** The project, for who may manage its categories (the services ask again when writing). */
  const managedProject = async (ctx: CategoryContext, idOrIdentifier: string) => {
    const project = await getVisibleProject(ctx, idOrIdentifier);
    if (!allowedTo(ctx.actor, 'manage_categories', await loadProjectAccess(ctx.db.orm, project))) {
      throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
    }
    return project;
  };

  const sendForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: CategoryContext,
    project: ProjectRow,
    form: { categoryId?: number; name: string; assignedToId: number | null; errors: readonly string[] },
    status = 200,
  ) => {
    const assignees = await listAssignablePrincipals(ctx.db, project.id, ctx.settings.issue_group_assignment === '1');
    return sendPage(platform, request, reply, {
      status,
      title: (t) => (form.categoryId === undefined ? t('label_issue_category_new') : t('label_issue_category')),
      project,
      menuItem: 'settings',
      body: (view) => (
        <CategoryFormPage
          view={view}
          projectIdentifier={identifierOf(project)}
          categoryId={form.categoryId}
          name={form.name}
          assignedToId={form.assignedToId}
          assignees={assignees.map((a) => ({ id: a.id, name: a.type === 'Group' ? a.lastname : formatUserName(a, ctx.settings.user_format) }))}
          errors={form.errors}
        />
      ),
    });
  };

  /** The name and assignee a refused form sent. */
  const sent = (body: Params) => {
    const hash = paramObject(body.issue_category) ?? {};
    return { name: paramString(hash.name) ?? '', assignedToId: paramInt(hash.assigned_to_id) ?? null };
  };

  app.get('/projects/:id/issue_categories/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await managedProject(ctx, (request.params as { id: string }).id);
    return sendForm(request, reply, ctx, project, { name: '', assignedToId: null, errors: [] });
  });

  app.post('/projects/:id/issue_categories', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    const body = bodyOf(request);
    try {
      await createCategory(ctx, String(project.id), categoryInputOf(body));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendForm(request, reply, ctx, project, { ...sent(body), errors: error.errors }, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect(settingsUrl(project), 303);
  });

  app.get('/issue_categories/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const category = await getCategory(ctx, categoryIdOf(request));
    const project = await managedProject(ctx, String(category.project_id));
    return sendForm(request, reply, ctx, project, { categoryId: category.id, name: category.name, assignedToId: category.assigned_to_id, errors: [] });
  });

  app.post('/issue_categories/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const category = await getCategory(ctx, categoryIdOf(request));
    const project = await getVisibleProject(ctx, String(category.project_id));
    const body = bodyOf(request);
    try {
      await updateCategory(ctx, category.id, categoryInputOf(body));
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendForm(request, reply, ctx, project, { categoryId: category.id, ...sent(body), errors: error.errors }, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(settingsUrl(project), 303);
  });

  app.post('/issue_categories/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const question = await getCategoryDeletionQuestion(ctx, categoryIdOf(request));
    const project = await getVisibleProject(ctx, String(question.category.project_id));
    const body = bodyOf(request);
    if (question.issueCount > 0 && !paramString(body.todo)) {
      return sendPage(platform, request, reply, {
        title: (t) => t('label_issue_category'),
        project,
        menuItem: 'settings',
        body: (view) => <CategoryDestroyPage view={view} category={question.category} issueCount={question.issueCount} others={question.others} />,
      });
    }
    await deleteCategory(ctx, question.category.id, deletionOf(body));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect(settingsUrl(project), 303);
  });
}
