/**
 * Throttled password checks as a request makes them (sign-in form, API Basic, password change; later
 * the 2FA step and sudo): the throttle's gate, the check itself, and what a failure entails — the
 * count, the audit row, and, when it soft-locks the account, one more audit row and one e-mail.
 */
import type { FastifyRequest } from 'fastify';
import { authenticate, findActiveUserByLogin, spendPasswordCheckTime, type User } from '#src/features/account/index.ts';
import { auditSourceOf, recordAudit } from '#src/features/audit/index.ts';
import { isLanguage, translator } from '#src/i18n/index.ts';
import { sendTenantMail } from '#src/mail/tenant-mail.ts';
import { nowOf } from '#src/http/clock.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { formatUserName } from '#src/views/format.ts';
import { softLockMail } from './throttle.mails.ts';
import { checkSignInAllowed, clearAccountFailures, recordAuthFailure } from './throttle.service.ts';

/** Where a password (or second factor) was tried; kept in the audit row. */
export type AuthChannel = 'sign_in' | 'api_basic' | 'password_change' | 'twofa' | 'sudo';

/**
 * May the request try a credential of `login` now? When not (soft lock, blocked address) the refused
 * attempt is counted and audited here, and the caller answers exactly as for a wrong credential.
 */
export async function checkAttemptAllowed(platform: Platform, request: FastifyRequest, login: string, channel: AuthChannel, now = nowOf(request)): Promise<boolean> {
  const gate = await checkSignInAllowed(tenantOf(request).db, platform.config.throttle, { login, ip: request.ip }, now);
  if (!gate.allowed) {
    await recordFailedAttempt(platform, request, login, channel, now);
  }
  return gate.allowed;
}

/**
 * Counts a failed attempt of the request on `login` (known or not), audits it with the login tried,
 * and when this failure soft-locks the account, audits the lock and e-mails the user once.
 */
export async function recordFailedAttempt(platform: Platform, request: FastifyRequest, login: string, channel: AuthChannel, now = nowOf(request)): Promise<void> {
  const ctx = tenantOf(request);
  const outcome = await recordAuthFailure(ctx.db, platform.config.throttle, { login, ip: request.ip }, now);
  const source = auditSourceOf(request);
  await recordAudit(ctx.db, { event: 'login.failure', source, target: { type: 'User', name: login }, details: { channel } });
  if (outcome.addressBlockedUntil) {
    request.log.warn({ category: 'auth', until: outcome.addressBlockedUntil.toISOString() }, 'client address blocked after repeated failed sign-ins');
  }
  const until = outcome.accountLockedUntil;
  if (!until) {
    return;
  }
  const user = await findActiveUserByLogin(ctx.db.orm, login);
  await recordAudit(ctx.db, {
    event: 'login.soft_lock',
    source,
    target: { type: 'User', id: user?.id ?? null, name: login },
    details: { channel, until: until.toISOString() },
  });
  request.log.warn({ category: 'auth', user: user?.id, until: until.toISOString() }, 'account soft-locked after repeated failed sign-ins');
  if (user?.mail) {
    // Not awaited: the answer must not take longer when the login is a real user's.
    void mailSoftLock(platform, request, user, until).catch((error: unknown) => {
      request.log.error({ category: 'mail', err: error }, 'soft lock mail failed');
    });
  }
}

async function mailSoftLock(platform: Platform, request: FastifyRequest, user: User, until: Date): Promise<void> {
  const { tenant, settings } = tenantOf(request);
  const t = translator(isLanguage(user.language) ? user.language : isLanguage(settings.default_language) ? settings.default_language : 'en');
  const mail = softLockMail(t, { name: formatUserName(user, settings.user_format), login: user.login, host: settings.host_name, ip: request.ip, until });
  await sendTenantMail(platform.mailer, tenant, settings, { to: [user.mail ?? ''], ...mail });
}

/**
 * Checks `login` and `password` under the throttle: the active user when the attempt is allowed and
 * the password right; otherwise undefined, the failure counted — an unknown login, a wrong password,
 * an inactive user, a soft lock and a blocked address all look alike and take alike. A password that
 * completes the sign-in (no second factor follows) clears the account's failures; for a 2FA user the
 * step that accepts the code does (`clearAccountFailures`).
 */
export async function authenticateThrottled(
  platform: Platform,
  request: FastifyRequest,
  login: string,
  password: string,
  channel: AuthChannel,
  now = nowOf(request),
): Promise<User | undefined> {
  const user = await verifyThrottled(platform, request, login, password, now);
  if (!user) {
    await recordFailedAttempt(platform, request, login, channel, now);
  }
  return user;
}

/**
 * The first half of `authenticateThrottled`, for a caller with a fallback before it counts a failure
 * (API Basic tries the user name as an API key, as Redmine does): nothing is counted here.
 */
export async function verifyThrottled(platform: Platform, request: FastifyRequest, login: string, password: string, now = nowOf(request)): Promise<User | undefined> {
  const db = tenantOf(request).db;
  const gate = await checkSignInAllowed(db, platform.config.throttle, { login, ip: request.ip }, now);
  if (!gate.allowed) {
    await spendPasswordCheckTime(password);
    return undefined;
  }
  const user = await authenticate(db.orm, login, password, now);
  if (user && !user.twofaScheme && gate.accountHasFailures) {
    await clearAccountFailures(db, login);
  }
  return user;
}

/** Audits a completed interactive sign-in (API Basic requests are not: they sign in on every request). */
export async function recordSignInSuccess(request: FastifyRequest, user: User): Promise<void> {
  await recordAudit(tenantOf(request).db, { event: 'login.success', source: auditSourceOf(request, user), target: { type: 'User', id: user.id, name: user.login } });
}
