/**
 * SQL of a project's overview page: its subprojects, issue counts per tracker, members by role and
 * time totals. `scope` conditions are over `projects p` (the project, or its subtree).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { runSql } from '#src/db/sql.ts';

/** The project alone, or with every project below it (Redmine's project_condition). */
export function projectScope(project: { id: number; lft: number | null; rgt: number | null }, withSubprojects: boolean): SQL {
  return withSubprojects && project.lft !== null && project.rgt !== null
    ? sql`(p.lft >= ${project.lft} AND p.rgt <= ${project.rgt})`
    : sql`p.id = ${project.id}`;
}

export interface SubprojectRow {
  id: number;
  name: string;
  identifier: string | null;
  is_public: boolean;
  status: number;
}

/** Direct children that are not archived, by name. */
export async function selectChildProjects(db: Queryable, projectId: number): Promise<SubprojectRow[]> {
  return db.query<SubprojectRow>(
    'SELECT id, name, identifier, is_public, status FROM projects WHERE parent_id = $1 AND status IN (1, 5) ORDER BY lft, id',
    [projectId],
  );
}

export interface TrackerCountRow {
  id: number;
  name: string;
  open: number;
  total: number;
}

/**
 * The trackers of the projects in scope, with the counts of the visible issues (`visible`, over
 * `issues i JOIN projects p`) of each: open ones and all. Trackers without issues are listed too.
 */
export async function selectIssueCountsByTracker(db: Queryable, scope: SQL, visible: SQL): Promise<TrackerCountRow[]> {
  return runSql<TrackerCountRow>(
    db,
    sql`SELECT tr.id, tr.name,
               coalesce(c.open, 0)::int AS open, coalesce(c.total, 0)::int AS total
          FROM trackers tr
          LEFT JOIN (SELECT i.tracker_id,
                            count(*) FILTER (WHERE NOT s.is_closed) AS open, count(*) AS total
                       FROM issues i JOIN projects p ON p.id = i.project_id JOIN issue_statuses s ON s.id = i.status_id
                      WHERE ${scope} AND ${visible}
                      GROUP BY i.tracker_id) c ON c.tracker_id = tr.id
         WHERE c.total > 0 OR EXISTS (SELECT 1 FROM projects_trackers pt JOIN projects p ON p.id = pt.project_id
                                       WHERE pt.tracker_id = tr.id AND ${scope})
         ORDER BY tr.position, tr.id`,
  );
}

export interface RoleMemberRow {
  role_id: number;
  role_name: string;
  principal_id: number;
  type: string;
  firstname: string;
  lastname: string;
  login: string;
}

/** Each role held in the project by an active user or group, with the principals holding it (Redmine's principals_by_role). */
export async function selectPrincipalsByRole(db: Queryable, projectId: number): Promise<RoleMemberRow[]> {
  return db.query<RoleMemberRow>(
    `SELECT DISTINCT r.id AS role_id, r.name AS role_name, r.position, u.id AS principal_id, u.type, u.firstname, u.lastname, u.login
       FROM members m
       JOIN member_roles mr ON mr.member_id = m.id
       JOIN roles r ON r.id = mr.role_id
       JOIN users u ON u.id = m.user_id
      WHERE m.project_id = $1 AND u.status = 1 AND u.type IN ('User', 'Group')
      ORDER BY r.position, r.id, u.lastname, u.firstname, u.id`,
    [projectId],
  );
}

/** Hours of the time entries `visible` (over `time_entries t JOIN projects p`) lets the viewer see, in scope. */
export async function selectSpentHours(db: Queryable, scope: SQL, visible: SQL): Promise<number> {
  const [row] = await runSql<{ hours: number }>(
    db,
    sql`SELECT coalesce(sum(t.hours), 0)::float8 AS hours FROM time_entries t JOIN projects p ON p.id = t.project_id WHERE ${scope} AND ${visible}`,
  );
  return Number(row?.hours ?? 0);
}

/** Estimated hours of the visible issues in scope. */
export async function selectEstimatedHours(db: Queryable, scope: SQL, visible: SQL): Promise<number> {
  const [row] = await runSql<{ hours: number }>(
    db,
    sql`SELECT coalesce(sum(i.estimated_hours), 0)::float8 AS hours FROM issues i JOIN projects p ON p.id = i.project_id WHERE ${scope} AND ${visible}`,
  );
  return Number(row?.hours ?? 0);
}

/** Names of the projects below this one (what deleting it takes along), in tree order. */
export async function selectDescendantNames(db: Queryable, project: { lft: number | null; rgt: number | null }): Promise<string[]> {
  const rows = await db.query<{ name: string }>('SELECT name FROM projects WHERE lft > $1 AND rgt < $2 AND status <> 10 ORDER BY lft', [project.lft ?? 0, project.rgt ?? 0]);
  return rows.map((r) => r.name);
}
