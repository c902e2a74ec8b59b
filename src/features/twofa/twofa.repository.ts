/**
 * All SQL of two-factor authentication, on Redmine's columns: `users.twofa_scheme` ('totp' once
 * enrolled), `twofa_totp_key` (the secret, encrypted; set but not yet active during enrolment),
 * `twofa_totp_last_used_at` (start of the last accepted step, Unix seconds), groups'
 * `twofa_required`; and `tokens` rows: `twofa_backup_code` (salted hashes) and `twofa_session` (the
 * SHA-256 of a pending sign-in step's token).
 */
import type { Queryable } from '#src/db/database.ts';

// Timestamps go in as UTC text, as Drizzle writes them: the columns have no time zone.
const utc = (date: Date) => date.toISOString();

/** A user as two-factor authentication sees them. */
export interface TwofaAccount {
  readonly id: number;
  readonly login: string;
  readonly admin: boolean;
  readonly status: number;
  readonly language: string;
  /** The default e-mail address. */
  readonly mail: string | null;
  readonly scheme: string | null;
  /** The encrypted secret (active, or pending while enrolling). */
  readonly totpKey: string | null;
  readonly lastUsedAt: number | null;
}

interface AccountRow {
  id: number;
  login: string;
  admin: boolean;
  status: number;
  language: string | null;
  mail: string | null;
  twofa_scheme: string | null;
  twofa_totp_key: string | null;
  twofa_totp_last_used_at: number | null;
}

export async function findTwofaAccount(db: Queryable, userId: number): Promise<TwofaAccount | undefined> {
  const [row] = await db.query<AccountRow>(
    `SELECT u.id, u.login, u.admin, u.status, u.language, u.twofa_scheme, u.twofa_totp_key, u.twofa_totp_last_used_at,
            (SELECT ea.address FROM email_addresses ea WHERE ea.user_id = u.id AND ea.is_default LIMIT 1) AS mail
       FROM users u WHERE u.id = $1 AND u.type = 'User'`,
    [userId],
  );
  return (
    row && {
      id: Number(row.id),
      login: row.login,
      admin: row.admin,
      status: Number(row.status),
      language: row.language ?? '',
      mail: row.mail,
      scheme: row.twofa_scheme,
      totpKey: row.twofa_totp_key,
      lastUsedAt: row.twofa_totp_last_used_at === null ? null : Number(row.twofa_totp_last_used_at),
    }
  );
}

/** Is the user in a group that requires two-factor authentication? */
export async function isInTwofaRequiredGroup(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM groups_users gu JOIN users g ON g.id = gu.group_id AND g.type = 'Group'
      WHERE gu.user_id = $1 AND g.twofa_required LIMIT 1`,
    [userId],
  );
  return rows.length > 0;
}

/**
 * Stores a pending secret for a user who has no active scheme: always (`replace`), or only when there
 * is none yet. Whether a secret was stored.
 */
export async function storePendingTotpKey(db: Queryable, userId: number, encryptedKey: string, replace: boolean, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE users SET twofa_totp_key = $2, twofa_totp_last_used_at = NULL, updated_on = $3
      WHERE id = $1 AND twofa_scheme IS NULL ${replace ? '' : 'AND twofa_totp_key IS NULL'} RETURNING id`,
    [userId, encryptedKey, utc(now)],
  );
  return rows.length > 0;
}

/**
 * Records `usedAt` as the last accepted step, only when it is later than the stored one: of two
 * requests with the same code (two sessions, a replay), one wins. Whether this one did.
 */
export async function recordTotpUse(db: Queryable, userId: number, usedAt: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE users SET twofa_totp_last_used_at = $2
      WHERE id = $1 AND (twofa_totp_last_used_at IS NULL OR twofa_totp_last_used_at < $2) RETURNING id`,
    [userId, usedAt],
  );
  return rows.length > 0;
}

/** Makes the pending secret (still `encryptedKey`) the user's active scheme. Whether it did. */
export async function activateTotp(db: Queryable, userId: number, encryptedKey: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE users SET twofa_scheme = 'totp', updated_on = $3
      WHERE id = $1 AND twofa_scheme IS NULL AND twofa_totp_key = $2 RETURNING id`,
    [userId, encryptedKey, utc(now)],
  );
  return rows.length > 0;
}

