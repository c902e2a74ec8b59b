/**
 * All SQL on issues. A page of issues is two statements whatever its size: the rows with every name
 * they show (joins), and the count.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { runSql } from '#src/db/sql.ts';

export interface IssueRow {
  id: number;
  project_id: number;
  project_name: string;
  tracker_id: number;
  tracker_name: string;
  status_id: number;
  status_name: string;
  status_is_closed: boolean;
  priority_id: number;
  priority_name: string;
  author_id: number;
  author_name: string | null;
  assigned_to_id: number | null;
  assigned_to_name: string | null;
  category_id: number | null;
  category_name: string | null;
  fixed_version_id: number | null;
  fixed_version_name: string | null;
  parent_id: number | null;
  subject: string;
  description: string | null;
  start_date: string | null;
  due_date: string | null;
  done_ratio: number;
  is_private: boolean;
  estimated_hours: number | null;
  total_estimated_hours: number | null;
  /** ISO-8601 UTC text. */
  created_on: string | null;
  updated_on: string | null;
  closed_on: string | null;
}

/** Redmine's default user format, firstname_lastname; groups show their name. */
const principalName = (alias: string) =>
  sql.raw(`CASE WHEN ${alias}.type = 'Group' THEN ${alias}.lastname ELSE trim(${alias}.firstname || ' ' || ${alias}.lastname) END`);

/** A `timestamp` (UTC by convention) as ISO text, so no driver applies the process's time zone. */
const utc = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);

const FROM = sql`
  FROM issues i
  JOIN projects p ON p.id = i.project_id
  JOIN trackers t ON t.id = i.tracker_id
  JOIN issue_statuses s ON s.id = i.status_id
  JOIN enumerations e ON e.id = i.priority_id
  LEFT JOIN users au ON au.id = i.author_id
  LEFT JOIN users asg ON asg.id = i.assigned_to_id
  LEFT JOIN issue_categories c ON c.id = i.category_id
  LEFT JOIN versions v ON v.id = i.fixed_version_id`;

const COLUMNS = sql`
  i.id, i.project_id, p.name AS project_name, i.tracker_id, t.name AS tracker_name,
  i.status_id, s.name AS status_name, s.is_closed AS status_is_closed, i.priority_id, e.name AS priority_name,
  i.author_id, ${principalName('au')} AS author_name, i.assigned_to_id, ${principalName('asg')} AS assigned_to_name,
  i.category_id, c.name AS category_name, i.fixed_version_id, v.name AS fixed_version_name, i.parent_id,
  i.subject, i.description, i.start_date::text AS start_date, i.due_date::text AS due_date, i.done_ratio,
  i.is_private, i.estimated_hours,
  CASE WHEN i.rgt IS NULL OR i.rgt - i.lft = 1 THEN i.estimated_hours
       ELSE (SELECT sum(d.estimated_hours) FROM issues d WHERE d.root_id = i.root_id AND d.lft >= i.lft AND d.rgt <= i.rgt)
  END AS total_estimated_hours,
  ${utc('i.created_on')} AS created_on, ${utc('i.updated_on')} AS updated_on, ${utc('i.closed_on')} AS closed_on`;

export async function selectIssuePage(
  db: Queryable,
  where: SQL,
  orderBy: SQL,
  page: { offset: number; limit: number },
): Promise<{ rows: IssueRow[]; total: number }> {
  const [rows, totals] = await Promise.all([
    runSql<IssueRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY ${orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`),
    runSql<{ n: number }>(db, sql`SELECT count(*)::int AS n ${FROM} WHERE ${where}`),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export async function selectIssue(db: Queryable, where: SQL, id: number): Promise<IssueRow | undefined> {
  const [row] = await runSql<IssueRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE i.id = ${id} AND ${where}`);
  return row;
}

export async function issueExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM issues WHERE id = $1', [id])).length > 0;
}
