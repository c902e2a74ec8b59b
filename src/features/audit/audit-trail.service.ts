/**
 * Reading the audit trail (administrators only): a page of it, and the export of what a filter
 * matches, which is itself recorded (`audit.export`, with the filter) — so who took the trail away,
 * and which part of it, is on the trail too.
 */
import type { Database } from '#src/db/database.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { recordAudit, type AuditedContext } from './index.ts';
import { countAuditEvents, selectAuditEvents, type AuditEventRecord, type AuditFilter } from './audit.repository.ts';

export interface AuditTrailContext extends AuditedContext {
  readonly db: Database;
  readonly actor: Actor;
}

/** The most events one export holds; a filter matching more is refused, so no export is silently cut short. */
export const AUDIT_EXPORT_LIMIT = 50_000;

export type AuditExportFormat = 'csv' | 'json';

/** A page of the events the filter matches, newest first, and how many there are. */
export async function listAuditTrail(
  ctx: AuditTrailContext,
  filter: AuditFilter,
  page: { offset: number; limit: number },
): Promise<{ events: AuditEventRecord[]; total: number }> {
  assertAdministrator(ctx.actor);
  const [events, total] = await Promise.all([selectAuditEvents(ctx.db, filter, page), countAuditEvents(ctx.db, filter)]);
  return { events, total };
}

/**
 * Every event the filter matches, newest first, for an export — recorded as `audit.export` with the
 * filter as asked (`asked`) and the number of events; or, when there are more than AUDIT_EXPORT_LIMIT,
 * how many (nothing is exported nor recorded).
 */
export async function exportAuditTrail(
  ctx: AuditTrailContext,
  filter: AuditFilter,
  asked: Readonly<Record<string, string>>,
  format: AuditExportFormat,
): Promise<{ events: AuditEventRecord[] } | { tooMany: number }> {
  assertAdministrator(ctx.actor);
  const total = await countAuditEvents(ctx.db, filter);
  if (total > AUDIT_EXPORT_LIMIT) {
    return { tooMany: total };
  }
  const events = await selectAuditEvents(ctx.db, filter, { offset: 0, limit: AUDIT_EXPORT_LIMIT });
  await recordAudit(ctx.db, { event: 'audit.export', source: ctx.auditSource, details: { format, filter: asked, count: events.length } });
  return { events };
}
