/**
 * Accounts of a tenant: creating users, signing in with login and password, and the sessions that
 * follow. Every function works on one tenant's database handle; nothing here can reach another tenant.
 */
import type { Orm, Queryable } from '#src/db/database.ts';
import { queryableOf } from '#src/db/sql.ts';
import { ValidationError } from '#src/errors.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { API_KEY_PATTERN, apiKeyOf, deleteApiKey } from './api-key.repository.ts';
import { hashPassword, needsRehash, timingDummyHash, verifyPassword } from './password.ts';
import {
  isPasswordExpired,
  isPasswordTooLong,
  passwordErrors,
  TEMPORARY_PASSWORD_LIFETIME_MS,
  type PasswordRules,
} from './password-policy.ts';
import { deleteCredentialsAfterPasswordChange } from './session.repository.ts';
import {
  findMailsOf,
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
  type UserWithPassword,
} from './user.repository.ts';

export { generatePassword, hashPassword } from './password.ts';
export {
  dropAutologin,
  dropSession,
  endAllSessions,
  endOtherSessions,
  endOwnSession,
  issueAutologin,
  listSessions,
  MAX_SESSIONS_PER_USER,
  restoreSession,
  resumeSession,
  rotateSession,
  signOutSession,
  startSession,
  type SessionClient,
  type SessionListRow,
  type SessionPolicy,
  type SessionStart,
  type SessionState,
  type SignInMethod,
  type SignOutReason,
} from './session.service.ts';
export {
  generateTemporaryPassword,
  isPasswordTooLong,
  PASSWORD_CHAR_CLASSES,
  PASSWORD_MAX_LENGTH,
  passwordErrors,
  passwordRulesOf,
  TEMPORARY_PASSWORD_LIFETIME_MS,
  type PasswordCharClass,
  type PasswordOwner,
  type PasswordRules,
} from './password-policy.ts';
export { apiKeyCreatedOn, apiKeyOf } from './api-key.repository.ts';
export { accountMailContext } from './account.mails.ts';
export { notifyAdministrators, selectActiveAdministrators, type AdministratorNotice, type AdministratorRecipient } from './administrators-notice.ts';
export { findPreferences, USER_STATUS, type Preferences, type User } from './user.repository.ts';
export { sendAccountInformation } from './account-information.ts';
export { deletePasswordTokensOf } from './password-reset.repository.ts';

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
  /** Someone else chose the password: it must be changed at the first sign-in, within 72 hours. */
  mustChangePasswd?: boolean;
  /** The tenant's `password_min_length`. */
  minPasswordLength: number;
  /** The tenant's `password_required_char_classes` (none when absent). */
  requiredCharClasses?: PasswordRules['requiredCharClasses'];
  /** Checked against `password` when given. */
  passwordConfirmation?: string | undefined;
}

/** The fields of a user being created or changed; an absent field is not being set. */
export interface UserFields {
  login?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  mail?: string | undefined;
  password?: string | undefined;
  /** Checked against `password` when given. */
  passwordConfirmation?: string | undefined;
}

/**
 * Redmine's validation messages for the fields given (`exceptUserId`: the user being changed, whose
 * own login and address are not "taken"). One rule set for sign-up, the CLI and the users API; a
 * password is held to the whole policy, against the names and addresses it will sit beside.
 */
export async function userFieldErrors(orm: Orm, fields: UserFields, rules: PasswordRules, exceptUserId = 0): Promise<string[]> {
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
    // Fields not being changed keep their stored values, which the password may not equal either.
    const stored = exceptUserId ? await findUserById(orm, exceptUserId) : undefined;
    const owner = {
      login: login ?? stored?.login,
      firstname: firstname ?? stored?.firstname,
      lastname: lastname ?? stored?.lastname,
      mails: [mail, ...(exceptUserId ? await findMailsOf(orm, exceptUserId) : [])],
    };
    errors.push(...passwordErrors(password, rules, owner, fields.passwordConfirmation));
  }
  return errors;
}

/** Validates and creates an active user; Redmine's messages for each refused field. */
export async function createUser(orm: Orm, input: CreateUserInput, now: Date): Promise<User> {
  const rules = { minLength: input.minPasswordLength, requiredCharClasses: input.requiredCharClasses ?? [] };
  const errors = await userFieldErrors(orm, input, rules);
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
      tempPasswdExpiresOn: input.mustChangePasswd ? new Date(now.getTime() + TEMPORARY_PASSWORD_LIFETIME_MS) : null,
      now,
    },
  );
}

/**
 * The active user with this login and password, or undefined. Unknown logins cost the same hashing
 * work as known ones, so the answer's timing does not tell whether a login exists.
 */
