/**
 * The second step of signing in (Redmine's AccountController#twofa_confirm and #twofa): after the
 * password, `startTwofaSignIn` holds back the session and sends a 2FA user to GET /account/twofa/confirm;
 * POST /account/twofa checks the code. A right one starts the real session (a new id); a wrong one
 * renews the step with one try less; the third sends the user back to the password.
 *
 * Wrong codes feed the same throttle as wrong passwords (security.md §6): a soft-locked account's code
 * is refused like a wrong one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findActiveUserByLogin, type User } from '#src/features/account/index.ts';
import { checkAttemptAllowed, clearAccountFailures, recordFailedAttempt, recordSignInSuccess } from '#src/features/throttle/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { safeBackUrl, sendPage } from '#src/http/page.tsx';
import { signIn } from '#src/http/session.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { twofaContextOf } from './twofa.context.ts';
import { claimPending, clearPending, issuePending, MAX_CODE_TRIES, pendingOf, pendingUserId } from './twofa.pending.ts';
import { findSignInAccount, verifySignInCode } from './twofa.service.ts';
import { TwofaSignInPage } from './views/twofa-sign-in.tsx';

const CONFIRM_PAGE = '/account/twofa/confirm';

const codeForm = z.object({
  twofa_code: z.string().max(64).default(''),
});

/**
 * Called by the sign-in form once the password is right: for a user with two-factor authentication,
 * no session yet — a pending step, and the reply that sends the browser to the code page. Undefined
 * for anyone else (the caller signs them in).
 */
export async function startTwofaSignIn(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  user: Pick<User, 'id' | 'twofaScheme'>,
  next: { readonly backUrl: string; readonly stayLoggedIn: boolean },
): Promise<FastifyReply | undefined> {
  if (!user.twofaScheme) {
    return undefined;
  }
  await issuePending(platform, request, reply, user.id, { tries: 0, backUrl: next.backUrl, stayLoggedIn: next.stayLoggedIn }, nowOf(request));
  request.log.info({ category: 'auth', user: user.id }, 'password accepted, second factor pending');
  return reply.redirect(CONFIRM_PAGE, 303);
}

/** Back to the password, with why. */
function backToPassword(reply: FastifyReply, key: 'error_twofa_sign_in_expired' | 'error_twofa_too_many_tries') {
  clearPending(reply);
  setFlash(reply, { kind: 'error', key });
  return reply.redirect('/login', 303);
}

export async function twofaSignInPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get(CONFIRM_PAGE, async (request, reply) => {
    const pending = pendingOf(platform, request);
    const userId = pending && (await pendingUserId(request, pending, nowOf(request)));
    if (userId === undefined) {
      clearPending(reply);
      return reply.redirect('/login');
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('setting_twofa'),
      body: ({ t, csrfToken }) => <TwofaSignInPage t={t} csrfToken={csrfToken} />,
    });
  });

  app.post('/account/twofa', async (request, reply) => {
    const now = nowOf(request);
    const pending = pendingOf(platform, request);
    // The step's token serves this attempt only, whatever its outcome.
    const userId = pending && (await claimPending(request, pending, now));
    const account = userId === undefined ? undefined : await findSignInAccount(tenantOf(request).db, userId);
    if (!pending || !account) {
      return backToPassword(reply, 'error_twofa_sign_in_expired');
    }
    const parsed = codeForm.safeParse(request.body ?? {});
    const code = parsed.success ? parsed.data.twofa_code : '';
    const allowed = await checkAttemptAllowed(platform, request, account.login, 'twofa', now);
    if (allowed && (await verifySignInCode(twofaContextOf(platform, request, account), account, code))) {
      const user = await findActiveUserByLogin(tenantOf(request).db.orm, account.login);
      if (!user) {
        return backToPassword(reply, 'error_twofa_sign_in_expired');
      }
      clearPending(reply);
      await clearAccountFailures(tenantOf(request).db, user.login);
      await recordSignInSuccess(request, user);
      await signIn(platform, request, reply, user, { stayLoggedIn: pending.stayLoggedIn });
      request.log.info({ category: 'auth', user: user.id }, 'signed in with a second factor');
      return reply.redirect(safeBackUrl(pending.backUrl), 303);
    }
    if (allowed) {
      await recordFailedAttempt(platform, request, account.login, 'twofa', now);
    }
    const tries = pending.tries + 1;
    request.log.info({ category: 'auth', user: account.id, tries }, 'wrong second factor');
    if (tries >= MAX_CODE_TRIES) {
      return backToPassword(reply, 'error_twofa_too_many_tries');
    }
    await issuePending(platform, request, reply, account.id, { tries, backUrl: pending.backUrl, stayLoggedIn: pending.stayLoggedIn }, now);
    setFlash(reply, { kind: 'error', key: 'error_twofa_invalid_code' });
    return reply.redirect(CONFIRM_PAGE, 303);
  });
}
