/**
 * Which permissions a role can be given and how the forms group them, from the one permission table
 * (src/domain/permissions.ts): public permissions are never given (every role has them), the Non
 * member role cannot get members-only ones, Anonymous not those that need a signed-in user.
 */
import { PERMISSIONS, PROJECT_MODULES, type Permission, type ProjectModule } from '#src/domain/permissions.ts';
import { ROLE_BUILTIN_ANONYMOUS, ROLE_BUILTIN_NON_MEMBER } from '#src/db/schema/tracker-reference.ts';

const ALL = Object.keys(PERMISSIONS) as Permission[];

/** Redmine's Role#setable_permissions for a role with this `builtin` value. */
export function setablePermissions(builtin: number): Permission[] {
  return ALL.filter((permission) => {
    const definition = PERMISSIONS[permission] as { public?: true; require?: 'loggedin' | 'member' };
    if (definition.public) {
      return false;
    }
    if (builtin === ROLE_BUILTIN_NON_MEMBER && definition.require === 'member') {
      return false;
    }
    return !(builtin === ROLE_BUILTIN_ANONYMOUS && definition.require !== undefined);
  });
}

/** Every permission that is not public: the rows of the permissions report. */
export function givablePermissions(): Permission[] {
  return setablePermissions(0);
}

export interface PermissionGroup {
  /** null: the project's own permissions (no module). */
  readonly module: ProjectModule | null;
  readonly permissions: readonly Permission[];
}

/** Permissions by project module: the project's own first, then the modules by name (as Redmine sorts them). */
export function permissionsByModule(permissions: readonly Permission[]): PermissionGroup[] {
  const modules = [null, ...[...PROJECT_MODULES].sort()] as const;
  return modules
    .map((module) => ({ module, permissions: permissions.filter((p) => PERMISSIONS[p].module === module) }))
    .filter((group) => group.permissions.length > 0);
}

/** Permissions a role may limit to some trackers (Redmine's role form, "Issue tracking" table). */
export const TRACKER_PERMISSIONS = ['view_issues', 'add_issues', 'edit_issues', 'add_issue_notes', 'delete_issues'] as const satisfies readonly Permission[];
export type TrackerPermission = (typeof TRACKER_PERMISSIONS)[number];

/** The given names that are permissions the role can hold, each once, in the table's order. */
export function keepSetable(builtin: number, names: readonly string[]): Permission[] {
  const given = new Set(names);
  return setablePermissions(builtin).filter((permission) => given.has(permission));
}
