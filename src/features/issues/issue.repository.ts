/**
 * All SQL on issues. A page of issues is two statements whatever its size: the rows with every name
 * they show, and the count (often remembered, see selectIssuePage).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '#src/db/database.ts';
import { DATA_VERSION, memoAsOf, rowsAsOf } from '#src/db/version-memo.ts';
import { compileSql, flattened, isoTimestamp, runSql, sqlText } from '#src/db/sql.ts';
import type { ChildRow } from './issue.presenter.ts';

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

/** A `timestamp` (UTC by convention) as ISO text, so no driver applies the process's time zone. */
const utc = (column: string) => sql.raw(isoTimestamp(column));

/** Names of a referenced row, looked up per output row (cheaper to plan than one more join). */
const name = (table: string, column: string) => sql.raw(`(SELECT x.name FROM ${table} x WHERE x.id = i.${column})`);
const principal = (column: string) =>
  sql.raw(
    `(SELECT CASE WHEN x.type = 'Group' THEN x.lastname ELSE trim(x.firstname || ' ' || x.lastname) END FROM users x WHERE x.id = i.${column})`,
  );

/**
 * The columns of a row as presented, over `issues i` alone: every name is a scalar subquery on a
 * primary key, so the statement joins nothing and PostgreSQL plans it in a fraction of a millisecond
 * (a nine-table join cost ~20 ms of planning on every request). Rendered to text once: it has no
 * parameters, and composing its pieces again on every request was a measurable share of a list's time.
 */
const COLUMNS = sql.raw(sqlText(sql`
  i.id, i.project_id, ${name('projects', 'project_id')} AS project_name, i.tracker_id, ${name('trackers', 'tracker_id')} AS tracker_name,
  i.status_id, ${name('issue_statuses', 'status_id')} AS status_name,
  (SELECT x.is_closed FROM issue_statuses x WHERE x.id = i.status_id) AS status_is_closed,
  i.priority_id, ${name('enumerations', 'priority_id')} AS priority_name,
  i.author_id, ${principal('author_id')} AS author_name, i.assigned_to_id, ${principal('assigned_to_id')} AS assigned_to_name,
  i.category_id, ${name('issue_categories', 'category_id')} AS category_name,
  i.fixed_version_id, ${name('versions', 'fixed_version_id')} AS fixed_version_name, i.parent_id,
  i.subject, i.description, i.start_date::text AS start_date, i.due_date::text AS due_date, i.done_ratio,
  i.is_private, i.estimated_hours,
  CASE WHEN i.rgt IS NULL OR i.rgt - i.lft = 1 THEN i.estimated_hours
       ELSE (SELECT sum(d.estimated_hours) FROM issues d WHERE d.root_id = i.root_id AND d.lft >= i.lft AND d.rgt <= i.rgt)
  END AS total_estimated_hours,
  ${utc('i.created_on')} AS created_on, ${utc('i.updated_on')} AS updated_on, ${utc('i.closed_on')} AS closed_on`));

/** What filters and visibility always read: the issue, its project and its status. */
const BASE_FROM = 'FROM issues i JOIN projects p ON p.id = i.project_id JOIN issue_statuses s ON s.id = i.status_id';

/** Joins a sort (or filter) may need, added only when its SQL names the alias. */
const OPTIONAL_JOINS: readonly (readonly [alias: string, join: string])[] = [
  ['t', 'JOIN trackers t ON t.id = i.tracker_id'],
  ['e', 'JOIN enumerations e ON e.id = i.priority_id'],
  ['au', 'LEFT JOIN users au ON au.id = i.author_id'],
  ['asg', 'LEFT JOIN users asg ON asg.id = i.assigned_to_id'],
  ['c', 'LEFT JOIN issue_categories c ON c.id = i.category_id'],
  ['v', 'LEFT JOIN versions v ON v.id = i.fixed_version_id'],
];

