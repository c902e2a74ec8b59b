/**
 * All SQL on time entries: one entry or a page of them with what their representation shows, the
 * facts a write is checked against (the issue, the project's activities and default activity, who
 * may have time logged for them, the user's other hours that day), the writes, and the sums issues
 * and versions show. Values are always bound parameters.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, isoTimestamp, runSql, sqlText } from '#src/db/sql.ts';

/** A time entry with what its representation shows. */
export interface TimeEntryRow {
  id: number;
  project_id: number;
  project_name: string;
  issue_id: number | null;
  user_id: number;
  /** Null when the user no longer exists. */
  user_name: string | null;
  author_id: number | null;
  activity_id: number;
  activity_name: string | null;
  hours: number;
  comments: string | null;
  /** `YYYY-MM-DD`. */
  spent_on: string;
  /** ISO-8601 UTC text. */
  created_on: string;
  updated_on: string;
}

/** The stored attributes a create or an update writes. */
export interface TimeEntryValues {
  projectId: number;
  authorId: number;
  userId: number;
  issueId: number | null;
  hours: number;
  comments: string | null;
  activityId: number;
  /** `YYYY-MM-DD`. */
  spentOn: string;
}

const utc = isoTimestamp;

/** Redmine's default user format (firstname lastname). */
const userName = (column: string) => `(SELECT trim(x.firstname || ' ' || x.lastname) FROM users x WHERE x.id = ${column})`;

const COLUMNS = `t.id, t.project_id, (SELECT x.name FROM projects x WHERE x.id = t.project_id) AS project_name,
  t.issue_id, t.user_id, ${userName('t.user_id')} AS user_name, t.author_id,
  t.activity_id, (SELECT x.name FROM enumerations x WHERE x.id = t.activity_id) AS activity_name,
  t.hours, t.comments, t.spent_on::text AS spent_on, ${utc('t.created_on')} AS created_on, ${utc('t.updated_on')} AS updated_on`;

export async function selectTimeEntry(db: Queryable, id: number): Promise<TimeEntryRow | undefined> {
  const [row] = await db.query<TimeEntryRow>(`SELECT ${COLUMNS} FROM time_entries t WHERE t.id = $1`, [id]);
  return row;
}

/**
 * Joins a list's filters and sort may need, added only when their SQL names the alias: the entry's
 * user (`tu`) and author (`ta`), its activity (`act`), and its issue when the actor sees it (`ti`,
 * Redmine's left_join_issue: filters on the issue's attributes only match visible issues).
 */
function joinsFor(text: string, visibleIssues: SQL): SQL[] {
  const uses = (alias: string) => new RegExp(`(^|[^a-z_.])${alias}\\.`).test(text);
  const joins: SQL[] = [];
  if (uses('tu')) {
    joins.push(sql`LEFT JOIN users tu ON tu.id = t.user_id`);
  }
  if (uses('ta')) {
    joins.push(sql`LEFT JOIN users ta ON ta.id = t.author_id`);
  }
  if (uses('act')) {
    joins.push(sql`LEFT JOIN enumerations act ON act.id = t.activity_id`);
  }
  if (uses('ti')) {
    joins.push(sql`LEFT JOIN (SELECT i.id, i.project_id, i.tracker_id, i.status_id, i.category_id, i.fixed_version_id, i.parent_id, i.subject
                                FROM issues i JOIN projects p ON p.id = i.project_id WHERE ${visibleIssues}) ti ON ti.id = t.issue_id`);
  }
  return joins;
}

/** The FROM clause of a list: the entries, their projects, and the joins `parts` name. */
export function listFrom(visibleIssues: SQL, ...parts: SQL[]): SQL {
  return sql.join([sql`FROM time_entries t JOIN projects p ON p.id = t.project_id`, ...joinsFor(parts.map(sqlText).join(' '), visibleIssues)], sql` `);
}

/**
 * A page of the entries `where` (over `time_entries t JOIN projects p`, and the optional joins) admits,
 * in `orderBy` order, and the count of all of them.
 */
