/**
 * The issue list a browser viewed last, for the issue page's "« Previous | n of m | Next »" (Redmine
 * keeps the query in the session, `session[:issue_query]`). Kanri's sessions hold no data, so the
 * list page leaves the query's parameters — its saved query, or its filters, columns, grouping, and
 * its sort and page size — and its project in a cookie of its own; the issue page recomputes the
 * neighbours from them with the viewer's visibility at that moment.
 *
 * The cookie is sealed with a key of this tenant (no other host, not even a sibling tenant, can plant
 * one) and names the user who viewed the list: another user signing in on the same browser does not
 * get the previous user's filters back in links. Host-only, HttpOnly, SameSite=Lax, named by
 * http/cookies.ts (`__Host-` over HTTPS). A query too long for a cookie is not remembered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseQueryString } from '#src/api/params.ts';
import { cookieName, isSecureRequest } from '#src/http/cookies.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { deriveKey, sealValue, unsealValue } from '#src/lib/keys.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { RememberedList } from './issue-list.service.ts';
import { queryString, stateParams, type IssueListState } from './issue-list.state.ts';

const COOKIE = 'kanri_issue_query';
/** Browsers keep about 4 KB a cookie; past this the list is not remembered (and an older one is dropped). */
const MAX_COOKIE_CHARS = 3800;

const nameOf = (request: FastifyRequest) => cookieName(request, COOKIE);
const keyOf = (platform: Platform, request: FastifyRequest) => deriveKey(platform.secret, 'issue-query', tenantOf(request).tenant.account);
const optionsOf = (request: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isSecureRequest(request) });

interface Stored {
  /** The user who viewed the list (0: anonymous). */
  readonly u: number;
  /** The project's identifier, or null for all projects. */
  readonly p: string | null;
  /** The list's query string, without its page. */
  readonly q: string;
}

/** Remembers the list the page shows (called by the issue list page only, not by exports or the API). */
export function rememberIssueList(platform: Platform, request: FastifyRequest, reply: FastifyReply, project: string | undefined, state: IssueListState): void {
  const stored: Stored = { u: request.user?.id ?? 0, p: project ?? null, q: queryString(stateParams(state)) };
  const sealed = sealValue(keyOf(platform, request), Buffer.from(JSON.stringify(stored)).toString('base64url'));
  if (sealed.length > MAX_COOKIE_CHARS) {
    if (request.cookies[nameOf(request)] !== undefined) {
      reply.clearCookie(nameOf(request), optionsOf(request));
    }
    return;
  }
  reply.setCookie(nameOf(request), sealed, optionsOf(request));
}

/** The list the same user viewed last in this browser, or undefined (none, tampered, another user's). */
export function rememberedIssueList(platform: Platform, request: FastifyRequest): RememberedList | undefined {
  const sealed = request.cookies[nameOf(request)];
  const value = sealed ? unsealValue(keyOf(platform, request), sealed) : undefined;
  if (value === undefined) {
    return undefined;
  }
  try {
    const stored = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Stored>;
    if (stored.u !== (request.user?.id ?? 0) || typeof stored.q !== 'string' || (stored.p !== null && typeof stored.p !== 'string')) {
      return undefined;
    }
    return { project: stored.p ?? undefined, params: parseQueryString(stored.q) };
  } catch {
    // A cookie sealed by this tenant but unreadable (an older format): as if there were none.
    return undefined;
  }
}
