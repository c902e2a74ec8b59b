/** SQL of the members settings: givable roles with their names, principals to add, assignable principals. */
import type { Queryable } from '#src/db/database.ts';

export interface PrincipalChoiceRow {
  id: number;
  type: 'User' | 'Group';
  firstname: string;
  lastname: string;
  login: string;
}

/** Roles that can be given to members, in role order. */
export async function selectGivableRoleNames(db: Queryable): Promise<{ id: number; name: string }[]> {
  return db.query<{ id: number; name: string }>('SELECT id, name FROM roles WHERE builtin = 0 ORDER BY position, id');
}

/**
 * Active users and groups that are no member of the project yet, whose name or login contains
 * `q` (all when blank), by type then name; at most `limit`.
 */
export async function selectPrincipalsNotMembers(db: Queryable, projectId: number, q: string, limit: number): Promise<PrincipalChoiceRow[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.query<PrincipalChoiceRow>(
    `SELECT u.id, u.type, u.firstname, u.lastname, u.login FROM users u
      WHERE u.type IN ('User', 'Group') AND u.status = 1
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.project_id = $1 AND m.user_id = u.id)
        AND ($2 = '%%' OR u.login ILIKE $2 OR u.firstname ILIKE $2 OR u.lastname ILIKE $2 OR (u.firstname || ' ' || u.lastname) ILIKE $2)
      ORDER BY u.type DESC, u.lastname, u.firstname, u.id
      LIMIT $3`,
    [projectId, like, limit],
  );
}

/**
 * Redmine's Project#assignable_users: active users (and groups, when group assignment is on) holding
 * an assignable role in the project, by name.
 */
export async function selectAssignablePrincipals(db: Queryable, projectId: number, withGroups: boolean): Promise<PrincipalChoiceRow[]> {
  return db.query<PrincipalChoiceRow>(
    `SELECT DISTINCT u.id, u.type, u.firstname, u.lastname, u.login FROM members m
       JOIN member_roles mr ON mr.member_id = m.id
       JOIN roles r ON r.id = mr.role_id AND r.assignable
       JOIN users u ON u.id = m.user_id
      WHERE m.project_id = $1 AND u.status = 1 AND (u.type = 'User' OR ($2 AND u.type = 'Group'))
      ORDER BY u.lastname, u.firstname, u.id`,
    [projectId, withGroups],
  );
}
