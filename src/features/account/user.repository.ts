/** All SQL on a tenant's users and their e-mail addresses. */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { preparedPerHandle } from '#src/db/prepared.ts';
import { emailAddresses, tokens, userPreferences, users } from '#src/db/schema/accounts.ts';

/** Redmine's user status values. */
export const USER_STATUS = { active: 1, registered: 2, locked: 3 } as const;

export interface User {
  readonly id: number;
  readonly login: string;
  readonly firstname: string;
  readonly lastname: string;
  readonly admin: boolean;
  readonly status: number;
  readonly language: string;
  readonly mustChangePasswd: boolean;
  readonly lastLoginOn: Date | null;
  readonly createdOn: Date | null;
  readonly updatedOn: Date | null;
  readonly passwdChangedOn: Date | null;
  /** 'totp' when two-factor authentication is active. */
  readonly twofaScheme: string | null;
  /** The default e-mail address. */
  readonly mail: string | null;
}

export interface UserWithPassword extends User {
  readonly hashedPassword: string;
  readonly salt: string | null;
  /** A password someone else set stops working unused at this time (null: the user's own). */
  readonly tempPasswdExpiresOn: Date | null;
}

const userColumns = {
  id: users.id,
  login: users.login,
  firstname: users.firstname,
  lastname: users.lastname,
  admin: users.admin,
  status: users.status,
  language: sql<string>`coalesce(${users.language}, '')`,
  mustChangePasswd: users.mustChangePasswd,
  lastLoginOn: users.lastLoginOn,
  createdOn: users.createdOn,
  updatedOn: users.updatedOn,
  passwdChangedOn: users.passwdChangedOn,
  twofaScheme: users.twofaScheme,
  // Qualified by hand: inside the subquery drizzle's unqualified "id" would mean email_addresses.id.
  mail: sql<string | null>`(SELECT ea.address FROM email_addresses ea WHERE ea.user_id = "users"."id" AND ea.is_default LIMIT 1)`,
};

export interface NewUser {
  login: string;
  hashedPassword: string;
  firstname: string;
  lastname: string;
  mail: string;
  admin: boolean;
  language: string;
  mustChangePasswd: boolean;
  /** Set when someone else chose the password (see UserWithPassword). */
  tempPasswdExpiresOn?: Date | null;
  now: Date;
}

export async function insertUser(orm: Orm, u: NewUser): Promise<User> {
  const [row] = await orm
    .insert(users)
    .values({
      login: u.login,
      hashedPassword: u.hashedPassword,
      firstname: u.firstname,
      lastname: u.lastname,
      admin: u.admin,
      status: USER_STATUS.active,
      language: u.language,
      type: 'User',
      mailNotification: 'only_my_events',
      mustChangePasswd: u.mustChangePasswd,
      tempPasswdExpiresOn: u.tempPasswdExpiresOn ?? null,
      passwdChangedOn: u.now,
      createdOn: u.now,
      updatedOn: u.now,
    })
    .returning(userColumns);
  if (!row) {
    throw new Error('insert returned no user');
  }
  await orm.insert(emailAddresses).values({
    userId: row.id,
    address: u.mail,
    isDefault: true,
    notify: true,
    createdOn: u.now,
    updatedOn: u.now,
  });
  await orm.insert(userPreferences).values({ userId: row.id, others: {}, hideMail: true });
  return { ...row, mail: u.mail };
}

/** The user (type User) whose login matches case-insensitively, with the password hash. */
export async function findUserByLogin(orm: Orm, login: string): Promise<UserWithPassword | undefined> {
  const [row] = await orm
    .select({ ...userColumns, hashedPassword: users.hashedPassword, salt: users.salt, tempPasswdExpiresOn: users.tempPasswdExpiresOn })
    .from(users)
    .where(and(sql`lower(${users.login}) = lower(${login})`, eq(users.type, 'User')))
    .limit(1);
  return row;
}