export async function selectTimeEntryPage(
  db: Queryable,
  query: { where: SQL; orderBy: SQL; visibleIssues: SQL },
  page: { offset: number; limit: number },
): Promise<{ rows: TimeEntryRow[]; total: number }> {
  const from = (...parts: SQL[]) => listFrom(query.visibleIssues, ...parts);
  const [rows, totals] = await Promise.all([
    runSql<TimeEntryRow>(
      db,
      sql`SELECT ${sql.raw(COLUMNS)}
            FROM (SELECT ordered.id, row_number() OVER () AS n
                    FROM (SELECT t.id ${from(query.where, query.orderBy)} WHERE ${query.where}
                           ORDER BY ${query.orderBy} LIMIT ${page.limit} OFFSET ${page.offset}) ordered) page
            JOIN time_entries t ON t.id = page.id
           ORDER BY page.n`,
    ),
    runSql<{ n: number }>(db, sql`SELECT count(*)::int AS n ${from(query.where)} WHERE ${query.where}`),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** The hours of every entry `where` admits, together. */
export async function selectTotalHours(db: Queryable, query: { where: SQL; visibleIssues: SQL }): Promise<number> {
  const from = listFrom(query.visibleIssues, query.where);
  const [row] = await runSql<{ hours: number }>(db, sql`SELECT coalesce(sum(t.hours), 0)::float8 AS hours ${from} WHERE ${query.where}`);
  return Number(row?.hours ?? 0);
}

/** The project's subprojects that are not archived (a list's project scope). */
export async function selectDescendantProjectIds(db: Queryable, project: { lft: number | null; rgt: number | null }): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT id FROM projects WHERE lft > $1 AND rgt < $2 AND status <> 9 ORDER BY lft', [project.lft ?? 0, project.rgt ?? 0]);
  return rows.map((row) => Number(row.id));
}

/** What a time entry's checks need to know about an issue. */
export interface IssueFacts {
  id: number;
  project_id: number;
  tracker_id: number;
  author_id: number | null;
  assigned_to_id: number | null;
  is_private: boolean;
}

export async function selectIssueFacts(db: Queryable, id: number): Promise<IssueFacts | undefined> {
  const [row] = await db.query<IssueFacts>('SELECT id, project_id, tracker_id, author_id, assigned_to_id, is_private FROM issues WHERE id = $1', [id]);
  return row;
}

/** An activity a project offers: its id, and the shared activity it overrides (a project's own row). */
export interface ActivityChoice {
  id: number;
  parent_id: number | null;
}

/**
 * Redmine's Project#activities: the active shared activities the project does not override, and its
 * own active ones; without a project, the active shared activities. By position.
 */
export async function selectAvailableActivities(db: Queryable, projectId: number | undefined): Promise<ActivityChoice[]> {
  if (projectId === undefined) {
    return db.query<ActivityChoice>("SELECT id, parent_id FROM enumerations WHERE type = 'TimeEntryActivity' AND project_id IS NULL AND active ORDER BY position, id");
  }
  return db.query<ActivityChoice>(
    `SELECT e.id, e.parent_id FROM enumerations e
      WHERE e.type = 'TimeEntryActivity' AND e.active
        AND (e.project_id = $1 OR (e.project_id IS NULL AND e.id NOT IN (
              SELECT o.parent_id FROM enumerations o WHERE o.type = 'TimeEntryActivity' AND o.project_id = $1 AND o.parent_id IS NOT NULL)))
      ORDER BY e.position, e.id`,
    [projectId],
  );
}

/**
 * The activities that come first as a default for the user in the project, in order (Redmine's
 * TimeEntryActivity.default_activity_id): those of the user's roles in the project (by role
 * position), then the activity marked default.
 */
export async function selectDefaultActivityCandidates(db: Queryable, userId: number, projectId: number | undefined): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM (
       SELECT r.default_time_entry_activity_id AS id, 0 AS rank, r.position, r.id AS tiebreak
         FROM members m JOIN member_roles mr ON mr.member_id = m.id JOIN roles r ON r.id = mr.role_id
        WHERE m.user_id = $1 AND m.project_id = $2 AND r.default_time_entry_activity_id IS NOT NULL
       UNION ALL
       (SELECT e.id, 1, e.position, e.id FROM enumerations e WHERE e.type = 'TimeEntryActivity' AND e.is_default ORDER BY e.position, e.id LIMIT 1)
     ) candidates ORDER BY rank, position, tiebreak`,
    [userId, projectId ?? -1],
  );
  return rows.map((row) => Number(row.id));
}

/**
 * Users time may be logged for in the project (Redmine 6.0's TimeEntry#assignable_users): active
 * users who are members and may log time there (a role with `log_time`, or administrators).
 */
export async function selectTimeLoggerIds(db: Queryable, projectId: number): Promise<Set<number>> {
  const rows = await db.query<{ id: number }>(
    `SELECT DISTINCT u.id FROM members m JOIN users u ON u.id = m.user_id AND u.type = 'User' AND u.status = 1
      WHERE m.project_id = $1
        AND (u.admin OR EXISTS (SELECT 1 FROM member_roles mr JOIN roles r ON r.id = mr.role_id
                                WHERE mr.member_id = m.id AND r.permissions ? 'log_time'))`,
    [projectId],
  );
  return new Set(rows.map((row) => Number(row.id)));
}

/** The hours of the user's other entries on the day (the per-day maximum's "already logged"). */
export async function selectOtherHoursOnDay(db: Queryable, userId: number, day: string, exceptId: number | undefined): Promise<number> {
  const [row] = await db.query<{ hours: number }>(
    'SELECT coalesce(sum(hours), 0)::float8 AS hours FROM time_entries WHERE user_id = $1 AND spent_on = $2::date AND id <> $3',
    [userId, day, exceptId ?? -1],
  );
  return Number(row?.hours ?? 0);
}

/** tyear, tmonth, tweek: the year, month and ISO week of spent_on, as Redmine keeps them. */
const PERIODS = `extract(year FROM $8::date)::int, extract(month FROM $8::date)::int, extract(week FROM $8::date)::int`;

export async function insertTimeEntry(db: Queryable, values: TimeEntryValues, now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO time_entries (project_id, author_id, user_id, issue_id, hours, comments, activity_id, spent_on, tyear, tmonth, tweek, created_on, updated_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, ${PERIODS}, $9, $9) RETURNING id`,
    [values.projectId, values.authorId, values.userId, values.issueId, values.hours, values.comments, values.activityId, values.spentOn, now],
  );
  if (!row) {
    throw new Error('insert returned no time entry');
  }
  return Number(row.id);
}

