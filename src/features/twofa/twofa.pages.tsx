/**
 * HTML routes of two-factor authentication for the signed-in user (Redmine's TwofaController and
 * TwofaBackupCodesController, same paths) and the administrator's reset of another user's:
 *
 * - enrolment: POST /my/twofa/totp/activate/init (a new pending secret), GET …/activate/confirm (QR
 *   code, key, code field), POST …/activate (a TOTP code confirms);
 * - disabling: POST …/deactivate/init, GET …/deactivate/confirm, POST …/deactivate (TOTP or backup code);
 * - backup codes: POST /my/twofa/backup_codes/init, GET …/confirm, POST …/create (a TOTP code), then
 *   GET /my/twofa/backup_codes shows them once;
 * - POST /users/:user_id/twofa/deactivate: an administrator resets another user's.
 *
 * Pages showing secrets are sent with `Cache-Control: no-store` (every page is).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import type { User } from '#src/features/account/index.ts';
import { requireAdministrator } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { rotateSession } from '#src/http/session.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { formatBackupCode } from './backup-codes.ts';
import { readShownBackupCodes, showBackupCodesOnce } from './backup-codes-display.ts';
import { groupedSecret } from './totp.ts';
import { twofaContextOf } from './twofa.context.ts';
import { ENROLMENT_PAGE } from './twofa.enforcement.ts';
import { confirmEnrolment, disableTwofa, isTwofaRequired, regenerateBackupCodes, resetTwofaOfUser, startEnrolment } from './twofa.service.ts';
import { TwofaActivatePage } from './views/twofa-activate.tsx';
import { BackupCodesPage } from './views/twofa-backup-codes.tsx';
import { TwofaCodePage } from './views/twofa-code-form.tsx';
import { twofaSignInPages } from './twofa-sign-in.pages.tsx';

const codeForm = z.object({
  twofa_code: z.string().max(64).default(''),
});

const SCHEMES: ReadonlySet<string> = new Set(['totp']);

/** The signed-in user, on a tenant that offers two-factor authentication (Redmine: 403 otherwise). */
function twofaUser(request: FastifyRequest): User {
  const user = request.user;
  if (!user) {
    throw new UnauthenticatedError();
  }
  if (tenantOf(request).settings.twofa === '0') {
    throw new ForbiddenError('two-factor authentication is disabled');
  }
  const scheme = (request.params as { scheme?: string } | undefined)?.scheme;
  if (scheme !== undefined && !SCHEMES.has(scheme)) {
    throw new NotFoundError(`no two-factor scheme ${scheme}`);
  }
  return user;
}

function codeOf(request: FastifyRequest): string {
  const parsed = codeForm.safeParse(request.body ?? {});
  return parsed.success ? parsed.data.twofa_code : '';
}

function toAccount(reply: FastifyReply, kind: 'notice' | 'error', key: MessageKey) {
  setFlash(reply, { kind, key });
  return reply.redirect('/my/account', 303);
}

