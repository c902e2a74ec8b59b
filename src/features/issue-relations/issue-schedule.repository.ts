/** SQL of rescheduling: an issue's dates and tree position, its predecessors and followers, its leaves. */
import type { Queryable } from '#src/db/database.ts';
import { parseSettingList, SETTINGS } from '#src/features/settings/index.ts';

/** An issue as scheduling sees it; dates are `YYYY-MM-DD` text (no time zone can shift them). */
export interface ScheduledIssue {
  readonly id: number;
  readonly startDate: string | null;
  readonly dueDate: string | null;
  readonly parentId: number | null;
  readonly lft: number | null;
  readonly rgt: number | null;
}

interface ScheduledRecord {
  id: number;
  start_date: string | null;
  due_date: string | null;
  parent_id: number | null;
  lft: number | null;
  rgt: number | null;
}

function scheduledOf(r: ScheduledRecord): ScheduledIssue {
  return { id: r.id, startDate: r.start_date, dueDate: r.due_date, parentId: r.parent_id, lft: r.lft, rgt: r.rgt };
}

const COLUMNS = 'i.id, i.start_date::text AS start_date, i.due_date::text AS due_date, i.parent_id, i.lft, i.rgt';

export async function selectScheduledIssue(db: Queryable, id: number): Promise<ScheduledIssue | undefined> {
  const [row] = await db.query<ScheduledRecord>(`SELECT ${COLUMNS} FROM issues i WHERE i.id = $1`, [id]);
  return row ? scheduledOf(row) : undefined;
}

/** The leaves under the issue, by position in the tree. */
export async function selectLeaves(db: Queryable, id: number): Promise<ScheduledIssue[]> {
  const rows = await db.query<ScheduledRecord>(
    `SELECT ${COLUMNS} FROM issues a JOIN issues i ON i.root_id = a.root_id AND i.lft > a.lft AND i.rgt < a.rgt
      WHERE a.id = $1 AND i.rgt - i.lft = 1 ORDER BY i.lft`,
    [id],
  );
  return rows.map(scheduledOf);
}

/** The issues this one follows (`precedes` relations to it): their dates and the delay. */
export async function selectPredecessors(db: Queryable, id: number): Promise<{ startDate: string | null; dueDate: string | null; delay: number | null }[]> {
  const rows = await db.query<{ start_date: string | null; due_date: string | null; delay: number | null }>(
    `SELECT i.start_date::text AS start_date, i.due_date::text AS due_date, r.delay
       FROM issue_relations r JOIN issues i ON i.id = r.issue_from_id
      WHERE r.issue_to_id = $1 AND r.relation_type = 'precedes' ORDER BY r.id`,
    [id],
  );
  return rows.map((r) => ({ startDate: r.start_date, dueDate: r.due_date, delay: r.delay }));
}

/** The issues following this one (`precedes` relations from it) with the delay, in relation order. */
export async function selectFollowers(db: Queryable, id: number): Promise<{ issueId: number; delay: number | null }[]> {
  const rows = await db.query<{ issue_to_id: number; delay: number | null }>(
    "SELECT issue_to_id, delay FROM issue_relations WHERE issue_from_id = $1 AND relation_type = 'precedes' ORDER BY id",
    [id],
  );
  return rows.map((r) => ({ issueId: r.issue_to_id, delay: r.delay }));
}

/** Saves new dates the way an issue save does: a newer updated_on and lock_version. */
export async function updateIssueDates(db: Queryable, id: number, startDate: string | null, dueDate: string | null, now: Date): Promise<void> {
  await db.query('UPDATE issues SET start_date = $2, due_date = $3, updated_on = $4, lock_version = lock_version + 1 WHERE id = $1', [
    id,
    startDate,
    dueDate,
    // ISO text in UTC: a `timestamp` column drops the zone, and no driver applies the process's own.
    now.toISOString(),
  ]);
}

/** The settings scheduling reads (`non_working_week_days`, `parent_issue_dates`), stored or default. */
export async function selectSchedulingSettings(db: Queryable): Promise<{ nonWorkingWeekDays: string[]; parentIssueDates: string }> {
  const rows = await db.query<{ name: string; value: string | null }>(
    "SELECT name, value FROM settings WHERE name IN ('non_working_week_days', 'parent_issue_dates')",
  );
  const stored = new Map(rows.map((r) => [r.name, r.value ?? '']));
  return {
    nonWorkingWeekDays: parseSettingList(stored.get('non_working_week_days') ?? SETTINGS.non_working_week_days.default) ?? [],
    parentIssueDates: stored.get('parent_issue_dates') ?? SETTINGS.parent_issue_dates.default,
  };
}
