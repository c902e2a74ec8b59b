/**
 * Time-based one-time passwords (RFC 6238) as security.md §5 fixes them: HMAC-SHA-1, 6 digits, 30 s
 * steps, a secret of 20 random bytes (32 Base32 characters), codes of the previous, current and next
 * step accepted. Pure: the clock and the last accepted step are arguments.
 *
 * "Last used" is kept as Redmine keeps `users.twofa_totp_last_used_at`: the Unix time (seconds) at
 * which the accepted code's step began. A code is accepted only when its step began later than that,
 * so a code works once, and no code older than one already used works at all — also for users
 * imported from Redmine, whose column holds the same kind of value.
 */
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted on either side of the current one (clock drift between server and phone). */
export const TOTP_WINDOW = 1;

/** A new secret: 20 random bytes in Base32 (what authenticator apps are given). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/{issuer}:{login}?secret=…&issuer=…` URI an authenticator app scans. */
export function totpUri(secret: string, issuer: string, login: string): string {
  return new TOTP({
    issuer,
    label: login,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The secret in groups of four characters, as it is shown for typing by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A typed code without its white space (`12 34 56` is `123456`), or undefined when it cannot be one. */
export function normalizeTotpCode(typed: string): string | undefined {
  const code = typed.replace(/\s+/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code) ? code : undefined;
}

export type TotpCheck =
  /** `usedAt`: the start (Unix seconds) of the step the code belongs to, to be stored as last used. */
  | { readonly kind: 'accepted'; readonly usedAt: number }
  /** A right code of a step not later than the last one accepted: used before (or older than that). */
  | { readonly kind: 'replayed' }
  | { readonly kind: 'invalid' };

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Checks a typed code against `secret` (Base32) at `now`. `lastUsedAt` is the stored last-used value
 * (null: no code accepted yet).
 */
export function checkTotp(secret: string, typed: string, now: Date, lastUsedAt: number | null): TotpCheck {
  const code = normalizeTotpCode(typed);
  if (!code) {
    return { kind: 'invalid' };
  }
  const key = Secret.fromBase32(secret);
  const current = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
  let matched = false;
  let accepted: number | undefined;
  // Every step of the window is computed, matching or not, so the time taken says nothing.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (!sameCode(HOTP.generate({ secret: key, algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step }), code)) {
      continue;
    }
    matched = true;
    const startedAt = step * TOTP_PERIOD_SECONDS;
    if (lastUsedAt === null || startedAt > lastUsedAt) {
      accepted = startedAt;
    }
  }
  if (accepted !== undefined) {
    return { kind: 'accepted', usedAt: accepted };
  }
  return matched ? { kind: 'replayed' } : { kind: 'invalid' };
}