export async function updateTimeEntryRow(db: Queryable, id: number, values: TimeEntryValues, now: Date): Promise<void> {
  await db.query(
    `UPDATE time_entries SET project_id = $1, author_id = $2, user_id = $3, issue_id = $4, hours = $5, comments = $6, activity_id = $7,
            spent_on = $8::date, (tyear, tmonth, tweek) = (${PERIODS}), updated_on = $9
      WHERE id = $10`,
    [values.projectId, values.authorId, values.userId, values.issueId, values.hours, values.comments, values.activityId, values.spentOn, now, id],
  );
}

/** Marks the entry changed (its custom values changed, nothing else). */
export async function touchTimeEntry(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE time_entries SET updated_on = $2 WHERE id = $1', [id, now]);
}

/** Deletes the entries (their custom values are the caller's). */
export async function deleteTimeEntryRows(db: Queryable, ids: readonly number[]): Promise<void> {
  await db.query('DELETE FROM time_entries WHERE id = ANY($1::int[])', [ids]);
}

// Issues and versions

/**
 * Per issue whose project `allowed` admits (a condition over `projects xp`), the hours of the visible
 * entries logged on it and on it with its subtasks (Redmine's load_visible_spent_hours and
 * load_visible_total_spent_hours); `visible` is a condition over `time_entries t JOIN projects p`.
 * Raw sums, 0 when there are none; a leaf's total is its own hours.
 */
