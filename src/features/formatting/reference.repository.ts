/**
 * Loads what the texts of a page refer to, for all of them at once: one statement per kind (issues,
 * projects, versions, users — the last with a second one for Redmine's user visibility), each only
 * when some text names that kind, and each through the same visibility rules as the API.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { allowedProjectsCondition, visiblePrincipalIds } from '#src/features/access/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/index.ts';
import { formatUserName } from '#src/views/format.ts';
import {
  versionKey,
  type IssueReference,
  type ProjectReference,
  type References,
  type UserReference,
  type VersionReference,
  type WantedReferences,
} from './references.ts';

export interface ReferenceScope {
  readonly db: Queryable;
  readonly actor: Actor;
  /** The tenant's user_format, for the names of linked users. */
  readonly userFormat: string;
  readonly projectId: number | undefined;
}

/** A page's texts could name thousands of things; nobody links more than this many of one kind. */
const MAX_PER_KIND = 500;

const ids = (set: ReadonlySet<number>) => idList([...set].slice(0, MAX_PER_KIND));
const texts = (set: ReadonlySet<string>): SQL => {
  const values = [...set].slice(0, MAX_PER_KIND);
  return values.length === 0 ? sql`(NULL)` : sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
};

interface IssueRow {
  id: number;
  subject: string;
  tracker_id: number;
  tracker_name: string;
  status_id: number;
  status_name: string;
  is_closed: boolean;
  priority_id: number;
}

async function selectIssues(scope: ReferenceScope, wanted: WantedReferences): Promise<IssueReference[]> {
  if (wanted.issueIds.size === 0) {
    return [];
  }
  const rows = await runSql<IssueRow>(
    scope.db,
    sql`SELECT i.id, i.subject, i.tracker_id, t.name AS tracker_name, i.status_id, s.name AS status_name, s.is_closed, i.priority_id
          FROM issues i JOIN projects p ON p.id = i.project_id JOIN issue_statuses s ON s.id = i.status_id JOIN trackers t ON t.id = i.tracker_id
         WHERE i.id IN ${ids(wanted.issueIds)} AND ${visibleIssuesCondition(scope.actor)}`,
  );
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    trackerId: r.tracker_id,
    trackerName: r.tracker_name,
    statusId: r.status_id,
    statusName: r.status_name,
    isClosed: r.is_closed,
    priorityId: r.priority_id,
  }));
}

async function selectProjects(scope: ReferenceScope, wanted: WantedReferences): Promise<ProjectReference[]> {
  const context = wanted.needsContextProject && scope.projectId !== undefined ? scope.projectId : undefined;
  if (wanted.projectIds.size === 0 && wanted.projectKeys.size === 0 && context === undefined) {
    return [];
  }
  const keys = texts(wanted.projectKeys);
  const rows = await runSql<{ id: number; identifier: string | null; name: string }>(
    scope.db,
    sql`SELECT p.id, p.identifier, p.name FROM projects p
         WHERE (p.id IN ${ids(wanted.projectIds)} OR p.id = ${context ?? -1} OR p.identifier IN ${keys} OR lower(p.name) IN ${keys})
           AND ${allowedProjectsCondition(scope.actor, 'view_project', 'p', { checkProjectState: true })}`,
  );
  return rows.map((r) => ({ id: r.id, identifier: r.identifier ?? String(r.id), name: r.name }));
}

async function selectVersions(scope: ReferenceScope, wanted: WantedReferences): Promise<VersionReference[]> {
  if (wanted.versionIds.size === 0 && wanted.versionNames.size === 0) {
    return [];
  }
  const rows = await runSql<{ id: number; name: string; project_id: number }>(
    scope.db,
    sql`SELECT v.id, v.name, v.project_id FROM versions v JOIN projects p ON p.id = v.project_id
         WHERE (v.id IN ${ids(wanted.versionIds)}
                OR (v.name IN ${texts(wanted.versionNames)} AND (p.id = ${scope.projectId ?? -1} OR p.identifier IN ${texts(wanted.projectKeys)})))
           AND ${allowedProjectsCondition(scope.actor, 'view_issues', 'p', { checkProjectState: true })}`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, projectId: r.project_id }));
}

async function selectUsers(scope: ReferenceScope, wanted: WantedReferences): Promise<UserReference[]> {
  if (wanted.userIds.size === 0 && wanted.logins.size === 0) {
    return [];
  }
  const rows = await runSql<{ id: number; login: string; firstname: string; lastname: string }>(
    scope.db,
    sql`SELECT u.id, u.login, u.firstname, u.lastname FROM users u
         WHERE u.type = 'User' AND u.status = 1 AND (u.id IN ${ids(wanted.userIds)} OR lower(u.login) IN ${texts(wanted.logins)})`,
  );
  if (rows.length === 0) {
    return [];
  }
  const visible = new Set(await visiblePrincipalIds(scope.db, rows.map((r) => r.id), scope.actor));
  return rows.filter((r) => visible.has(r.id)).map((r) => ({ id: r.id, login: r.login, name: formatUserName(r, scope.userFormat) }));
}

/** The records the actor may see among those wanted, and the context project when visible. */
export async function loadReferences(
  scope: ReferenceScope,
  wanted: WantedReferences,
): Promise<{ references: References; project: ProjectReference | undefined }> {
  const [issues, projects, versions, users] = await Promise.all([
    selectIssues(scope, wanted),
    selectProjects(scope, wanted),
    selectVersions(scope, wanted),
    selectUsers(scope, wanted),
  ]);
  const projectsByKey = new Map<string, ProjectReference>();
  for (const project of projects) {
    projectsByKey.set(project.name.toLowerCase(), project);
  }
  for (const project of projects) {
    projectsByKey.set(project.identifier, project);
  }
  return {
    references: {
      issues: new Map(issues.map((i) => [i.id, i])),
      usersById: new Map(users.map((u) => [u.id, u])),
      usersByLogin: new Map(users.map((u) => [u.login.toLowerCase(), u])),
      versionsById: new Map(versions.map((v) => [v.id, v])),
      versionsByName: new Map(versions.map((v) => [versionKey(v.projectId, v.name), v])),
      projectsById: new Map(projects.map((p) => [p.id, p])),
      projectsByKey,
    },
    project: projects.find((p) => p.id === scope.projectId),
  };
}

/** The project of an issue the actor may see, or undefined (for the preview of a note on it). */
export async function findVisibleIssueProjectId(db: Queryable, actor: Actor, issueId: number): Promise<number | undefined> {
  const [row] = await runSql<{ project_id: number }>(
    db,
    sql`SELECT i.project_id FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id = ${issueId} AND ${visibleIssuesCondition(actor)}`,
  );
  return row?.project_id;
}
