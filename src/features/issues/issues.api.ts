/** REST routes of issues (§6.1): list (all visible projects, or one project and its subprojects) and show. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, sql } from 'drizzle-orm';
import { pageOf } from '#src/api/pagination.ts';
import { paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, sendApi } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { getVisibleProject } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { visibleIssuesCondition } from './issue.policy.ts';
import { presentIssue } from './issue.presenter.ts';
import { issueFilters, issueOrder } from './issue.query.ts';
import { issueExists, selectIssue, selectIssuePage } from './issue.repository.ts';

async function projectScope(request: FastifyRequest, actor: Actor, idOrIdentifier: string) {
  const { db, settings } = tenantOf(request);
  const project = await getVisibleProject({ db, settings, actor, now: new Date() }, idOrIdentifier);
  // The project and its subprojects (Redmine's "display subprojects issues", on by default).
  return sql`p.lft >= ${project.lft ?? 0} AND p.rgt <= ${project.rgt ?? 0}`;
}

async function listIssues(request: FastifyRequest, params: Params, projectId: string | undefined) {
  const { db } = tenantOf(request);
  const actor = await actorOf(request);
  const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
  const filters = issueFilters(params, actor);
  if (filters.errors.length > 0) {
    throw new ValidationError(filters.errors);
  }
  const scope = projectId === undefined ? undefined : await projectScope(request, actor, projectId);
  const where = and(visibleIssuesCondition(actor), scope, ...filters.conditions) ?? sql`TRUE`;
  const { rows, total } = await selectIssuePage(db, where, issueOrder(params), page);
  return collection('issues', 'issue', rows.map(presentIssue), page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit });
}

export async function issuesApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/issues', async (request, reply) => {
    const params = apiParams(request);
    return sendApi(request, reply, await listIssues(request, params, paramString(params.project_id)));
  });

  apiGet(app, '/projects/:project_id/issues', async (request, reply) => {
    const params = apiParams(request);
    return sendApi(request, reply, await listIssues(request, params, paramString(params.project_id)));
  });

  apiGet(app, '/issues/:id', async (request, reply) => {
    const id = paramString(apiParams(request).id) ?? '';
    const issueId = /^\d{1,9}$/.test(id) ? Number(id) : undefined;
    const { db } = tenantOf(request);
    const actor = await actorOf(request);
    const row = issueId === undefined ? undefined : await selectIssue(db, visibleIssuesCondition(actor), issueId);
    if (!row) {
      if (issueId !== undefined && (await issueExists(db, issueId))) {
        // Redmine's rule for issues: one that exists but is not visible is 403 (401 when anonymous).
        throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('issue not visible');
      }
      throw new NotFoundError(`no issue ${id}`);
    }
    return sendApi(request, reply, resource('issue', presentIssue(row)));
  });
}