export async function findUserById(orm: Orm, id: number): Promise<User | undefined> {
  const [row] = await orm
    .select(userColumns)
    .from(users)
    .where(and(eq(users.id, id), eq(users.type, 'User')))
    .limit(1);
  return row;
}

/** Run by every request that authenticates with a key. */
const userByApiKey = preparedPerHandle((orm) =>
  orm
    .select(userColumns)
    .from(users)
    .innerJoin(tokens, and(eq(tokens.userId, users.id), eq(tokens.action, 'api'), eq(tokens.value, sql.placeholder('key'))))
    .where(eq(users.type, 'User'))
    .limit(1)
    .prepare('kanri_user_by_api_key'),
);

/** The user whose API key this is (tokens action 'api'), in one round trip. */
export async function findUserByApiKey(orm: Orm, key: string): Promise<User | undefined> {
  const [row] = await userByApiKey(orm).execute({ key });
  return row;
}

/** Is the login used by a user (other than `exceptId`), whatever the case? */
export async function isLoginTaken(orm: Orm, login: string, exceptId = 0): Promise<boolean> {
  const rows = await orm
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.login}) = lower(${login})`, eq(users.type, 'User'), ne(users.id, exceptId)))
    .limit(1);
  return rows.length > 0;
}

/** Is the address used by a user (other than `exceptId`), as any of their addresses? */
export async function isMailTaken(orm: Orm, mail: string, exceptId = 0): Promise<boolean> {
  const rows = await orm
    .select({ id: emailAddresses.id })
    .from(emailAddresses)
    .where(and(sql`lower(${emailAddresses.address}) = lower(${mail})`, ne(emailAddresses.userId, exceptId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Notes a sign-in; `newHash` replaces an imported (or weaker) hash of the same password. That is no
 * password change: `passwd_changed_on`, and so the expiry clock, stays as it is.
 */
export async function recordLogin(orm: Orm, id: number, now: Date, newHash?: string): Promise<void> {
  await orm
    .update(users)
    .set(newHash ? { lastLoginOn: now, hashedPassword: newHash, salt: null } : { lastLoginOn: now })
    .where(eq(users.id, id));
}

/** Stores a password the user chose: they no longer have to change it, and it is no temporary one. */
export async function updatePassword(orm: Orm, id: number, hashedPassword: string, now: Date): Promise<void> {
  await orm
    .update(users)
    .set({ hashedPassword, salt: null, mustChangePasswd: false, tempPasswdExpiresOn: null, passwdChangedOn: now, updatedOn: now })
    .where(eq(users.id, id));
}

/** Every e-mail address of the user, the default one first. */
export async function findMailsOf(orm: Orm, id: number): Promise<string[]> {
  const rows = await orm
    .select({ address: emailAddresses.address })
    .from(emailAddresses)
    .where(eq(emailAddresses.userId, id))
    .orderBy(sql`${emailAddresses.isDefault} DESC`, emailAddresses.id);
  return rows.map((row) => row.address);
}

export async function findPasswordOf(orm: Orm, id: number): Promise<{ hashedPassword: string; salt: string | null } | undefined> {
  const [row] = await orm
    .select({ hashedPassword: users.hashedPassword, salt: users.salt })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export interface Preferences {
  readonly timeZone: string;
  readonly hideMail: boolean;
  /** Redmine's `others` hash: comments_sorting, no_self_notified, my_page_layout… */
  readonly others: Readonly<Record<string, unknown>>;
}

/** The user's preferences; defaults when they have no row. */
export async function findPreferences(orm: Orm, userId: number): Promise<Preferences> {
  const [row] = await orm
    .select({ timeZone: userPreferences.timeZone, hideMail: userPreferences.hideMail, others: userPreferences.others })
    .from(userPreferences)
    .where(eq(userPreferences.userId, userId))
    .limit(1);
  return { timeZone: row?.timeZone ?? '', hideMail: row?.hideMail ?? true, others: row?.others ?? {} };
}
