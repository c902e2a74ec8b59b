/** REST routes of issue categories (§6.16): list, create, show, update, delete with reassignment. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramInt, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { NotFoundError } from '#src/errors.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { categoryInputOf, deletionOf } from './issue-category.input.ts';
import { presentCategory } from './issue-category.presenter.ts';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listProjectCategories,
  updateCategory,
  type CategoryContext,
} from './issue-category.service.ts';

async function contextOf(request: FastifyRequest): Promise<CategoryContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function categoryIdOf(params: Params): number {
  const id = paramInt(params.id);
  if (id === undefined || id < 1) {
    throw new NotFoundError(`no issue category ${paramString(params.id) ?? ''}`);
  }
  return id;
}

export async function issueCategoriesApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/projects/:project_id/issue_categories', async (request, reply) => {
    const params = apiParams(request);
    const categories = await listProjectCategories(await contextOf(request), paramString(params.project_id) ?? '');
    // Not paged: every category, with total_count only (§4).
    return sendApi(request, reply, collection('issue_categories', 'issue_category', categories.map(presentCategory), { totalCount: categories.length }));
  });

  apiRoute(app, ['POST'], '/projects/:project_id/issue_categories', async (request, reply) => {
    const params = apiParams(request);
    const created = await createCategory(await contextOf(request), paramString(params.project_id) ?? '', categoryInputOf(params));
    // A path, not a URL: Redmine answers with issue_category_path here.
    reply.header('location', `/issue_categories/${created.id}`);
    return sendApi(request, reply, resource('issue_category', presentCategory(created)), 201);
  });

  apiGet(app, '/issue_categories/:id', async (request, reply) => {
    const category = await getCategory(await contextOf(request), categoryIdOf(apiParams(request)));
    return sendApi(request, reply, resource('issue_category', presentCategory(category)));
  });

  apiRoute(app, ['PUT', 'PATCH'], '/issue_categories/:id', async (request, reply) => {
    const params = apiParams(request);
    await updateCategory(await contextOf(request), categoryIdOf(params), categoryInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/issue_categories/:id', async (request, reply) => {
    const params = apiParams(request);
    await deleteCategory(await contextOf(request), categoryIdOf(params), deletionOf(params));
    return sendNoContent(reply);
  });
}
