/**
 * Single sign-on with OpenID Connect, per tenant:
 * - Administration → OpenID Connect (`/admin/oidc`): the settings, saved with a `setting.update`
 *   audit row; the client secret is stored encrypted and never shown back (a blank field keeps it).
 * - `GET /auth/oidc` starts the authorization code flow (PKCE, state, nonce kept in a signed cookie
 *   of this tenant that lives ten minutes), `GET /auth/oidc/callback` finishes it: the ID token is
 *   validated, its login claim names an active local user, who gets a new session. Every failure
 *   (provider error, state mismatch, unknown or locked user, unreachable provider) leads back to the
 *   sign-in page with a message and a `login.failure` audit row, never a 500.
 *
 * No two-factor step follows a sign-in through the provider: like Redmine, whose two-factor
 * authentication applies to its own password sign-in only and not to single sign-on plugins, the
 * provider is trusted to authenticate (including any multi-factor authentication it requires).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { auditSourceOf, recordAudit } from '#src/features/audit/index.ts';
import { startSudo } from '#src/features/sudo/sudo.start.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl } from '#src/http/page.tsx';
import { cookieName, isSecureRequest } from '#src/http/cookies.ts';
import { signIn } from '#src/http/session.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { tenantBaseUrl } from '#src/http/tenant-url.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { checkedAddress, OutboundRefusedError } from './oidc.fetch.ts';
import { finishFlow, OidcFlowError, startFlow, type OidcIdentity, type PendingFlow, type ProviderConfig } from './oidc.flow.ts';
import {
  clientSecretOf,
  LOGIN_CLAIMS,
  oidcSettingsProblems,
  readOidcSettings,
  saveOidcSettings,
  secretKeyOf,
  type OidcSettings,
  type OidcSettingsInput,
} from './oidc.settings.ts';
import { userForIdentity } from './oidc.users.ts';
import { OidcPage, type OidcFormValues } from './views/oidc-page.tsx';

const START_PATH = '/auth/oidc';
const CALLBACK_PATH = '/auth/oidc/callback';
const SUDO_START_PATH = '/auth/oidc/sudo';
const FLOW_COOKIE = '_kanri_oidc';

/** A checkbox after its hidden "0": the last value sent wins. */
const flag = z.preprocess((value: unknown) => (Array.isArray(value) ? (value.at(-1) as unknown) : value), z.string().optional()).transform((value) => value === '1');
const settingsForm = z.object({
  enabled: flag,
  provider_name: z.string().max(60).default(''),
  issuer: z.string().max(2000).default(''),
  client_id: z.string().max(255).default(''),
  client_secret: z.string().max(1000).default(''),
  login_claim: z.enum(LOGIN_CLAIMS).catch('preferred_username'),
  auto_create: flag,
  sso_only: flag,
});

const pendingShape = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), backUrl: z.string(), until: z.number(), sudoUserId: z.number().optional() });

function flowKey(platform: Platform, request: FastifyRequest): Buffer {
  return deriveKey(platform.secret, 'oidc-flow', tenantOf(request).tenant.account);
}

function redirectUriOf(platform: Platform, request: FastifyRequest): string {
  return `${tenantBaseUrl(platform, request)}${CALLBACK_PATH}`;
}

function providerOf(platform: Platform, request: FastifyRequest, settings: OidcSettings): ProviderConfig | undefined {
  const { account } = tenantOf(request).tenant;
  const secret = clientSecretOf(secretKeyOf(platform.secret, account), settings);
  return settings.enabled && settings.issuer && settings.clientId && secret
    ? { tenant: account, issuer: settings.issuer, clientId: settings.clientId, clientSecret: secret, allowPrivate: platform.config.oidcAllowPrivate }
    : undefined;
}

/** Where the issuer's host points, as oidc.fetch.ts will check it at every request; a problem or none. */
async function issuerAddressProblem(issuer: string, allowPrivate: boolean): Promise<MessageKey | undefined> {
  try {
    await checkedAddress(new URL(issuer), { allowPrivate });
    return undefined;
  } catch (error) {
    if (error instanceof OutboundRefusedError) {
      return error.reason === 'unresolvable' ? 'error_oidc_issuer_unresolvable' : error.reason === 'not_https' ? 'error_oidc_issuer_invalid' : 'error_oidc_issuer_not_public';
    }
    throw error;
  }
}

function forgetFlow(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(cookieName(request, FLOW_COOKIE, START_PATH), { path: START_PATH, secure: isSecureRequest(request) });
}

