/**
 * Role administration (administrators only): list, new (optionally copied from a role), create
 * (optionally copying another role's workflow), edit, update, reorder, delete (refused while members
 * hold the role or for the built-in roles), and the permissions report (every role × permission).
 * The permission engine (src/features/access) reads the same rows, so a saved role is what members
 * are allowed from their next request on.
 */
import { moveToPosition, nextPosition, closePositionGap } from '#src/db/positions.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import { ROLE_BUILTIN_NON_MEMBER } from '#src/db/schema/tracker-reference.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { recordAudit, type AuditedContext } from '#src/features/audit/index.ts';
import type { ProjectContext } from '#src/features/projects/index.ts';
import { copyWorkflowRules } from '#src/features/workflows/index.ts';
import { applyRoleInput, copiedRoleDraft, newRoleDraft, roleErrors, type RoleDraft, type RoleInput } from './role.input.ts';
import { roleChanges } from './role.audit.ts';
import { givablePermissions, keepSetable, permissionsByModule, type PermissionGroup } from './role.permissions.ts';
import {
  deleteRoleRow,
  insertRole,
  isRoleNameTaken,
  isSharedActivity,
  replaceManagedRoles,
  rolePositionScope,
  selectGivableRoleIds,
  selectManagedRoleIds,
  selectProjectsUsingRole,
  selectRole,
  selectRoles,
  selectSharedActivities,
  selectTrackerChoices,
  updateRolePermissions,
  updateRoleRow,
  type RoleListRow,
  type RoleRecord,
} from './role.repository.ts';
import type { Queryable } from '#src/db/database.ts';

export type RoleContext = ProjectContext;

/** The context of a change of roles: it is recorded on the audit trail. */
export type RoleChangeContext = RoleContext & AuditedContext;

interface Choice {
  readonly id: number;
  readonly name: string;
}

/** What the role form offers besides the role itself. */
export interface RoleFormChoices {
  /** Givable roles (managed roles, "copy workflow from"). */
  readonly givableRoles: Choice[];
  readonly trackers: Choice[];
  /** Shared active time-entry activities (the role's default activity). */
  readonly activities: Choice[];
}

/** Every role: givable ones by position, then Non member and Anonymous. */
export async function listRoles(ctx: RoleContext): Promise<RoleListRow[]> {
  assertAdministrator(ctx.actor);
  return selectRoles(ctx.db);
}

async function formChoices(db: Queryable): Promise<RoleFormChoices> {
  const [roles, trackers, activities] = await Promise.all([selectRoles(db), selectTrackerChoices(db), selectSharedActivities(db)]);
  return { givableRoles: roles.filter((r) => r.builtin === 0).map((r) => ({ id: r.id, name: r.name })), trackers, activities };
}

async function existingRole(db: Queryable, id: number): Promise<RoleRecord> {
  const role = await selectRole(db, id);
  if (!role) {
    throw new NotFoundError(`no role ${id}`);
  }
  return role;
}

/** The new-role form: the Non member role's permissions, or a copy of role `copyId` when it exists. */
export async function newRoleForm(ctx: RoleContext, copyId: number | undefined): Promise<{ draft: RoleDraft; choices: RoleFormChoices; copiedFrom: number | undefined }> {
  assertAdministrator(ctx.actor);
  const [roles, choices] = await Promise.all([selectRoles(ctx.db), formChoices(ctx.db)]);
  const source = copyId === undefined ? undefined : roles.find((r) => r.id === copyId);
  const nonMember = roles.find((r) => r.builtin === ROLE_BUILTIN_NON_MEMBER);
  const draft = source ? copiedRoleDraft(source, await selectManagedRoleIds(ctx.db, source.id)) : newRoleDraft(nonMember?.permissions ?? []);
  return { draft, choices, copiedFrom: source?.id };
}

/** The edit form of a role. */
export async function editRoleForm(ctx: RoleContext, id: number): Promise<{ draft: RoleDraft; choices: RoleFormChoices }> {
  assertAdministrator(ctx.actor);
  const role = await existingRole(ctx.db, id);
  const [managedRoleIds, choices] = await Promise.all([selectManagedRoleIds(ctx.db, id), formChoices(ctx.db)]);
  return { draft: { role, managedRoleIds }, choices };
}

/** The draft a refused form shows again: the input applied over the new or stored role. */
export async function roleDraftFor(ctx: RoleContext, id: number | undefined, input: RoleInput): Promise<{ draft: RoleDraft; choices: RoleFormChoices }> {
  const base = id === undefined ? await newRoleForm(ctx, undefined) : await editRoleForm(ctx, id);
  return { draft: applyRoleInput(base.draft, input), choices: base.choices };
}

/** Validates and cleans the draft inside the transaction: managed roles must be givable, the activity shared. */
async function checkedDraft(db: Queryable, draft: RoleDraft): Promise<RoleDraft> {
  const role = draft.role;
  const errors = roleErrors(role, { nameTaken: role.builtin === 0 && (await isRoleNameTaken(db, role.name, role.id)) });
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const activity = role.default_time_entry_activity_id;
  const keepActivity = activity !== null && role.builtin !== 2 && (await isSharedActivity(db, activity));
  return {
    role: { ...role, default_time_entry_activity_id: keepActivity ? activity : null },
    managedRoleIds: role.all_roles_managed ? [] : await selectGivableRoleIds(db, draft.managedRoleIds),
  };
}

