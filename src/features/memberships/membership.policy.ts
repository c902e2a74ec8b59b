/** Who may see and change a project's memberships, and which roles they may give (Redmine's managed_roles). */
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { MemberRoleRow, RoleRow } from './membership.repository.ts';

/** List and show: `view_members` (public) or `manage_members`. */
export function canViewMemberships(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'view_members', project) || allowedTo(actor, 'manage_members', project);
}

export function canManageMembers(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'manage_members', project);
}

/**
 * The roles the actor may give or take away in the project (Redmine's User#managed_roles and
 * Member#managed_roles): every givable role (builtin 0) for administrators; for others, what the
 * roles they hold in the project with `manage_members` manage — every givable role if one of them
 * has `all_roles_managed`, else the union of their managed roles (roles_managed_roles). Without a
 * membership in the project, none.
 */
export function managedRoleIds(actor: Actor, project: ProjectAccess, roles: readonly RoleRow[]): Set<number> {
  const givable = roles.filter((role) => role.builtin === 0).map((role) => role.id);
  if (actor.isAdmin) {
    return new Set(givable);
  }
  const held = new Set((actor.memberRoles.get(project.id) ?? []).map((grant) => grant.id));
  const managing = roles.filter((role) => held.has(role.id) && role.builtin === 0 && role.permissions.includes('manage_members'));
  if (managing.some((role) => role.allRolesManaged)) {
    return new Set(givable);
  }
  return new Set(managing.flatMap((role) => role.managedRoleIds));
}

/**
 * Redmine's Member#deletable?: not while any role comes from a group or a parent project (the
 * membership goes with its source), and only when the actor manages every role it has.
 */
export function isDeletableMembership(memberRoles: readonly MemberRoleRow[], managed: ReadonlySet<number>): boolean {
  return memberRoles.every((row) => row.inheritedFrom === null && managed.has(row.roleId));
}
