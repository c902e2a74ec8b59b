/**
 * SQL of password links and of the accounts they are for. A link lets a user set a password without
 * knowing the current one; links are rows of Redmine's
 * `tokens` table: `recovery` (lost password, asked for by the user) and `set_password` (sent by an
 * administrator with the account information). The link carries 256 random bits; the table keeps only
 * their SHA-256, so reading the table yields no usable link. A user has at most one live link: a new
 * one replaces any other of either kind.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '#src/db/database.ts';

export type PasswordTokenAction = 'recovery' | 'set_password';

/** How long a link works after it was made. */
export const PASSWORD_TOKEN_VALIDITY_MS: Readonly<Record<PasswordTokenAction, number>> = {
  recovery: 24 * 3600_000,
  set_password: 72 * 3600_000,
};

// Both kinds of PASSWORD_TOKEN_VALIDITY_MS.
const ACTIONS_SQL = "action IN ('recovery', 'set_password')";

/** What the tokens table would hold for this link (also computed for links that name nobody). */
export function passwordTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link token: 32 random bytes, base64url (43 characters). */
export function newPasswordToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens look like this; anything else is refused before the database is asked. */
export const PASSWORD_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

// Timestamps go in as UTC text, as Drizzle writes them: the columns have no time zone.
const utc = (date: Date) => date.toISOString();

/** Stores `digest` as the user's one live password link of this kind, removing any other. */
export async function replacePasswordToken(db: Queryable, userId: number, action: PasswordTokenAction, digest: string, now: Date): Promise<void> {
  await db.query(`DELETE FROM tokens WHERE user_id = $1 AND ${ACTIONS_SQL}`, [userId]);
  await db.query('INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, $2, $3, $4, $4)', [userId, action, digest, utc(now)]);
}

export interface LivePasswordToken {
  readonly userId: number;
  readonly action: PasswordTokenAction;
}

/** The live link with this digest (made less than its validity ago), if any. */
export async function findLivePasswordToken(db: Queryable, digest: string, now: Date): Promise<LivePasswordToken | undefined> {
  const [row] = await db.query<{ user_id: number; action: PasswordTokenAction }>(
    `SELECT user_id, action FROM tokens
      WHERE value = $1 AND ((action = 'recovery' AND created_on > $2) OR (action = 'set_password' AND created_on > $3))
      LIMIT 1`,
    [digest, utc(new Date(now.getTime() - PASSWORD_TOKEN_VALIDITY_MS.recovery)), utc(new Date(now.getTime() - PASSWORD_TOKEN_VALIDITY_MS.set_password))],
  );
  return row ? { userId: Number(row.user_id), action: row.action } : undefined;
}

/**
 * Uses up the live link with this digest, in the caller's transaction: of two requests racing with the
 * same link, only the one whose DELETE removes the row goes on.
 */
export async function claimPasswordToken(db: Queryable, digest: string, now: Date): Promise<LivePasswordToken | undefined> {
  const found = await findLivePasswordToken(db, digest, now);
  if (!found) {
    return undefined;
  }
  const deleted = await db.query('DELETE FROM tokens WHERE value = $1 AND action = $2 RETURNING id', [digest, found.action]);
  return deleted.length > 0 ? found : undefined;
}

/** Removes the user's password links (the address they went to changed, or a password was set). */
export async function deletePasswordTokensOf(db: Queryable, userId: number): Promise<void> {
  await db.query(`DELETE FROM tokens WHERE user_id = $1 AND ${ACTIONS_SQL}`, [userId]);
}

/** What decides whether an account may receive and use a password link. */
export interface PasswordAccount {
  readonly userId: number;
  readonly status: number;
  /** Signs in through an authentication source (LDAP): no local password to set. */
  readonly external: boolean;
}

/** The account (a User, whatever its status) one of whose addresses is `address`, ignoring case. */
export async function findAccountByMail(db: Queryable, address: string): Promise<(PasswordAccount & { readonly address: string }) | undefined> {
  const [row] = await db.query<{ id: number; status: number; external: boolean; address: string }>(
    `SELECT u.id, u.status, u.auth_source_id IS NOT NULL AS external, ea.address
       FROM email_addresses ea JOIN users u ON u.id = ea.user_id AND u.type = 'User'
      WHERE lower(ea.address) = lower($1)
      LIMIT 1`,
    [address],
  );
  return row ? { userId: Number(row.id), status: Number(row.status), external: row.external, address: row.address } : undefined;
}

export async function findPasswordAccount(db: Queryable, userId: number): Promise<PasswordAccount | undefined> {
  const [row] = await db.query<{ id: number; status: number; external: boolean }>(
    "SELECT id, status, auth_source_id IS NOT NULL AS external FROM users WHERE id = $1 AND type = 'User'",
    [userId],
  );
  return row ? { userId: Number(row.id), status: Number(row.status), external: row.external } : undefined;
}