export async function selectIssueHours(db: Queryable, issueIds: readonly number[], visible: SQL, allowed: SQL): Promise<Map<number, { spent: number; total: number }>> {
  if (issueIds.length === 0) {
    return new Map();
  }
  const rows = await runSql<{ id: number; spent: number; total: number }>(
    db,
    sql`SELECT x.id, own.spent,
          CASE WHEN x.rgt IS NULL OR x.rgt - x.lft = 1 THEN own.spent
               ELSE (SELECT coalesce(sum(t.hours), 0)::float8
                       FROM issues d JOIN time_entries t ON t.issue_id = d.id JOIN projects p ON p.id = t.project_id
                      WHERE d.root_id = x.root_id AND d.lft >= x.lft AND d.rgt <= x.rgt AND ${visible})
          END AS total
        FROM issues x JOIN projects xp ON xp.id = x.project_id
        CROSS JOIN LATERAL (SELECT coalesce(sum(t.hours), 0)::float8 AS spent
                              FROM time_entries t JOIN projects p ON p.id = t.project_id
                             WHERE t.issue_id = x.id AND ${visible}) own
        WHERE x.id IN ${idList(issueIds)} AND ${allowed}`,
  );
  return new Map(rows.map((row) => [Number(row.id), { spent: Number(row.spent), total: Number(row.total) }]));
}

/** Redmine's Version#spent_hours: every entry logged on an issue of the version, whoever may see it. */
export async function selectVersionSpentHours(db: Queryable, versionId: number): Promise<number> {
  const [row] = await db.query<{ hours: number }>(
    'SELECT coalesce(sum(t.hours), 0)::float8 AS hours FROM time_entries t JOIN issues i ON i.id = t.issue_id WHERE i.fixed_version_id = $1',
    [versionId],
  );
  return Number(row?.hours ?? 0);
}

/** The entries logged on the issues, and their hours together. */
export async function selectEntriesOfIssues(db: Queryable, issueIds: readonly number[]): Promise<{ ids: number[]; hours: number }> {
  const rows = await db.query<{ id: number; hours: number }>('SELECT id, hours FROM time_entries WHERE issue_id = ANY($1::int[])', [issueIds]);
  return { ids: rows.map((row) => Number(row.id)), hours: rows.reduce((sum, row) => sum + Number(row.hours), 0) };
}

/** The issue if it is in the project. */
export async function selectIssueOfProject(db: Queryable, issueId: number, projectId: number): Promise<{ id: number; project_id: number } | undefined> {
  const [row] = await db.query<{ id: number; project_id: number }>('SELECT id, project_id FROM issues WHERE id = $1 AND project_id = $2', [issueId, projectId]);
  return row;
}

/** Detaches or moves the entries of the issues: to `target` (and its project), or to no issue. */
export async function moveEntriesOfIssues(db: Queryable, issueIds: readonly number[], target: { issueId: number; projectId: number } | null): Promise<void> {
  if (target === null) {
    await db.query('UPDATE time_entries SET issue_id = NULL WHERE issue_id = ANY($1::int[])', [issueIds]);
  } else {
    await db.query('UPDATE time_entries SET issue_id = $2, project_id = $3 WHERE issue_id = ANY($1::int[])', [issueIds, target.issueId, target.projectId]);
  }
}

/** Issues moved to another project take their entries along (Redmine's Issue#after_project_change). */
export async function moveEntriesWithIssues(db: Queryable, issueIds: readonly number[], projectId: number): Promise<void> {
  await db.query('UPDATE time_entries SET project_id = $2 WHERE issue_id = ANY($1::int[]) AND project_id <> $2', [issueIds, projectId]);
}