/** The FROM clause of an issue list whose conditions and order are `parts`: the base tables and the joins they name. */
export function fromFor(...parts: SQL[]): SQL {
  const text = parts.map(sqlText).join(' ');
  const joins = OPTIONAL_JOINS.filter(([alias]) => new RegExp(`(^|[^a-z_.])${alias}\\.`).test(text)).map(([, join]) => join);
  return sql.raw([BASE_FROM, ...joins].join(' '));
}

/**
 * A page of issues in two statements whatever its size: the page (ids chosen with only the joins the
 * filters and sort need, then the presented columns for those ids alone), and the count. The count
 * reads every matching row, the page only a few: it is taken from the version memo when the page
 * saw the same data version as a count already made for these conditions.
 */
export async function selectIssuePage(
  db: Database,
  condition: SQL,
  order: SQL,
  page: { offset: number; limit: number },
  /**
   * The data version the request read, when it only reads: the page is then remembered under it
   * (db/version-memo.ts), so a list viewed again before anything changes runs no statement.
   */
  asOf?: string,
): Promise<{ rows: IssueRow[]; total: number }> {
  if (asOf !== undefined) {
    const key = `issue-page\u0001${JSON.stringify(compileSql(sql`${condition} ORDER BY ${order}`))}\u0001${page.offset}\u0001${page.limit}`;
    const remembered = await memoAsOf(db, key, asOf, () => selectIssuePage(db, condition, order, page));
    // Copies: the callers' changes to their rows must not reach the remembered ones.
    return { rows: remembered.rows.map((row) => ({ ...row })), total: remembered.total };
  }
  const where = flattened(condition);
  const orderBy = flattened(order);
  const from = fromFor(where, orderBy);
  if (!Number.isSafeInteger(page.limit) || page.limit < 0) {
    throw new Error(`page limit ${page.limit} is not a count`);
  }
  // The limit is part of the statement's text (a handful of values in practice), so the one generic
  // plan each connection keeps knows a page is a few rows and walks an index instead of sorting all.
  const limit = sql.raw(String(page.limit));
  const rows = await runSql<IssueRow & { version?: string }>(
    db,
    sql`SELECT ${COLUMNS}, ${DATA_VERSION} AS version
          FROM (SELECT ordered.id, row_number() OVER () AS n
                  FROM (SELECT i.id ${from} WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${page.offset}) ordered) page
          JOIN issues i ON i.id = page.id
         ORDER BY page.n`,
  );
  const version = rows[0]?.version;
  const [count] = await rowsAsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n ${fromFor(where)} WHERE ${where}`, version);
  for (const row of rows) {
    delete row.version;
  }
  return { rows, total: count?.n ?? 0 };
}

/** One issue if `where` (over `issues i JOIN projects p`) admits it. */
export async function selectIssue(db: Queryable, where: SQL, id: number): Promise<IssueRow | undefined> {
  const [row] = await runSql<IssueRow>(db, sql`SELECT ${COLUMNS} FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id = ${id} AND ${where}`);
  return row;
}

export async function issueExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM issues WHERE id = $1', [id])).length > 0;
}

/** Every descendant of the issue with what the `children` include shows, in tree order. */
export async function selectChildren(db: Queryable, issueId: number): Promise<ChildRow[]> {
  return db.query<ChildRow>(
    `SELECT c.id, c.parent_id, c.tracker_id, t.name AS tracker_name, c.subject
       FROM issues c JOIN issues i ON i.id = $1 AND c.root_id = i.root_id AND c.lft > i.lft AND c.rgt < i.rgt
       JOIN trackers t ON t.id = c.tracker_id
      ORDER BY c.lft`,
    [issueId],
  );
}

/** The issues `where` (over `issues i JOIN projects p`) admits, in `order`, with every name they show; no count. */
export async function selectIssues(db: Queryable, where: SQL, order: SQL): Promise<IssueRow[]> {
  return runSql<IssueRow>(db, sql`SELECT ${COLUMNS} FROM issues i JOIN projects p ON p.id = i.project_id WHERE ${where} ORDER BY ${order}`);
}
