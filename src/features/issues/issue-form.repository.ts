/**
 * Reads behind the issue form: the names of what its selects offer (projects, priorities, principals,
 * versions) and the journal a reply quotes. The rules that decide what is offered live in the
 * services and the plan; these only put names on ids.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';

export interface ProjectChoice {
  readonly id: number;
  readonly name: string;
  readonly identifier: string;
  /** Depth in the project tree, for the indented select Redmine shows. */
  readonly depth: number;
}

/** Projects where the actor may add issues (the form's project select), in tree order. */
export async function selectAddableProjects(db: Queryable, actor: Actor): Promise<ProjectChoice[]> {
  const allowed = allowedProjectsCondition(actor, 'add_issues', 'p', { checkProjectState: true });
  return runSql<ProjectChoice>(
    db,
    sql`SELECT p.id, p.name, coalesce(p.identifier, p.id::text) AS identifier,
               (SELECT count(*)::int FROM projects a WHERE a.lft < p.lft AND a.rgt > p.rgt) AS depth
          FROM projects p WHERE ${allowed} ORDER BY p.lft, p.id LIMIT 1000`,
  );
}

export interface NamedRow {
  readonly id: number;
  readonly name: string;
}

/** Active issue priorities by position, with names, and the issue's own even if no longer active. */
export function selectPriorityNames(db: Queryable, currentId: number): Promise<NamedRow[]> {
  return db.query<NamedRow>(
    "SELECT id, name FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL AND (active OR id = $1) ORDER BY position, id",
    [currentId],
  );
}

export interface PrincipalRow {
  readonly id: number;
  readonly type: 'User' | 'Group';
  readonly firstname: string;
  readonly lastname: string;
  readonly login: string;
}

const PRINCIPAL_COLUMNS = "u.id, u.type, coalesce(u.firstname, '') AS firstname, coalesce(u.lastname, '') AS lastname, coalesce(u.login, '') AS login";

/**
 * Redmine's Issue#assignable_users as rows: active users with an assignable role in the project (and
 * groups when group assignment is on), plus `extraIds` (the author, the current assignee) when active.
 */
export function selectAssignablePrincipals(db: Queryable, projectId: number, withGroups: boolean, extraIds: readonly number[]): Promise<PrincipalRow[]> {
  return db.query<PrincipalRow>(
    `SELECT DISTINCT ${PRINCIPAL_COLUMNS} FROM users u
      WHERE u.status = 1 AND (u.type = 'User' OR ($2 AND u.type = 'Group'))
        AND (u.id = ANY($3::int[]) OR EXISTS (
              SELECT 1 FROM members m JOIN member_roles mr ON mr.member_id = m.id JOIN roles r ON r.id = mr.role_id AND r.assignable
               WHERE m.project_id = $1 AND m.user_id = u.id))`,
    [projectId, withGroups, extraIds],
  );
}

/** Active users who are members of the project: the watchers a new issue may start with. */
export function selectMemberUsers(db: Queryable, projectId: number): Promise<PrincipalRow[]> {
  return db.query<PrincipalRow>(
    `SELECT DISTINCT ${PRINCIPAL_COLUMNS} FROM users u JOIN members m ON m.user_id = u.id
      WHERE m.project_id = $1 AND u.status = 1 AND u.type = 'User' LIMIT 200`,
    [projectId],
  );
}

/** Principals by id (whatever their status): names of values already chosen. */
export function selectPrincipals(db: Queryable, ids: readonly number[]): Promise<PrincipalRow[]> {
  return ids.length === 0 ? Promise.resolve([]) : db.query<PrincipalRow>(`SELECT ${PRINCIPAL_COLUMNS} FROM users u WHERE u.id = ANY($1::int[])`, [ids]);
}

export interface VersionChoice {
  readonly id: number;
  readonly name: string;
  readonly projectId: number;
  readonly projectName: string;
  readonly status: string;
}

/** Versions by id with their project's name, in Redmine's order (due date, then name). */
export async function selectVersionNames(db: Queryable, ids: readonly number[]): Promise<VersionChoice[]> {
  if (ids.length === 0) {
    return [];
  }
  return runSql<VersionChoice>(
    db,
    sql`SELECT v.id, v.name, v.project_id AS "projectId", p.name AS "projectName", v.status
          FROM versions v JOIN projects p ON p.id = v.project_id
         WHERE v.id IN ${idList(ids)}
         ORDER BY v.effective_date IS NULL, v.effective_date, lower(v.name), v.id`,
  );
}

export interface QuotedJournal {
  readonly notes: string | null;
  readonly privateNotes: boolean;
  readonly userId: number;
}

/** A journal of the issue (null when it has none of that id): the reply form quotes its notes. */
export async function selectIssueJournal(db: Queryable, issueId: number, journalId: number): Promise<QuotedJournal | undefined> {
  const [row] = await db.query<{ notes: string | null; private_notes: boolean; user_id: number }>(
    "SELECT notes, private_notes, user_id FROM journals WHERE id = $1 AND journalized_type = 'Issue' AND journalized_id = $2",
    [journalId, issueId],
  );
  return row && { notes: row.notes, privateNotes: row.private_notes, userId: row.user_id };
}
