/**
 * Whole answers to API GETs, remembered per data version (db/version-memo.ts): the same caller
 * asking the same URL again before anything commits gets the same bytes without the work. Scripts and
 * dashboards poll lists this way, and paging clients ask again for what they just read.
 *
 * An answer depends on the database (the data version), the caller (user, how they authenticated, whom
 * they switched to), the URL with its query, the host it is linked under, the `X-Redmine-Nometa`
 * header, and the date for relative date filters: the key holds the current minute, and a date
 * boundary in any time zone falls on a minute boundary. Only 200 answers written by `sendApi` are
 * kept; nothing else a GET answers (files, errors) is.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recall, remember } from '#src/db/version-memo.ts';

interface Answer {
  readonly type: string;
  readonly body: string;
}

const keys = new WeakMap<FastifyRequest, string>();

function keyOf(request: FastifyRequest): string {
  const header = (name: string) => String(request.headers[name] ?? '');
  return [
    'answer',
    request.user ? String(request.user.id) : 'anonymous',
    request.apiAuthMethod ?? '',
    header('x-redmine-switch-user'),
    header('x-redmine-nometa'),
    `${request.protocol}://${request.host}${request.url}`,
    String(Math.floor(Date.now() / 60_000)),
  ].join('\u0001');
}

/** Answers the request from the memo when it can (then the reply is sent); else marks it to be kept. */
export function replyFromMemo(request: FastifyRequest, reply: FastifyReply): boolean {
  const ctx = request.tenantContext;
  if (request.method !== 'GET' || !request.apiFormat || ctx?.dataVersion === undefined) {
    return false;
  }
  const key = keyOf(request);
  const answer = recall<Answer>(ctx.db, key, ctx.dataVersion);
  if (answer) {
    void reply.status(200).type(answer.type).send(answer.body);
    return true;
  }
  keys.set(request, key);
  return false;
}

/** Keeps a 200 answer of a request `replyFromMemo` marked. */
export function keepAnswer(request: FastifyRequest, status: number, type: string, body: string): void {
  const key = keys.get(request);
  const ctx = request.tenantContext;
  if (key === undefined || status !== 200 || ctx?.dataVersion === undefined) {
    return;
  }
  remember(ctx.db, key, ctx.dataVersion, { type, body } satisfies Answer, body.length);
}
