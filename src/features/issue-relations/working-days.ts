/**
 * Working-day arithmetic on calendar dates (`YYYY-MM-DD`), Redmine's Redmine::Utils::DateCalculation:
 * the tenant's non-working week days (setting `non_working_week_days`, ISO numbers 1 = Monday …
 * 7 = Sunday) are skipped when issues following others are rescheduled. Pure; no time zones involved.
 */

const DAY_MS = 86_400_000;

export interface WorkingCalendar {
  /** ISO week days (1..7) nobody works on. */
  readonly nonWorkingDays: ReadonlySet<number>;
}

/** The calendar of a `non_working_week_days` list; seven non-working days mean none, as in Redmine. */
export function workingCalendar(nonWorkingWeekDays: readonly string[]): WorkingCalendar {
  const days = new Set(nonWorkingWeekDays.map(Number).filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  return { nonWorkingDays: days.size < 7 ? days : new Set() };
}

function toDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO week day of a day number: 1 = Monday … 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
function isoWeekDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isWorking(calendar: WorkingCalendar, day: number): boolean {
  return !calendar.nonWorkingDays.has(isoWeekDay(day));
}

/** Working days from `from` (counted) to `to` (not counted); 0 when `to` is not after `from`. */
export function workingDays(calendar: WorkingCalendar, from: string, to: string): number {
  const start = toDay(from);
  const days = toDay(to) - start;
  if (days <= 0) {
    return 0;
  }
  const weeks = Math.floor(days / 7);
  let result = weeks * (7 - calendar.nonWorkingDays.size);
  for (let i = 0; i < days - weeks * 7; i++) {
    if (isWorking(calendar, start + i)) {
      result += 1;
    }
  }
  return result;
}

/** The first working day on or after `date`. */
export function nextWorkingDate(calendar: WorkingCalendar, date: string): string {
  let day = toDay(date);
  while (!isWorking(calendar, day)) {
    day += 1;
  }
  return fromDay(day);
}

/**
 * `date` moved forward by `count` working days, landing on a working day; a count of zero or less
 * leaves the date as it is (even on a non-working day — Redmine's add_working_days does the same).
 */
export function addWorkingDays(calendar: WorkingCalendar, date: string, count: number): string {
  if (count <= 0) {
    return date;
  }
  const perWeek = 7 - calendar.nonWorkingDays.size;
  const weeks = Math.floor(count / perWeek);
  let day = toDay(date) + weeks * 7;
  let left = count - weeks * perWeek;
  while (left > 0) {
    day += 1;
    if (isWorking(calendar, day)) {
      left -= 1;
    }
  }
  return nextWorkingDate(calendar, fromDay(day));
}
