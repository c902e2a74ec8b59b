/** HTML routes of accounts: home, sign in, sign out. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { signIn, signOut } from '#src/http/session.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { authenticate, changePassword } from './index.ts';
import { ValidationError } from '#src/errors.ts';
import { loadHome } from './home.ts';
import { HomePage } from './views/home-page.tsx';
import { LoginPage } from './views/login-page.tsx';
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
  password: z.string().max(1024).default(''),
  back_url: z.string().optional(),
  authenticity_token: z.string().optional(),
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
    return sendPage(platform, request, reply, {
      title: (t) => t('label_login'),
      body: ({ t, csrfToken }) => (
        <LoginPage t={t} csrfToken={csrfToken} login="" backUrl={safeBackUrl(query.back_url)} />
      ),
    });
  });

  app.post('/login', async (request, reply) => {
    const form = loginForm.safeParse(request.body ?? {});
    const input = form.success ? form.data : { username: '', password: '', back_url: undefined, authenticity_token: undefined };
    const backUrl = safeBackUrl(input.back_url);
    const again = () =>
      sendPage(platform, request, reply, {
        title: (t) => t('label_login'),
        flash: { kind: 'error', message: (t) => t('notice_account_invalid_credentials') },
        body: ({ t, csrfToken }) => <LoginPage t={t} csrfToken={csrfToken} login={input.username} backUrl={backUrl} />,
      });
    const user = await authenticate(tenantOf(request).db.orm, input.username, input.password, new Date());
    if (!user) {
      request.log.info({ category: 'auth', login: input.username.slice(0, 255) }, 'sign-in failed');
      return again();
    }
    await signIn(platform, request, reply, user);
    request.log.info({ category: 'auth', user: user.id }, 'signed in');
    return reply.redirect(backUrl, 302);
  });

  app.get('/my/password', async (request, reply) => {
    if (!request.user) {
      return reply.redirect('/login?back_url=%2Fmy%2Fpassword');
    }
    const user = request.user;
    return sendPage(platform, request, reply, {
      title: (t) => t('label_change_password'),
      ...(user.mustChangePasswd ? { flash: { kind: 'error' as const, message: (t) => t('error_password_expired') } } : {}),
      body: ({ t, csrfToken }) => <PasswordPage t={t} csrfToken={csrfToken} errors={[]} />,
    });
  });

  app.post('/my/password', async (request, reply) => {
    const user = request.user;
    if (!user) {
      return reply.redirect('/login?back_url=%2Fmy%2Fpassword');
    }
    const parsed = passwordForm.safeParse(request.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', new_password: '', new_password_confirmation: '', authenticity_token: undefined };
    const again = (errors: readonly string[]) =>
      sendPage(platform, request, reply, {
        status: 422,
        title: (t) => t('label_change_password'),
        body: ({ t, csrfToken }) => <PasswordPage t={t} csrfToken={csrfToken} errors={errors} />,
      });
    const { db, settings } = tenantOf(request);
    try {
      await changePassword(
        db.orm,
        user,
        {
          current: form.password,
          next: form.new_password,
          confirmation: form.new_password_confirmation,
          minPasswordLength: Number(settings.password_min_length),
          sessionToken: request.sessionToken,
        },
        new Date(),
      );
    } catch (error) {
      if (error instanceof ValidationError) {
        return again(error.errors);
      }
      throw error;
    }
    request.log.info({ category: 'auth', user: user.id }, 'password changed');
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
