/**
 * What the time-entry pages offer and show besides the entries: the activities of a project, the
 * projects where the actor may log time, the users a list can be filtered by, and the names of the
 * issues entries are logged on (only those the actor sees).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { idList, runSql } from '#src/db/sql.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { visibleProjectsCondition } from '#src/features/projects/project.policy.ts';

export interface NamedChoice {
  readonly id: number;
  readonly name: string;
}

/**
 * The activities time may be logged with in the project (Redmine's Project#activities: its own active
 * overrides and the shared ones it does not override), or the shared active ones without a project.
 */
export async function activityChoices(db: Queryable, projectId: number | undefined): Promise<NamedChoice[]> {
  if (projectId === undefined) {
    return db.query<NamedChoice>("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity' AND project_id IS NULL AND active ORDER BY position, id");
  }
  return db.query<NamedChoice>(
    `SELECT e.id, e.name FROM enumerations e
      WHERE e.type = 'TimeEntryActivity' AND e.active
        AND (e.project_id = $1 OR (e.project_id IS NULL AND e.id NOT IN (
              SELECT o.parent_id FROM enumerations o WHERE o.type = 'TimeEntryActivity' AND o.project_id = $1 AND o.parent_id IS NOT NULL)))
      ORDER BY e.position, e.id`,
    [projectId],
  );
}

/** Shared activities, active or not, for a list's activity filter (overrides match through their parent). */
export async function activityFilterChoices(db: Queryable): Promise<NamedChoice[]> {
  return db.query<NamedChoice>("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity' AND project_id IS NULL ORDER BY position, id");
}

/** Active projects with time tracking where the actor may log time, by name (the project select of the form). */
export async function loggableProjects(db: Queryable, actor: Actor): Promise<(NamedChoice & { identifier: string })[]> {
  const allowed = allowedProjectsCondition(actor, 'log_time', 'p', { checkProjectState: true });
  return runSql(db, sql`SELECT p.id, p.name, coalesce(p.identifier, p.id::text) AS identifier FROM projects p WHERE ${allowed} ORDER BY lower(p.name), p.id LIMIT 500`);
}

/**
 * Users a list can be filtered by: active members of the project (and its subprojects), or of the
 * projects the actor sees; by name.
 */
export async function userFilterChoices(db: Queryable, actor: Actor, projectIds: readonly number[] | undefined): Promise<{ id: number; firstname: string; lastname: string; login: string }[]> {
  const visible = visibleProjectsCondition(actor);
  const scope: SQL = projectIds === undefined ? sql`TRUE` : sql`m.project_id IN ${idList(projectIds)}`;
  return runSql(
    db,
    sql`SELECT DISTINCT u.id, u.firstname, u.lastname, u.login FROM users u
          JOIN members m ON m.user_id = u.id JOIN projects projects ON projects.id = m.project_id
         WHERE u.type = 'User' AND u.status = 1 AND projects.status IN (1, 5) AND ${scope} AND ${visible ?? sql`TRUE`}
         ORDER BY u.firstname, u.lastname, u.id LIMIT 500`,
  );
}

/** "Bug #12: subject" for the issues among `ids` the actor sees. */
export async function issueLabels(db: Queryable, actor: Actor, ids: readonly number[]): Promise<Map<number, { tracker: string; subject: string }>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await runSql<{ id: number; tracker: string; subject: string }>(
    db,
    sql`SELECT i.id, (SELECT x.name FROM trackers x WHERE x.id = i.tracker_id) AS tracker, i.subject
          FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id IN ${idList(ids)} AND ${visibleIssuesCondition(actor)}`,
  );
  return new Map(rows.map((row) => [Number(row.id), { tracker: row.tracker, subject: row.subject }]));
}

/**
 * Users time may be logged for in the project (Redmine's TimeEntry#assignable_users: active members
 * whose roles may log time, administrators among them), by name.
 */
export async function timeLoggerChoices(db: Queryable, projectId: number): Promise<{ id: number; firstname: string; lastname: string; login: string }[]> {
  return db.query(
    `SELECT DISTINCT u.id, u.firstname, u.lastname, u.login FROM members m JOIN users u ON u.id = m.user_id AND u.type = 'User' AND u.status = 1
      WHERE m.project_id = $1
        AND (u.admin OR EXISTS (SELECT 1 FROM member_roles mr JOIN roles r ON r.id = mr.role_id
                                WHERE mr.member_id = m.id AND r.permissions ? 'log_time'))
      ORDER BY u.firstname, u.lastname, u.id`,
    [projectId],
  );
}
