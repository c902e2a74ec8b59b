/** All SQL on watchers of issues (Redmine's Watcher, watchable_type 'Issue'), and on who may watch. */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { runSql } from '#src/db/sql.ts';

/** A watcher as the API shows it: a user or a group. */
export interface WatcherRow {
  readonly id: number;
  /** `firstname lastname` for users, the group's name for groups. */
  readonly name: string;
}

/** The watchers of each issue (users of any status and groups), in the order they were added. */
export async function selectWatchersOf(db: Queryable, issueIds: readonly number[]): Promise<{ issueId: number; watcher: WatcherRow }[]> {
  if (issueIds.length === 0) {
    return [];
  }
  const rows = await db.query<{ issue_id: number; id: number; name: string }>(
    `SELECT w.watchable_id AS issue_id, u.id,
            CASE WHEN u.type = 'Group' THEN u.lastname ELSE trim(u.firstname || ' ' || u.lastname) END AS name
       FROM watchers w JOIN users u ON u.id = w.user_id
      WHERE w.watchable_type = 'Issue' AND w.watchable_id = ANY($1::int[])
      ORDER BY w.id`,
    [issueIds],
  );
  return rows.map((r) => ({ issueId: r.issue_id, watcher: { id: r.id, name: r.name } }));
}

/** The issue's project, and whether it satisfies `visible` (a condition over `issues i JOIN projects p`). */
export async function selectWatchableIssue(db: Queryable, id: number, visible: SQL): Promise<{ id: number; projectId: number; visible: boolean } | undefined> {
  const [row] = await runSql<{ id: number; project_id: number; visible: boolean }>(
    db,
    sql`SELECT i.id, i.project_id, (${visible}) AS visible FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id = ${id}`,
  );
  return row ? { id: row.id, projectId: row.project_id, visible: row.visible } : undefined;
}

/** Is there a principal (user, group or built-in) with this id? */
export async function principalExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM users WHERE id = $1', [id])).length > 0;
}

/** A principal that may watch: an active user (with its admin flag) or a group. */
export interface WatcherCandidate {
  readonly id: number;
  readonly type: 'User' | 'Group';
  readonly admin: boolean;
}

/** Those of the ids that are active users or groups (Redmine's valid watcher principals), by id. */
export async function selectWatcherCandidates(db: Queryable, ids: readonly number[]): Promise<WatcherCandidate[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<{ id: number; type: 'User' | 'Group'; admin: boolean }>(
    "SELECT id, type, admin FROM users WHERE id = ANY($1::int[]) AND status = 1 AND type IN ('User', 'Group') ORDER BY id",
    [ids],
  );
  return rows;
}

/** May the actor described by `visible` see the issue? */
export async function isIssueVisible(db: Queryable, issueId: number, visible: SQL): Promise<boolean> {
  const rows = await runSql(db, sql`SELECT 1 FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id = ${issueId} AND ${visible}`);
  return rows.length > 0;
}

export async function selectWatcherIds(db: Queryable, issueId: number): Promise<Set<number>> {
  const rows = await db.query<{ user_id: number }>("SELECT user_id FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = $1", [issueId]);
  return new Set(rows.map((r) => r.user_id));
}

/** Adds the watcher unless it already watches the issue. */
export async function insertWatcher(db: Queryable, issueId: number, principalId: number): Promise<void> {
  await db.query(
    `INSERT INTO watchers (watchable_type, watchable_id, user_id)
     SELECT 'Issue', $1, $2 WHERE NOT EXISTS (SELECT 1 FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = $1 AND user_id = $2)`,
    [issueId, principalId],
  );
}

export async function deleteWatcher(db: Queryable, issueId: number, principalId: number): Promise<void> {
  await db.query("DELETE FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = $1 AND user_id = $2", [issueId, principalId]);
}
