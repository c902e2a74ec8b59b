/**
 * Sudo mode (security.md §4, Redmine's SudoMode): before a sensitive change (sudo.routes.ts) a signed-in
 * user gives their password again. One preHandler hook, after the page guard's CSRF check, decides for
 * every listed route, so no route can forget it:
 * - the session is in sudo mode (its `sudo_until` is ahead): the request runs, and sudo mode lasts
 *   another 15 minutes from now (Redmine: 15 minutes after last use);
 * - otherwise the answer is a password prompt (200), no-store. For a POST it carries every field of the
 *   original form as hidden inputs and posts to the same URL, so the right password sets sudo mode and
 *   runs the original action with the original fields; a wrong one prompts again (422, "Invalid
 *   password") and counts as a failed attempt in the throttle (channel 'sudo'), as a soft-locked
 *   account's or blocked address's attempt does. For a GET the prompt posts to /sudo_mode, which
 *   returns to the page. A file upload (multipart) cannot be carried along: refused with a prompt that
 *   leads back, and a message saying so.
 * Sudo mode belongs to the session (`kanri_session_details.sudo_until`): a new sign-in starts without it.
 * Off with KANRI_SUDO_MODE=0 (Redmine's `sudo_mode` in configuration.yml). API requests are not
 * concerned (Redmine too). A session signed in by single sign-on (OpenID Connect) confirms at the
 * provider, which is asked to authenticate the user again; then the page the user came from opens again
 * (a form is sent again by the user: it cannot travel through the provider). A user without a local
 * password and no provider (an authentication source's account) is let through.
 * A user the route refuses (sudo.access.ts) is not prompted: the route answers 403/404 itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { apiFormatOf } from '#src/api/format.ts';
import { spendPasswordCheckTime, type User } from '#src/features/account/index.ts';
import { verifyPassword, type StoredPassword } from '#src/features/account/password.ts';
import { isPasswordTooLong } from '#src/features/account/password-policy.ts';
import { findPasswordOf } from '#src/features/account/user.repository.ts';
import { oidcSignInOffer } from '#src/features/oidc/index.ts';
import { checkAttemptAllowed, recordFailedAttempt } from '#src/features/throttle/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { findSudoState } from './sudo.repository.ts';
import { extendSudo, startSudo } from './sudo.start.ts';
import { mayUseSudoRoute } from './sudo.access.ts';
import { sudoRouteOf } from './sudo.routes.ts';
import { SudoOidcPrompt, SudoPrompt } from './views/sudo-prompt.tsx';

/** Where the prompt of a GET page posts the password. */
export const SUDO_PATH = '/sudo_mode';

/**
 * Sign-in methods whose user proved who they are elsewhere and may have no password they know (a user
 * created by single sign-on gets an unusable one): such a session confirms at the provider instead
 * (features/oidc: `POST /auth/oidc/sudo`, an authorization request with `prompt=login`, `max_age=0`).
 */
const SSO_METHODS = new Set(['oidc']);

/** Fields of a form that are not carried into the prompt: the prompt sends its own. */
const NOT_CARRIED = new Set(['authenticity_token', 'sudo_password', 'utf8', '_method']);

/** The name/value pairs of a parsed form body in Rails bracket notation, to send again as they came. */
export function formFields(params: Params): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (name: string, value: ParamValue): void => {
    if (value === null) {
      pairs.push([name, '']);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        add(`${name}[]`, item);
      }
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        add(`${name}[${key}]`, inner);
      }
    } else {
      pairs.push([name, String(value)]);
    }
  };
  for (const [key, value] of Object.entries(params)) {
    if (!NOT_CARRIED.has(key)) {
      add(key, value);
    }
  }
  return pairs;
}

function bodyOf(request: FastifyRequest): Params {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
}

function isMultipart(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
}

/** The user's stored password, or undefined when they have none to give (single sign-on). */
async function localPasswordOf(request: FastifyRequest, user: User): Promise<StoredPassword | undefined> {
  const stored = await findPasswordOf(tenantOf(request).db.orm, user.id);
  return stored && stored.hashedPassword !== '' ? stored : undefined;
}

/**
 * Checks the password given for sudo mode under the throttle; a wrong one (or any while the account is
 * soft-locked or the address blocked) is counted and audited, and takes as long as a right one.
 */
async function passwordConfirmed(platform: Platform, request: FastifyRequest, user: User, stored: StoredPassword, given: string): Promise<boolean> {
  if (!(await checkAttemptAllowed(platform, request, user.login, 'sudo'))) {
    await spendPasswordCheckTime(given);
    return false;
  }
  if (given !== '' && !isPasswordTooLong(given) && (await verifyPassword(stored, given))) {
    return true;
  }
  await recordFailedAttempt(platform, request, user.login, 'sudo');
  return false;
}

interface Prompt {
  readonly status: number;
  readonly action: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly error?: MessageKey | undefined;
}

