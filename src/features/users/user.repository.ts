/** All SQL the users and groups API needs: user lists, one user with its preferences, groups, memberships. */
import { and, asc, count, desc, eq, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import type { User } from '#src/features/account/index.ts';
import { PROJECT_STATUS } from '#src/domain/authorization.ts';
import { emailAddresses, tokens, userPreferences, users } from '#src/db/schema/accounts.ts';
import { groupsUsers, memberRoles, members, projects } from '#src/db/schema/core-tracker.ts';
import { roles } from '#src/db/schema/tracker-reference.ts';

/** A user as the users API shows it, whatever its status: the account's user and two preferences. */
export interface UserRow extends User {
  readonly mailNotification: string;
  /** `user_preferences.hide_mail`; a user without preferences hides it (Redmine's default). */
  readonly hideMail: boolean;
}

const userColumns = {
  id: users.id,
  login: users.login,
  firstname: users.firstname,
  lastname: users.lastname,
  admin: users.admin,
  status: users.status,
  language: sql<string>`coalesce(${users.language}, '')`,
  mailNotification: users.mailNotification,
  mustChangePasswd: users.mustChangePasswd,
  lastLoginOn: users.lastLoginOn,
  createdOn: users.createdOn,
  updatedOn: users.updatedOn,
  passwdChangedOn: users.passwdChangedOn,
  twofaScheme: users.twofaScheme,
  // Qualified by hand: inside a subquery drizzle's unqualified "id" would mean the inner table's id.
  mail: sql<string | null>`(SELECT ea.address FROM email_addresses ea WHERE ea.user_id = "users"."id" AND ea.is_default LIMIT 1)`,
  hideMail: sql<boolean>`coalesce((SELECT up.hide_mail FROM user_preferences up WHERE up.user_id = "users"."id" LIMIT 1), true)`,
};

export interface UserListFilters {
  /** Statuses to list; undefined = any. */
  statuses?: number[] | undefined;
  /** Principal.like: login or an e-mail address contains it, or every word is in the first or last name. */
  nameContains?: string | undefined;
  /** Members of any of these groups. */
  groupIds?: number[] | undefined;
}

export type UserSortColumn =
  | 'id'
  | 'login'
  | 'firstname'
  | 'lastname'
  | 'mail'
  | 'admin'
  | 'created_on'
  | 'updated_on'
  | 'last_login_on'
  | 'passwd_changed_on'
  | 'status';

export interface UserSort {
  readonly column: UserSortColumn;
  readonly descending: boolean;
}

const SORT_COLUMNS: Record<UserSortColumn, SQL> = {
  id: sql`${users.id}`,
  login: sql`lower(${users.login})`,
  firstname: sql`${users.firstname}`,
  lastname: sql`${users.lastname}`,
  mail: userColumns.mail,
  admin: sql`${users.admin}`,
  created_on: sql`${users.createdOn}`,
  updated_on: sql`${users.updatedOn}`,
  last_login_on: sql`${users.lastLoginOn}`,
  passwd_changed_on: sql`${users.passwdChangedOn}`,
  status: sql`${users.status}`,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function nameCondition(text: string): SQL {
  const pattern = `%${escapeLike(text)}%`;
  const words = text.split(/\s+/).filter((w) => w !== '');
  const byWords = words.map((word) => {
    const p = `%${escapeLike(word)}%`;
    return sql`(lower(${users.firstname}) LIKE lower(${p}) OR lower(${users.lastname}) LIKE lower(${p}))`;
  });
  return or(
    sql`lower(${users.login}) LIKE lower(${pattern})`,
    sql`${users.id} IN (SELECT ea.user_id FROM email_addresses ea WHERE lower(ea.address) LIKE lower(${pattern}))`,
    byWords.length > 0 ? and(...byWords) : undefined,
  ) as SQL;
}

/** One page of users (type User, never groups or the anonymous user) and the count of all matches. */
export async function selectUsers(
  orm: Orm,
  filters: UserListFilters,
  sorts: readonly UserSort[],
  page: { offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const where = and(
    eq(users.type, 'User'),
    filters.statuses === undefined ? ne(users.status, 0) : inArray(users.status, filters.statuses.length > 0 ? filters.statuses : [-1]),
    filters.nameContains ? nameCondition(filters.nameContains) : undefined,
    filters.groupIds === undefined
      ? undefined
      : inArray(users.id, orm.select({ id: groupsUsers.userId }).from(groupsUsers).where(inArray(groupsUsers.groupId, filters.groupIds.length > 0 ? filters.groupIds : [-1]))),
  );
  const order = [...sorts.map((s) => (s.descending ? desc(SORT_COLUMNS[s.column]) : asc(SORT_COLUMNS[s.column]))), asc(users.id)];
  const [rows, totals] = await Promise.all([
    orm.select(userColumns).from(users).where(where).orderBy(...order).limit(page.limit).offset(page.offset),
    orm.select({ n: count() }).from(users).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** The user (type User) with this id, whatever its status. */
export async function findUserRow(orm: Orm, id: number): Promise<UserRow | undefined> {
  const [row] = await orm.select(userColumns).from(users).where(and(eq(users.id, id), eq(users.type, 'User'))).limit(1);
  return row;
}

export interface UserChanges {
  login?: string;
  firstname?: string;
  lastname?: string;
  admin?: boolean;
  status?: number;
  language?: string;
  mailNotification?: string;
  mustChangePasswd?: boolean;
  hashedPassword?: string;
  passwdChangedOn?: Date;
  /** Until when a password the administrator set works unused (null: no such limit). */
  tempPasswdExpiresOn?: Date | null;
  updatedOn: Date;
}

export async function updateUserRow(orm: Orm, id: number, changes: UserChanges): Promise<void> {
  const { hashedPassword, ...rest } = changes;
  await orm
    .update(users)
    .set(hashedPassword === undefined ? rest : { ...rest, hashedPassword, salt: null })
    .where(eq(users.id, id));
}

/** Sets the default address, making one if the user has none. */
export async function setDefaultMail(orm: Orm, userId: number, address: string, now: Date): Promise<void> {
  const updated = await orm
    .update(emailAddresses)
    .set({ address, updatedOn: now })
    .where(and(eq(emailAddresses.userId, userId), eq(emailAddresses.isDefault, true)))
    .returning({ id: emailAddresses.id });
  if (updated.length === 0) {
    await orm.insert(emailAddresses).values({ userId, address, isDefault: true, notify: true, createdOn: now, updatedOn: now });
  }
}

export interface PreferenceChanges {
  hideMail?: boolean | undefined;
  timeZone?: string | undefined;
  /** Keys kept in `others` (comments_sorting, no_self_notified, …). */
  others?: Record<string, unknown> | undefined;
}

/** Writes the user's preferences, making the row if the user has none. */
export async function upsertPreferences(orm: Orm, userId: number, changes: PreferenceChanges): Promise<void> {
  const [existing] = await orm.select({ id: userPreferences.id, others: userPreferences.others }).from(userPreferences).where(eq(userPreferences.userId, userId)).limit(1);
  const others = { ...(existing?.others ?? {}), ...(changes.others ?? {}) };
  const values = {
    others,
    ...(changes.hideMail !== undefined ? { hideMail: changes.hideMail } : {}),
    ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
  };
  if (existing) {
    await orm.update(userPreferences).set(values).where(eq(userPreferences.id, existing.id));
  } else {
    await orm.insert(userPreferences).values({ userId, ...values });
  }
}

/**
 * Ends the user's sessions, autologin tokens and password links (Redmine's User#destroy_tokens, plus
 * Kanri's `set_password` link of the account information); API keys stay.
 */
export async function deleteSessionTokensOf(orm: Orm, userId: number): Promise<void> {
  await orm.delete(tokens).where(and(eq(tokens.userId, userId), inArray(tokens.action, ['session', 'autologin', 'recovery', 'set_password'])));
}

export interface GroupRow {
  readonly id: number;
  readonly name: string;
}

const groupColumns = { id: users.id, name: users.lastname };

/** Regular groups (not the built-in ones), by name. */
export async function selectGroups(orm: Orm): Promise<GroupRow[]> {
  return orm.select(groupColumns).from(users).where(eq(users.type, 'Group')).orderBy(asc(sql`lower(${users.lastname})`), asc(users.id));
}

export async function findGroupRow(orm: Orm, id: number): Promise<GroupRow | undefined> {
  const [row] = await orm.select(groupColumns).from(users).where(and(eq(users.id, id), eq(users.type, 'Group'))).limit(1);
  return row;
}

/** The groups a user belongs to, by name. */
export async function selectGroupsOfUser(orm: Orm, userId: number): Promise<GroupRow[]> {
  return orm
    .select(groupColumns)
    .from(users)
    .innerJoin(groupsUsers, eq(groupsUsers.groupId, users.id))
    .where(and(eq(groupsUsers.userId, userId), eq(users.type, 'Group')))
    .orderBy(asc(sql`lower(${users.lastname})`), asc(users.id));
}

/** The users of a group as name references (firstname lastname), by name. */
export async function selectUsersOfGroup(orm: Orm, groupId: number): Promise<GroupRow[]> {
  return orm
    .select({ id: users.id, name: sql<string>`trim(${users.firstname} || ' ' || ${users.lastname})` })
    .from(users)
    .innerJoin(groupsUsers, eq(groupsUsers.userId, users.id))
    .where(and(eq(groupsUsers.groupId, groupId), eq(users.type, 'User')))
    .orderBy(asc(users.firstname), asc(users.lastname), asc(users.id));
}

export interface MembershipRow {
  readonly id: number;
  readonly project: { id: number; name: string };
  readonly roles: { id: number; name: string; inherited: boolean }[];
}

/**
 * The principal's memberships in projects that are not archived, each with its roles in member_roles
 * order. `visible` limits them to the viewer's visible projects (undefined = all, for administrators).
 */
export async function selectMembershipsOf(orm: Orm, principalId: number, visible: SQL | undefined): Promise<MembershipRow[]> {
  const rows = await orm
    .select({
      id: members.id,
      projectId: projects.id,
      projectName: projects.name,
      roleId: roles.id,
      roleName: roles.name,
      inheritedFrom: memberRoles.inheritedFrom,
    })
    .from(members)
    .innerJoin(projects, eq(projects.id, members.projectId))
    .innerJoin(memberRoles, eq(memberRoles.memberId, members.id))
    .innerJoin(roles, eq(roles.id, memberRoles.roleId))
    .where(
      and(
        eq(members.userId, principalId),
        notInArray(projects.status, [PROJECT_STATUS.archived, PROJECT_STATUS.scheduledForDeletion]),
        visible,
      ),
    )
    .orderBy(asc(members.id), asc(memberRoles.id));
  const out: MembershipRow[] = [];
  for (const row of rows) {
    let membership = out.at(-1);
    if (membership?.id !== row.id) {
      membership = { id: row.id, project: { id: row.projectId, name: row.projectName }, roles: [] };
      out.push(membership);
    }
    membership.roles.push({ id: row.roleId, name: row.roleName, inherited: row.inheritedFrom !== null });
  }
  return out;
}

/** Projects a non-admin viewer sees: public ones, and those they are a member of. */
export function visibleProjectsCondition(memberOf: readonly number[]): SQL {
  return memberOf.length > 0 ? (or(eq(projects.isPublic, true), inArray(projects.id, [...memberOf])) as SQL) : eq(projects.isPublic, true);
}

/** Roles that can be given to members (not the built-in Non member / Anonymous), in Redmine's order. */
export async function selectGivableRoles(orm: Orm): Promise<{ id: number; name: string }[]> {
  return orm.select({ id: roles.id, name: roles.name }).from(roles).where(eq(roles.builtin, 0)).orderBy(asc(roles.position), asc(roles.id));
}

/** How many users have each status (the counts of the administrator's status filter). */
export async function countUsersByStatus(orm: Orm): Promise<Map<number, number>> {
  const rows = await orm.select({ status: users.status, n: count() }).from(users).where(eq(users.type, 'User')).groupBy(users.status);
  return new Map(rows.map((r) => [r.status, r.n]));
}
