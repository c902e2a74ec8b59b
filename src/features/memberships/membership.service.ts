/**
 * Project membership use cases: list, show, add users or groups, change roles, remove. Writes run in
 * one transaction and keep Redmine's inherited memberships in step: a group's roles are given to each
 * of its users, a member's roles to subprojects that inherit members (member_roles.inherited_from),
 * and a project that starts inheriting, stops, or moves gets its parent's (syncInheritedMembers).
 */
import type { Orm } from '#src/db/database.ts';
import { queryableOf } from '#src/db/sql.ts';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { recordAudit, type AuditedContext, type AuditSource } from '#src/features/audit/index.ts';
import { getVisibleProject, loadProjectAccess, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { canManageMembers, canViewMemberships, isDeletableMembership, managedRoleIds } from './membership.policy.ts';
import {
  clearAssignmentsOf,
  deleteMemberRoles,
  deleteMembersWithoutRoles,
  findMember,
  findMemberId,
  findMembership,
  findPrincipal,
  findProjectInheritance,
  insertMember,
  insertMemberRole,
  selectGroupUserIds,
  selectInheritingChildIds,
  selectMemberRoles,
  selectMemberRolesOf,
  selectMembersOf,
  selectProjectMemberRoles,
  selectProjectMemberships,
  selectRoles,
  selectRolesInheritedFrom,
  selectRolesInheritedFromOtherProjects,
  selectRolesInheritedFromPrincipal,
  type MemberRow,
  type MembershipRow,
  type PrincipalType,
} from './membership.repository.ts';

export type MembershipContext = ProjectContext;

/** The context of a change of memberships: it is recorded on the audit trail. */
export type MembershipChangeContext = MembershipContext & AuditedContext;

export interface NewMembershipsInput {
  /** `user_id` or `user_ids`: users or groups; undefined for a blank or unusable id. */
  principalIds: (number | undefined)[];
  roleIds: number[];
}

export interface MembershipRolesInput {
  /** The new roles; undefined when the request has no `membership` at all (nothing changes). */
  roleIds: number[] | undefined;
}

/** Refusal to delete a membership that comes (partly) from a group or parent project: Redmine's bare 422. */
class MembershipNotDeletableError extends ValidationError {
  constructor() {
    super([]);
  }
}

/**
 * Records a change of one membership's roles (`memberships.update`) in the transaction of the change:
 * the membership before (none when added) and after (none when removed), by role name.
 */
async function recordMembershipChange(tx: Orm, source: AuditSource, before: MembershipRow | undefined, after: MembershipRow | undefined): Promise<void> {
  const membership = after ?? before;
  const roleNames = (m: MembershipRow | undefined) => [...new Set((m?.roles ?? []).map((role) => role.name))];
  const [from, to] = [roleNames(before), roleNames(after)];
  if (!membership || (from.length === to.length && from.every((name) => to.includes(name)))) {
    return;
  }
  const { principal, project } = membership;
  await recordAudit(queryableOf(tx), {
    event: 'memberships.update',
    source,
    target: { type: principal.type, id: principal.id, name: principal.name },
    details: { project: project.name, roles: { from, to } },
  });
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

async function accessOf(orm: Orm, project: ProjectRow): Promise<ProjectAccess> {
  return loadProjectAccess(orm, project);
}

/** The membership and its project, which must be visible (404 otherwise, as for projects). */
async function visibleMember(ctx: MembershipContext, id: number): Promise<{ member: MemberRow; project: ProjectRow; access: ProjectAccess }> {
  const member = await findMember(ctx.db.orm, id);
  if (!member) {
    throw new NotFoundError(`no membership ${id}`);
  }
  const project = await getVisibleProject(ctx, String(member.projectId));
  return { member, project, access: await accessOf(ctx.db.orm, project) };
}

/** A project's memberships, a page at a time, ordered by id (locked users and groups included). */
export async function listProjectMemberships(
  ctx: MembershipContext,
  projectIdOrIdentifier: string,
  page: { offset: number; limit: number },
): Promise<{ rows: MembershipRow[]; total: number }> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!canViewMemberships(ctx.actor, await accessOf(ctx.db.orm, project))) {
    refuse(ctx.actor);
  }
  return selectProjectMemberships(ctx.db.orm, project.id, page);
}

