/**
 * Two-factor authentication copied from Redmine (security.md §5), made Kanri's: run once by the
 * operator after the tenant's tables were filled from a Redmine database
 * (`kanri tenant import-redmine-secrets ACCOUNT --cipher-key-file F`).
 * - `users.twofa_totp_key` in Redmine's form: `aes-256-cbc:<base64 ciphertext>--<base64 IV>` under the
 *   first 32 characters of the hex SHA-256 of the source's `database_cipher_key` (Redmine's
 *   Ciphering), or the Base32 secret in clear when the source had no cipher key. Each becomes
 *   AES-256-GCM under the tenant's key (lib/encryption.ts), as an enrolment writes it.
 * - Backup codes (`tokens` rows `twofa_backup_code`): Redmine keeps the 12 hex characters in clear;
 *   each becomes Kanri's salted MAC (backup-codes.ts).
 * Values already in Kanri's form are left alone, so running it twice changes nothing. A secret that
 * does not decrypt (wrong cipher key, damaged row) is reported and left as it was: that user's codes
 * are refused until the right key is given or an administrator resets their 2FA. One transaction.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import type { Database } from '#src/db/database.ts';
import { decryptText, encryptText } from '#src/lib/encryption.ts';
import { hashBackupCode, normalizeBackupCode } from './backup-codes.ts';
import { keyContext, type TwofaContext } from './twofa.service.ts';

const REDMINE_PREFIX = 'aes-256-cbc:';
/** A TOTP secret as Redmine (ROTP) writes it: Base32. */
const BASE32 = /^[A-Z2-7]+=*$/;

export interface TwofaImportOutcome {
  /** Secrets re-encrypted under the tenant's key. */
  readonly secrets: number;
  /** Backup codes hashed. */
  readonly backupCodes: number;
  /** Values already in Kanri's form. */
  readonly unchanged: number;
  /** Users whose secret could not be read: login and why. */
  readonly failures: readonly { readonly login: string; readonly reason: string }[];
}

/** Redmine's key: the first 32 characters of the hex SHA-256 of `database_cipher_key`, as bytes. */
function redmineKey(cipherKey: string): Buffer {
  return Buffer.from(createHash('sha256').update(cipherKey, 'utf8').digest('hex').slice(0, 32), 'utf8');
}

/** The clear secret of a Redmine value, or why not. */
function redmineSecret(value: string, cipherKey: string | undefined): { secret: string } | { reason: string } {
  let clear = value;
  if (value.startsWith(REDMINE_PREFIX)) {
    if (cipherKey === undefined) {
      return { reason: 'encrypted by Redmine: the cipher key is needed (--cipher-key-file)' };
    }
    const [data, iv] = value.slice(REDMINE_PREFIX.length).split('--').map((part) => Buffer.from(part, 'base64'));
    if (!data || !iv || iv.length !== 16) {
      return { reason: 'not a Redmine aes-256-cbc value' };
    }
    try {
      const decipher = createDecipheriv('aes-256-cbc', redmineKey(cipherKey), iv);
      clear = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      return { reason: 'does not decrypt with this cipher key' };
    }
  }
  const secret = clear.trim().toUpperCase();
  return BASE32.test(secret) && secret.length >= 16 ? { secret } : { reason: cipherKey === undefined || value.startsWith(REDMINE_PREFIX) ? 'not a Base32 secret (wrong cipher key?)' : 'not a Base32 secret' };
}

function isKanriSecret(keys: TwofaContext['keys'], userId: number, value: string): boolean {
  try {
    decryptText(keys.secret, value, keyContext(userId));
    return true;
  } catch {
    return false;
  }
}

/** Converts the tenant's Redmine 2FA secrets and backup codes (see the module comment). */
export async function importRedmineTwofaSecrets(db: Database, keys: TwofaContext['keys'], cipherKey: string | undefined): Promise<TwofaImportOutcome> {
  return db.transaction(async (tx) => {
    let secrets = 0;
    let unchanged = 0;
    let backupCodes = 0;
    const failures: { login: string; reason: string }[] = [];
    const users = await tx.query<{ id: number; login: string; twofa_totp_key: string }>(
      "SELECT id, login, twofa_totp_key FROM users WHERE type = 'User' AND twofa_totp_key IS NOT NULL AND twofa_totp_key <> '' ORDER BY id FOR UPDATE",
    );
    for (const user of users) {
      const id = Number(user.id);
      if (isKanriSecret(keys, id, user.twofa_totp_key)) {
        unchanged++;
        continue;
      }
      const read = redmineSecret(user.twofa_totp_key, cipherKey);
      if ('reason' in read) {
        failures.push({ login: user.login, reason: read.reason });
        continue;
      }
      await tx.query('UPDATE users SET twofa_totp_key = $2 WHERE id = $1', [id, encryptText(keys.secret, read.secret, keyContext(id))]);
      secrets++;
    }
    const codes = await tx.query<{ id: number; value: string }>("SELECT id, value FROM tokens WHERE action = 'twofa_backup_code' ORDER BY id FOR UPDATE");
    for (const row of codes) {
      const code = normalizeBackupCode(row.value ?? '');
      if (code === undefined) {
        // Kanri's own form (`b1$…`), or nothing a user could type: left alone.
        unchanged++;
        continue;
      }
      await tx.query('UPDATE tokens SET value = $2 WHERE id = $1', [Number(row.id), hashBackupCode(keys.backupCodes, code)]);
      backupCodes++;
    }
    return { secrets, backupCodes, unchanged, failures };
  });
}
