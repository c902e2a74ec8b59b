/**
 * The role form: reading `role[...]` from a request (Redmine's safe attributes; a key left out keeps
 * its value), applying it to a role, and Redmine's validation messages. Pure.
 */
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import type { RoleSettings } from '#src/db/schema/tracker-reference.ts';
import { keepSetable, TRACKER_PERMISSIONS } from './role.permissions.ts';
import type { RoleRecord } from './role.repository.ts';

export const ISSUES_VISIBILITY = ['all', 'default', 'own'] as const;
export const TIME_ENTRIES_VISIBILITY = ['all', 'own'] as const;
export const USERS_VISIBILITY = ['all', 'members_of_visible_projects'] as const;

export interface RoleInput {
  readonly name?: string;
  readonly assignable?: boolean;
  readonly issuesVisibility?: string;
  readonly timeEntriesVisibility?: string;
  readonly usersVisibility?: string;
  readonly allRolesManaged?: boolean;
  readonly managedRoleIds?: readonly number[];
  readonly permissions?: readonly string[];
  /** permission → '1' (every tracker) or '0' (only the listed trackers). */
  readonly permissionsAllTrackers?: Readonly<Record<string, string>>;
  readonly permissionsTrackerIds?: Readonly<Record<string, readonly string[]>>;
  readonly defaultTimeEntryActivityId?: number | null;
  /** A new place in the list (Redmine's drag and drop). */
  readonly position?: number;
}

/** A role as a form shows it: the record (no id while new) and the roles it manages. */
export interface RoleDraft {
  readonly role: Omit<RoleRecord, 'id'> & { readonly id: number | undefined };
  readonly managedRoleIds: readonly number[];
}

const ID = /^\d{1,9}$/;

function ids(value: Params[string] | undefined): number[] {
  return paramList(value).filter((item) => ID.test(item)).map(Number);
}

function bool(value: Params[string] | undefined): boolean | undefined {
  const text = paramString(value);
  return text === undefined ? undefined : text === '1' || text === 'true';
}

/** `role[...]` of a form body; keys not sent stay undefined (unchanged). */
export function roleInputOf(params: Params): RoleInput {
  const role = paramObject(params.role) ?? {};
  const has = (key: string) => Object.hasOwn(role, key);
  const input: { -readonly [K in keyof RoleInput]: RoleInput[K] } = {};
  if (has('name')) {
    input.name = paramString(role.name) ?? '';
  }
  if (has('assignable')) {
    input.assignable = bool(role.assignable) ?? false;
  }
  if (has('issues_visibility')) {
    input.issuesVisibility = paramString(role.issues_visibility) ?? '';
  }
  if (has('time_entries_visibility')) {
    input.timeEntriesVisibility = paramString(role.time_entries_visibility) ?? '';
  }
  if (has('users_visibility')) {
    input.usersVisibility = paramString(role.users_visibility) ?? '';
  }
  if (has('all_roles_managed')) {
    input.allRolesManaged = bool(role.all_roles_managed) ?? false;
  }
  if (has('managed_role_ids')) {
    input.managedRoleIds = ids(role.managed_role_ids);
  }
  if (has('permissions')) {
    input.permissions = paramList(role.permissions).filter((p) => p.trim() !== '');
  }
  if (has('permissions_all_trackers')) {
    const all = paramObject(role.permissions_all_trackers) ?? {};
    input.permissionsAllTrackers = Object.fromEntries(Object.entries(all).map(([permission, value]) => [permission, paramString(value) === '1' ? '1' : '0']));
  }
  if (has('permissions_tracker_ids')) {
    const byPermission = paramObject(role.permissions_tracker_ids) ?? {};
    input.permissionsTrackerIds = Object.fromEntries(Object.entries(byPermission).map(([permission, value]) => [permission, ids(value).map(String)]));
  }
  if (has('default_time_entry_activity_id')) {
    const text = paramString(role.default_time_entry_activity_id) ?? '';
    input.defaultTimeEntryActivityId = ID.test(text) ? Number(text) : null;
  }
  if (has('position')) {
    const text = paramString(role.position) ?? '';
    if (/^\d{1,6}$/.test(text)) {
      input.position = Number(text);
    }
  }
  return input;
}

