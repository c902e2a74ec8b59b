/**
 * The permission engine's answer as SQL: Redmine's Project.allowed_to_condition, "projects where the
 * actor holds a role granting this permission", over a projects table alias, for lists that must
 * agree with the per-record checks of src/domain/authorization.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isLoggedIn, PROJECT_STATUS, roleAllows, type Actor, type RoleGrant } from '#src/domain/authorization.ts';
import { permissionDefinition, type Permission } from '#src/domain/permissions.ts';
import { idList } from '#src/db/sql.ts';

export interface AllowedOptions {
  /** Also require the project's status and module to allow the permission (Redmine's pre-condition);
   *  off where the caller's rows already passed the same test (issues an actor sees). */
  readonly checkProjectState?: boolean;
  /**
   * Redmine's block: what a role further requires of the rows in the projects where it grants the
   * permission (e.g. issues visibility "own"). Without it, any granting role admits the project.
   */
  readonly perRole?: (role: RoleGrant) => SQL;
}

/**
 * Projects aliased `alias` where the actor holds the permission: their member roles there, or the
 * Non member / Anonymous role on public projects they are no member of. Administrators pass everywhere
 * (`perRole` does not apply to them, as in Redmine).
 */
export function allowedProjectsCondition(actor: Actor, permission: Permission, alias: string, options: AllowedOptions = {}): SQL {
  const p = sql.raw(alias);
  const definition = permissionDefinition(permission);
  const state: SQL[] = [];
  if (options.checkProjectState) {
    state.push(definition.read ? sql`${p}.status IN (${PROJECT_STATUS.active}, ${PROJECT_STATUS.closed})` : sql`${p}.status = ${PROJECT_STATUS.active}`);
    if (definition.module) {
      state.push(sql`EXISTS (SELECT 1 FROM enabled_modules em WHERE em.project_id = ${p}.id AND em.name = ${definition.module})`);
    }
  }
  if (!actor.isAdmin) {
    state.push(roleBranches(actor, permission, p, options.perRole));
  }
  return state.length === 0 ? sql`TRUE` : sql`(${sql.join(state, sql` AND `)})`;
}

function roleBranches(actor: Actor, permission: Permission, p: SQL, perRole: ((role: RoleGrant) => SQL) | undefined): SQL {
  const branches: SQL[] = [];
  const builtin = isLoggedIn(actor) ? actor.nonMemberRole : actor.anonymousRole;
  if (roleAllows(builtin, permission)) {
    const publicProjects = sql`${p}.is_public AND ${p}.id NOT IN ${idList([...actor.memberRoles.keys()])}`;
    branches.push(perRole ? sql`(${publicProjects} AND ${perRole(builtin)})` : sql`(${publicProjects})`);
  }
  if (perRole) {
    // One branch per granting role, over the projects where the actor holds it.
    const byRole = new Map<number, { role: RoleGrant; projects: number[] }>();
    for (const [projectId, roles] of actor.memberRoles) {
      for (const role of roles.filter((r) => roleAllows(r, permission))) {
        const entry = byRole.get(role.id) ?? { role, projects: [] };
        entry.projects.push(projectId);
        byRole.set(role.id, entry);
      }
    }
    for (const { role, projects } of byRole.values()) {
      branches.push(sql`(${p}.id IN ${idList(projects)} AND ${perRole(role)})`);
    }
  } else {
    const granted = [...actor.memberRoles].filter(([, roles]) => roles.some((role) => roleAllows(role, permission))).map(([id]) => id);
    if (granted.length > 0) {
      branches.push(sql`${p}.id IN ${idList(granted)}`);
    }
  }
  return branches.length === 0 ? sql`FALSE` : sql`(${sql.join(branches, sql` OR `)})`;
}
