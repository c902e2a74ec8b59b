/**
 * Accounts of a tenant: creating users, signing in with login and password, and the sessions that
 * follow. Every function works on one tenant's database handle; nothing here can reach another tenant.
 */
import type { Orm, Queryable } from '#src/db/database.ts';
import { ValidationError } from '#src/errors.ts';
import { API_KEY_PATTERN, apiKeyOf, deleteApiKey } from './api-key.repository.ts';
import { hashPassword, needsRehash, timingDummyHash, verifyPassword } from './password.ts';
import { deleteOtherSessions, deleteSession, findSessionUserId, insertSession, newSessionToken } from './session.repository.ts';
import {
  findPasswordOf,
  findUserById,
  findUserByApiKey,
  findUserByLogin,
  insertUser,
  isLoginTaken,
  isMailTaken,
  recordLogin,
  updatePassword,
  USER_STATUS,
  type User,
} from './user.repository.ts';

export { generatePassword, hashPassword } from './password.ts';
export { apiKeyCreatedOn, apiKeyOf } from './api-key.repository.ts';
export { findPreferences, USER_STATUS, type Preferences, type User } from './user.repository.ts';

/** Redmine's rules for a login and an e-mail address (one definition for every form and API). */
const LOGIN_PATTERN = /^[a-z0-9_\-@.]+$/i;
const MAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface CreateUserInput {
  login: string;
  password: string;
  firstname: string;
  lastname: string;
  mail: string;
  admin?: boolean;
  language?: string;
  mustChangePasswd?: boolean;
  /** The tenant's `password_min_length`. */
  minPasswordLength: number;
}

/** The fields of a user being created or changed; an absent field is not being set. */
export interface UserFields {
  login?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  mail?: string | undefined;
  password?: string | undefined;
}

/**
 * Redmine's validation messages for the fields given (`exceptUserId`: the user being changed, whose
 * own login and address are not "taken"). One rule set for sign-up, the CLI and the users API.
 */
export async function userFieldErrors(orm: Orm, fields: UserFields, minPasswordLength: number, exceptUserId = 0): Promise<string[]> {
  const errors: string[] = [];
  const { login, firstname, lastname, mail, password } = fields;
  if (login !== undefined) {
    if (!login) {
      errors.push('Login cannot be blank');
    } else if (login.length > 60) {
      errors.push('Login is too long (maximum is 60 characters)');
    } else if (!LOGIN_PATTERN.test(login)) {
      errors.push('Login is invalid');
    } else if (await isLoginTaken(orm, login, exceptUserId)) {
      errors.push('Login has already been taken');
    }
  }
  if (firstname !== undefined) {
    if (!firstname) {
      errors.push('First name cannot be blank');
    } else if (firstname.length > 30) {
      errors.push('First name is too long (maximum is 30 characters)');
    }
  }
  if (lastname !== undefined) {
    if (!lastname) {
      errors.push('Last name cannot be blank');
    } else if (lastname.length > 255) {
      errors.push('Last name is too long (maximum is 255 characters)');
    }
  }
  if (mail !== undefined) {
    if (!MAIL_PATTERN.test(mail) || mail.length > 254) {
      errors.push('Email is invalid');
    } else if (await isMailTaken(orm, mail, exceptUserId)) {
      errors.push('Email has already been taken');
    }
  }
  if (password !== undefined) {
    if (password.length < minPasswordLength) {
      errors.push(`Password is too short (minimum is ${minPasswordLength} characters)`);
    } else if (password.length > 1024) {
      errors.push('Password is too long (maximum is 1024 characters)');
    }
  }
  return errors;
}

/** Validates and creates an active user; Redmine's messages for each refused field. */
export async function createUser(orm: Orm, input: CreateUserInput, now: Date): Promise<User> {
  const errors = await userFieldErrors(orm, input, input.minPasswordLength);
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  return insertUser(
    orm,
    {
      login: input.login,
      hashedPassword: await hashPassword(input.password),
      firstname: input.firstname,
      lastname: input.lastname,
      mail: input.mail,
      admin: input.admin ?? false,
      language: input.language ?? '',
      mustChangePasswd: input.mustChangePasswd ?? false,
      now,
    },
  );
}

/**
 * The active user with this login and password, or undefined. Unknown logins cost the same hashing
 * work as known ones, so the answer's timing does not tell whether a login exists.
 */
