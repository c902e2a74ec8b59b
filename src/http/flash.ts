/**
 * Flash messages that survive one redirect (Redmine's `flash[:notice]`): the next page shows it once.
 * The cookie holds only a catalog key, checked against the catalog when read.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { en, type MessageKey } from '#src/i18n/locales.ts';

const FLASH_COOKIE = '_kanri_flash';

export interface Flash {
  readonly kind: 'notice' | 'error';
  readonly key: MessageKey;
}

export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, `${flash.kind}:${flash.key}`, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** The flash set by the previous response, cleared so it shows once. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | undefined {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) {
    return undefined;
  }
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const [kind, key] = raw.split(':');
  if ((kind === 'notice' || kind === 'error') && key && Object.hasOwn(en, key)) {
    return { kind, key: key as MessageKey };
  }
  return undefined;
}
