/**
 * May the signed-in user use a sudo-protected route at all (its `access` in sudo.routes.ts)? Answered
 * with the policies the routes themselves apply, so that someone the route will refuse is not asked
 * for a password first (a password prompt would tell them the route exists and let them guess the
 * password there). False means the route refuses: it must never be true where the route refuses less,
 * so every doubt (a project that cannot be seen, a membership that does not exist) is false, and the
 * route gives its own 403 or 404.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '#src/errors.ts';
import type { User } from '#src/features/account/index.ts';
import { canManageMembers } from '#src/features/memberships/membership.policy.ts';
import { getVisibleProject, loadProjectAccess } from '#src/features/projects/index.ts';
import { canDeleteProject } from '#src/features/projects/project.policy.ts';
import { actorOf } from '#src/http/actor.ts';
import { nowOf } from '#src/http/clock.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { SudoAccess } from './sudo.routes.ts';

/** The project a members route is about: `/projects/:id/…` names it, `/memberships/:id` through the membership. */
async function projectRefOf(request: FastifyRequest): Promise<string | undefined> {
  const params = request.params as { id?: string };
  const id = params.id ?? '';
  if (request.routeOptions.url?.startsWith('/projects/')) {
    return id;
  }
  if (!/^\d{1,9}$/.test(id)) {
    return undefined;
  }
  const [row] = await tenantOf(request).db.query<{ project_id: number }>('SELECT project_id FROM members WHERE id = $1', [Number(id)]);
  return row ? String(row.project_id) : undefined;
}

export async function mayUseSudoRoute(request: FastifyRequest, user: User, access: SudoAccess): Promise<boolean> {
  switch (access) {
    case 'self':
      return true;
    case 'admin':
      return user.admin;
    case 'manage_members':
    case 'delete_project': {
      const ref = await projectRefOf(request);
      if (ref === undefined) {
        return false;
      }
      const { db, settings } = tenantOf(request);
      const actor = await actorOf(request);
      try {
        const project = await getVisibleProject({ db, settings, actor, now: nowOf(request) }, ref);
        const projectAccess = await loadProjectAccess(db.orm, project);
        return access === 'manage_members' ? canManageMembers(actor, projectAccess) : canDeleteProject(actor, project, projectAccess);
      } catch (error) {
        // Not found, archived, not visible: the route says so itself.
        if (error instanceof NotFoundError || error instanceof ForbiddenError) {
          return false;
        }
        throw error;
      }
    }
  }
}