export async function authenticate(orm: Orm, login: string, password: string, now: Date): Promise<User | undefined> {
  if (login.length > 255 || password.length > 1024) {
    return undefined;
  }
  const user = await findUserByLogin(orm, login);
  if (!user) {
    await verifyPassword({ hashedPassword: await timingDummyHash(), salt: null }, password);
    return undefined;
  }
  const ok = await verifyPassword(user, password);
  if (!ok || user.status !== USER_STATUS.active) {
    return undefined;
  }
  // Like Redmine, last_login_on moves at most once a minute: API clients sign in on every request.
  const rehash = needsRehash(user);
  const recent = user.lastLoginOn !== null && now.getTime() - user.lastLoginOn.getTime() < 60_000;
  if (rehash || !recent) {
    await recordLogin(orm, user.id, now, rehash ? await hashPassword(password) : undefined);
  }
  const { hashedPassword: _hash, salt: _salt, ...plain } = user;
  return { ...plain, lastLoginOn: recent ? user.lastLoginOn : now };
}

/** Starts a session for `user`; the returned token goes into the session cookie. */
export async function startSession(orm: Orm, user: User, now: Date): Promise<string> {
  const token = newSessionToken();
  await insertSession(orm, user.id, token, now);
  return token;
}

/** The active user a session token belongs to, if any. */
export async function findSessionUser(orm: Orm, token: string): Promise<User | undefined> {
  const userId = await findSessionUserId(orm, token);
  if (userId === undefined) {
    return undefined;
  }
  const user = await findUserById(orm, userId);
  return user?.status === USER_STATUS.active ? user : undefined;
}

export async function endSession(orm: Orm, token: string): Promise<void> {
  await deleteSession(orm, token);
}

export interface ChangePasswordInput {
  current: string;
  next: string;
  confirmation: string;
  /** The tenant's `password_min_length`. */
  minPasswordLength: number;
  /** The session that asks: it stays; every other session of the user ends. */
  sessionToken: string | undefined;
}

/**
 * Changes the user's own password (Redmine's /my/password): the current one must be right, the new
 * one long enough, confirmed, and different. Other sessions of the user end.
 */
export async function changePassword(orm: Orm, user: User, input: ChangePasswordInput, now: Date): Promise<void> {
  const stored = await findPasswordOf(orm, user.id);
  if (!stored || !(await verifyPassword(stored, input.current))) {
    throw new ValidationError(['Wrong password']);
  }
  const errors: string[] = [];
  if (input.next.length < input.minPasswordLength) {
    errors.push(`Password is too short (minimum is ${input.minPasswordLength} characters)`);
  } else if (input.next.length > 1024) {
    errors.push('Password is too long (maximum is 1024 characters)');
  }
  if (input.next !== input.confirmation) {
    errors.push("Password doesn't match confirmation");
  }
  if (errors.length === 0 && input.next === input.current) {
    errors.push('Your new password must be different from your current password');
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  await updatePassword(orm, user.id, await hashPassword(input.next), now);
  await deleteOtherSessions(orm, user.id, input.sessionToken);
}

/** The active user an API key belongs to; keys of locked or registered users count as no key. */
export async function findApiKeyUser(orm: Orm, key: string): Promise<User | undefined> {
  const user = API_KEY_PATTERN.test(key) ? await findUserByApiKey(orm, key) : undefined;
  return user?.status === USER_STATUS.active ? user : undefined;
}

/** The active user with this login (for X-Redmine-Switch-User). */
export async function findActiveUserByLogin(orm: Orm, login: string): Promise<User | undefined> {
  const user = await findUserByLogin(orm, login);
  if (user?.status !== USER_STATUS.active) {
    return undefined;
  }
  const { hashedPassword: _hash, salt: _salt, ...plain } = user;
  return plain;
}

/**
 * Redmine's AnonymousUser row, made on first use: the author of what visitors who are not signed in
 * write (issues, journals) when a tenant's Anonymous role allows it.
 */
export async function anonymousUserId(db: Queryable): Promise<number> {
  const [found] = await db.query<{ id: number }>("SELECT id FROM users WHERE type = 'AnonymousUser' ORDER BY id LIMIT 1");
  if (found) {
    return found.id;
  }
  const [made] = await db.query<{ id: number }>(
    "INSERT INTO users (login, firstname, lastname, admin, status, type, created_on, updated_on) VALUES ('', '', 'Anonymous', false, 0, 'AnonymousUser', now(), now()) RETURNING id",
  );
  return Number(made?.id);
}

/**
 * Replaces the user's API key with a new one (Redmine's MyController#reset_api_key): the old key
 * stops working at once.
 */
export async function resetApiKey(orm: Orm, userId: number, now: Date): Promise<string> {
  return orm.transaction(async (tx) => {
    await deleteApiKey(tx, userId);
    return apiKeyOf(tx, userId, now);
  });
}
