/**
 * Redmine's GET/POST /account/lost_password, stricter (security.md §3):
 * - asking for a link answers the same redirect and notice whatever the address names (unknown,
 *   locked, not activated, external authentication, or a real account), and the e-mail is sent after
 *   the response, so neither the answer nor its timing tells whether an account exists;
 * - the e-mailed link `/account/lost_password?token=…` is checked, its token moved into a short-lived
 *   signed cookie and the browser sent to the same address without it, so the token leaves the
 *   address bar, the history and any Referer at once;
 * - the new password goes through the policy of /my/password; setting it uses the link up, ends
 *   every session of the user, audits and e-mails a "password changed" notice. The user is not signed
 *   in: they sign in (and pass two-factor authentication) as usual.
 * With the `lost_password` setting off, asking for a link and following one of those links lead home;
 * a link an administrator sent with the account information works either way.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '#src/errors.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { admitPasswordResetRequest, clearAccountLock } from '#src/features/throttle/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { cookieName, isSecureRequest } from '#src/http/cookies.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import { accountMailContext, deliverLostPassword, notifyPasswordChanged } from './account.mails.ts';
import { passwordRulesOf } from './password-policy.ts';
import { passwordLinkTarget, requestPasswordReset, setPasswordWithLink, type PasswordLinkTarget } from './password-reset.service.ts';
import { LostPasswordForm, PasswordRecoveryForm } from './views/lost-password-page.tsx';

const PATH = '/account/lost_password';
const LINK_COOKIE = '_kanri_password_link';
/** How long the followed link is kept for the form; the token's own validity is checked on every use. */
const LINK_COOKIE_MS = 30 * 60_000;

const requestForm = z.object({ mail: z.string().max(4096).default('') });
const passwordForm = z.object({
  new_password: z.string().max(4096).default(''),
  new_password_confirmation: z.string().max(4096).default(''),
});

function linkKey(platform: Platform, request: FastifyRequest): Buffer {
  return deriveKey(platform.secret, 'password-link', tenantOf(request).tenant.account);
}

/** Keeps the followed link's token for this browser, signed with a key of this tenant, until `now` + 30 min. */
function keepLinkToken(platform: Platform, request: FastifyRequest, reply: FastifyReply, token: string, now: Date): void {
  const until = now.getTime() + LINK_COOKIE_MS;
  reply.setCookie(cookieName(request, LINK_COOKIE, PATH), sealValue(linkKey(platform, request), `${token}.${until}`), {
    path: PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureRequest(request),
    maxAge: LINK_COOKIE_MS / 1000,
  });
}

function keptLinkToken(platform: Platform, request: FastifyRequest, now: Date): string | undefined {
  const cookie = request.cookies[cookieName(request, LINK_COOKIE, PATH)];
  const value = cookie ? unsealValue(linkKey(platform, request), cookie) : undefined;
  const dot = value?.lastIndexOf('.') ?? -1;
  if (!value || dot < 0 || Number(value.slice(dot + 1)) < now.getTime()) {
    return undefined;
  }
  return value.slice(0, dot);
}

function forgetLinkToken(reply: FastifyReply): void {
  reply.clearCookie(cookieName(reply.request, LINK_COOKIE, PATH), { path: PATH, secure: isSecureRequest(reply.request) });
}