/** Removes the user's pairing: scheme, secret, last use and backup codes (Redmine's destroy_pairing). */
export async function deletePairing(db: Queryable, userId: number, now: Date): Promise<void> {
  await db.query(
    'UPDATE users SET twofa_scheme = NULL, twofa_totp_key = NULL, twofa_totp_last_used_at = NULL, updated_on = $2 WHERE id = $1',
    [userId, utc(now)],
  );
  await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code'", [userId]);
}

/** Ends the user's "stay logged in" tokens (their sessions end through the account feature). */
export async function deleteAutologins(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'autologin'", [userId]);
}

/** Users with an active pairing (for switching two-factor authentication off for everyone). */
export async function findPairedUsers(db: Queryable): Promise<{ id: number; login: string }[]> {
  const rows = await db.query<{ id: number; login: string }>(
    "SELECT id, login FROM users WHERE type = 'User' AND (twofa_scheme IS NOT NULL OR twofa_totp_key IS NOT NULL) ORDER BY id",
  );
  return rows.map((r) => ({ id: Number(r.id), login: r.login }));
}

export interface StoredBackupCode {
  readonly id: number;
  readonly value: string;
}

export async function findBackupCodes(db: Queryable, userId: number): Promise<StoredBackupCode[]> {
  const rows = await db.query<{ id: number; value: string }>(
    "SELECT id, value FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code' ORDER BY id",
    [userId],
  );
  return rows.map((r) => ({ id: Number(r.id), value: r.value }));
}

export async function countBackupCodes(db: Queryable, userId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code'", [userId]);
  return Number(row?.n ?? 0);
}

/** Replaces the user's backup codes by these stored values. */
export async function replaceBackupCodes(db: Queryable, userId: number, values: readonly string[], now: Date): Promise<void> {
  await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code'", [userId]);
  for (const value of values) {
    await db.query("INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, 'twofa_backup_code', $2, $3, $3)", [userId, value, utc(now)]);
  }
}

/** Uses up one backup code: of two requests with the same code, only the one whose DELETE removes it. */
export async function claimBackupCode(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query("DELETE FROM tokens WHERE id = $1 AND user_id = $2 AND action = 'twofa_backup_code' RETURNING id", [id, userId]);
  return rows.length > 0;
}

/** Stores a pending sign-in step for the user, replacing any other of theirs (Redmine keeps one). */
export async function insertPendingSignIn(db: Queryable, userId: number, digest: string, now: Date): Promise<void> {
  await db.query("DELETE FROM tokens WHERE user_id = $1 AND action = 'twofa_session'", [userId]);
  await db.query("INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, 'twofa_session', $2, $3, $3)", [userId, digest, utc(now)]);
}

/** The user of the pending step with this digest, if it was made after `notBefore`. */
export async function findPendingSignIn(db: Queryable, digest: string, notBefore: Date): Promise<number | undefined> {
  const [row] = await db.query<{ user_id: number }>(
    "SELECT user_id FROM tokens WHERE action = 'twofa_session' AND value = $1 AND created_on > $2",
    [digest, utc(notBefore)],
  );
  return row ? Number(row.user_id) : undefined;
}

/**
 * Uses up the pending step with this digest (each step's token serves one attempt): the row is
 * deleted whatever its age, and its user returned only if it was made after `notBefore`. Of two
 * requests with the same token, only the one whose DELETE removes the row goes on.
 */
export async function claimPendingSignIn(db: Queryable, digest: string, notBefore: Date): Promise<number | undefined> {
  const [row] = await db.query<{ user_id: number; fresh: boolean }>(
    "DELETE FROM tokens WHERE action = 'twofa_session' AND value = $1 RETURNING user_id, created_on > $2 AS fresh",
    [digest, utc(notBefore)],
  );
  return row?.fresh ? Number(row.user_id) : undefined;
}

export async function deletePendingSignIn(db: Queryable, digest: string): Promise<void> {
  await db.query("DELETE FROM tokens WHERE action = 'twofa_session' AND value = $1", [digest]);
}
