/**
 * New backup codes are shown once, on the page the generating form redirects to (Redmine passes them
 * in the flash). Only hashes are stored, so the codes travel to that one page in a short-lived cookie,
 * encrypted (AES-256-GCM, a key of the tenant) and bound to the user; the page clears it as it shows
 * them. A reload, another user, or five minutes later: nothing to show.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { nowOf } from '#src/http/clock.ts';
import { cookieName, isSecureRequest } from '#src/http/cookies.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { decryptText, encryptText } from '#src/lib/encryption.ts';
import { deriveKey } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';

const COOKIE = '_kanri_twofa_codes';
const PATH = '/my/twofa/backup_codes';
const SHOWN_FOR_SECONDS = 5 * 60;

export interface ShownBackupCodes {
  readonly codes: readonly string[];
  readonly createdAt: Date;
}

function keyOf(platform: Platform, request: FastifyRequest): Buffer {
  return deriveKey(platform.secret, 'twofa-backup-codes-display', tenantOf(request).tenant.account);
}

const contextOf = (userId: number) => `twofa-backup-codes-display:${userId}`;

export function showBackupCodesOnce(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  shown: { readonly userId: number; readonly codes: readonly string[]; readonly createdAt: Date },
): void {
  const sealed = encryptText(keyOf(platform, request), JSON.stringify({ codes: shown.codes, at: shown.createdAt.getTime() }), contextOf(shown.userId));
  reply.setCookie(cookieName(request, COOKIE, PATH), sealed, { path: PATH, httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request), maxAge: SHOWN_FOR_SECONDS });
}

/** The codes to show now to `userId`, if any; the cookie is cleared either way. */
export function readShownBackupCodes(platform: Platform, request: FastifyRequest, reply: FastifyReply, userId: number): ShownBackupCodes | undefined {
  const name = cookieName(request, COOKIE, PATH);
  const sealed = request.cookies[name];
  if (!sealed) {
    return undefined;
  }
  reply.clearCookie(name, { path: PATH, secure: isSecureRequest(request) });
  let parsed: unknown;
  try {
    parsed = JSON.parse(decryptText(keyOf(platform, request), sealed, contextOf(userId)));
  } catch {
    return undefined;
  }
  const { codes, at } = (parsed ?? {}) as { codes?: unknown; at?: unknown };
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && /^[0-9a-f]{12}$/.test(c)) || typeof at !== 'number') {
    return undefined;
  }
  const age = nowOf(request).getTime() - at;
  return age >= 0 && age < SHOWN_FOR_SECONDS * 1000 ? { codes: codes as string[], createdAt: new Date(at) } : undefined;
}
