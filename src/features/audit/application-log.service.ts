/**
 * Downloading the tenant's application log (security.md §11): administrators take any range of UTC
 * days inside the last 5 months; a range reaching further back (or ahead of today) is refused naming
 * the allowed range. Each download is recorded (`log.download`, with the range) before anything is
 * read. The lines come from the tenant's own day files only (logging/application-log.ts).
 */
import type { Readable } from 'node:stream';
import type { Queryable } from '#src/db/database.ts';
import { daysBetween, readApplicationLog, utcDay, type ApplicationLogWriter } from '#src/logging/application-log.ts';
import { recordAudit, type AuditedContext } from './index.ts';
import { startOfDayIn } from './audit-filter.ts';

/** How far back a download may reach, in months. */
export const APPLICATION_LOG_DOWNLOAD_MONTHS = 5;
/** The range the form offers first, in days ending today. */
const DEFAULT_DAYS = 7;
const DAY_MILLIS = 86_400_000;

/** Two `YYYY-MM-DD` UTC days, both included. */
export interface LogRange {
  readonly from: string;
  readonly to: string;
}

export type LogRangeRefusal = 'from_invalid' | 'to_invalid' | 'order' | 'outside';

/** The earliest and latest day a download may hold: the same day 5 months ago (or that month's last), and today. */
export function allowedLogRange(now: Date): LogRange {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - APPLICATION_LOG_DOWNLOAD_MONTHS;
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const earliest = new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastOfMonth)));
  return { from: utcDay(earliest), to: utcDay(now) };
}

/** The last 7 days, today included. */
export function defaultLogRange(now: Date): LogRange {
  return { from: utcDay(new Date(now.getTime() - (DEFAULT_DAYS - 1) * DAY_MILLIS)), to: utcDay(now) };
}

/** The range asked for, or why it cannot be downloaded. Empty fields take the default range's. */
export function checkLogRange(asked: LogRange, now: Date): { range: LogRange } | { refused: LogRangeRefusal; allowed: LogRange } {
  const allowed = allowedLogRange(now);
  const fallback = defaultLogRange(now);
  const range = { from: asked.from === '' ? fallback.from : asked.from, to: asked.to === '' ? fallback.to : asked.to };
  if (!startOfDayIn(range.from, 'UTC')) {
    return { refused: 'from_invalid', allowed };
  }
  if (!startOfDayIn(range.to, 'UTC')) {
    return { refused: 'to_invalid', allowed };
  }
  if (range.from > range.to) {
    return { refused: 'order', allowed };
  }
  if (range.from < allowed.from || range.to > allowed.to) {
    return { refused: 'outside', allowed };
  }
  return { range };
}

export interface ApplicationLogContext extends AuditedContext {
  readonly db: Queryable;
  readonly dataDir: string;
  readonly account: string;
  readonly writer: ApplicationLogWriter;
}

/** Records the download, puts the tenant's queued lines on disk, and streams the range's day files. */
export async function downloadApplicationLog(ctx: ApplicationLogContext, range: LogRange): Promise<Readable> {
  await recordAudit(ctx.db, { event: 'log.download', source: ctx.auditSource, details: { from: range.from, to: range.to } });
  await ctx.writer.flush(ctx.account);
  return readApplicationLog(ctx.dataDir, ctx.account, daysBetween(range.from, range.to));
}
