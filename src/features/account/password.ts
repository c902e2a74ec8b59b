/**
 * Password hashing. New hashes are argon2id; hashes copied from Redmine (SHA-1 of salt + SHA-1 of the
 * password) are still verified so imported users can sign in (and get re-hashed then).
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/** argon2id's cost: memory in KiB, passes, lanes (the PHC string's m, t and p). */
export interface HashCost {
  readonly memoryKib: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** The library's defaults (64 MiB, 3 passes, 4 lanes): well above OWASP's floor of 19 MiB, 2, 1. */
export const DEFAULT_HASH_COST: HashCost = { memoryKib: 65_536, timeCost: 3, parallelism: 4 };

/**
 * The cost new hashes get in this process. It is process configuration like the log level — set
 * once at start-up from KANRI_ARGON2_* (openPlatform) — rather than a parameter of every caller.
 */
let cost: HashCost = DEFAULT_HASH_COST;

export function setHashCost(next: HashCost): void {
  cost = next;
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: cost.parallelism });
}

export interface StoredPassword {
  readonly hashedPassword: string;
  readonly salt: string | null;
}

/**
 * Passwords verified recently, so API clients that send Basic credentials on every request do not
 * pay a full argon2 verification each time (Redmine's clients do exactly that). The key is an HMAC,
 * under a key that lives only in this process, of the stored hash and the password: changing the
 * password changes the stored hash and so retires the entry; failures are never remembered, so a
 * wrong guess always costs the full hashing time.
 */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 10_000;
const verifiedKey = randomBytes(32);
const verified = new Map<string, number>();

function verifiedCacheKey(stored: StoredPassword, password: string): string {
  return createHmac('sha256', verifiedKey).update(stored.hashedPassword).update('\0').update(password).digest('base64');
}

async function verifyArgon2(stored: StoredPassword, password: string): Promise<boolean> {
  const key = verifiedCacheKey(stored, password);
  const until = verified.get(key);
  if (until !== undefined && until > Date.now()) {
    return true;
  }
  let ok: boolean;
  try {
    ok = await argon2.verify(stored.hashedPassword, password);
  } catch {
    ok = false;
  }
  if (ok) {
    verified.delete(key);
    verified.set(key, Date.now() + VERIFIED_TTL_MS);
    if (verified.size > VERIFIED_MAX) {
      // Maps iterate in insertion order: the first key is the oldest.
      verified.delete(verified.keys().next().value ?? '');
    }
  }
  return ok;
}

export async function verifyPassword(stored: StoredPassword, password: string): Promise<boolean> {
  if (stored.hashedPassword.startsWith('$argon2')) {
    return verifyArgon2(stored, password);
  }
  if (/^[0-9a-f]{40}$/.test(stored.hashedPassword)) {
    // Redmine: SHA-1 hex of (salt + SHA-1 hex of the UTF-8 password). Accounts from before Redmine
    // salted passwords have no salt, and their hash is the plain SHA-1 of the password.
    const inner = createHash('sha1').update(password).digest('hex');
    const expected = stored.salt ? createHash('sha1').update(stored.salt + inner).digest() : Buffer.from(inner, 'hex');
    return timingSafeEqual(expected, Buffer.from(stored.hashedPassword, 'hex'));
  }
  return false;
}

/** True when a successful sign-in should store a fresh argon2id hash. */
export function needsRehash(stored: StoredPassword): boolean {
  if (!stored.hashedPassword.startsWith('$argon2id$')) {
    return true;
  }
  // `$argon2id$v=19$m=65536,p=4,t=3$…` (any order): re-hash when the configured cost has risen since.
  const params = new Map(
    (stored.hashedPassword.split('$')[3] ?? '').split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), Number(pair.slice(pair.indexOf('=') + 1))] as const),
  );
  const memory = params.get('m') ?? 0;
  const passes = params.get('t') ?? 0;
  return memory < cost.memoryKib || passes < cost.timeCost;
}

// No 0/O, 1/l/I: a one-time password is read off a terminal and typed by hand.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password for a first administrator, 20 characters (~117 bits). */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHABET[randomInt(ALPHABET.length)];
  }
  return out;
}

/** A hash to verify against when the login does not exist, so both answers take as long. */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(generatePassword());
  return dummyHash;
}
