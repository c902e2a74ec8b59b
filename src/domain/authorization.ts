/**
 * "May this user do X on this project?" — Redmine's User#allowed_to? as a pure function over data
 * loaded beforehand. Every read and write of project content asks here (through the feature
 * policies), for the API and the UI alike.
 */
import { isPermission, permissionDefinition, type Permission, type ProjectModule } from './permissions.ts';

/** Redmine's project status values. */
export const PROJECT_STATUS = { active: 1, closed: 5, archived: 9, scheduledForDeletion: 10 } as const;

export type IssuesVisibility = 'all' | 'default' | 'own';
export type TimeEntriesVisibility = 'all' | 'own';

export interface RoleGrant {
  readonly id: number;
  /** 0 for givable roles; 1 Non member; 2 Anonymous. */
  readonly builtin: number;
  readonly permissions: readonly string[];
  /** Which issues the role shows: all, non-private ones (and the user's own), or only the user's own. */
  readonly issuesVisibility?: IssuesVisibility;
  /** Permissions the role grants only for some trackers (Redmine's permissions_tracker_ids). */
  readonly trackerLimits?: ReadonlyMap<string, readonly number[]>;
  /** Which time entries the role shows: all of them, or only the user's own (absent: all). */
  readonly timeEntriesVisibility?: TimeEntriesVisibility;
}

export interface ProjectAccess {
  readonly id: number;
  readonly isPublic: boolean;
  readonly status: number;
  readonly enabledModules: ReadonlySet<string>;
}

/** Who is asking: the user (undefined for anonymous) and the roles they hold in each project. */
export interface Actor {
  readonly userId: number | undefined;
  readonly isAdmin: boolean;
  /** The groups the user belongs to (issues assigned to a group are the members' own). */
  readonly groupIds: ReadonlySet<number>;
  /** Member roles (own and through groups) per project id. */
  readonly memberRoles: ReadonlyMap<number, readonly RoleGrant[]>;
  /** Redmine's built-in Non member and Anonymous roles of this tenant. */
  readonly nonMemberRole: RoleGrant;
  readonly anonymousRole: RoleGrant;
}

export function isLoggedIn(actor: Actor): boolean {
  return actor.userId !== undefined;
}

/** Does the project allow the permission at all: active (or read-only closed), module enabled. */
export function projectAllows(project: ProjectAccess, permission: Permission): boolean {
  const definition = permissionDefinition(permission);
  if (project.status === PROJECT_STATUS.archived || project.status === PROJECT_STATUS.scheduledForDeletion) {
    return false;
  }
  if (project.status !== PROJECT_STATUS.active && !definition.read) {
    return false;
  }
  return definition.module === null || project.enabledModules.has(definition.module satisfies ProjectModule);
}

/** The roles the actor has in the project: member roles, else Non member / Anonymous on public projects. */
export function rolesInProject(actor: Actor, project: ProjectAccess): readonly RoleGrant[] {
  if (project.status === PROJECT_STATUS.archived || project.status === PROJECT_STATUS.scheduledForDeletion) {
    return [];
  }
  const member = actor.memberRoles.get(project.id);
  if (member && member.length > 0) {
    return member;
  }
  if (!project.isPublic) {
    return [];
  }
  return [isLoggedIn(actor) ? actor.nonMemberRole : actor.anonymousRole];
}

export function isMember(actor: Actor, project: ProjectAccess): boolean {
  return (actor.memberRoles.get(project.id)?.length ?? 0) > 0;
}

/** Does the role have the permission (public permissions always; `require` limits built-in roles). */
export function roleAllows(role: RoleGrant, permission: Permission): boolean {
  const definition = permissionDefinition(permission);
  if (definition.public) {
    return true;
  }
  if (definition.require === 'member' && role.builtin !== 0) {
    return false;
  }
  if (definition.require === 'loggedin' && role.builtin === 2) {
    return false;
  }
  return role.permissions.includes(permission);
}

/**
 * Redmine's `user.allowed_to?(permission, project) { |role| … }`: some role of the actor in the
 * project grants the permission and satisfies `roleCondition` (administrators pass without roles).
 */
export function allowedTo(
  actor: Actor,
  permission: string,
  project: ProjectAccess,
  roleCondition?: (role: RoleGrant) => boolean,
): boolean {
  if (!isPermission(permission) || !projectAllows(project, permission)) {
    return false;
  }
  if (actor.isAdmin) {
    return true;
  }
  return rolesInProject(actor, project).some((role) => roleAllows(role, permission) && (roleCondition?.(role) ?? true));
}

/** May the actor see the project at all (Redmine's Project#visible?). Archived ones: administrators only. */
export function canViewProject(actor: Actor, project: ProjectAccess): boolean {
  if (project.status === PROJECT_STATUS.archived || project.status === PROJECT_STATUS.scheduledForDeletion) {
    return actor.isAdmin;
  }
  return actor.isAdmin || rolesInProject(actor, project).length > 0;
}
