/**
 * The tenant's audit trail: who did what security-relevant thing, when, from where (security.md §11).
 * Call `recordAudit` in the same transaction as the change it records, where there is one, so a change
 * and its record commit or fail together. Secrets (passwords, codes, keys, tokens) never go in.
 * Administrators read, filter and export the trail on Administration → Audit trail (audit.pages.tsx).
 */
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '#src/db/database.ts';
import { insertAuditRow } from './audit.repository.ts';
import type { AuditEventName } from './audit-events.ts';

export { AUDIT_EVENTS, isAuditEventName, type AuditEventName } from './audit-events.ts';

/** Where an event came from: the acting user (or a label for none), the client's address and browser. */
export interface AuditSource {
  readonly actorId: number | null;
  /** The acting user's login, or `anonymous`, `operator`, `system`. */
  readonly actorName: string;
  /** The administrator behind an `X-Redmine-Switch-User` request. */
  readonly impersonatorId?: number | null | undefined;
  readonly ip: string;
  readonly userAgent: string;
}

export interface AuditTarget {
  /** `User`, `Group`, `Setting`, `Role`, `Project`… (Redmine's class names). */
  readonly type: string;
  readonly id?: number | null | undefined;
  /** A readable name kept with the row (login, setting name): the target may be deleted later. */
  readonly name?: string | undefined;
}

export interface AuditEntry {
  readonly event: AuditEventName;
  readonly source: AuditSource;
  readonly target?: AuditTarget | undefined;
  /** What changed (`from`/`to`, counts, reasons); never a secret. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

// Control characters would let a crafted user agent or login forge lines where the trail is printed.
const CONTROL = /[\u0000-\u001f\u007f]/g;
const clean = (text: string, max: number) => text.replace(CONTROL, ' ').slice(0, max);

/**
 * A service context whose writes are recorded: the source of the request that asked for them. The
 * services of users, groups, memberships and roles take it (settings take the source itself), so the
 * pages and the REST API leave the same trail.
 */
export interface AuditedContext {
  readonly auditSource: AuditSource;
}

/**
 * Appends one event; `db` is the transaction of the change it records, where there is one (a
 * transaction Drizzle opened: `queryableOf(tx)`).
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await insertAuditRow(db, {
    event: entry.event,
    actorId: entry.source.actorId,
    actorName: clean(entry.source.actorName, 255),
    impersonatorId: entry.source.impersonatorId ?? null,
    ip: clean(entry.source.ip, 64),
    userAgent: clean(entry.source.userAgent, 255),
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetName: clean(entry.target?.name ?? '', 255),
    details: entry.details ?? {},
  });
}

/**
 * The source of a request's events: its signed-in user (`actor` overrides, e.g. the user a sign-in
 * attempt names), the client address as resolved across trusted proxies, and the user agent.
 */
export function auditSourceOf(request: FastifyRequest, actor?: { readonly id: number; readonly login: string } | null): AuditSource {
  const user = actor === undefined ? request.user : actor;
  const agent = request.headers['user-agent'];
  return {
    actorId: user?.id ?? null,
    actorName: user?.login ?? 'anonymous',
    ip: request.ip,
    userAgent: typeof agent === 'string' ? agent : '',
  };
}
