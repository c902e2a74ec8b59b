/** Which projects an actor sees, and each project's facts the permission engine needs. */
import { eq, inArray, or, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import { projects } from '#src/db/schema/core-tracker.ts';
import type { ProjectRow } from './project.repository.ts';

/** SQL condition for the projects the actor may see (status is filtered by the caller). */
export function visibleProjectsCondition(actor: Actor): SQL | undefined {
  if (actor.isAdmin) {
    return undefined;
  }
  const memberOf = [...actor.memberRoles.keys()];
  return memberOf.length > 0 ? or(eq(projects.isPublic, true), inArray(projects.id, memberOf)) : eq(projects.isPublic, true);
}

export function projectAccess(row: ProjectRow, modules: readonly { name: string }[]): ProjectAccess {
  return { id: row.id, isPublic: row.isPublic, status: row.status, enabledModules: new Set(modules.map((m) => m.name)) };
}

/**
 * Redmine's `allowed_to?(permission, nil, global: true)`: granted by any role the user has anywhere,
 * or by the built-in role (Non member, or Anonymous for visitors).
 */
export function allowedGlobally(actor: Actor, permission: string): boolean {
  if (actor.isAdmin) {
    return true;
  }
  // A stand-in project where every module is on: the question is only whether some role grants it.
  const anywhere: ProjectAccess = { id: -1, isPublic: true, status: 1, enabledModules: new Set(PROJECT_MODULES) };
  const roles = [...actor.memberRoles.values()].flat();
  roles.push(isLoggedIn(actor) ? actor.nonMemberRole : actor.anonymousRole);
  return roles.some((role) => allowedTo({ ...actor, memberRoles: new Map([[-1, [role]]]) }, permission, anywhere));
}

/**
 * Redmine's Project#deletable? as the API and the page ask it: administrators, or `delete_project`
 * on a project without subprojects.
 */
export function canDeleteProject(actor: Actor, project: ProjectRow, access: ProjectAccess): boolean {
  const isLeaf = (project.rgt ?? 0) - (project.lft ?? 0) === 1;
  return actor.isAdmin || (isLeaf && allowedTo(actor, 'delete_project', access));
}
