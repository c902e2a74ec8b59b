/**
 * Required enrolment (Redmine's check_twofa_activation, security.md §5): a signed-in user whom the
 * tenant requires to use two-factor authentication (`twofa` = 2; = 3 and administrator; 1 or 3 and in
 * a group that requires it) and who has not enrolled is sent to the enrolment page from every page,
 * until enrolled. Signing out, the enrolment pages themselves, and the password change that a
 * must-change-password user is held on stay reachable. API requests (keys) are not pages: untouched.
 *
 * Registered first among the page plugins, so its hook runs for every page route after the session
 * and page guard hooks.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiFormatOf } from '#src/api/format.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { isTwofaRequired } from './twofa.service.ts';

/** Where an unenrolled user who must enrol is sent. */
export const ENROLMENT_PAGE = '/my/twofa/totp/activate/confirm';

const REACHABLE: ReadonlySet<string> = new Set([
  '/logout',
  '/login',
  '/my/password',
  '/my/twofa/select_scheme',
  '/my/twofa/activate/init',
  '/my/twofa/totp/activate/init',
  '/my/twofa/totp/activate/confirm',
  '/my/twofa/totp/activate',
]);

async function twofaEnforcementPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request, reply) => {
    const user = request.user;
    if (!user || user.twofaScheme || !request.tenantContext || apiFormatOf(request.url)) {
      return undefined;
    }
    const { db, settings, dataVersion } = tenantOf(request);
    if (settings.twofa === '0' || REACHABLE.has(request.url.split('?')[0] ?? '')) {
      return undefined;
    }
    // Group memberships change only by commits: asked once per user and data version.
    const required = await memoAsOf(db, `twofa-required\u0001${user.id}:${user.admin}:${settings.twofa}`, dataVersion, () =>
      isTwofaRequired(db, settings, user),
    );
    if (!required) {
      return undefined;
    }
    if (request.headers['x-requested-with'] === 'XMLHttpRequest') {
      return reply.status(403).send();
    }
    return reply.redirect(ENROLMENT_PAGE, request.method === 'GET' || request.method === 'HEAD' ? 302 : 303);
  });
}

export const twofaEnforcement = fp(twofaEnforcementPlugin, { name: 'kanri-twofa-enforcement' });
