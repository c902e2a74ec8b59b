/**
 * Setting a password through an e-mailed link (security.md §3): the user asks for one on "Lost
 * password" (`recovery`, 24 h), or an administrator sends one with the account information
 * (`set_password`, 72 h). A link works once, for an active account with a local password; using it
 * applies the password policy of /my/password and ends every session of the user.
 */
import type { Database } from '#src/db/database.ts';
import { ValidationError } from '#src/errors.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { queryableOf } from '#src/db/sql.ts';
// The policy /my/password applies (index.ts re-exports this module's functions: a cycle of
// declarations only, nothing runs while the modules load).
import { newPasswordErrors } from './index.ts';
import { hashPassword } from './password.ts';
import { passwordRulesOf } from './password-policy.ts';
import { deleteAutologinsOfUser, deleteSessionsOfUser } from './session.repository.ts';
import {
  claimPasswordToken,
  deletePasswordTokensOf,
  findAccountByMail,
  findLivePasswordToken,
  findPasswordAccount,
  newPasswordToken,
  PASSWORD_TOKEN_PATTERN,
  passwordTokenDigest,
  replacePasswordToken,
  type PasswordAccount,
  type PasswordTokenAction,
} from './password-reset.repository.ts';
import { findUserById, updatePassword, USER_STATUS, type User } from './user.repository.ts';

/** A link made for a user, to be e-mailed to `recipient`. */
export interface PasswordLink {
  readonly user: User;
  readonly recipient: string;
  /** The secret part of the link; never logged nor stored. */
  readonly token: string;
}

/** Why an account gets no link (kept in the audit trail, never shown to the requester). */
function refusalOf(account: PasswordAccount): string | undefined {
  if (account.external) {
    return 'external_authentication';
  }
  if (account.status === USER_STATUS.locked) {
    return 'locked';
  }
  return account.status === USER_STATUS.active ? undefined : 'not_activated';
}

/**
 * Asks the throttle whether a request naming `target` (`user:<id>`, or the address typed when it
 * names no account) may make a link; it counts the request when it may.
 */
export type PasswordResetGate = (target: string) => Promise<boolean>;

/**
 * Lost password, step 1: a link for the active account one of whose addresses is `address`, unless
 * `admit` (the throttle, per account and per client address) refuses. The answer to the requester must
 * not tell whether there was one, so the caller answers alike either way; the token is made in every
 * case, so a known address costs what an unknown one does. A request naming a real account (link or
 * not) is audited.
 */
export async function requestPasswordReset(db: Database, address: string, source: AuditSource, now: Date, admit: PasswordResetGate): Promise<PasswordLink | undefined> {
  const token = newPasswordToken();
  const digest = passwordTokenDigest(token);
  const wanted = address.trim();
  const account = wanted.length > 0 && wanted.length <= 254 ? await findAccountByMail(db, wanted) : undefined;
  const user = account && (await findUserById(db.orm, account.userId));
  // Counted per account, whichever of its addresses was typed and however it was spelt.
  const admitted = await admit(user ? `user:${user.id}` : `mail:${wanted.toLowerCase()}`);
  if (!account || !user) {
    return undefined;
  }
  const refusal = admitted ? refusalOf(account) : 'throttled';
  await db.transaction(async (tx) => {
    if (!refusal) {
      await replacePasswordToken(tx, user.id, 'recovery', digest, now);
    }
    await recordAudit(tx, {
      event: 'password.reset_request',
      source,
      target: { type: 'User', id: user.id, name: user.login },
      details: refusal ? { link: 'recovery', sent: false, reason: refusal } : { link: 'recovery', sent: true },
    });
  });
  return refusal ? undefined : { user, recipient: account.address, token };
}

/**
 * The administrator's "send account information": a link for the user to choose their password,
 * replacing any other live link. None for accounts that could not use it (locked, external).
 */
export async function issueSetPasswordLink(db: Database, userId: number, source: AuditSource, now: Date): Promise<PasswordLink | undefined> {
  const account = await findPasswordAccount(db, userId);
  const user = account && !refusalOf(account) ? await findUserById(db.orm, userId) : undefined;
  if (!user?.mail) {
    return undefined;
  }
  const token = newPasswordToken();
  await db.transaction(async (tx) => {
    await replacePasswordToken(tx, user.id, 'set_password', passwordTokenDigest(token), now);
    await recordAudit(tx, {
      event: 'password.reset_request',
      source,
      target: { type: 'User', id: user.id, name: user.login },
      details: { link: 'set_password', sent: true },
    });
  });
  return { user, recipient: user.mail, token };
}

export interface PasswordLinkTarget {
  readonly user: User;
  readonly action: PasswordTokenAction;
}

/** The user a live link is for, if it is one: well formed, unused, unexpired, of an active local account. */
export async function passwordLinkTarget(db: Database, token: string, now: Date): Promise<PasswordLinkTarget | undefined> {
  if (!PASSWORD_TOKEN_PATTERN.test(token)) {
    return undefined;
  }
  const live = await findLivePasswordToken(db, passwordTokenDigest(token), now);
  const account = live && (await findPasswordAccount(db, live.userId));
  if (!live || !account || refusalOf(account)) {
    return undefined;
  }
  const user = await findUserById(db.orm, account.userId);
  return user && { user, action: live.action };
}

export interface LinkPasswordInput {
  readonly next: string;
  readonly confirmation: string;
}

/**
 * Lost password, step 2 (and the administrator's link): checks the new password as /my/password does,
 * then uses the link up, stores the password, ends every session and password link of the user and
 * audits, in one transaction. `target` is what passwordLinkTarget found for `token`. Undefined when
 * the link was used meanwhile; ValidationError with the policy's messages when the password is
 * refused (the link stays usable).
 */
export async function setPasswordWithLink(
  db: Database,
  token: string,
  target: PasswordLinkTarget,
  input: LinkPasswordInput,
  settings: Settings,
  source: AuditSource,
  now: Date,
): Promise<PasswordLinkTarget | undefined> {
  const errors = await newPasswordErrors(db.orm, target.user.id, input, passwordRulesOf(settings));
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const hashed = await hashPassword(input.next);
  const userId = target.user.id;
  const done = await db.orm.transaction(async (orm) => {
    const tx = queryableOf(orm);
    // The claim decides: of two posts racing with one link, the second finds nothing to delete.
    const claimed = await claimPasswordToken(tx, passwordTokenDigest(token), now);
    if (claimed?.userId !== userId) {
      return false;
    }
    await updatePassword(orm, userId, hashed, now);
    // Whoever was signed in as the user (perhaps the one who made the reset necessary) is no longer.
    await deleteSessionsOfUser(tx, userId, undefined);
    await deleteAutologinsOfUser(tx, userId);
    await deletePasswordTokensOf(tx, userId);
    await recordAudit(tx, { event: 'password.reset', source, target: { type: 'User', id: userId, name: target.user.login }, details: { link: target.action } });
    return true;
  });
  return done ? target : undefined;
}
