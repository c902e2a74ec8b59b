/** The SQL of changing groups: the group row, its users (groups_users) and what deleting it clears. */
import { and, asc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { users } from '#src/db/schema/accounts.ts';
import { groupsUsers, issues, watchers } from '#src/db/schema/core-tracker.ts';

/** Is the name used by another group, whatever the case (built-in groups included, as Redmine's STI does)? */
export async function isGroupNameTaken(orm: Orm, name: string, exceptId: number | undefined): Promise<boolean> {
  const rows = await orm
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        sql`${users.type} LIKE 'Group%'`,
        sql`lower(${users.lastname}) = lower(${name})`,
        exceptId === undefined ? undefined : ne(users.id, exceptId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** A new active group (the name is the lastname); its id. */
export async function insertGroup(orm: Orm, values: { name: string; twofaRequired: boolean; now: Date }): Promise<number> {
  const [row] = await orm
    .insert(users)
    .values({
      login: '',
      hashedPassword: '',
      firstname: '',
      lastname: values.name,
      admin: false,
      status: 1,
      type: 'Group',
      mailNotification: '',
      mustChangePasswd: false,
      twofaRequired: values.twofaRequired,
      createdOn: values.now,
      updatedOn: values.now,
    })
    .returning({ id: users.id });
  if (!row) {
    throw new Error('insert returned no group');
  }
  return row.id;
}

export async function updateGroupRow(orm: Orm, id: number, changes: { name?: string; twofaRequired?: boolean; updatedOn: Date }): Promise<void> {
  const { name, ...rest } = changes;
  await orm
    .update(users)
    .set({ ...rest, ...(name !== undefined ? { lastname: name } : {}) })
    .where(and(eq(users.id, id), eq(users.type, 'Group')));
}

/** The names of these principals (a user's login, a group's name) by id, for the audit trail, which keeps names. */
export async function selectPrincipalNames(orm: Orm, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await orm
    .select({ id: users.id, name: sql<string>`CASE WHEN ${users.type} = 'User' THEN ${users.login} ELSE ${users.lastname} END` })
    .from(users)
    .where(inArray(users.id, [...ids]));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Does the group require two-factor authentication of its users? */
export async function isGroupTwofaRequired(orm: Orm, groupId: number): Promise<boolean> {
  const [row] = await orm.select({ required: users.twofaRequired }).from(users).where(eq(users.id, groupId));
  return row?.required === true;
}

/** Of these ids, the principals of the type (users of any status, or groups), by id. */
export async function selectPrincipalIdsAmong(orm: Orm, type: 'User' | 'Group', ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await orm
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...ids]), eq(users.type, type)))
    .orderBy(asc(users.id));
  return rows.map((r) => r.id);
}

/** The ids of the groups the user belongs to, by id. */
export async function selectGroupIdsOfUser(orm: Orm, userId: number): Promise<number[]> {
  const rows = await orm.select({ id: groupsUsers.groupId }).from(groupsUsers).where(eq(groupsUsers.userId, userId)).orderBy(asc(groupsUsers.groupId));
  return rows.map((r) => r.id);
}

/** The ids of the group's users, by id. */
export async function selectGroupUserIds(orm: Orm, groupId: number): Promise<number[]> {
  const rows = await orm.select({ id: groupsUsers.userId }).from(groupsUsers).where(eq(groupsUsers.groupId, groupId)).orderBy(asc(groupsUsers.userId));
  return rows.map((r) => r.id);
}

/** Of these ids, the users (type User, any status) not in the group yet, by id (Redmine's User.not_in_group). */
export async function selectUserIdsNotInGroup(orm: Orm, groupId: number, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await orm
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inArray(users.id, [...ids]),
        eq(users.type, 'User'),
        notInArray(users.id, orm.select({ id: groupsUsers.userId }).from(groupsUsers).where(eq(groupsUsers.groupId, groupId))),
      ),
    )
    .orderBy(asc(users.id));
  return rows.map((r) => r.id);
}

export async function insertGroupUser(orm: Orm, groupId: number, userId: number): Promise<void> {
  await orm.insert(groupsUsers).values({ groupId, userId });
}

export async function deleteGroupUser(orm: Orm, groupId: number, userId: number): Promise<void> {
  await orm.delete(groupsUsers).where(and(eq(groupsUsers.groupId, groupId), eq(groupsUsers.userId, userId)));
}

/** A user, or the Anonymous user, with this id (Redmine's User.find). */
export async function isUserOrAnonymous(orm: Orm, id: number): Promise<boolean> {
  const rows = await orm
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), inArray(users.type, ['User', 'AnonymousUser'])))
    .limit(1);
  return rows.length > 0;
}

/**
 * Redmine's Group#remove_references_before_destroy (issues assigned to the group are unassigned, its
 * watchers go); then the group row. Its users' links go by cascade; categories
 * and projects that had it as default assignee are cleared by their foreign keys.
 */
export async function deleteGroupWithReferences(orm: Orm, groupId: number): Promise<void> {
  await orm.update(issues).set({ assignedToId: null }).where(eq(issues.assignedToId, groupId));
  await orm.delete(watchers).where(eq(watchers.userId, groupId));
  await orm.delete(users).where(and(eq(users.id, groupId), eq(users.type, 'Group')));
}

/** The number of users of every group, by group id (groups without users are absent). */
export async function selectGroupUserCounts(orm: Orm): Promise<Map<number, number>> {
  const rows = await orm
    .select({ groupId: groupsUsers.groupId, n: sql<number>`count(*)::int` })
    .from(groupsUsers)
    .innerJoin(users, and(eq(users.id, groupsUsers.userId), eq(users.type, 'User')))
    .groupBy(groupsUsers.groupId);
  return new Map(rows.map((r) => [r.groupId, Number(r.n)]));
}

export interface GroupUserRow {
  readonly id: number;
  readonly login: string;
  readonly firstname: string;
  readonly lastname: string;
  readonly status: number;
}

const groupUserColumns = { id: users.id, login: users.login, firstname: users.firstname, lastname: users.lastname, status: users.status };

/** The users of a group with their name parts, by first and last name. */
export async function selectGroupUsers(orm: Orm, groupId: number): Promise<GroupUserRow[]> {
  return orm
    .select(groupUserColumns)
    .from(users)
    .innerJoin(groupsUsers, eq(groupsUsers.userId, users.id))
    .where(and(eq(groupsUsers.groupId, groupId), eq(users.type, 'User')))
    .orderBy(asc(users.firstname), asc(users.lastname), asc(users.id));
}

/** Active users not in the group whose login or name contains `q` (any when blank), at most `limit`. */
export async function selectUsersOutsideGroup(orm: Orm, groupId: number, q: string, limit: number): Promise<GroupUserRow[]> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return orm
    .select(groupUserColumns)
    .from(users)
    .where(
      and(
        eq(users.type, 'User'),
        eq(users.status, 1),
        notInArray(users.id, orm.select({ id: groupsUsers.userId }).from(groupsUsers).where(eq(groupsUsers.groupId, groupId))),
        q === ''
          ? undefined
          : sql`(lower(${users.login}) LIKE lower(${pattern}) OR lower(${users.firstname}) LIKE lower(${pattern}) OR lower(${users.lastname}) LIKE lower(${pattern}) OR lower(${users.firstname} || ' ' || ${users.lastname}) LIKE lower(${pattern}))`,
      ),
    )
    .orderBy(asc(users.firstname), asc(users.lastname), asc(users.id))
    .limit(limit);
}
