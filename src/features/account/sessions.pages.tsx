/**
 * HTML routes of sessions: My account → Sessions (the list, ending one, ending all others) and an
 * administrator's "end all sessions" of a user, from the user's edit page. Every ending is audited as
 * `session.ended` (session.service.ts); an ended session's browser is sent to sign in at its next
 * request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { requireAdministrator } from '#src/features/admin/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { endAllSessions, endOtherSessions, endOwnSession, listSessions, type User } from './index.ts';
import { SessionsPage } from './views/sessions-page.tsx';

function signedInUser(request: FastifyRequest): User {
  if (!request.user) {
    throw new UnauthenticatedError();
  }
  return request.user;
}

/** The numeric `:id` of the path; anything else names nothing (404). */
function idParam(request: FastifyRequest): number {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError('no such id');
  }
  return Number(id);
}

export async function sessionsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/my/sessions', async (request, reply) => {
    const user = signedInUser(request);
    const sessions = await listSessions(tenantOf(request).db, user.id, request.sessionToken);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_session_plural'),
      body: ({ t, format, csrfToken }) => <SessionsPage t={t} format={format} csrfToken={csrfToken} sessions={sessions} />,
    });
  });

  app.post('/my/sessions/:id/delete', async (request, reply) => {
    const user = signedInUser(request);
    const ended = await endOwnSession(tenantOf(request).db, user, idParam(request), auditSourceOf(request));
    if (!ended) {
      throw new NotFoundError('no such session of this user');
    }
    setFlash(reply, { kind: 'notice', key: 'notice_session_ended' });
    return reply.redirect('/my/sessions', 303);
  });

  app.post('/my/sessions/delete_others', async (request, reply) => {
    const user = signedInUser(request);
    await endOtherSessions(tenantOf(request).db, user, request.sessionToken, auditSourceOf(request));
    setFlash(reply, { kind: 'notice', key: 'notice_other_sessions_ended' });
    return reply.redirect('/my/sessions', 303);
  });

  app.post('/users/:id/sessions/delete', async (request, reply) => {
    await requireAdministrator(request);
    const userId = idParam(request);
    const ended = await endAllSessions(tenantOf(request).db, userId, auditSourceOf(request));
    if (ended === undefined) {
      throw new NotFoundError('no such user');
    }
    setFlash(reply, { kind: 'notice', key: 'notice_all_sessions_ended' });
    return reply.redirect(`/users/${userId}/edit`, 303);
  });
}
