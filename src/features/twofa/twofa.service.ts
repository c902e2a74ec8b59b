/**
 * Two-factor authentication with an authenticator app (Redmine's Twofa::Totp, security.md §5):
 * enrolment, the second step of signing in, disabling, backup codes, an administrator's reset, and
 * switching it off for the whole tenant. Every change is audited in the transaction that makes it;
 * the user is e-mailed once it has committed.
 *
 * The secret is stored encrypted under a key of the tenant and bound to its row; it is shown only
 * while enrolling. A TOTP code is accepted once: its step must be later than the last accepted one
 * (security.md §5, ASVS 2.8.4/2.8.5), checked and recorded in one statement.
 */
import type { Database } from '#src/db/database.ts';
import { ForbiddenError, NotFoundError } from '#src/errors.ts';
import { endAllSessions, endOtherSessions, USER_STATUS } from '#src/features/account/index.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { decryptText, encryptText } from '#src/lib/encryption.ts';
import { backupCodeMatches, hashBackupCode, newBackupCodes, normalizeBackupCode } from './backup-codes.ts';
import { newTotpSecret, checkTotp, totpUri } from './totp.ts';
import { deliverTwofaNotice, type TwofaMailContext, type TwofaNotice } from './twofa.mails.ts';
import {
  activateTotp,
  claimBackupCode,
  countBackupCodes,
  deletePairing,
  deleteAutologins,
  findBackupCodes,
  findPairedUsers,
  findTwofaAccount,
  isInTwofaRequiredGroup,
  recordTotpUse,
  replaceBackupCodes,
  storePendingTotpKey,
  type TwofaAccount,
} from './twofa.repository.ts';

/** Keys of one tenant, derived from the platform secret. */
export interface TwofaKeys {
  /** Encrypts TOTP secrets (AES-256-GCM). */
  readonly secret: Buffer;
  /** Keys the HMAC of stored backup codes. */
  readonly backupCodes: Buffer;
}

/** What every use case needs: the tenant's database, settings, keys and mail, who acts, and when. */
export interface TwofaContext {
  readonly db: Database;
  readonly settings: Settings;
  readonly keys: TwofaKeys;
  /** The tenant's host name, the issuer shown in authenticator apps. */
  readonly issuer: string;
  readonly mail: TwofaMailContext;
  readonly source: AuditSource;
  readonly now: Date;
}

/** The part of a user that decides whether two-factor authentication is required. */
export interface TwofaSubject {
  readonly id: number;
  readonly admin: boolean;
}

/** Is two-factor authentication offered at all (the `twofa` setting is not "disabled")? */
export function isTwofaEnabled(settings: Settings): boolean {
  return settings.twofa !== '0';
}

/**
 * Does the tenant require the user to use two-factor authentication (Redmine's rules): everyone
 * (`twofa` = 2), administrators (3), or members of a group that requires it (1 or 3)?
 */
export async function isTwofaRequired(db: Database, settings: Settings, user: TwofaSubject): Promise<boolean> {
  switch (settings.twofa) {
    case '2':
      return true;
    case '3':
      return user.admin || isInTwofaRequiredGroup(db, user.id);
    case '1':
      return isInTwofaRequiredGroup(db, user.id);
    default:
      return false;
  }
}

/** The authenticated context of a user's encrypted secret (also written by twofa.import.ts). */
export const keyContext = (userId: number) => `users.twofa_totp_key:${userId}`;

function secretOf(ctx: TwofaContext, account: TwofaAccount): string | undefined {
  if (!account.totpKey) {
    return undefined;
  }
  try {
    return decryptText(ctx.keys.secret, account.totpKey, keyContext(account.id));
  } catch {
    // A secret that does not decrypt (another platform secret, a damaged row) accepts no code.
    return undefined;
  }
}

