/**
 * An administrator lifts a user's soft lock (security.md §6): `POST /users/:id/sign_in_lock/delete`,
 * from the notice on the user's edit page (SignInLockNotice). Administrators only, in sudo mode
 * (features/sudo lists the route), CSRF-checked as every form; the lock, its failures and its lock
 * series are forgotten (as after a password reset) and the change is audited (`login.unlock`).
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '#src/errors.ts';
import { requireAdministrator } from '#src/features/admin/index.ts';
import { auditSourceOf, recordAudit } from '#src/features/audit/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { accountLockedUntil, clearAccountLock } from './throttle.service.ts';

export async function throttlePages(app: FastifyInstance): Promise<void> {
  app.post('/users/:id/sign_in_lock/delete', async (request, reply) => {
    await requireAdministrator(request);
    const { db } = tenantOf(request);
    const id = (request.params as { id: string }).id;
    const [user] = /^\d{1,9}$/.test(id) ? await db.query<{ id: number; login: string }>("SELECT id, login FROM users WHERE id = $1 AND type = 'User'", [Number(id)]) : [];
    if (!user) {
      throw new NotFoundError('no such user');
    }
    const until = await accountLockedUntil(db, user.login, nowOf(request));
    await clearAccountLock(db, user.login);
    if (until) {
      await recordAudit(db, {
        event: 'login.unlock',
        source: auditSourceOf(request),
        target: { type: 'User', id: Number(user.id), name: user.login },
        details: { locked_until: until.toISOString() },
      });
      request.log.info({ category: 'auth', user: Number(user.id) }, 'sign-in lock lifted by an administrator');
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/users/${Number(user.id)}/edit`, 303);
  });
}
