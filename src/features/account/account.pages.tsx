/** HTML routes of accounts: home, sign in, sign out. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { rotateSession, signIn, signOut } from '#src/http/session.ts';
import { noteAttemptedLogin } from '#src/http/request-log.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { authenticateThrottled, checkAttemptAllowed, recordFailedAttempt, recordSignInSuccess } from '#src/features/throttle/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { startTwofaSignIn } from '#src/features/twofa/index.ts';
import { notifyPasswordChanged } from './account.mails.ts';
import { changePassword, mustChangePassword, passwordRulesOf } from './index.ts';
import { ValidationError } from '#src/errors.ts';
import { loadHome } from './home.ts';
import { HomePage } from './views/home-page.tsx';
import { LoginPage } from './views/login-page.tsx';
import { oidcSignInOffer } from '#src/features/oidc/index.ts';
import { recordAudit } from '#src/features/audit/index.ts';
import { LogoutPage } from './views/logout-page.tsx';
import { PasswordPage } from './views/password-page.tsx';

const passwordForm = z.object({
  password: z.string().max(4096).default(''),
  new_password: z.string().max(4096).default(''),
  new_password_confirmation: z.string().max(4096).default(''),
  authenticity_token: z.string().optional(),
});

const loginForm = z.object({
  username: z.string().max(255).default(''),
  // Code points decide (authenticate refuses more than 1024 of them): 1024 emoji are 2048 UTF-16 units.
  password: z.string().max(2048).default(''),
  back_url: z.string().optional(),
  authenticity_token: z.string().optional(),
  // "Stay logged in" (offered while the `autologin` setting is on).
  autologin: z.string().optional(),
});

export async function accountPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/', async (request, reply) => {
    const { settings } = tenantOf(request);
    const home = await loadHome(request);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_home'),
      current: 'home',
      body: ({ t, format }) => <HomePage t={t} format={format} appTitle={settings.app_title} welcomeHtml={home.welcomeHtml} latestProjects={home.latestProjects} />,
    });
  });

  app.get('/login', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (request.user) {
      return reply.redirect(safeBackUrl(query.back_url));
    }
    // Single sign-on (features/oidc): its button; with "SSO only" the password form waits behind `?password=1` for administrators.
    const offer = await oidcSignInOffer(tenantOf(request));
    const sso = offer && { name: offer.providerName, hidePasswordForm: offer.ssoOnly && query.password !== '1' };
    return sendPage(platform, request, reply, {
      title: (t) => t('label_login'),
      body: ({ t, csrfToken, settings }) => (
        <LoginPage t={t} csrfToken={csrfToken} login="" backUrl={safeBackUrl(query.back_url)} autologin={settings.autologin !== '0'} lostPassword={settings.lost_password === '1'} sso={sso} />
      ),
    });
  });

  app.post('/login', async (request, reply) => {
    const form = loginForm.safeParse(request.body ?? {});
    const input = form.success ? form.data : { username: '', password: '', back_url: undefined, authenticity_token: undefined, autologin: undefined };
    const backUrl = safeBackUrl(input.back_url);
    const offer = await oidcSignInOffer(tenantOf(request));
    const again = () =>
      sendPage(platform, request, reply, {
        title: (t) => t('label_login'),
        // With "SSO only", one message for a wrong password and a refused non-administrator: no password oracle.
        flash: { kind: 'error', message: (t) => t(offer?.ssoOnly ? 'error_oidc_password_sign_in_disabled' : 'notice_account_invalid_credentials') },
        body: ({ t, csrfToken, settings }) => (
          <LoginPage
            t={t}
            csrfToken={csrfToken}
            login={input.username}
            backUrl={backUrl}
            autologin={settings.autologin !== '0'}
            lostPassword={settings.lost_password === '1'}
            sso={offer && { name: offer.providerName, hidePasswordForm: false }}
          />
        ),
      });
    // Throttled (features/throttle): a soft-locked account or blocked address answers as a wrong password.
    const user = await authenticateThrottled(platform, request, input.username, input.password, 'sign_in');
    if (!user) {
      request.log.info({ category: 'auth', login: input.username.slice(0, 255) }, 'sign-in failed');
      noteAttemptedLogin(request, input.username);
      return again();
    }
    // "SSO only": a password signs in administrators only, so that they cannot be locked out.
    if (offer?.ssoOnly && !user.admin) {
      await recordAudit(tenantOf(request).db, {
        event: 'login.failure',
        source: auditSourceOf(request, null),
        target: { type: 'User', id: user.id, name: user.login },
        details: { method: 'password', reason: 'sso_only' },
      });
      request.log.info({ category: 'auth', user: user.id }, 'password sign-in refused: single sign-on only');
      return again();
    }
    // A user with two-factor authentication gets no session yet: the code step comes first.
    const secondStep = await startTwofaSignIn(platform, request, reply, user, { backUrl, stayLoggedIn: input.autologin === '1' });
    if (secondStep) {
      return secondStep;
    }
    await recordSignInSuccess(request, user);
    await signIn(platform, request, reply, user, { stayLoggedIn: input.autologin === '1' });
    request.log.info({ category: 'auth', user: user.id }, 'signed in');
    return reply.redirect(backUrl, 302);
  });

  app.get('/my/password', async (request, reply) => {
    if (!request.user) {
      return reply.redirect('/login?back_url=%2Fmy%2Fpassword');
    }
    const user = request.user;
    const { settings } = tenantOf(request);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_change_password'),
      ...(mustChangePassword(user, settings, nowOf(request)) ? { flash: { kind: 'error' as const, message: (t) => t('error_password_expired') } } : {}),
      scripts: ['password-fields'],
      body: ({ t, csrfToken }) => <PasswordPage t={t} csrfToken={csrfToken} errors={[]} rules={passwordRulesOf(settings)} />,
    });
  });

  app.post('/my/password', async (request, reply) => {
    const user = request.user;
    if (!user) {
      return reply.redirect('/login?back_url=%2Fmy%2Fpassword');
    }
    const parsed = passwordForm.safeParse(request.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', new_password: '', new_password_confirmation: '', authenticity_token: undefined };
    const { db, settings } = tenantOf(request);
    const rules = passwordRulesOf(settings);
    const again = (errors: readonly string[]) =>
      sendPage(platform, request, reply, {
        status: 422,
        title: (t) => t('label_change_password'),
        scripts: ['password-fields'],
        body: ({ t, csrfToken }) => <PasswordPage t={t} csrfToken={csrfToken} errors={errors} rules={rules} />,
      });
    // Throttled (features/throttle): the current password counts like a sign-in's.
    if (!(await checkAttemptAllowed(platform, request, user.login, 'password_change'))) {
      return again(['Wrong password']);
    }
    try {
      await changePassword(
        db.orm,
        user,
        {
          current: form.password,
          next: form.new_password,
          confirmation: form.new_password_confirmation,
          rules,
          sessionToken: request.sessionToken,
          auditSource: auditSourceOf(request),
        },
        nowOf(request),
      );
    } catch (error) {
      if (error instanceof ValidationError) {
        if (error.errors.includes('Wrong password')) {
          await recordFailedAttempt(platform, request, user.login, 'password_change');
        }
        return again(error.errors);
      }
      throw error;
    }
    request.log.info({ category: 'auth', user: user.id }, 'password changed');
    // The session that changed the password gets a new id (security.md §3).
    await rotateSession(platform, request, reply);
    await notifyPasswordChanged(platform, request, user, nowOf(request));
    setFlash(reply, { kind: 'notice', key: 'notice_account_password_updated' });
    return reply.redirect('/');
  });

  app.get('/logout', async (request, reply) => {
    if (!request.user) {
      return reply.redirect('/');
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('label_logout'),
      body: ({ t, csrfToken }) => <LogoutPage t={t} csrfToken={csrfToken} />,
    });
  });

  app.post('/logout', async (request, reply) => {
    await signOut(request, reply);
    setFlash(reply, { kind: 'notice', key: 'notice_logged_out' });
    return reply.redirect('/');
  });
}