async function accountOf(ctx: TwofaContext, userId: number): Promise<TwofaAccount> {
  const account = await findTwofaAccount(ctx.db, userId);
  if (!account) {
    throw new NotFoundError(`no user ${userId}`);
  }
  return account;
}

const targetOf = (account: TwofaAccount) => ({ type: 'User', id: account.id, name: account.login });

async function notify(ctx: Pick<TwofaContext, 'db' | 'mail' | 'source' | 'now'>, account: TwofaAccount, notice: TwofaNotice): Promise<void> {
  await deliverTwofaNotice(ctx.mail, ctx.db, account, notice, { ip: ctx.source.ip, at: ctx.now });
}

type SecondFactor = 'totp' | 'backup_code' | 'invalid';

/**
 * Checks a TOTP code of the account's secret and, when right and new, records it as the last used.
 * A right code that was used before (or is older than the last one used) is refused, audited, and
 * the user told: someone may be replaying a code they saw.
 */
async function verifyTotp(ctx: TwofaContext, account: TwofaAccount, typed: string): Promise<boolean> {
  const secret = secretOf(ctx, account);
  if (!secret) {
    return false;
  }
  const check = checkTotp(secret, typed, ctx.now, account.lastUsedAt);
  if (check.kind === 'accepted' && (await recordTotpUse(ctx.db, account.id, check.usedAt))) {
    return true;
  }
  if (check.kind === 'invalid') {
    return false;
  }
  // Replayed, or accepted here but another request recorded the same or a later step first.
  await recordAudit(ctx.db, { event: 'twofa.code_replay', source: ctx.source, target: targetOf(account) });
  await notify(ctx, account, 'code_replay');
  return false;
}

/** Uses up one of the account's backup codes if `typed` is one (any case, any spacing). */
async function useBackupCode(ctx: TwofaContext, account: TwofaAccount, typed: string): Promise<boolean> {
  const code = normalizeBackupCode(typed);
  if (!code) {
    return false;
  }
  const match = (await findBackupCodes(ctx.db, account.id)).find((stored) => backupCodeMatches(ctx.keys.backupCodes, code, stored.value));
  if (!match) {
    return false;
  }
  const used = await ctx.db.transaction(async (tx) => {
    if (!(await claimBackupCode(tx, account.id, match.id))) {
      return false;
    }
    await recordAudit(tx, { event: 'twofa.backup_code_used', source: ctx.source, target: targetOf(account) });
    return true;
  });
  if (used) {
    await notify(ctx, account, 'backup_code_used');
  }
  return used;
}

/** A TOTP code, or (when allowed) a backup code, of an account with active two-factor authentication. */
async function verifySecondFactor(ctx: TwofaContext, account: TwofaAccount, typed: string, backupCodes: boolean): Promise<SecondFactor> {
  if (account.scheme !== 'totp') {
    return 'invalid';
  }
  if (await verifyTotp(ctx, account, typed)) {
    return 'totp';
  }
  return backupCodes && (await useBackupCode(ctx, account, typed)) ? 'backup_code' : 'invalid';
}

// ---------------------------------------------------------------------------------------------
// Enrolment

export type Enrolment =
  | { readonly kind: 'active' }
  /** The pending secret and its `otpauth://` URI. */
  | { readonly kind: 'pending'; readonly secret: string; readonly uri: string };

/**
 * The pending secret of a user who is enrolling, made now if there is none (or `restart`: always a
 * new one). It is stored, encrypted, but does not count until confirmed with a code.
 */
