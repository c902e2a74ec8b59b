/**
 * Application-level encryption of small secrets kept in a database column (TOTP keys, security.md
 * §12): AES-256-GCM with a fresh 96-bit IV per value and a 128-bit tag, so a changed byte or a value
 * moved to another row (a different `context`) fails to decrypt instead of yielding a wrong secret.
 *
 * Stored form: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The version names the algorithm and
 * layout, so a later format (or a rotated key id) can be told apart from values written today.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const PART = /^[A-Za-z0-9_-]*$/;

/** A stored value that cannot be decrypted with this key and context (tampered, truncated, foreign). */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new Error(`an AES-256 key has ${KEY_BYTES} bytes, not ${key.length}`);
  }
}

/**
 * Encrypts `plaintext` (UTF-8) under `key`. `context` is authenticated but not stored: decrypting
 * needs the same one (e.g. the table, column and row the value belongs to).
 */
export function encryptText(key: Buffer, plaintext: string, context = ''): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
}

/** The plaintext of a value made by `encryptText` with this key and context; DecryptionError otherwise. */
export function decryptText(key: Buffer, stored: string, context = ''): string {
  assertKey(key);
  const parts = stored.split(':');
  const [version, ivText, tagText, dataText] = parts;
  if (parts.length !== 4 || version !== VERSION || ivText === undefined || tagText === undefined || dataText === undefined) {
    throw new DecryptionError('not an encrypted value of a known version');
  }
  if (![ivText, tagText, dataText].every((part) => PART.test(part))) {
    throw new DecryptionError('malformed encrypted value');
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new DecryptionError('malformed encrypted value');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('the value does not authenticate under this key and context');
  }
}