function sendPrompt(platform: Platform, request: FastifyRequest, reply: FastifyReply, prompt: Prompt) {
  const lostPassword = tenantOf(request).settings.lost_password === '1';
  const error = prompt.error;
  return sendPage(platform, request, reply, {
    status: prompt.status,
    title: (t) => t('label_password_required'),
    ...(error ? { flash: { kind: 'error' as const, message: (t) => t(error) } } : {}),
    body: ({ t, csrfToken }) => <SudoPrompt t={t} csrfToken={csrfToken} action={prompt.action} fields={prompt.fields} lostPassword={lostPassword} />,
  });
}

/** The prompt that sets sudo mode and then opens `backUrl` again (a GET page, or the page of a refused upload). */
function promptForPage(platform: Platform, request: FastifyRequest, reply: FastifyReply, backUrl: string, status: number, error?: MessageKey) {
  return sendPrompt(platform, request, reply, { status, action: SUDO_PATH, fields: [['back_url', safeBackUrl(backUrl)]], error });
}

/** The local page the browser came from (same host), for the prompt of a refused upload. */
function refererPath(request: FastifyRequest): string {
  try {
    const referer = new URL(request.headers.referer ?? '');
    return referer.host === request.headers.host ? `${referer.pathname}${referer.search}` : '/';
  } catch {
    return '/';
  }
}

async function sudoGuardPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.addHook('preHandler', async (request, reply) => {
    if (!platform.config.sudoMode || !request.tenantContext || request.is404 || apiFormatOf(request.url)) {
      return undefined;
    }
    const route = sudoRouteOf(request.method, request.routeOptions.url);
    if (!route) {
      return undefined;
    }
    const user = request.user;
    const token = request.sessionToken;
    // Anonymous visitors (and API-style callers without a session) are answered by the route itself,
    // and so is a user the route refuses (403/404, never a password prompt first).
    if (!user || !token || !(await mayUseSudoRoute(request, user, route.access))) {
      return undefined;
    }
    const state = await findSudoState(tenantOf(request).db, token);
    if (!state) {
      return undefined;
    }
    // A session of single sign-on confirms at the provider (while single sign-on is on; else by password).
    const sso = SSO_METHODS.has(state.signInMethod) ? await oidcSignInOffer(tenantOf(request)) : undefined;
    const stored = sso ? undefined : await localPasswordOf(request, user);
    if (!sso && !stored) {
      // No password here and no provider (an account of an authentication source): nothing to ask.
      return undefined;
    }
    const body = bodyOf(request);
    const until = state.until;
    if (until && until.getTime() > nowOf(request).getTime()) {
      delete body.sudo_password;
      await extendSudo(request, token);
      return undefined;
    }
    if (sso) {
      // The provider's round trip cannot carry a form: back to the page the form was on, to send it again.
      return sendPage(platform, request, reply, {
        title: (t) => t('label_oidc_confirm_with', { name: sso.providerName }),
        body: ({ t, csrfToken }) => (
          <SudoOidcPrompt t={t} csrfToken={csrfToken} providerName={sso.providerName} backUrl={safeBackUrl(request.method === 'GET' ? request.url : refererPath(request))} />
        ),
      });
    }
    if (!stored) {
      return undefined;
    }
    if (request.method !== 'GET' && isMultipart(request)) {
      return promptForPage(platform, request, reply, refererPath(request), 422, 'error_sudo_multipart');
    }
    const given = request.method === 'POST' ? paramString(body.sudo_password) : undefined;
    if (given === undefined) {
      return request.method === 'GET'
        ? promptForPage(platform, request, reply, request.url, 200)
        : sendPrompt(platform, request, reply, { status: 200, action: request.url, fields: formFields(body) });
    }
    if (!(await passwordConfirmed(platform, request, user, stored, given))) {
      return sendPrompt(platform, request, reply, { status: 422, action: request.url, fields: formFields(body), error: 'error_sudo_invalid_password' });
    }
    await startSudo(request, user, token, 'password');
    delete body.sudo_password;
    return undefined;
  });

  // The prompt of a GET page (and of a refused upload) posts here, then goes back to the page.
  app.post(SUDO_PATH, async (request, reply) => {
    const body = bodyOf(request);
    const backUrl = safeBackUrl(paramString(body.back_url));
    const user = request.user;
    const token = request.sessionToken;
    if (!user || !token) {
      return reply.redirect(`/login?back_url=${encodeURIComponent(backUrl)}`);
    }
    const state = await findSudoState(tenantOf(request).db, token);
    const stored = await localPasswordOf(request, user);
    if (platform.config.sudoMode && state && stored && !SSO_METHODS.has(state.signInMethod)) {
      if (!(await passwordConfirmed(platform, request, user, stored, paramString(body.sudo_password) ?? ''))) {
        return promptForPage(platform, request, reply, backUrl, 422, 'error_sudo_invalid_password');
      }
      await startSudo(request, user, token, 'password');
    }
    return reply.redirect(backUrl, 303);
  });
}

export const sudoGuard = fp(sudoGuardPlugin, { name: 'kanri-sudo-guard', dependencies: ['kanri-page-guard'] });