export async function startEnrolment(ctx: TwofaContext, userId: number, options: { readonly restart: boolean }): Promise<Enrolment> {
  let account = await accountOf(ctx, userId);
  if (account.scheme) {
    return { kind: 'active' };
  }
  let secret = options.restart ? undefined : secretOf(ctx, account);
  if (!secret) {
    const fresh = newTotpSecret();
    const stored = await storePendingTotpKey(ctx.db, userId, encryptText(ctx.keys.secret, fresh, keyContext(userId)), options.restart || account.totpKey !== null, ctx.now);
    if (stored) {
      secret = fresh;
    } else {
      // Another request stored one first (or enrolment completed meanwhile): show that one.
      account = await accountOf(ctx, userId);
      secret = secretOf(ctx, account);
      if (account.scheme || !secret) {
        return { kind: 'active' };
      }
    }
  }
  return { kind: 'pending', secret, uri: totpUri(secret, ctx.issuer, account.login) };
}

export type EnrolmentResult = 'enrolled' | 'invalid' | 'active';

/**
 * Confirms enrolment with a code of the pending secret (a TOTP code only: backup codes do not exist
 * yet, and must not enrol). On success the scheme becomes active, and every other session and every
 * "stay logged in" token of the user ends; the caller rotates the acting session (`keepSession`).
 */
export async function confirmEnrolment(ctx: TwofaContext, userId: number, typed: string, keepSession: string | undefined): Promise<EnrolmentResult> {
  const account = await accountOf(ctx, userId);
  if (account.scheme) {
    return 'active';
  }
  const secret = secretOf(ctx, account);
  if (!secret || !account.totpKey) {
    return 'invalid';
  }
  const check = checkTotp(secret, typed, ctx.now, account.lastUsedAt);
  if (check.kind !== 'accepted') {
    return 'invalid';
  }
  const encryptedKey = account.totpKey;
  const enrolled = await ctx.db.transaction(async (tx) => {
    if (!(await recordTotpUse(tx, userId, check.usedAt)) || !(await activateTotp(tx, userId, encryptedKey, ctx.now))) {
      return false;
    }
    await deleteAutologins(tx, userId);
    await replaceBackupCodes(tx, userId, [], ctx.now);
    await recordAudit(tx, { event: 'twofa.enrol', source: ctx.source, target: targetOf(account), details: { scheme: 'totp' } });
    return true;
  });
  if (!enrolled) {
    return 'invalid';
  }
  await endOtherSessions(ctx.db, account, keepSession, ctx.source);
  await notify(ctx, account, 'enrolled');
  return 'enrolled';
}

// ---------------------------------------------------------------------------------------------
// Signing in

/** The user of a pending sign-in step, while still active and enrolled (else the step is void). */
export async function findSignInAccount(db: Database, userId: number): Promise<TwofaAccount | undefined> {
  const account = await findTwofaAccount(db, userId);
  return account && account.status === USER_STATUS.active && account.scheme ? account : undefined;
}

/**
 * The second step of signing in: the user (whose password was right) gives a TOTP code or a backup
 * code. Whether it is right (a used or replayed code is not).
 */
export async function verifySignInCode(ctx: TwofaContext, account: TwofaAccount, typed: string): Promise<boolean> {
  return (await verifySecondFactor(ctx, account, typed, true)) !== 'invalid';
}

// ---------------------------------------------------------------------------------------------
// Disabling, backup codes, reset

export type DisableResult = 'disabled' | 'invalid' | 'required' | 'inactive';

/**
 * The user disables their own two-factor authentication with a TOTP or backup code; refused while
 * the tenant requires it of them. Every other session and "stay logged in" token of the user ends;
 * the caller rotates the acting session (`keepSession`).
 */
export async function disableTwofa(ctx: TwofaContext, userId: number, typed: string, keepSession: string | undefined): Promise<DisableResult> {
  const account = await accountOf(ctx, userId);
  if (!account.scheme) {
    return 'inactive';
  }
  if (await isTwofaRequired(ctx.db, ctx.settings, account)) {
    return 'required';
  }
  if ((await verifySecondFactor(ctx, account, typed, true)) === 'invalid') {
    return 'invalid';
  }
  await ctx.db.transaction(async (tx) => {
    await deletePairing(tx, userId, ctx.now);
    await deleteAutologins(tx, userId);
    await recordAudit(tx, { event: 'twofa.disable', source: ctx.source, target: targetOf(account), details: { scheme: account.scheme } });
  });
  await endOtherSessions(ctx.db, account, keepSession, ctx.source);
  await notify(ctx, account, 'disabled');
  return 'disabled';
}

