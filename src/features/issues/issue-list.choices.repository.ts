/**
 * The values the issue list's filters offer (Redmine's IssueQuery#initialize_available_filters):
 * statuses, trackers, priorities, principals, versions, categories, projects, groups and roles, read
 * for the projects the list covers. One statement each.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';

export interface NamedRow {
  id: number;
  name: string;
}

export interface PrincipalRow {
  id: number;
  type: string;
  firstname: string;
  lastname: string;
  login: string;
}

export interface VersionChoiceRow extends NamedRow {
  project_name: string;
  status: string;
}

export interface ProjectChoiceRow extends NamedRow {
  parent_id: number | null;
  lft: number | null;
  rgt: number | null;
}

export interface PriorityChoiceRow extends NamedRow {
  position: number | null;
  is_default: boolean;
  /** Redmine's stored position name (`lowest`, `default`, `high2`…). */
  position_name: string | null;
}

/** Projects meeting `condition` (over `projects p`), in tree order. */
export function selectProjectChoices(db: Queryable, condition: SQL): Promise<ProjectChoiceRow[]> {
  return runSql(db, sql`SELECT p.id, p.name, p.parent_id, p.lft, p.rgt FROM projects p WHERE ${condition} ORDER BY p.lft, p.id`);
}

export function selectStatusChoices(db: Queryable): Promise<(NamedRow & { is_closed: boolean })[]> {
  return db.query('SELECT id, name, is_closed FROM issue_statuses ORDER BY position, id');
}

/** Trackers of the projects (all trackers when `projectIds` is undefined), by position. */
export function selectTrackerChoices(db: Queryable, projectIds: readonly number[] | undefined): Promise<NamedRow[]> {
  const scope = projectIds === undefined ? sql`TRUE` : sql`t.id IN (SELECT pt.tracker_id FROM projects_trackers pt WHERE pt.project_id IN ${idList(projectIds)})`;
  return runSql(db, sql`SELECT t.id, t.name FROM trackers t WHERE ${scope} ORDER BY t.position, t.id`);
}

/** Active issue priorities by position (with what Redmine's position_name needs). */
export function selectPriorityChoices(db: Queryable): Promise<PriorityChoiceRow[]> {
  return db.query(
    "SELECT id, name, position, is_default, position_name FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL AND active ORDER BY position, id",
  );
}

/** Active users (and groups, with `withGroups`) holding a role in one of the projects. */
export function selectMemberPrincipals(db: Queryable, projectIds: readonly number[], withGroups: boolean): Promise<PrincipalRow[]> {
  const types = withGroups ? sql`('User', 'Group')` : sql`('User')`;
  return runSql(
    db,
    sql`SELECT u.id, u.type, u.firstname, u.lastname, u.login FROM users u
         WHERE u.status = 1 AND u.type IN ${types}
           AND EXISTS (SELECT 1 FROM members m WHERE m.user_id = u.id AND m.project_id IN ${idList(projectIds)})
         ORDER BY u.type DESC, u.firstname, u.lastname, u.id`,
  );
}

/** Versions of the projects, and the versions shared with everyone. */
export function selectVersionChoices(db: Queryable, projectIds: readonly number[], alsoIds: readonly number[]): Promise<VersionChoiceRow[]> {
  return runSql(
    db,
    sql`SELECT v.id, v.name, v.status, p.name AS project_name FROM versions v JOIN projects p ON p.id = v.project_id
         WHERE v.project_id IN ${idList(projectIds)} OR v.sharing = 'system' OR v.id IN ${idList(alsoIds)}
         ORDER BY p.lft, v.effective_date NULLS LAST, v.name, v.id`,
  );
}

export function selectCategoryChoices(db: Queryable, projectIds: readonly number[]): Promise<NamedRow[]> {
  return runSql(db, sql`SELECT c.id, c.name FROM issue_categories c WHERE c.project_id IN ${idList(projectIds)} ORDER BY c.name, c.id`);
}

export function selectGroupChoices(db: Queryable): Promise<NamedRow[]> {
  return db.query("SELECT id, lastname AS name FROM users WHERE type = 'Group' AND status = 1 ORDER BY lastname, id");
}

export function selectRoleChoices(db: Queryable): Promise<NamedRow[]> {
  return db.query('SELECT id, name FROM roles WHERE builtin = 0 ORDER BY position, id');
}

/** Names of users and groups by id (for custom fields of the user format). */
export function selectPrincipalsByIds(db: Queryable, ids: readonly number[]): Promise<PrincipalRow[]> {
  if (ids.length === 0) {
    return Promise.resolve([]);
  }
  return runSql(db, sql`SELECT id, type, firstname, lastname, login FROM users WHERE id IN ${idList(ids)}`);
}

export function selectVersionNames(db: Queryable, ids: readonly number[]): Promise<NamedRow[]> {
  if (ids.length === 0) {
    return Promise.resolve([]);
  }
  return runSql(db, sql`SELECT id, name FROM versions WHERE id IN ${idList(ids)}`);
}
