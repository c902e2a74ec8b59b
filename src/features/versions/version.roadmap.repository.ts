/**
 * SQL of the roadmap and version pages: a project's trackers, versions of its subprojects, the
 * visible issues of versions (with what progress needs) and the open issues of versions.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, isoTimestamp, runSql } from '#src/db/sql.ts';
import type { VersionRow } from './version.repository.ts';

export interface RoadmapTrackerRow {
  id: number;
  name: string;
  is_in_roadmap: boolean;
}

/** The project's trackers, in tracker order. */
export async function selectProjectTrackers(db: Queryable, projectId: number): Promise<RoadmapTrackerRow[]> {
  return db.query<RoadmapTrackerRow>(
    `SELECT t.id, t.name, t.is_in_roadmap FROM trackers t JOIN projects_trackers pt ON pt.tracker_id = t.id
      WHERE pt.project_id = $1 ORDER BY t.position, t.id`,
    [projectId],
  );
}

/** The ids of the project and of its descendants that are not archived. */
export async function selectSubtreeProjectIds(db: Queryable, project: { id: number; lft: number | null; rgt: number | null }): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT id FROM projects WHERE lft >= $1 AND rgt <= $2 AND status IN (1, 5)', [project.lft ?? 0, project.rgt ?? 0]);
  return rows.length > 0 ? rows.map((r) => Number(r.id)) : [project.id];
}

const utc = isoTimestamp;

/** Versions owned by these projects (Redmine's rolled_up_versions), as VersionRow. */
export async function selectVersionsOfProjects(db: Queryable, projectIds: readonly number[]): Promise<VersionRow[]> {
  return runSql<VersionRow>(
    db,
    sql`SELECT v.id, v.project_id, vp.name AS project_name, v.name, v.description, v.status,
               v.effective_date::text AS effective_date, v.sharing, v.wiki_page_title,
               ${sql.raw(utc('v.created_on'))} AS created_on, ${sql.raw(utc('v.updated_on'))} AS updated_on
          FROM versions v JOIN projects vp ON vp.id = v.project_id
         WHERE v.project_id IN ${idList(projectIds)}`,
  );
}

export interface VersionIssueRow {
  id: number;
  fixed_version_id: number;
  project_id: number;
  project_identifier: string | null;
  project_name: string;
  tracker_id: number;
  tracker_name: string;
  subject: string;
  status_name: string;
  is_closed: boolean;
  done_ratio: number;
  /** Estimated hours of the issue and its subtasks. */
  total_estimated: number;
  assigned_to_id: number | null;
}

/**
 * The issues `visible` (over `issues i JOIN projects p`) lets the viewer see among those of the
 * versions, optionally only of some trackers and projects; in project tree, tracker and id order.
 */
export async function selectVersionIssues(
  db: Queryable,
  versionIds: readonly number[],
  visible: SQL,
  only: { trackerIds?: readonly number[] | undefined; projectIds?: readonly number[] | undefined } = {},
): Promise<VersionIssueRow[]> {
  if (versionIds.length === 0) {
    return [];
  }
  return runSql<VersionIssueRow>(
    db,
    sql`SELECT i.id, i.fixed_version_id, i.project_id, p.identifier AS project_identifier, p.name AS project_name,
               i.tracker_id, tr.name AS tracker_name, i.subject, s.name AS status_name, s.is_closed, i.done_ratio,
               coalesce(CASE WHEN i.rgt IS NULL OR i.rgt - i.lft = 1 THEN i.estimated_hours
                             ELSE (SELECT sum(d.estimated_hours) FROM issues d WHERE d.root_id = i.root_id AND d.lft >= i.lft AND d.rgt <= i.rgt) END, 0)::float8 AS total_estimated,
               i.assigned_to_id
          FROM issues i
          JOIN projects p ON p.id = i.project_id
          JOIN trackers tr ON tr.id = i.tracker_id
          JOIN issue_statuses s ON s.id = i.status_id
         WHERE i.fixed_version_id IN ${idList(versionIds)} AND ${visible}
           ${only.trackerIds ? sql`AND i.tracker_id IN ${idList(only.trackerIds)}` : sql``}
           ${only.projectIds ? sql`AND i.project_id IN ${idList(only.projectIds)}` : sql``}
         ORDER BY p.lft, tr.position, i.id`,
  );
}

/** Open issues per version, counting every issue (Version#open_issues_count, used by completed?). */
export async function selectOpenIssueCounts(db: Queryable, versionIds: readonly number[]): Promise<Map<number, number>> {
  if (versionIds.length === 0) {
    return new Map();
  }
  const rows = await runSql<{ id: number; n: number }>(
    db,
    sql`SELECT i.fixed_version_id AS id, count(*)::int AS n FROM issues i JOIN issue_statuses s ON s.id = i.status_id
         WHERE i.fixed_version_id IN ${idList(versionIds)} AND NOT s.is_closed GROUP BY i.fixed_version_id`,
  );
  return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
}

/** Closes the versions (close completed versions). */
export async function closeVersions(db: Queryable, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length > 0) {
    await runSql(db, sql`UPDATE versions SET status = 'closed', updated_on = ${now.toISOString()} WHERE id IN ${idList(ids)}`);
  }
}
