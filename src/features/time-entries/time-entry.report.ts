/**
 * The time report (Redmine's TimelogController#report and Redmine::Helpers::TimeReport): the hours
 * of a list's entries summed by up to three criteria (user, activity, issue, version, category,
 * tracker, project, status) and by period (year, month, week or day), as a nested pivot table. The
 * entries are the list's (same filters, same visibility); the criteria about issues read only the
 * issues the actor sees.
 */
import { formatUserName } from '#src/views/format.ts';
import { addDays } from '#src/features/issues/issue-filter.dates.ts';
import { selectReportHours, selectReportLabels, type ReportCriterion, type ReportPeriod } from './time-entry.report.repository.ts';
import type { TimeEntryContext, TimeEntryListScope } from './time-entry.service.ts';

export type { ReportCriterion, ReportPeriod } from './time-entry.report.repository.ts';

/** Criteria in Redmine's order (TimeReport#load_available_criteria). */
export const REPORT_CRITERIA: readonly ReportCriterion[] = ['project', 'status', 'version', 'category', 'user', 'tracker', 'activity', 'issue'];
export const REPORT_PERIODS: readonly ReportPeriod[] = ['year', 'month', 'week', 'day'];

const MAX_CRITERIA = 3;

/** `criteria[]` as asked: known ones, each once, at most three; `columns` a known period (default month). */
export function reportShapeOf(criteria: readonly string[], columns: string | undefined): { criteria: ReportCriterion[]; period: ReportPeriod } {
  const chosen: ReportCriterion[] = [];
  for (const name of criteria) {
    if ((REPORT_CRITERIA as readonly string[]).includes(name) && !chosen.includes(name as ReportCriterion) && chosen.length < MAX_CRITERIA) {
      chosen.push(name as ReportCriterion);
    }
  }
  const period = (REPORT_PERIODS as readonly string[]).includes(columns ?? '') ? (columns as ReportPeriod) : 'month';
  return { criteria: chosen, period };
}

/** One row of the pivot: a criterion value, its hours per period, and the rows of the next criterion. */
export interface ReportNode {
  /** The value's name; null for "none" (an entry without issue, version…). */
  readonly label: string | null;
  readonly hours: ReadonlyMap<string, number>;
  readonly total: number;
  readonly children: readonly ReportNode[];
}

export interface TimeReport {
  readonly criteria: readonly ReportCriterion[];
  readonly period: ReportPeriod;
  /** Every period from the first entry to the last, in order (periods without hours included). */
  readonly periods: readonly string[];
  readonly rows: readonly ReportNode[];
  readonly hours: ReadonlyMap<string, number>;
  readonly total: number;
}

/** A summed cell of the query: the criteria values (in criteria order), the period, the hours. */
export interface ReportCell {
  readonly values: readonly (number | null)[];
  readonly period: string;
  readonly hours: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO week-numbering year and week of a day (`YYYY-MM-DD`), as PostgreSQL's isoyear and week. */
function isoWeek(day: string): { year: number; week: number } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  return { year, week: 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86_400_000)) };
}

/** The period a day belongs to, written as the report's SQL writes it. */
export function periodOf(day: string, period: ReportPeriod): string {
  const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  switch (period) {
    case 'year':
      return String(year);
    case 'month':
      return `${year}-${month}`;
    case 'week': {
      const w = isoWeek(day);
      return `${w.year}-${w.week}`;
    }
    case 'day':
      return `${day.slice(0, 4)}-${pad(month)}-${day.slice(8, 10)}`;
  }
}

/** Every period from `from` to `to` (days `YYYY-MM-DD`), in order (Redmine's TimeReport periods). */
export function periodsBetween(from: string, to: string, period: ReportPeriod): string[] {
  const out: string[] = [];
  let day = from;
  // Steps by a day, a week or to the next month/year, whichever the period needs.
  while (day <= to) {
    const label = periodOf(day, period);
    if (out.at(-1) !== label) {
      out.push(label);
    }
    if (period === 'day' || period === 'week') {
      day = addDays(day, period === 'day' ? 1 : 7 - ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
    } else {
      const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
      day = period === 'year' ? `${String(y + 1).padStart(4, '0')}-01-01` : m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${String(y).padStart(4, '0')}-${pad(m + 1)}-01`;
    }
  }
  return out;
}

function sumByPeriod(cells: readonly ReportCell[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const cell of cells) {
    out.set(cell.period, (out.get(cell.period) ?? 0) + cell.hours);
  }
  return out;
}

const sumOf = (cells: readonly ReportCell[]) => cells.reduce((sum, cell) => sum + cell.hours, 0);

/**
 * The nested rows for the cells from criterion `level` on: one row per value of that criterion (by
 * label, "none" last), each with its hours per period and total, and the rows of the next criterion.
 */
export function pivotRows(cells: readonly ReportCell[], level: number, depth: number, labelOf: (level: number, value: number | null) => string | null): ReportNode[] {
  if (level >= depth) {
    return [];
  }
  const groups = new Map<number | null, ReportCell[]>();
  for (const cell of cells) {
    const value = cell.values[level] ?? null;
    const group = groups.get(value) ?? [];
    group.push(cell);
    groups.set(value, group);
  }
  const rows = [...groups].map(([value, group]) => ({
    label: labelOf(level, value),
    hours: sumByPeriod(group),
    total: sumOf(group),
    children: pivotRows(group, level + 1, depth, labelOf),
  }));
  return rows.sort((a, b) => (a.label === null ? 1 : b.label === null ? -1 : a.label.localeCompare(b.label)));
}

/** The report of a list scope by the criteria and period asked for. */
export async function timeEntryReport(ctx: TimeEntryContext, scope: TimeEntryListScope, criteria: readonly ReportCriterion[], period: ReportPeriod): Promise<TimeReport> {
  const { cells, first, last } = await selectReportHours(ctx.db, { where: scope.where, visibleIssues: scope.visibleIssues }, criteria, period);
  const labels = await Promise.all(
    criteria.map((criterion, level) => {
      const ids = [...new Set(cells.map((cell) => cell.values[level]).filter((v): v is number => v !== null && v !== undefined))];
      return selectReportLabels(ctx.db, criterion, ids, scope.visibleIssues);
    }),
  );
  const labelOf = (level: number, value: number | null): string | null => {
    if (value === null) {
      return null;
    }
    const label = labels[level]?.get(value);
    if (label === undefined) {
      return criteria[level] === 'issue' ? `#${value}` : String(value);
    }
    return typeof label === 'string' ? label : formatUserName(label, ctx.settings.user_format);
  };
  return {
    criteria,
    period,
    periods: first && last ? periodsBetween(first, last, period) : [],
    rows: pivotRows(cells, 0, criteria.length, labelOf),
    hours: sumByPeriod(cells),
    total: sumOf(cells),
  };
}
