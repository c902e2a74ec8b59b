/**
 * Entering and extending sudo mode of a session: the guard (sudo.guard.tsx) after a right password,
 * single sign-on (features/oidc) after the provider authenticated the user again.
 */
import type { FastifyRequest } from 'fastify';
import type { User } from '#src/features/account/index.ts';
import { auditSourceOf, recordAudit } from '#src/features/audit/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { setSudoUntil } from './sudo.repository.ts';

/** How long sudo mode lasts after its last use (Redmine: 15 minutes). */
export const SUDO_TIMEOUT_MS = 15 * 60_000;

/** Extends sudo mode of a session that is in it (each use counts from now). */
export async function extendSudo(request: FastifyRequest, sessionToken: string): Promise<void> {
  const now = nowOf(request);
  await setSudoUntil(tenantOf(request).db, sessionToken, new Date(now.getTime() + SUDO_TIMEOUT_MS), now);
}

/** Starts sudo mode after the user proved who they are (`method`: how), logged and audited. */
export async function startSudo(request: FastifyRequest, user: User, sessionToken: string, method: 'password' | 'oidc'): Promise<void> {
  await extendSudo(request, sessionToken);
  request.log.info({ category: 'auth', user: user.id, method }, 'sudo mode entered');
  await recordAudit(tenantOf(request).db, {
    event: 'sudo.start',
    source: auditSourceOf(request, user),
    target: { type: 'User', id: user.id, name: user.login },
    details: { method },
  });
}