/** Only the tracker-scoped permissions are kept in the settings store. */
function settingsOf(current: RoleSettings, input: RoleInput): RoleSettings {
  const tracked = new Set<string>(TRACKER_PERMISSIONS);
  const pick = <V>(record: Readonly<Record<string, V>> | undefined) =>
    record && Object.fromEntries(Object.entries(record).filter(([permission]) => tracked.has(permission)));
  const all = pick(input.permissionsAllTrackers) ?? current.permissions_all_trackers;
  const byTracker = pick(input.permissionsTrackerIds) ?? current.permissions_tracker_ids;
  return {
    ...(all ? { permissions_all_trackers: all } : {}),
    ...(byTracker ? { permissions_tracker_ids: Object.fromEntries(Object.entries(byTracker).map(([p, list]) => [p, [...list]])) } : {}),
  };
}

/** The draft with the input applied (built-in roles keep their name, assignability and managed roles). */
export function applyRoleInput(draft: RoleDraft, input: RoleInput): RoleDraft {
  const role = draft.role;
  const givable = role.builtin === 0;
  return {
    role: {
      ...role,
      name: givable && input.name !== undefined ? input.name.trim() : role.name,
      assignable: givable && input.assignable !== undefined ? input.assignable : role.assignable,
      issues_visibility: input.issuesVisibility ?? role.issues_visibility,
      time_entries_visibility: input.timeEntriesVisibility ?? role.time_entries_visibility,
      users_visibility: input.usersVisibility ?? role.users_visibility,
      all_roles_managed: givable && input.allRolesManaged !== undefined ? input.allRolesManaged : role.all_roles_managed,
      permissions: input.permissions ? keepSetable(role.builtin, input.permissions) : role.permissions,
      settings: settingsOf(role.settings, input),
      default_time_entry_activity_id: input.defaultTimeEntryActivityId !== undefined ? input.defaultTimeEntryActivityId : role.default_time_entry_activity_id,
    },
    managedRoleIds: givable && input.managedRoleIds ? input.managedRoleIds : draft.managedRoleIds,
  };
}

/** A new role: Redmine prefills the Non member role's permissions. */
export function newRoleDraft(nonMemberPermissions: readonly string[]): RoleDraft {
  return {
    role: {
      id: undefined,
      name: '',
      position: null,
      assignable: true,
      builtin: 0,
      permissions: keepSetable(0, nonMemberPermissions),
      issues_visibility: 'default',
      users_visibility: 'all',
      time_entries_visibility: 'all',
      all_roles_managed: true,
      settings: {},
      default_time_entry_activity_id: null,
    },
    managedRoleIds: [],
  };
}

/** Role#copy_from: everything but the name and the position. */
export function copiedRoleDraft(source: RoleRecord, managedRoleIds: readonly number[]): RoleDraft {
  return {
    role: { ...source, id: undefined, name: '', position: null, builtin: 0, permissions: keepSetable(0, source.permissions) },
    managedRoleIds,
  };
}

/** Redmine's validations of a role, as full messages. */
export function roleErrors(role: RoleDraft['role'], facts: { nameTaken: boolean }): string[] {
  const errors: string[] = [];
  if (role.name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (facts.nameTaken) {
    errors.push('Name has already been taken');
  }
  if ([...role.name].length > 255) {
    errors.push('Name is too long (maximum is 255 characters)');
  }
  if (!(ISSUES_VISIBILITY as readonly string[]).includes(role.issues_visibility)) {
    errors.push('Issues visibility is not included in the list');
  }
  if (!(USERS_VISIBILITY as readonly string[]).includes(role.users_visibility)) {
    errors.push('Users visibility is not included in the list');
  }
  if (!(TIME_ENTRIES_VISIBILITY as readonly string[]).includes(role.time_entries_visibility)) {
    errors.push('Time logs visibility is not included in the list');
  }
  return errors;
}
