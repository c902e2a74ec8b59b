/**
 * The audit trail's filter as a query string carries it (`event`, `actor`, `target`, `ip`, `from`,
 * `to`) and as the repository applies it. Dates are calendar days in the viewer's time zone, both
 * included, the way the viewer reads the times on the page. Pure.
 */
import { paramString, type Params } from '#src/api/params.ts';
import { isAuditEventName } from './audit-events.ts';
import type { AuditFilter } from './audit.repository.ts';

/** The filter as typed (trimmed and cut), for the form, the links and the export's record. */
export interface AuditFilterForm {
  readonly event: string;
  readonly actor: string;
  readonly target: string;
  readonly ip: string;
  /** `YYYY-MM-DD`, or '' for open. */
  readonly from: string;
  readonly to: string;
}

export type AuditFilterField = keyof AuditFilterForm;

const FIELDS: readonly AuditFilterField[] = ['event', 'actor', 'target', 'ip', 'from', 'to'];

export function auditFilterFormOf(query: Params): AuditFilterForm {
  const text = (name: AuditFilterField, max: number) => (paramString(query[name]) ?? '').trim().slice(0, max);
  const event = text('event', 64);
  return {
    event: isAuditEventName(event) ? event : '',
    actor: text('actor', 255),
    target: text('target', 255),
    ip: text('ip', 64),
    from: text('from', 10),
    to: text('to', 10),
  };
}

/** The non-empty fields, for links that keep the filter (pages, exports). */
export function auditFilterParams(form: AuditFilterForm): Record<string, string> {
  return Object.fromEntries(FIELDS.filter((name) => form[name] !== '').map((name) => [name, form[name]]));
}

/** Minutes to add to UTC to read the wall clock of `timeZone` at `instant` (UTC for an unknown zone). */
function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timeZone || 'UTC', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  } catch {
    return 0;
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'));
  return Math.round((wall - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The instant a calendar day starts in the time zone; undefined when `day` is no real `YYYY-MM-DD` date. */
export function startOfDayIn(day: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) {
    return undefined;
  }
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnightUtc = Date.UTC(year, month - 1, date);
  const check = new Date(midnightUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    return undefined;
  }
  // The zone's offset at midnight, then again at the instant found (it differs across a DST change).
  const first = midnightUtc - zoneOffsetMinutes(check, timeZone) * 60_000;
  return new Date(midnightUtc - zoneOffsetMinutes(new Date(first), timeZone) * 60_000);
}

/** The filter the repository applies, or the date fields that are no dates. */
export function auditFilterOf(form: AuditFilterForm, timeZone: string): { filter: AuditFilter; invalid: ('from' | 'to')[] } {
  const invalid: ('from' | 'to')[] = [];
  const since = form.from === '' ? undefined : startOfDayIn(form.from, timeZone);
  if (form.from !== '' && !since) {
    invalid.push('from');
  }
  const lastDay = form.to === '' ? undefined : startOfDayIn(form.to, timeZone);
  if (form.to !== '' && !lastDay) {
    invalid.push('to');
  }
  // Up to the start of the day after `to`, so `to` is included (that day's date: noon UTC plus a day).
  const nextDay = lastDay && startOfDayIn(new Date(Date.parse(`${form.to}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10), timeZone);
  return {
    filter: {
      event: isAuditEventName(form.event) ? form.event : undefined,
      actor: form.actor || undefined,
      target: form.target || undefined,
      ip: form.ip || undefined,
      since,
      until: nextDay,
    },
    invalid,
  };
}
