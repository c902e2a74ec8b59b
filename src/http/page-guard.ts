/**
 * Rules every page request obeys, in one place so no route can forget them:
 * - a state-changing page request (anything but GET/HEAD) must carry the form's CSRF token
 *   (`authenticity_token` in the body, or the `X-CSRF-Token` header of a client island); without it
 *   the request is answered 422, nothing runs, and the browser is signed out (Redmine);
 * - with "Authentication required" on, an anonymous visitor is sent to the sign-in page, except for
 *   the pages that lead there.
 * API requests (`.json`/`.xml`) have their own rules (api/api-auth.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiFormatOf } from '#src/api/format.ts';
import type { Platform } from '#src/platform/platform.ts';
import { isValidCsrfToken } from './csrf.ts';
import { sendError } from './errors.tsx';
import { signOutUnverified } from './session.ts';
import { pageLanguage, tenantOf } from './tenant-context.ts';
import { translator } from '#src/i18n/index.ts';

/** Pages an anonymous visitor may open while authentication is required. */
const PUBLIC_PAGES = new Set(['/login', '/logout', '/account/lost_password', '/account/register', '/account/activate', '/account/twofa/confirm', '/account/twofa', '/auth/oidc', '/auth/oidc/callback']);

function isStateChanging(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

async function pageGuardPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.addHook('preHandler', async (request, reply) => {
    if (!request.tenantContext || request.is404 || request.routeOptions.config.tenantless || apiFormatOf(request.url)) {
      return undefined;
    }
    if (isStateChanging(request.method)) {
      const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
      const given = body.authenticity_token ?? request.headers['x-csrf-token'];
      if (!isValidCsrfToken(platform, request, given)) {
        request.log.warn({ category: 'security', path: request.url.split('?')[0] }, 'form post without a valid CSRF token refused');
        await signOutUnverified(request, reply);
        const t = translator(pageLanguage(request, request.user?.language));
        return sendError(request, reply, 422, [t('error_invalid_authenticity_token')], platform);
      }
    }
    const path = request.url.split('?')[0] ?? '';
    if (!request.user && tenantOf(request).settings.login_required === '1' && !PUBLIC_PAGES.has(path)) {
      if (isStateChanging(request.method)) {
        return sendError(request, reply, 401);
      }
      return reply.redirect(`/login?back_url=${encodeURIComponent(request.url)}`);
    }
    return undefined;
  });
}

export const pageGuard = fp(pageGuardPlugin, { name: 'kanri-page-guard', dependencies: ['kanri-session'] });