/** Every page of two-factor authentication: the sign-in step, the user's own pages, the reset. */
export async function twofaPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await app.register(twofaSignInPages, { platform });

  // Enrolment ---------------------------------------------------------------------------------

  app.get('/my/twofa/select_scheme', async (request, reply) => {
    twofaUser(request);
    // One scheme: choosing is going to its enrolment.
    return reply.redirect(ENROLMENT_PAGE);
  });

  const restartEnrolment = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = twofaUser(request);
    const enrolment = await startEnrolment(twofaContextOf(platform, request), user.id, { restart: true });
    if (enrolment.kind === 'active') {
      return toAccount(reply, 'notice', 'notice_twofa_already_enabled');
    }
    return reply.redirect(ENROLMENT_PAGE, 303);
  };
  app.post('/my/twofa/activate/init', restartEnrolment);
  app.post('/my/twofa/:scheme/activate/init', restartEnrolment);

  app.get('/my/twofa/:scheme/activate/confirm', async (request, reply) => {
    const user = twofaUser(request);
    const ctx = twofaContextOf(platform, request);
    const enrolment = await startEnrolment(ctx, user.id, { restart: false });
    if (enrolment.kind === 'active') {
      return toAccount(reply, 'notice', 'notice_twofa_already_enabled');
    }
    const [qrSvg, required] = await Promise.all([QRCode.toString(enrolment.uri, { type: 'svg', margin: 0 }), isTwofaRequired(ctx.db, ctx.settings, user)]);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_twofa_enable'),
      body: ({ t, csrfToken }) => <TwofaActivatePage t={t} csrfToken={csrfToken} qrSvg={qrSvg} groupedKey={groupedSecret(enrolment.secret)} required={required} />,
    });
  });

  app.post('/my/twofa/:scheme/activate', async (request, reply) => {
    const user = twofaUser(request);
    const result = await confirmEnrolment(twofaContextOf(platform, request), user.id, codeOf(request), request.sessionToken);
    switch (result) {
      case 'enrolled':
        // The other sessions ended; this one continues under a new id (security.md §4).
        await rotateSession(platform, request, reply);
        request.log.info({ category: 'auth', user: user.id }, 'two-factor authentication enabled');
        return toAccount(reply, 'notice', 'notice_twofa_enabled');
      case 'active':
        return toAccount(reply, 'notice', 'notice_twofa_already_enabled');
      case 'invalid':
        setFlash(reply, { kind: 'error', key: 'error_twofa_invalid_code' });
        return reply.redirect(ENROLMENT_PAGE, 303);
    }
  });

  // Disabling ---------------------------------------------------------------------------------

  /** Whether the user may be asked for a code to disable; otherwise the answer that says why not. */
  const disablingRefusal = async (request: FastifyRequest, reply: FastifyReply, user: User) => {
    if (!user.twofaScheme) {
      return toAccount(reply, 'notice', 'notice_twofa_not_enabled');
    }
    const { db, settings } = tenantOf(request);
    if (await isTwofaRequired(db, settings, user)) {
      return toAccount(reply, 'error', 'error_twofa_required_cannot_disable');
    }
    return undefined;
  };

  app.post('/my/twofa/:scheme/deactivate/init', async (request, reply) => {
    const user = twofaUser(request);
    return (await disablingRefusal(request, reply, user)) ?? reply.redirect('/my/twofa/totp/deactivate/confirm', 303);
  });

  app.get('/my/twofa/:scheme/deactivate/confirm', async (request, reply) => {
    const user = twofaUser(request);
    const refused = await disablingRefusal(request, reply, user);
    if (refused) {
      return refused;
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('label_twofa_disable'),
      body: ({ t, csrfToken }) => (
        <TwofaCodePage t={t} csrfToken={csrfToken} title="label_twofa_disable" text="text_twofa_disable" action="/my/twofa/totp/deactivate" button="button_twofa_disable" />
      ),
    });
  });

  app.post('/my/twofa/:scheme/deactivate', async (request, reply) => {
    const user = twofaUser(request);
    const result = await disableTwofa(twofaContextOf(platform, request), user.id, codeOf(request), request.sessionToken);
    switch (result) {
      case 'disabled':
        await rotateSession(platform, request, reply);
        request.log.info({ category: 'auth', user: user.id }, 'two-factor authentication disabled');
        return toAccount(reply, 'notice', 'notice_twofa_disabled');
      case 'required':
        return toAccount(reply, 'error', 'error_twofa_required_cannot_disable');
      case 'inactive':
        return toAccount(reply, 'notice', 'notice_twofa_not_enabled');
      case 'invalid':
        setFlash(reply, { kind: 'error', key: 'error_twofa_invalid_code' });
        return reply.redirect('/my/twofa/totp/deactivate/confirm', 303);
    }
  });

  // Backup codes ------------------------------------------------------------------------------

  app.post('/my/twofa/backup_codes/init', async (request, reply) => {
    const user = twofaUser(request);
    return user.twofaScheme ? reply.redirect('/my/twofa/backup_codes/confirm', 303) : toAccount(reply, 'notice', 'notice_twofa_not_enabled');
  });

  app.get('/my/twofa/backup_codes/confirm', async (request, reply) => {
    const user = twofaUser(request);
    if (!user.twofaScheme) {
      return toAccount(reply, 'notice', 'notice_twofa_not_enabled');
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('label_twofa_backup_codes'),
      body: ({ t, csrfToken }) => (
        <TwofaCodePage
          t={t}
          csrfToken={csrfToken}
          title="label_twofa_backup_codes"
          text="text_twofa_backup_codes_confirm"
          action="/my/twofa/backup_codes/create"
          button="button_twofa_generate_backup_codes"
        />
      ),
    });
  });

  app.post('/my/twofa/backup_codes/create', async (request, reply) => {
    const user = twofaUser(request);
    const ctx = twofaContextOf(platform, request);
    const result = await regenerateBackupCodes(ctx, user.id, codeOf(request));
    if (result === 'inactive') {
      return toAccount(reply, 'notice', 'notice_twofa_not_enabled');
    }
    if (result === 'invalid') {
      setFlash(reply, { kind: 'error', key: 'error_twofa_invalid_code' });
      return reply.redirect('/my/twofa/backup_codes/confirm', 303);
    }
    showBackupCodesOnce(platform, request, reply, { userId: user.id, codes: result, createdAt: ctx.now });
    return reply.redirect('/my/twofa/backup_codes', 303);
  });

  app.get('/my/twofa/backup_codes', async (request, reply) => {
    const user = twofaUser(request);
    const shown = readShownBackupCodes(platform, request, reply, user.id);
    if (!shown) {
      return toAccount(reply, 'error', 'error_twofa_backup_codes_shown');
    }
    return sendPage(platform, request, reply, {
      title: (t) => t('label_twofa_backup_codes'),
      body: ({ t, format }) => <BackupCodesPage t={t} codes={shown.codes.map(formatBackupCode)} createdAt={format.time(shown.createdAt)} />,
    });
  });

  // Administrator's reset ---------------------------------------------------------------------

  app.post('/users/:user_id/twofa/deactivate', async (request, reply) => {
    const actor = await requireAdministrator(request);
    const id = (request.params as { user_id: string }).user_id;
    if (!/^\d{1,9}$/.test(id)) {
      throw new NotFoundError(`no user ${id}`);
    }
    const result = await resetTwofaOfUser(twofaContextOf(platform, request), actor, Number(id));
    if (result === 'reset') {
      request.log.info({ category: 'auth', user: Number(id), by: actor.userId }, 'two-factor authentication reset by an administrator');
    }
    setFlash(reply, { kind: 'notice', key: result === 'reset' ? 'notice_twofa_reset' : 'notice_twofa_not_enabled' });
    return reply.redirect(`/users/${id}/edit`, 303);
  });
}
