/** SQL that loads what the permission engine needs about a user: member roles and built-in roles. */
import type { Queryable } from '#src/db/database.ts';
import type { RoleGrant } from '#src/domain/authorization.ts';

interface MemberRoleRow {
  project_id: number;
  id: number;
  builtin: number;
  permissions: string[];
}

/** Roles of the user in every project, directly or through its groups, in one round trip. */
export async function selectMemberRoles(db: Queryable, userId: number): Promise<Map<number, RoleGrant[]>> {
  const rows = await db.query<MemberRoleRow>(
    `SELECT DISTINCT m.project_id, r.id, r.builtin, r.permissions
       FROM members m
       JOIN member_roles mr ON mr.member_id = m.id
       JOIN roles r ON r.id = mr.role_id
      WHERE m.user_id = $1
         OR m.user_id IN (SELECT gu.group_id FROM groups_users gu WHERE gu.user_id = $1)`,
    [userId],
  );
  const byProject = new Map<number, RoleGrant[]>();
  for (const row of rows) {
    const list = byProject.get(row.project_id) ?? [];
    list.push({ id: row.id, builtin: row.builtin, permissions: row.permissions });
    byProject.set(row.project_id, list);
  }
  return byProject;
}

/** The tenant's Non member (builtin 1) and Anonymous (builtin 2) roles. */
export async function selectBuiltinRoles(db: Queryable): Promise<{ nonMember: RoleGrant; anonymous: RoleGrant }> {
  const rows = await db.query<{ id: number; builtin: number; permissions: string[] }>(
    'SELECT id, builtin, permissions FROM roles WHERE builtin IN (1, 2)',
  );
  const find = (builtin: number): RoleGrant =>
    rows.find((r) => r.builtin === builtin) ?? { id: 0, builtin, permissions: [] };
  return { nonMember: find(1), anonymous: find(2) };
}
