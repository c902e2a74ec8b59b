/** HTML routes of accounts: home, sign in, sign out. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isValidCsrfToken } from '#src/http/csrf.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { signIn, signOut } from '#src/http/session.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { authenticate } from './index.ts';
import { HomePage } from './views/home-page.tsx';
import { LoginPage } from './views/login-page.tsx';
import { LogoutPage } from './views/logout-page.tsx';

const loginForm = z.object({
  username: z.string().max(255).default(''),
  password: z.string().max(1024).default(''),
  back_url: z.string().optional(),
  authenticity_token: z.string().optional(),
});

export async function accountPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/', async (request, reply) => {
    const { settings } = tenantOf(request);
    if (!request.user && settings.login_required === '1') {
      return reply.redirect('/login?back_url=%2F');
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('label_home'),
      body: ({ t }) => <HomePage t={t} appTitle={settings.app_title} welcomeText={settings.welcome_text} />,
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
    const again = (status: number, message: 'notice_account_invalid_credentials' | 'error_invalid_authenticity_token') =>
      sendPage(platform, request, reply, {
        status,
        title: (t) => t('label_login'),
        flash: { kind: 'error', message: (t) => t(message) },
        body: ({ t, csrfToken }) => <LoginPage t={t} csrfToken={csrfToken} login={input.username} backUrl={backUrl} />,
      });
    if (!isValidCsrfToken(platform, request, input.authenticity_token)) {
      return again(422, 'error_invalid_authenticity_token');
    }
    const user = await authenticate(tenantOf(request).db.orm, input.username, input.password, new Date());
    if (!user) {
      request.log.info({ category: 'auth', login: input.username.slice(0, 255) }, 'sign-in failed');
      return again(200, 'notice_account_invalid_credentials');
    }
    await signIn(platform, request, reply, user);
    request.log.info({ category: 'auth', user: user.id }, 'signed in');
    return reply.redirect(backUrl, 302);
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
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!isValidCsrfToken(platform, request, body.authenticity_token)) {
      return reply.redirect('/');
    }
    await signOut(request, reply);
    return reply.redirect('/');
  });
}
