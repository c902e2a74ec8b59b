/**
 * Flash messages that survive one redirect (Redmine's `flash[:notice]`): the next page shows it once.
 * The cookie holds a catalog key, checked against the catalog when read, and the message's values
 * (numbers and words only; the page escapes them anyway).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { en, type MessageKey } from '#src/i18n/locales.ts';
import { cookieName, isSecureRequest } from './cookies.ts';

const FLASH_COOKIE = '_kanri_flash';

export interface Flash {
  readonly kind: 'notice' | 'warning' | 'error';
  readonly key: MessageKey;
  /** The message's `{{placeholders}}`, e.g. `{ id: '12' }`. */
  readonly vars?: Readonly<Record<string, string>>;
}

const VAR = /^[\w-]{1,40}$/;

export function setFlash(reply: FastifyReply, flash: Flash): void {
  const vars = Object.entries(flash.vars ?? {})
    .filter(([name, value]) => VAR.test(name) && VAR.test(value))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const { request } = reply;
  reply.setCookie(cookieName(request, FLASH_COOKIE), `${flash.kind}:${flash.key}${vars ? `:${vars}` : ''}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureRequest(request),
  });
}

/** The flash set by the previous response, cleared so it shows once. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | undefined {
  const name = cookieName(request, FLASH_COOKIE);
  const raw = request.cookies[name];
  if (!raw) {
    return undefined;
  }
  reply.clearCookie(name, { path: '/', secure: isSecureRequest(request) });
  const [kind, key, encoded = ''] = raw.split(':');
  if ((kind === 'notice' || kind === 'warning' || kind === 'error') && key && Object.hasOwn(en, key)) {
    const vars = Object.fromEntries(
      encoded
        .split('&')
        .map((pair) => pair.split('='))
        .filter((pair): pair is [string, string] => pair.length === 2 && VAR.test(pair[0]!) && VAR.test(pair[1]!)),
    );
    return { kind, key: key as MessageKey, vars };
  }
  return undefined;
}