export async function authenticate(orm: Orm, login: string, password: string, now: Date): Promise<User | undefined> {
  // Too long to be anyone's password: refused before any hashing work.
  if (login.length > 255 || isPasswordTooLong(password)) {
    return undefined;
  }
  const user = await findUserByLogin(orm, login);
  if (!user) {
    await verifyPassword({ hashedPassword: await timingDummyHash(), salt: null }, password);
    return undefined;
  }
  const ok = await verifyPassword(user, password);
  if (!ok || user.status !== USER_STATUS.active || isUnusedTemporaryPasswordExpired(user, now)) {
    return undefined;
  }
  // Like Redmine, last_login_on moves at most once a minute: API clients sign in on every request.
  const rehash = needsRehash(user);
  const recent = user.lastLoginOn !== null && now.getTime() - user.lastLoginOn.getTime() < 60_000;
  if (rehash || !recent) {
    await recordLogin(orm, user.id, now, rehash ? await hashPassword(password) : undefined);
  }
  const { hashedPassword: _hash, salt: _salt, tempPasswdExpiresOn: _temp, ...plain } = user;
  return { ...plain, lastLoginOn: recent ? user.lastLoginOn : now };
}

/**
 * Spends the time of one password check and tells nothing: for an attempt refused before its password
 * is looked at (a soft-locked account, a blocked address), so the answer takes as long as a wrong
 * password's and the refusal cannot be told from one.
 */
export async function spendPasswordCheckTime(password: string): Promise<void> {
  if (!isPasswordTooLong(password)) {
    await verifyPassword({ hashedPassword: await timingDummyHash(), salt: null }, password);
  }
}

/**
 * A password an administrator or operator chose stops working when it was not replaced in time
 * (security.md §3). `must_change_passwd` is cleared by every way a user sets their own password, so
 * a stale expiry on a password the user chose never counts.
 */
function isUnusedTemporaryPasswordExpired(user: UserWithPassword, now: Date): boolean {
  return user.mustChangePasswd && user.tempPasswdExpiresOn !== null && user.tempPasswdExpiresOn.getTime() <= now.getTime();
}

/**
 * Redmine's User#must_change_password?: the administrator asked for it, or the password is older than
 * `password_max_age` days. Such a user's pages lead to /my/password, and HTTP Basic with their password
 * is refused (API keys still work, as in Redmine).
 */
export function mustChangePassword(user: Pick<User, 'mustChangePasswd' | 'passwdChangedOn'>, settings: Pick<Settings, 'password_max_age'>, now: Date): boolean {
  return user.mustChangePasswd || isPasswordExpired(user.passwdChangedOn, Number(settings.password_max_age), now);
}

export interface NewPassword {
  readonly next: string;
  readonly confirmation: string;
  /** The current password when the user typed it; otherwise `next` is compared with the stored hash. */
  readonly current?: string | undefined;
}

/**
 * Every reason `next` cannot become this user's own password: the whole policy (length, character
 * classes, not the login, a name or an address, confirmed), and different from the current password.
 * For /my/password and the lost-password reset alike.
 */
export async function newPasswordErrors(orm: Orm, userId: number, input: NewPassword, rules: PasswordRules): Promise<string[]> {
  const user = await findUserById(orm, userId);
  const owner = { login: user?.login, firstname: user?.firstname, lastname: user?.lastname, mails: await findMailsOf(orm, userId) };
  const errors = passwordErrors(input.next, rules, owner, input.confirmation);
  if (errors.length === 0) {
    const stored = input.current === undefined ? await findPasswordOf(orm, userId) : undefined;
    const same = input.current !== undefined ? input.next === input.current : stored !== undefined && (await verifyPassword(stored, input.next));
    if (same) {
      errors.push('Your new password must be different from your current password');
    }
  }
  return errors;
}

export interface ChangePasswordInput {
  current: string;
  next: string;
  confirmation: string;
  /** The tenant's password policy (`passwordRulesOf(settings)`). */
  rules: PasswordRules;
  /** The session that asks: it stays; every other session of the user ends. */
  sessionToken: string | undefined;
  /** Who asks, from where: the change is recorded as `password.change`. */
  auditSource: AuditSource;
}

/**
 * Changes the user's own password (Redmine's /my/password): the current one must be right, the new
 * one must pass the policy and differ. The new hash, the end of the user's other sessions and the
 * audit record commit together.
 */
export async function changePassword(orm: Orm, user: User, input: ChangePasswordInput, now: Date): Promise<void> {
  const stored = await findPasswordOf(orm, user.id);
  if (!stored || !(await verifyPassword(stored, input.current))) {
    throw new ValidationError(['Wrong password']);
  }
  const errors = await newPasswordErrors(orm, user.id, input, input.rules);
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const hashed = await hashPassword(input.next);
  await orm.transaction(async (tx) => {
    await updatePassword(tx, user.id, hashed, now);
    await deleteCredentialsAfterPasswordChange(queryableOf(tx), user.id, input.sessionToken);
    await recordAudit(queryableOf(tx), { event: 'password.change', source: input.auditSource, target: { type: 'User', id: user.id, name: user.login } });
  });
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
  const { hashedPassword: _hash, salt: _salt, tempPasswdExpiresOn: _temp, ...plain } = user;
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
