/**
 * Backup codes (security.md §5): 10 per user, each 12 lower-case hex characters (48 random bits),
 * shown as `xxxx xxxx xxxx` and typed in any case and spacing. Kept as Redmine's `tokens` rows with
 * action `twofa_backup_code`, but the value is a salted HMAC of the code under a key of the tenant
 * (derived from the platform secret), never the code: a copy of the table alone does not give the
 * codes, nor lets anyone test guesses offline.
 *
 * Stored form (fits `tokens.value`, 64 characters): `b1$<salt>$<mac>`, base64url.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const BACKUP_CODE_COUNT = 10;
const CODE = /^[0-9a-f]{12}$/;
const VERSION = 'b1';

/** Ten new codes, as the user will type them (no spaces). */
export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => randomBytes(6).toString('hex'));
}

/** `0123 4567 89ab`. */
export function formatBackupCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A typed code without white space, lower-cased; undefined when it cannot be a backup code. */
export function normalizeBackupCode(typed: string): string | undefined {
  const code = typed.replace(/\s+/g, '').toLowerCase();
  return CODE.test(code) ? code : undefined;
}

function mac(key: Buffer, salt: Buffer, code: string): Buffer {
  return createHmac('sha256', key).update(salt).update(code).digest();
}

/** What is stored for `code` (normalised). */
export function hashBackupCode(key: Buffer, code: string): string {
  const salt = randomBytes(9);
  return [VERSION, salt.toString('base64url'), mac(key, salt, code).toString('base64url')].join('$');
}

/** Does the stored value belong to `code` (normalised)? Compared in constant time. */
export function backupCodeMatches(key: Buffer, code: string, stored: string): boolean {
  const [version, saltText, macText] = stored.split('$');
  if (version !== VERSION || !saltText || !macText) {
    return false;
  }
  const expected = mac(key, Buffer.from(saltText, 'base64url'), code);
  const given = Buffer.from(macText, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