/**
 * New backup codes, confirmed with a TOTP code (not a backup code): the old ones stop working. The
 * codes are returned once, to be shown once; only their salted hashes are kept.
 */
export async function regenerateBackupCodes(ctx: TwofaContext, userId: number, typed: string): Promise<readonly string[] | 'invalid' | 'inactive'> {
  const account = await accountOf(ctx, userId);
  if (account.scheme !== 'totp') {
    return 'inactive';
  }
  if (!(await verifyTotp(ctx, account, typed))) {
    return 'invalid';
  }
  const codes = newBackupCodes();
  await ctx.db.transaction(async (tx) => {
    await replaceBackupCodes(
      tx,
      userId,
      codes.map((code) => hashBackupCode(ctx.keys.backupCodes, code)),
      ctx.now,
    );
    await recordAudit(tx, { event: 'twofa.backup_codes', source: ctx.source, target: targetOf(account), details: { count: codes.length } });
  });
  await notify(ctx, account, 'backup_codes_generated');
  return codes;
}

/** How many unused backup codes the user has. */
export async function backupCodesLeft(ctx: Pick<TwofaContext, 'db'>, userId: number): Promise<number> {
  return countBackupCodes(ctx.db, userId);
}

/**
 * An administrator removes another user's two-factor authentication (a lost phone): no code, never
 * their own (that needs a code, like anyone's). Every session and "stay logged in" token of the user ends.
 */
export async function resetTwofaOfUser(ctx: TwofaContext, actor: { readonly userId: number | undefined; readonly isAdmin: boolean }, userId: number): Promise<'reset' | 'inactive'> {
  if (!actor.isAdmin) {
    throw new ForbiddenError('administrators only');
  }
  if (actor.userId === userId) {
    throw new ForbiddenError('administrators reset the two-factor authentication of others only');
  }
  const account = await accountOf(ctx, userId);
  if (!account.scheme && !account.totpKey) {
    return 'inactive';
  }
  await ctx.db.transaction(async (tx) => {
    await deletePairing(tx, userId, ctx.now);
    await recordAudit(tx, { event: 'twofa.reset', source: ctx.source, target: targetOf(account), details: { scheme: account.scheme } });
  });
  // Whoever held the user's sessions may hold their phone too: every browser signs in again.
  await endAllSessions(ctx.db, userId, ctx.source);
  if (account.scheme) {
    await notify(ctx, account, 'reset');
  }
  return 'reset';
}

/**
 * The `twofa` setting was turned to "disabled": every user's pairing goes (Redmine's unpair_all!),
 * one audit event per enrolled user, and each is told. Returns how many were unpaired.
 */
export async function unpairAllUsers(ctx: Pick<TwofaContext, 'db' | 'mail' | 'source' | 'now'>): Promise<number> {
  const paired = await findPairedUsers(ctx.db);
  const accounts: TwofaAccount[] = [];
  await ctx.db.transaction(async (tx) => {
    for (const user of paired) {
      const account = await findTwofaAccount(tx, user.id);
      if (!account) {
        continue;
      }
      await deletePairing(tx, user.id, ctx.now);
      // A secret still pending (enrolment never confirmed) goes too, but was no pairing to report.
      if (account.scheme) {
        await recordAudit(tx, {
          event: 'twofa.reset',
          source: ctx.source,
          target: targetOf(account),
          details: { scheme: account.scheme, reason: 'setting twofa disabled' },
        });
        accounts.push(account);
      }
    }
  });
  for (const account of accounts) {
    await notify(ctx, account, 'disabled');
  }
  return accounts.length;
}