function keptFlow(platform: Platform, request: FastifyRequest): PendingFlow | undefined {
  const cookie = request.cookies[cookieName(request, FLOW_COOKIE, START_PATH)];
  const value = cookie ? unsealValue(flowKey(platform, request), cookie) : undefined;
  if (!value) {
    return undefined;
  }
  try {
    const parsed = pendingShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function oidcPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const sendSettingsPage = (request: FastifyRequest, reply: FastifyReply, values: OidcFormValues, hasSecret: boolean, errors: readonly MessageKey[]) =>
    sendAdminPage(platform, request, reply, 'oidc', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => t('label_oidc'),
      body: ({ t, csrfToken }) => (
        <OidcPage t={t} csrfToken={csrfToken} values={values} hasSecret={hasSecret} redirectUri={redirectUriOf(platform, request)} errors={errors.map((key) => t(key))} />
      ),
    });

  app.get('/admin/oidc', async (request, reply) => {
    await requireAdministrator(request);
    const stored = await readOidcSettings(tenantOf(request).db);
    return sendSettingsPage(request, reply, stored, stored.encryptedSecret !== '', []);
  });

  app.post('/admin/oidc', async (request, reply) => {
    await requireAdministrator(request);
    const { db, tenant } = tenantOf(request);
    const form = settingsForm.parse(request.body ?? {});
    const input: OidcSettingsInput = {
      enabled: form.enabled,
      providerName: form.provider_name.trim(),
      issuer: form.issuer.trim().replace(/\/+$/, ''),
      clientId: form.client_id.trim(),
      clientSecret: form.client_secret,
      loginClaim: form.login_claim,
      autoCreate: form.auto_create,
      ssoOnly: form.sso_only,
    };
    const stored = await readOidcSettings(db);
    const allowPrivate = platform.config.oidcAllowPrivate;
    const problems: MessageKey[] = oidcSettingsProblems(input, stored.encryptedSecret !== '', allowPrivate);
    if (problems.length === 0 && input.issuer) {
      const addressProblem = await issuerAddressProblem(input.issuer, allowPrivate);
      if (addressProblem) {
        problems.push(addressProblem);
      }
    }
    if (problems.length > 0) {
      return sendSettingsPage(request, reply, input, stored.encryptedSecret !== '', problems);
    }
    await saveOidcSettings(db, secretKeyOf(platform.secret, tenant.account), input, auditSourceOf(request), nowOf(request));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/admin/oidc', 303);
  });

  /** Back to the sign-in page with `key` shown, the failure audited (never with a secret or a code). */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, key: MessageKey, reason: string, login = '') => {
    forgetFlow(request, reply);
    await recordAudit(tenantOf(request).db, {
      event: 'login.failure',
      source: auditSourceOf(request, null),
      ...(login ? { target: { type: 'User', name: login } } : {}),
      details: { method: 'oidc', reason },
    });
    request.log.info({ category: 'auth', method: 'oidc', reason, login: login.slice(0, 255) }, 'single sign-on refused');
    setFlash(reply, { kind: 'error', key });
    return reply.redirect('/login', 302);
  };

  app.get(START_PATH, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const backUrl = safeBackUrl(query.back_url);
    if (request.user) {
      return reply.redirect(backUrl);
    }
    const provider = providerOf(platform, request, await readOidcSettings(tenantOf(request).db));
    if (!provider) {
      setFlash(reply, { kind: 'error', key: 'error_oidc_not_enabled' });
      return reply.redirect('/login', 302);
    }
    return beginFlow(request, reply, provider, backUrl);
  });

  /** Sends the browser to the provider, the flow kept in the cookie; `sudoUserId`: a re-authentication for sudo mode. */
  const beginFlow = async (request: FastifyRequest, reply: FastifyReply, provider: ProviderConfig, backUrl: string, sudoUserId?: number) => {
    let started: Awaited<ReturnType<typeof startFlow>>;
    try {
      started = await startFlow(provider, redirectUriOf(platform, request), backUrl, nowOf(request), sudoUserId);
    } catch (error) {
      if (error instanceof OidcFlowError) {
        return refuse(request, reply, 'error_oidc_sign_in_failed', error.reason);
      }
      throw error;
    }
    const value = Buffer.from(JSON.stringify(started.pending), 'utf8').toString('base64url');
    reply.setCookie(FLOW_COOKIE, sealValue(flowKey(platform, request), value), {
      // Covers the callback; `lax` because the provider's redirect back is a cross-site top-level GET.
      path: START_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: isSecureRequest(request),
      maxAge: Math.floor((started.pending.until - nowOf(request).getTime()) / 1000),
    });
    return reply.redirect(started.url, 302);
  };

  // Sudo mode of a session signed in by single sign-on (features/sudo's prompt posts here, CSRF-checked):
  // the provider authenticates the user again; the callback sets sudo mode and opens `back_url`.
  app.post(SUDO_START_PATH, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const backUrl = safeBackUrl(typeof body.back_url === 'string' ? body.back_url : undefined);
    if (!request.user || !request.sessionToken) {
      return reply.redirect(`/login?back_url=${encodeURIComponent(backUrl)}`, 303);
    }
    const provider = providerOf(platform, request, await readOidcSettings(tenantOf(request).db));
    if (!provider) {
      setFlash(reply, { kind: 'error', key: 'error_oidc_not_enabled' });
      return reply.redirect(backUrl, 303);
    }
    return beginFlow(request, reply, provider, backUrl, request.user.id);
  });

  /**
   * The end of a re-authentication for sudo mode: the provider's user must be the session's user (the
   * one who started it); then the session is in sudo mode and the page opens again. Otherwise nothing
   * changes: back to the page (which prompts again) with the failure shown and audited.
   */
  const confirmSudo = async (request: FastifyRequest, reply: FastifyReply, pending: PendingFlow, identity: OidcIdentity, settings: OidcSettings) => {
    const { db, settings: tenantSettings } = tenantOf(request);
    reply.clearCookie(FLOW_COOKIE, { path: START_PATH });
    const user = request.user;
    const outcome = await userForIdentity(
      db,
      identity,
      // Never creates anyone: a re-authentication only confirms an existing user.
      { claim: settings.loginClaim, autoCreate: false, passwordSettings: tenantSettings, language: tenantSettings.default_language, source: auditSourceOf(request, user ?? null) },
      nowOf(request),
    );
    if (!user || !request.sessionToken || user.id !== pending.sudoUserId || outcome.kind !== 'user' || outcome.user.id !== user.id) {
      const reason = outcome.kind === 'refused' ? outcome.reason : 'other_user';
      await recordAudit(db, {
        event: 'login.failure',
        source: auditSourceOf(request, user ?? null),
        target: { type: 'User', name: user?.login ?? '' },
        details: { method: 'oidc', channel: 'sudo', reason },
      });
      request.log.info({ category: 'auth', method: 'oidc', channel: 'sudo', reason }, 'sudo confirmation through single sign-on refused');
      setFlash(reply, { kind: 'error', key: 'error_oidc_sign_in_failed' });
      return reply.redirect(user ? pending.backUrl : '/login', 302);
    }
    await startSudo(request, user, request.sessionToken, 'oidc');
    return reply.redirect(pending.backUrl, 302);
  };

  app.get(CALLBACK_PATH, async (request, reply) => {
    const { db, settings: tenantSettings } = tenantOf(request);
    const now = nowOf(request);
    const settings = await readOidcSettings(db);
    const provider = providerOf(platform, request, settings);
    if (!provider) {
      return refuse(request, reply, 'error_oidc_not_enabled', 'not_enabled');
    }
    const pending = keptFlow(platform, request);
    if (!pending) {
      return refuse(request, reply, 'error_oidc_sign_in_failed', 'no_pending_flow');
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    let identity: Awaited<ReturnType<typeof finishFlow>>;
    try {
      identity = await finishFlow(provider, redirectUriOf(platform, request), query, pending, settings.loginClaim, now);
    } catch (error) {
      if (error instanceof OidcFlowError) {
        return refuse(request, reply, 'error_oidc_sign_in_failed', error.reason);
      }
      throw error;
    }
    if (pending.sudoUserId !== undefined) {
      return confirmSudo(request, reply, pending, identity, settings);
    }
    const outcome = await userForIdentity(
      db,
      identity,
      { claim: settings.loginClaim, autoCreate: settings.autoCreate, passwordSettings: tenantSettings, language: tenantSettings.default_language, source: auditSourceOf(request, null) },
      now,
    );
    if (outcome.kind === 'refused') {
      return refuse(request, reply, outcome.reason === 'no_claim' || outcome.reason === 'creation_failed' ? 'error_oidc_sign_in_failed' : 'error_oidc_unknown_user', outcome.reason, outcome.login);
    }
    forgetFlow(request, reply);
    // A new session id (signIn drops any earlier one); no two-factor step: see the module comment.
    await signIn(platform, request, reply, outcome.user, { method: 'oidc' });
    await recordAudit(db, {
      event: 'login.success',
      source: auditSourceOf(request, outcome.user),
      target: { type: 'User', id: outcome.user.id, name: outcome.user.login },
      details: { method: 'oidc', ...(outcome.created ? { created: true } : {}) },
    });
    request.log.info({ category: 'auth', user: outcome.user.id, method: 'oidc' }, 'signed in');
    return reply.redirect(pending.backUrl, 302);
  });
}