/** One membership, for those who may see the project's members. */
export async function getMembership(ctx: MembershipContext, id: number): Promise<MembershipRow> {
  const { access } = await visibleMember(ctx, id);
  if (!canViewMemberships(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  const membership = await findMembership(ctx.db.orm, id);
  if (!membership) {
    throw new NotFoundError(`no membership ${id}`);
  }
  return membership;
}

/** Ids as given, without repeats, keeping only those the actor may give. */
function editableIds(ids: readonly number[], managed: ReadonlySet<number>): number[] {
  return [...new Set(ids)].filter((id) => managed.has(id));
}

interface Principal {
  readonly id: number;
  readonly type: PrincipalType;
}

/**
 * Gives `roleId` to the principal in the project through member_roles row `from`, then passes it on
 * to subprojects that inherit members, as Redmine's MemberRole callbacks do (an inherited row never
 * goes to a group's users: add_role_to_group_users skips it).
 */
async function inheritRole(tx: Orm, projectId: number, principalId: number, roleId: number, from: number, now: Date): Promise<void> {
  const memberId = (await findMemberId(tx, projectId, principalId)) ?? (await insertMember(tx, projectId, principalId, now));
  const id = await insertMemberRole(tx, memberId, roleId, from);
  await passToSubprojects(tx, projectId, principalId, roleId, id, now);
}

async function passToSubprojects(tx: Orm, projectId: number, principalId: number, roleId: number, memberRoleId: number, now: Date): Promise<void> {
  for (const childId of await selectInheritingChildIds(tx, projectId)) {
    await inheritRole(tx, childId, principalId, roleId, memberRoleId, now);
  }
}

/** An own (not inherited) role: a group's users inherit it, then subprojects that inherit members. */
async function passOnOwnRole(tx: Orm, projectId: number, principal: Principal, roleId: number, memberRoleId: number, now: Date): Promise<void> {
  if (principal.type === 'Group') {
    for (const userId of await selectGroupUserIds(tx, principal.id)) {
      await inheritRole(tx, projectId, userId, roleId, memberRoleId, now);
    }
  }
  await passToSubprojects(tx, projectId, principal.id, roleId, memberRoleId, now);
}

async function giveRole(tx: Orm, memberId: number, projectId: number, principal: Principal, roleId: number, now: Date): Promise<void> {
  const id = await insertMemberRole(tx, memberId, roleId, null);
  await passOnOwnRole(tx, projectId, principal, roleId, id, now);
}

/**
 * Removes member_roles rows with everything inherited from them, then the memberships left without
 * a role (Redmine's remove_inherited_roles and remove_member_if_empty). `emptied` are further
 * members to drop if no role is left (those of the removed rows themselves, where that is wanted).
 */
async function takeRoles(tx: Orm, memberRoleIds: number[], emptied: readonly number[] = []): Promise<void> {
  const affected = new Set<number>(emptied);
  let frontier = memberRoleIds;
  while (frontier.length > 0) {
    const inherited = await selectRolesInheritedFrom(tx, frontier);
    inherited.forEach((row) => affected.add(row.memberId));
    frontier = inherited.map((row) => row.id);
  }
  await deleteMemberRoles(tx, memberRoleIds);
  for (const gone of await deleteMembersWithoutRoles(tx, [...affected])) {
    await clearAssignmentsOf(tx, gone.projectId, gone.userId);
  }
}

/**
 * Users joined a group (Redmine's Group#user_added, for each): every user inherits each of the group's
 * member roles, in every project where the group is a member, and passes them on to subprojects
 * that inherit members. Like Redmine, this includes the roles the group itself inherited in such a
 * subproject, so the user gets those twice there (once through the parent). Runs inside the
 * caller's transaction.
 */
export async function giveGroupRolesToUsers(tx: Orm, groupId: number, userIds: readonly number[], now: Date): Promise<void> {
  if (userIds.length === 0) {
    return;
  }
  const rows = await selectMemberRolesOf(tx, groupId);
  for (const userId of userIds) {
    for (const row of rows) {
      await inheritRole(tx, row.projectId, userId, row.roleId, row.id, now);
    }
  }
}

/**
 * A user left a group (Redmine's Group#user_removed): the roles the user inherited from the group's
 * memberships go, with what was inherited from them, and memberships left without a role go too.
 * Runs inside the caller's transaction.
 */
export async function takeGroupRolesFromUser(tx: Orm, groupId: number, userId: number): Promise<void> {
  const rows = await selectRolesInheritedFromPrincipal(tx, userId, groupId);
  await takeRoles(tx, rows.map((row) => row.id), rows.map((row) => row.memberId));
}

/**
 * Re-computes what a project inherits from its parent, after its parent or its `inherit_members`
 * changed or it was created (Redmine's Project#update_inherited_members, then
 * remove_inherited_member_roles and add_inherited_member_roles): the roles inherited from another
 * project go, with what was inherited from them further down and the memberships left without a
 * role; then, when the project inherits members and has a parent, each of the parent's memberships
 * (users, groups, and the roles group users hold through their group) is given to it, marked
 * inherited, and passed on to its own subprojects that inherit members. Runs inside the caller's
 * transaction, after the project row is written.
 */
export async function syncInheritedMembers(tx: Orm, projectId: number, now: Date): Promise<void> {
  const inherited = await selectRolesInheritedFromOtherProjects(tx, projectId);
  await takeRoles(tx, inherited.map((row) => row.id), inherited.map((row) => row.memberId));
  const project = await findProjectInheritance(tx, projectId);
  if (!project?.inheritMembers || project.parentId === null) {
    return;
  }
  for (const row of await selectProjectMemberRoles(tx, project.parentId)) {
    await inheritRole(tx, projectId, row.principalId, row.roleId, row.id, now);
  }
}

/**
 * A group is being deleted (Redmine's Principal has_many :members, dependent: :destroy): its
 * memberships go with the roles its users and subprojects inherited from them. Runs inside the
 * caller's transaction, before the group's row is deleted.
 */
export async function removeMembershipsOf(tx: Orm, principalId: number): Promise<void> {
  for (const member of await selectMembersOf(tx, principalId)) {
    const rows = await selectMemberRoles(tx, member.id);
    await takeRoles(tx, rows.map((row) => row.id), [member.id]);
  }
}

/**
 * Adds one membership per principal (`user_ids`) with the roles the actor may give; a group's users
 * get inherited memberships. Each principal is validated on its own and the valid ones are kept, as
 * Redmine does; the answer is about the first: its membership, or its validation errors.
 */
export async function createMemberships(ctx: MembershipChangeContext, projectIdOrIdentifier: string, input: NewMembershipsInput): Promise<MembershipRow> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  const access = await accessOf(ctx.db.orm, project);
  if (!canManageMembers(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  const principalIds = input.principalIds.length > 0 ? input.principalIds : [undefined];
  const outcomes = await ctx.db.orm.transaction(async (tx) => {
    const roleIds = editableIds(input.roleIds, managedRoleIds(ctx.actor, access, await selectRoles(tx)));
    const results: ({ memberId: number } | { errors: string[] })[] = [];
    for (const principalId of principalIds) {
      const principal = principalId === undefined ? undefined : await findPrincipal(tx, principalId);
      const errors: string[] = [];
      if (!principal) {
        errors.push('User or Group cannot be blank');
      } else if ((await findMemberId(tx, project.id, principal.id)) !== undefined) {
        errors.push('User has already been taken');
      }
      if (roleIds.length === 0) {
        errors.push('Role cannot be empty');
      }
      if (!principal || errors.length > 0) {
        results.push({ errors });
        continue;
      }
      const memberId = await insertMember(tx, project.id, principal.id, ctx.now);
      for (const roleId of roleIds) {
        await giveRole(tx, memberId, project.id, principal, roleId, ctx.now);
      }
      await recordMembershipChange(tx, ctx.auditSource, undefined, await findMembership(tx, memberId));
      results.push({ memberId });
    }
    return results;
  });
  const first = outcomes[0];
  if (!first || 'errors' in first) {
    throw new ValidationError(first?.errors ?? []);
  }
  const created = await findMembership(ctx.db.orm, first.memberId);
  if (!created) {
    throw new Error('membership vanished after creation');
  }
  return created;
}

/**
 * Changes a membership's own roles (Redmine's set_editable_role_ids then role_ids=): roles the actor
 * does not manage and inherited roles stay; at least one role must remain.
 */
export async function updateMembershipRoles(ctx: MembershipChangeContext, id: number, input: MembershipRolesInput): Promise<void> {
  const { member, access } = await visibleMember(ctx, id);
  if (!canManageMembers(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  if (input.roleIds === undefined) {
    return;
  }
  const asked = input.roleIds;
  await ctx.db.orm.transaction(async (tx) => {
    const managed = managedRoleIds(ctx.actor, access, await selectRoles(tx));
    const rows = await selectMemberRoles(tx, member.id);
    const untouched = rows.map((row) => row.roleId).filter((roleId) => !managed.has(roleId));
    const kept = new Set([...untouched, ...editableIds(asked, managed), ...rows.filter((row) => row.inheritedFrom !== null).map((row) => row.roleId)]);
    const current = new Set(rows.map((row) => row.roleId));
    const added = [...kept].filter((roleId) => !current.has(roleId));
    const removed = rows.filter((row) => !kept.has(row.roleId));
    if (rows.length - removed.length + added.length === 0) {
      throw new ValidationError(['Role cannot be empty']);
    }
    const principal = await findPrincipal(tx, member.userId);
    if (!principal) {
      throw new NotFoundError(`no principal ${member.userId}`);
    }
    const before = await findMembership(tx, member.id);
    await takeRoles(tx, removed.map((row) => row.id));
    for (const roleId of added) {
      await giveRole(tx, member.id, member.projectId, principal, roleId, ctx.now);
    }
    await recordMembershipChange(tx, ctx.auditSource, before, await findMembership(tx, member.id));
  });
}

/**
 * Removes a membership and what was inherited from it (the group's users' roles, subprojects'). Not
 * allowed while the membership has an inherited role, or a role the actor does not manage.
 */
export async function deleteMembership(ctx: MembershipChangeContext, id: number): Promise<void> {
  const { member, access } = await visibleMember(ctx, id);
  if (!canManageMembers(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  await ctx.db.orm.transaction(async (tx) => {
    const rows = await selectMemberRoles(tx, member.id);
    if (!isDeletableMembership(rows, managedRoleIds(ctx.actor, access, await selectRoles(tx)))) {
      throw new MembershipNotDeletableError();
    }
    const before = await findMembership(tx, member.id);
    await takeRoles(tx, rows.map((row) => row.id));
    const gone = await deleteMembersWithoutRoles(tx, [member.id]);
    if (gone.length > 0) {
      await clearAssignmentsOf(tx, member.projectId, member.userId);
    }
    await recordMembershipChange(tx, ctx.auditSource, before, gone.length > 0 ? undefined : await findMembership(tx, member.id));
  });
}
