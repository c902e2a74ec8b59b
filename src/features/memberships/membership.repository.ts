/** All SQL on project memberships: members, their member_roles (own and inherited), and principals. */
import { and, asc, count, eq, inArray, ne, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Orm } from '#src/db/database.ts';
import { users } from '#src/db/schema/accounts.ts';
import { groupsUsers, issueCategories, memberRoles, members, projects } from '#src/db/schema/core-tracker.ts';
import { rolesManagedRoles } from '#src/db/schema/roles-managed-roles.ts';
import { roles } from '#src/db/schema/tracker-reference.ts';

/** The principal types a membership may be given to (Redmine's `User` and `Group`). */
export const MEMBER_PRINCIPAL_TYPES = ['User', 'Group'] as const;
export type PrincipalType = (typeof MEMBER_PRINCIPAL_TYPES)[number];

export interface PrincipalRow {
  readonly id: number;
  readonly type: PrincipalType;
  /** `firstname lastname` for users, the group name (lastname) for groups. */
  readonly name: string;
}

export interface MembershipRoleRow {
  readonly id: number;
  readonly name: string;
  readonly inherited: boolean;
}

/** A membership with what its representation shows. */
export interface MembershipRow {
  readonly id: number;
  readonly project: { readonly id: number; readonly name: string };
  readonly principal: PrincipalRow;
  /** One entry per member_roles row, in creation order. */
  readonly roles: readonly MembershipRoleRow[];
}

export interface MemberRow {
  readonly id: number;
  readonly projectId: number;
  readonly userId: number;
}

export interface MemberRoleRow {
  readonly id: number;
  readonly roleId: number;
  readonly inheritedFrom: number | null;
}

export interface RoleRow {
  readonly id: number;
  readonly builtin: number;
  readonly permissions: readonly string[];
  readonly allRolesManaged: boolean;
  /** The roles it may give when not all (roles_managed_roles), by id. */
  readonly managedRoleIds: readonly number[];
}

function principalOf(row: { id: number; type: string | null; firstname: string; lastname: string }): PrincipalRow {
  const type: PrincipalType = row.type === 'Group' ? 'Group' : 'User';
  return { id: row.id, type, name: type === 'Group' ? row.lastname : `${row.firstname} ${row.lastname}`.trim() };
}

const memberColumns = {
  id: members.id,
  projectId: projects.id,
  projectName: projects.name,
  principalId: users.id,
  type: users.type,
  firstname: users.firstname,
  lastname: users.lastname,
};

async function withRoles(orm: Orm, rows: { id: number; projectId: number; projectName: string; principalId: number; type: string | null; firstname: string; lastname: string }[]): Promise<MembershipRow[]> {
  if (rows.length === 0) {
    return [];
  }
  const roleRows = await orm
    .select({ memberId: memberRoles.memberId, id: roles.id, name: roles.name, inheritedFrom: memberRoles.inheritedFrom })
    .from(memberRoles)
    .innerJoin(roles, eq(roles.id, memberRoles.roleId))
    .where(inArray(memberRoles.memberId, rows.map((r) => r.id)))
    .orderBy(asc(memberRoles.id));
  return rows.map((row) => ({
    id: row.id,
    project: { id: row.projectId, name: row.projectName },
    principal: principalOf({ id: row.principalId, type: row.type, firstname: row.firstname, lastname: row.lastname }),
    roles: roleRows.filter((r) => r.memberId === row.id).map((r) => ({ id: r.id, name: r.name, inherited: r.inheritedFrom !== null })),
  }));
}

/** One page of a project's memberships (users of any status, and groups), by id. */
export async function selectProjectMemberships(
  orm: Orm,
  projectId: number,
  page: { offset: number; limit: number },
): Promise<{ rows: MembershipRow[]; total: number }> {
  const where = and(eq(members.projectId, projectId), inArray(users.type, [...MEMBER_PRINCIPAL_TYPES]));
  const [rows, totals] = await Promise.all([
    orm
      .select(memberColumns)
      .from(members)
      .innerJoin(projects, eq(projects.id, members.projectId))
      .innerJoin(users, eq(users.id, members.userId))
      .where(where)
      .orderBy(asc(members.id))
      .limit(page.limit)
      .offset(page.offset),
    orm.select({ n: count() }).from(members).innerJoin(users, eq(users.id, members.userId)).where(where),
  ]);
  return { rows: await withRoles(orm, rows), total: totals[0]?.n ?? 0 };
}

export async function findMembership(orm: Orm, id: number): Promise<MembershipRow | undefined> {
  const rows = await orm
    .select(memberColumns)
    .from(members)
    .innerJoin(projects, eq(projects.id, members.projectId))
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.id, id), inArray(users.type, [...MEMBER_PRINCIPAL_TYPES])))
    .limit(1);
  return (await withRoles(orm, rows))[0];
}

