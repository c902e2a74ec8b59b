/**
 * What every administration page shares: only administrators get in (anonymous visitors are sent to
 * sign in, signed-in users get a 403 before anything is read or written), the top menu marks
 * "Administration", and the sidebar is the admin menu with the page's area selected.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertAdministrator } from '#src/domain/administration.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage, type PageOptions } from '#src/http/page.tsx';
import type { Platform } from '#src/platform/platform.ts';
import { AdminMenu, type AdminMenuKey } from './views/admin-menu.tsx';

/** The request's actor, if it is an administrator; otherwise the request ends here (401 → sign-in, 403). */
export async function requireAdministrator(request: FastifyRequest): Promise<Actor> {
  const actor = await actorOf(request);
  assertAdministrator(actor);
  return actor;
}

/**
 * `sendPage` with the administration frame: the admin menu in the sidebar, `selected` marked. It
 * checks the administrator again, so a page can never be shown to someone else; routes still call
 * `requireAdministrator` first, before they read or write anything.
 */
export async function sendAdminPage(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  selected: AdminMenuKey | undefined,
  options: Omit<PageOptions, 'sidebar' | 'current'>,
) {
  await requireAdministrator(request);
  return sendPage(platform, request, reply, {
    ...options,
    current: 'administration',
    bodyClass: ['admin', options.bodyClass].filter(Boolean).join(' '),
    sidebar: ({ t }) => <AdminMenu t={t} selected={selected} />,
  });
}