export async function lostPasswordPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const enabled = (request: FastifyRequest) => tenantOf(request).settings.lost_password === '1';
  /** Self-service links follow the setting; an administrator's link works regardless. */
  const usable = (request: FastifyRequest, target: PasswordLinkTarget) => target.action === 'set_password' || enabled(request);

  const sendRequestForm = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(platform, request, reply, {
      title: (t) => t('label_password_lost'),
      body: ({ t, csrfToken }) => <LostPasswordForm t={t} csrfToken={csrfToken} />,
    });

  /** A used, expired, unknown or foreign link: said so, with the request form when asking is allowed. */
  const sendInvalidLink = (request: FastifyRequest, reply: FastifyReply, status: 404 | 422) => {
    forgetLinkToken(reply);
    return sendPage(platform, request, reply, {
      status,
      title: (t) => t('label_password_lost'),
      flash: { kind: 'error', message: (t) => t('error_password_link_invalid') },
      body: ({ t, csrfToken }) => (enabled(request) ? <LostPasswordForm t={t} csrfToken={csrfToken} /> : <h2>{t('label_password_lost')}</h2>),
    });
  };

  const sendPasswordForm = (request: FastifyRequest, reply: FastifyReply, target: PasswordLinkTarget, errors: readonly string[]) =>
    sendPage(platform, request, reply, {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => t('label_password_lost'),
      scripts: ['password-fields'],
      body: ({ t, csrfToken }) => (
        <PasswordRecoveryForm t={t} csrfToken={csrfToken} login={target.user.login} rules={passwordRulesOf(tenantOf(request).settings)} errors={errors} />
      ),
    });

  app.get(PATH, async (request, reply) => {
    const { db } = tenantOf(request);
    const now = nowOf(request);
    const query = request.query as Record<string, unknown>;
    if (query.token !== undefined) {
      const token = typeof query.token === 'string' ? query.token : '';
      const target = await passwordLinkTarget(db, token, now);
      if (!target) {
        return sendInvalidLink(request, reply, 404);
      }
      if (!usable(request, target)) {
        return reply.redirect('/');
      }
      keepLinkToken(platform, request, reply, token, now);
      return reply.redirect(PATH, 302);
    }
    const kept = keptLinkToken(platform, request, now);
    if (kept !== undefined) {
      const target = await passwordLinkTarget(db, kept, now);
      if (target && !usable(request, target)) {
        return reply.redirect('/');
      }
      return target ? sendPasswordForm(request, reply, target, []) : sendInvalidLink(request, reply, 404);
    }
    return enabled(request) ? sendRequestForm(request, reply) : reply.redirect('/');
  });

  app.post(PATH, async (request, reply) => {
    const { db, settings } = tenantOf(request);
    const now = nowOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.new_password === undefined) {
      if (!enabled(request)) {
        return reply.redirect('/', 303);
      }
      const parsed = requestForm.safeParse(body);
      const link = await requestPasswordReset(db, parsed.success ? parsed.data.mail : '', auditSourceOf(request), now, (target) =>
        admitPasswordResetRequest(db, { target, ip: request.ip }, now),
      );
      if (link) {
        // Not awaited: the SMTP conversation would make a known address answer slower than an unknown one.
        void deliverLostPassword(accountMailContext(platform, request), link.user, link.recipient, link.token);
      }
      setFlash(reply, { kind: 'notice', key: 'notice_account_lost_email_sent' });
      return reply.redirect('/login', 303);
    }

    const kept = keptLinkToken(platform, request, now);
    const target = kept === undefined ? undefined : await passwordLinkTarget(db, kept, now);
    if (kept === undefined || !target) {
      return sendInvalidLink(request, reply, 422);
    }
    if (!usable(request, target)) {
      return reply.redirect('/', 303);
    }
    const parsed = passwordForm.safeParse(body);
    const input = parsed.success ? parsed.data : { new_password: '', new_password_confirmation: '' };
    let done: PasswordLinkTarget | undefined;
    try {
      done = await setPasswordWithLink(
        db,
        kept,
        target,
        { next: input.new_password, confirmation: input.new_password_confirmation },
        settings,
        auditSourceOf(request, target.user),
        now,
      );
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendPasswordForm(request, reply, target, error.errors);
      }
      throw error;
    }
    if (!done) {
      return sendInvalidLink(request, reply, 422);
    }
    forgetLinkToken(reply);
    // Proving control of the mailbox lifts a soft lock left by someone guessing the old password.
    await clearAccountLock(db, done.user.login);
    await notifyPasswordChanged(platform, request, done.user, now);
    request.log.info({ category: 'auth', user: done.user.id, link: done.action }, 'password set through a link');
    setFlash(reply, { kind: 'notice', key: 'notice_account_password_updated' });
    return reply.redirect('/login', 303);
  });
}