/**
 * Creates a givable role from the form. `copyWorkflowFrom`: a role whose workflow (for every tracker)
 * the new role gets. Returns the new role's id; invalid input is refused with Redmine's messages.
 */
export async function createRole(ctx: RoleChangeContext, input: RoleInput, copyWorkflowFrom: number | undefined): Promise<number> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const draft = await checkedDraft(tx, applyRoleInput(newRoleDraft([]), input));
    const position = await nextPosition(tx, rolePositionScope(0));
    const id = await insertRole(tx, { ...draft.role, position });
    await replaceManagedRoles(tx, id, draft.managedRoleIds);
    if (input.position !== undefined) {
      await moveToPosition(tx, rolePositionScope(0), id, input.position);
    }
    const source = copyWorkflowFrom === undefined ? undefined : await selectRole(tx, copyWorkflowFrom);
    if (source) {
      await copyWorkflowRules(tx, { roleId: source.id }, { roleIds: [id] });
    }
    await recordAudit(tx, {
      event: 'role.create',
      source: ctx.auditSource,
      target: { type: 'Role', id, name: draft.role.name },
      details: { permissions: draft.role.permissions, ...(source ? { workflow_copied_from: source.name } : {}) },
    });
    return id;
  });
}

/** Updates a role with the attributes the input names (a position alone just moves it). */
export async function updateRole(ctx: RoleChangeContext, id: number, input: RoleInput): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const role = await existingRole(tx, id);
    const stored = { role, managedRoleIds: await selectManagedRoleIds(tx, id) };
    const draft = await checkedDraft(tx, applyRoleInput(stored, input));
    await updateRoleRow(tx, id, draft.role);
    const managedReplaced = role.builtin === 0 && (input.managedRoleIds !== undefined || input.allRolesManaged !== undefined);
    if (managedReplaced) {
      await replaceManagedRoles(tx, id, draft.managedRoleIds);
    }
    const changes = roleChanges(stored, { role: draft.role, managedRoleIds: managedReplaced ? draft.managedRoleIds : stored.managedRoleIds });
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, { event: 'role.update', source: ctx.auditSource, target: { type: 'Role', id, name: draft.role.name }, details: changes });
    }
    if (input.position !== undefined) {
      await moveToPosition(tx, rolePositionScope(role.builtin), id, input.position);
    }
  });
}

export type RoleDeletion = { readonly deleted: true } | { readonly deleted: false; readonly reason: 'builtin' | 'members'; readonly projects: readonly string[] };

/** Deletes a givable role nobody holds; otherwise nothing is written and the reason is returned. */
export async function deleteRole(ctx: RoleChangeContext, id: number): Promise<RoleDeletion> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const role = await existingRole(tx, id);
    if (role.builtin !== 0) {
      return { deleted: false, reason: 'builtin', projects: [] };
    }
    const projects = await selectProjectsUsingRole(tx, id);
    if (projects.length > 0) {
      return { deleted: false, reason: 'members', projects };
    }
    await deleteRoleRow(tx, id);
    await closePositionGap(tx, rolePositionScope(0));
    await recordAudit(tx, { event: 'role.delete', source: ctx.auditSource, target: { type: 'Role', id, name: role.name }, details: { permissions: role.permissions } });
    return { deleted: true };
  });
}

export interface PermissionsReport {
  /** All roles (for the filter) and the roles shown (all, or those asked for). */
  readonly allRoles: Array<Choice & { readonly builtin: number }>;
  readonly roles: RoleListRow[];
  readonly groups: PermissionGroup[];
}

/** The permissions report: every non-public permission × the roles (all, or the ids asked for). */
export async function permissionsReport(ctx: RoleContext, ids: readonly number[]): Promise<PermissionsReport> {
  assertAdministrator(ctx.actor);
  const roles = await selectRoles(ctx.db);
  const shown = ids.length > 0 ? roles.filter((r) => ids.includes(r.id)) : roles;
  return { allRoles: roles.map((r) => ({ id: r.id, name: r.name, builtin: r.builtin })), roles: shown, groups: permissionsByModule(givablePermissions()) };
}

/**
 * Saves the report: each role named in `permissions` gets exactly the listed permissions it can hold
 * (a role sent with an empty list loses them all; roles not sent are left as they are).
 */
export async function savePermissionsReport(ctx: RoleChangeContext, permissions: ReadonlyMap<number, readonly string[]>): Promise<void> {
  assertAdministrator(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    for (const [roleId, names] of permissions) {
      const role = await selectRole(tx, roleId);
      if (role) {
        const kept = keepSetable(role.builtin, names);
        await updateRolePermissions(tx, roleId, kept);
        const changes = roleChanges({ role, managedRoleIds: [] }, { role: { ...role, permissions: [...kept] }, managedRoleIds: [] });
        if (Object.keys(changes).length > 0) {
          await recordAudit(tx, { event: 'role.update', source: ctx.auditSource, target: { type: 'Role', id: roleId, name: role.name }, details: changes });
        }
      }
    }
  });
}
