/**
 * Date values of issue filters (Redmine's Query#parse_date, date_clause, relative_date_clause): a
 * value is a day or an instant, and relative operators name a span of days counted from "today".
 * Days are UTC days for now (Redmine uses the user's time zone preference; Kanri does not read it yet).
 * Pure.
 */

/** A plain day, or an instant with its time (compared exactly). */
export type FilterDate = { readonly day: string } | { readonly instant: string };

// Redmine accepts `YYYY-MM-DD`, optionally `T` + `HH`, `HH:MM` or `HH:MM:SS` (colons optional) and a
// zone (`Z` or an offset). Redmine's pattern has no sign on the offset; the contract (§5.3) and
// clients write `+09:00`, so the sign is accepted (a URL's unencoded `+` arrives as a space).
const DATE_VALUE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?(Z|[+\- ]\d{2}:?\d{2})?)?$/;

function realDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The value as a day or a UTC instant (`YYYY-MM-DD HH:MM:SS`), or undefined when it is neither. */
export function parseFilterDate(value: string): FilterDate | undefined {
  const match = DATE_VALUE.exec(value);
  if (!match) {
    return undefined;
  }
  const [, y = '', m = '', d = '', hh, mm = '00', ss = '00', zone] = match;
  if (!realDay(Number(y), Number(m), Number(d))) {
    return undefined;
  }
  if (hh === undefined) {
    return { day: `${y}-${m}-${d}` };
  }
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
    return undefined;
  }
  // No zone: UTC (Redmine reads it in the server's zone).
  const offset = zone === undefined || zone === 'Z' ? 'Z' : `${zone[0] === '-' ? '-' : '+'}${zone.slice(1, 3)}:${zone.slice(-2)}`;
  const instant = new Date(`${y}-${m}-${d}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(instant.getTime())) {
    return undefined;
  }
  return { instant: instant.toISOString().slice(0, 19).replace('T', ' ') };
}

export function isFilterDate(value: string): boolean {
  return parseFilterDate(value) !== undefined;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today as YYYY-MM-DD in UTC. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The first and last day (either may be open) of the span a relative operator names, `n` being its
 * number of days. Weeks start on Sunday (general_first_day_of_week of Redmine's en and ja locales).
 */
export function relativeDays(operator: string, days: number, today: string): [string | undefined, string | undefined] {
  // Beyond ~1900 years either way no stored date differs, and the calendar stays in 4-digit years.
  const n = Math.min(Math.max(days, 0), 700_000);
  const date = new Date(`${today}T00:00:00Z`);
  const daysIntoWeek = date.getUTCDay();
  const day = (offset: number) => addDays(today, offset);
  const monthStart = (offset: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
  const monthEnd = (offset: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset + 1, 0)).toISOString().slice(0, 10);
  switch (operator) {
    case '><t-':
      return [day(-n), day(0)];
    case '>t-':
      return [day(-n), undefined];
    case '<t-':
      return [undefined, day(-n)];
    case 't-':
      return [day(-n), day(-n)];
    case '><t+':
      return [day(0), day(n)];
    case '>t+':
      return [day(n), undefined];
    case '<t+':
      return [undefined, day(n)];
    case 't+':
      return [day(n), day(n)];
    case 't':
      return [day(0), day(0)];
    case 'ld':
      return [day(-1), day(-1)];
    case 'nd':
      return [day(1), day(1)];
    case 'w':
      return [day(-daysIntoWeek), day(-daysIntoWeek + 6)];
    case 'lw':
      return [day(-daysIntoWeek - 7), day(-daysIntoWeek - 1)];
    case 'l2w':
      return [day(-daysIntoWeek - 14), day(-daysIntoWeek - 1)];
    case 'nw':
      return [day(-daysIntoWeek + 7), day(-daysIntoWeek + 13)];
    case 'm':
      return [monthStart(0), monthEnd(0)];
    case 'lm':
      return [monthStart(-1), monthEnd(-1)];
    case 'nm':
      return [monthStart(1), monthEnd(1)];
    case 'y':
      return [`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`];
    default:
      return [undefined, undefined];
  }
}