export async function findMember(orm: Orm, id: number): Promise<MemberRow | undefined> {
  const [row] = await orm
    .select({ id: members.id, projectId: members.projectId, userId: members.userId })
    .from(members)
    .where(eq(members.id, id))
    .limit(1);
  return row;
}

export async function findMemberId(orm: Orm, projectId: number, principalId: number): Promise<number | undefined> {
  const [row] = await orm
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.projectId, projectId), eq(members.userId, principalId)))
    .limit(1);
  return row?.id;
}

/** A user or group that can be given a membership. */
export async function findPrincipal(orm: Orm, id: number): Promise<PrincipalRow | undefined> {
  const [row] = await orm
    .select({ id: users.id, type: users.type, firstname: users.firstname, lastname: users.lastname })
    .from(users)
    .where(and(eq(users.id, id), inArray(users.type, [...MEMBER_PRINCIPAL_TYPES])))
    .limit(1);
  return row ? principalOf(row) : undefined;
}

/** The users (any status) of a group. */
export async function selectGroupUserIds(orm: Orm, groupId: number): Promise<number[]> {
  const rows = await orm
    .select({ id: users.id })
    .from(groupsUsers)
    .innerJoin(users, eq(users.id, groupsUsers.userId))
    .where(and(eq(groupsUsers.groupId, groupId), eq(users.type, 'User')))
    .orderBy(asc(users.id));
  return rows.map((r) => r.id);
}

/** Direct subprojects that inherit their parent's members. */
export async function selectInheritingChildIds(orm: Orm, projectId: number): Promise<number[]> {
  const rows = await orm
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.parentId, projectId), eq(projects.inheritMembers, true)))
    .orderBy(asc(projects.id));
  return rows.map((r) => r.id);
}

/** What decides whether a project inherits members, and from where; undefined for no such project. */
export async function findProjectInheritance(orm: Orm, projectId: number): Promise<{ parentId: number | null; inheritMembers: boolean } | undefined> {
  const [row] = await orm
    .select({ parentId: projects.parentId, inheritMembers: projects.inheritMembers })
    .from(projects)
    .where(eq(projects.id, projectId))
    .limit(1);
  return row;
}

/**
 * Every member_roles row of the project's memberships, whatever the principal (users of any status,
 * groups, builtin groups), by membership then row: what a subproject inherits (Redmine's
 * parent.memberships with their member_roles).
 */
export async function selectProjectMemberRoles(orm: Orm, projectId: number): Promise<{ id: number; principalId: number; roleId: number }[]> {
  return orm
    .select({ id: memberRoles.id, principalId: members.userId, roleId: memberRoles.roleId })
    .from(memberRoles)
    .innerJoin(members, eq(members.id, memberRoles.memberId))
    .where(eq(members.projectId, projectId))
    .orderBy(asc(members.id), asc(memberRoles.id));
}

/**
 * The project's member_roles rows inherited from another project's membership, i.e. from the parent
 * (Redmine's remove_inherited_member_roles: inherited_from outside the project's own rows). Rows a
 * user inherited from a group's membership in the same project are not among them.
 */
export async function selectRolesInheritedFromOtherProjects(orm: Orm, projectId: number): Promise<{ id: number; memberId: number }[]> {
  const sourceRoles = alias(memberRoles, 'source_roles');
  const sourceMembers = alias(members, 'source_members');
  return orm
    .select({ id: memberRoles.id, memberId: memberRoles.memberId })
    .from(memberRoles)
    .innerJoin(members, eq(members.id, memberRoles.memberId))
    .innerJoin(sourceRoles, eq(sourceRoles.id, memberRoles.inheritedFrom))
    .innerJoin(sourceMembers, eq(sourceMembers.id, sourceRoles.memberId))
    .where(and(eq(members.projectId, projectId), ne(sourceMembers.projectId, projectId)))
    .orderBy(asc(memberRoles.id));
}

/** Every role with what deciding "which roles may this user give" needs; a tenant has a handful. */
export async function selectRoles(orm: Orm): Promise<RoleRow[]> {
  // One after the other: this runs inside transactions, on one connection.
  const rows = await orm
    .select({ id: roles.id, builtin: roles.builtin, permissions: roles.permissions, allRolesManaged: roles.allRolesManaged })
    .from(roles)
    .orderBy(asc(roles.position), asc(roles.id));
  const managed = await orm
    .select({ roleId: rolesManagedRoles.roleId, managedRoleId: rolesManagedRoles.managedRoleId })
    .from(rolesManagedRoles)
    .orderBy(asc(rolesManagedRoles.managedRoleId));
  return rows.map((row) => ({ ...row, managedRoleIds: managed.filter((m) => m.roleId === row.id).map((m) => m.managedRoleId) }));
}

