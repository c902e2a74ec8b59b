/**
 * The SQL of the time report: the hours of a list's entries grouped by criteria values and period,
 * and the names of those values. Criteria about issues go through the list's `ti` join, which holds
 * only the issues the actor sees.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';
import type { NameParts } from '#src/views/format.ts';
import { listFrom } from './time-entry.repository.ts';

export type ReportCriterion = 'project' | 'status' | 'version' | 'category' | 'user' | 'tracker' | 'activity' | 'issue';
export type ReportPeriod = 'year' | 'month' | 'week' | 'day';

/** The value each criterion groups by, over `time_entries t JOIN projects p` and the issue join `ti`. */
const CRITERION_VALUE: Readonly<Record<ReportCriterion, string>> = {
  project: 't.project_id',
  status: 'ti.status_id',
  version: 'ti.fixed_version_id',
  category: 'ti.category_id',
  user: 't.user_id',
  tracker: 'ti.tracker_id',
  activity: 't.activity_id',
  issue: 't.issue_id',
};

/** The period label of an entry: `2024`, `2024-3`, ISO `2024-12` (week), `2024-03-05`. */
const PERIOD_VALUE: Readonly<Record<ReportPeriod, string>> = {
  year: 't.tyear::text',
  month: "t.tyear::text || '-' || t.tmonth::text",
  week: "extract(isoyear FROM t.spent_on)::int::text || '-' || extract(week FROM t.spent_on)::int::text",
  day: 't.spent_on::text',
};

export interface ReportQueryResult {
  readonly cells: { values: (number | null)[]; period: string; hours: number }[];
  /** The first and last day with an entry (`YYYY-MM-DD`), undefined when there is none. */
  readonly first: string | undefined;
  readonly last: string | undefined;
}

/** The hours summed per criteria values and period, over the entries `where` admits. */
export async function selectReportHours(
  db: Queryable,
  query: { where: SQL; visibleIssues: SQL },
  criteria: readonly ReportCriterion[],
  period: ReportPeriod,
): Promise<ReportQueryResult> {
  const values = criteria.map((criterion, i) => sql.raw(`${CRITERION_VALUE[criterion]} AS v${i}`));
  const groups = criteria.map((criterion) => sql.raw(CRITERION_VALUE[criterion]));
  const periodSql = sql.raw(PERIOD_VALUE[period]);
  const selected = sql.join([...values, sql`${periodSql} AS period`, sql`sum(t.hours)::float8 AS hours`, sql`min(t.spent_on)::text AS first`, sql`max(t.spent_on)::text AS last`], sql`, `);
  const from = listFrom(query.visibleIssues, query.where, ...groups);
  const rows = await runSql<Record<string, unknown>>(db, sql`SELECT ${selected} ${from} WHERE ${query.where} GROUP BY ${sql.join([...groups, periodSql], sql`, `)}`);
  let first: string | undefined;
  let last: string | undefined;
  const cells = rows.map((row) => {
    const f = String(row.first);
    const l = String(row.last);
    first = first === undefined || f < first ? f : first;
    last = last === undefined || l > last ? l : last;
    return {
      values: criteria.map((_, i) => (row[`v${i}`] === null || row[`v${i}`] === undefined ? null : Number(row[`v${i}`]))),
      period: String(row.period),
      hours: Number(row.hours),
    };
  });
  return { cells, first, last };
}

/** The names of a criterion's values: text, or a user's name parts (formatted by the tenant's user format). */
export async function selectReportLabels(db: Queryable, criterion: ReportCriterion, ids: readonly number[], visibleIssues: SQL): Promise<Map<number, string | NameParts>> {
  if (ids.length === 0) {
    return new Map();
  }
  const list = idList(ids);
  if (criterion === 'user') {
    const rows = await runSql<{ id: number; firstname: string; lastname: string; login: string }>(
      db,
      sql`SELECT id, coalesce(firstname, '') AS firstname, coalesce(lastname, '') AS lastname, coalesce(login, '') AS login FROM users WHERE id IN ${list}`,
    );
    return new Map(rows.map((row) => [Number(row.id), row]));
  }
  let query: SQL;
  switch (criterion) {
    case 'project':
      query = sql`SELECT id, name AS label FROM projects WHERE id IN ${list}`;
      break;
    case 'status':
      query = sql`SELECT id, name AS label FROM issue_statuses WHERE id IN ${list}`;
      break;
    case 'version':
      query = sql`SELECT id, name AS label FROM versions WHERE id IN ${list}`;
      break;
    case 'category':
      query = sql`SELECT id, name AS label FROM issue_categories WHERE id IN ${list}`;
      break;
    case 'tracker':
      query = sql`SELECT id, name AS label FROM trackers WHERE id IN ${list}`;
      break;
    case 'activity':
      query = sql`SELECT id, name AS label FROM enumerations WHERE id IN ${list}`;
      break;
    case 'issue':
      query = sql`SELECT i.id, (SELECT x.name FROM trackers x WHERE x.id = i.tracker_id) || ' #' || i.id || ': ' || i.subject AS label
                    FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id IN ${list} AND ${visibleIssues}`;
      break;
  }
  const rows = await runSql<{ id: number; label: string }>(db, query);
  return new Map(rows.map((row) => [Number(row.id), row.label]));
}