export async function selectMemberRoles(orm: Orm, memberId: number): Promise<MemberRoleRow[]> {
  return orm
    .select({ id: memberRoles.id, roleId: memberRoles.roleId, inheritedFrom: memberRoles.inheritedFrom })
    .from(memberRoles)
    .where(eq(memberRoles.memberId, memberId))
    .orderBy(asc(memberRoles.id));
}

/** The principal's memberships, by id. */
export async function selectMembersOf(orm: Orm, principalId: number): Promise<MemberRow[]> {
  return orm
    .select({ id: members.id, projectId: members.projectId, userId: members.userId })
    .from(members)
    .where(eq(members.userId, principalId))
    .orderBy(asc(members.id));
}

/** Every member_roles row of the principal's memberships (own and inherited), by membership then row. */
export async function selectMemberRolesOf(orm: Orm, principalId: number): Promise<{ id: number; projectId: number; roleId: number }[]> {
  return orm
    .select({ id: memberRoles.id, projectId: members.projectId, roleId: memberRoles.roleId })
    .from(memberRoles)
    .innerJoin(members, eq(members.id, memberRoles.memberId))
    .where(eq(members.userId, principalId))
    .orderBy(asc(members.id), asc(memberRoles.id));
}

/** The user's member_roles rows inherited directly from a row of the source principal's memberships. */
export async function selectRolesInheritedFromPrincipal(orm: Orm, userId: number, sourceId: number): Promise<{ id: number; memberId: number }[]> {
  const sourceRows = orm
    .select({ id: memberRoles.id })
    .from(memberRoles)
    .innerJoin(members, eq(members.id, memberRoles.memberId))
    .where(eq(members.userId, sourceId));
  return orm
    .select({ id: memberRoles.id, memberId: memberRoles.memberId })
    .from(memberRoles)
    .innerJoin(members, eq(members.id, memberRoles.memberId))
    .where(and(eq(members.userId, userId), inArray(memberRoles.inheritedFrom, sourceRows)))
    .orderBy(asc(memberRoles.id));
}

/** member_roles rows inherited from any of these rows, one level down. */
export async function selectRolesInheritedFrom(orm: Orm, memberRoleIds: number[]): Promise<{ id: number; memberId: number }[]> {
  if (memberRoleIds.length === 0) {
    return [];
  }
  return orm
    .select({ id: memberRoles.id, memberId: memberRoles.memberId })
    .from(memberRoles)
    .where(inArray(memberRoles.inheritedFrom, memberRoleIds));
}

export async function insertMember(orm: Orm, projectId: number, principalId: number, now: Date): Promise<number> {
  const [row] = await orm.insert(members).values({ projectId, userId: principalId, createdOn: now }).returning({ id: members.id });
  if (!row) {
    throw new Error('insert returned no member');
  }
  return row.id;
}

export async function insertMemberRole(orm: Orm, memberId: number, roleId: number, inheritedFrom: number | null): Promise<number> {
  const [row] = await orm.insert(memberRoles).values({ memberId, roleId, inheritedFrom }).returning({ id: memberRoles.id });
  if (!row) {
    throw new Error('insert returned no member role');
  }
  return row.id;
}

/** Deletes member_roles rows; the rows inherited from them go too (ON DELETE CASCADE on inherited_from). */
export async function deleteMemberRoles(orm: Orm, ids: number[]): Promise<void> {
  if (ids.length > 0) {
    await orm.delete(memberRoles).where(inArray(memberRoles.id, ids));
  }
}

/** Deletes those of the members that have no role left; returns the deleted ones. */
export async function deleteMembersWithoutRoles(orm: Orm, memberIds: number[]): Promise<MemberRow[]> {
  if (memberIds.length === 0) {
    return [];
  }
  return orm
    .delete(members)
    .where(and(inArray(members.id, memberIds), notExists(orm.select({ id: memberRoles.id }).from(memberRoles).where(eq(memberRoles.memberId, members.id)))))
    .returning({ id: members.id, projectId: members.projectId, userId: members.userId });
}

/** A principal leaving a project is no longer its default assignee nor a category's assignee. */
export async function clearAssignmentsOf(orm: Orm, projectId: number, principalId: number): Promise<void> {
  await orm
    .update(issueCategories)
    .set({ assignedToId: null })
    .where(and(eq(issueCategories.projectId, projectId), eq(issueCategories.assignedToId, principalId)));
  await orm
    .update(projects)
    .set({ defaultAssignedToId: null })
    .where(and(eq(projects.id, projectId), eq(projects.defaultAssignedToId, principalId)));
}
