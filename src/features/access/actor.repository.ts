/** SQL that loads what the permission engine needs about a user: member roles and built-in roles. */
import type { Queryable } from '#src/db/database.ts';
import type { IssuesVisibility, RoleGrant } from '#src/domain/authorization.ts';
import type { RoleSettings } from '#src/db/schema/tracker-reference.ts';

interface RoleRow {
  id: number;
  builtin: number;
  permissions: string[];
  issues_visibility: string;
  settings: RoleSettings | null;
}

interface MemberRoleRow extends RoleRow {
  project_id: number;
}

const ROLE_COLUMNS = 'r.id, r.builtin, r.permissions, r.issues_visibility, r.settings';

/** Permissions the role limits to some trackers (permissions_all_trackers = '0'). */
function trackerLimitsOf(settings: RoleSettings | null): Map<string, number[]> | undefined {
  const all = settings?.permissions_all_trackers ?? {};
  const limited = Object.entries(all).filter(([, value]) => value === '0');
  if (limited.length === 0) {
    return undefined;
  }
  return new Map(limited.map(([permission]) => [permission, (settings?.permissions_tracker_ids?.[permission] ?? []).map(Number)]));
}

function grantOf(row: RoleRow): RoleGrant {
  const visibility = row.issues_visibility;
  const limits = trackerLimitsOf(row.settings);
  return {
    id: row.id,
    builtin: row.builtin,
    permissions: row.permissions,
    issuesVisibility: visibility === 'all' || visibility === 'own' ? visibility : ('default' satisfies IssuesVisibility),
    ...(limits ? { trackerLimits: limits } : {}),
  };
}

/** Roles of the user in every project, directly or through its groups, in one round trip. */
export async function selectMemberRoles(db: Queryable, userId: number): Promise<Map<number, RoleGrant[]>> {
  const rows = await db.query<MemberRoleRow>(
    `SELECT DISTINCT m.project_id, ${ROLE_COLUMNS}
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
    list.push(grantOf(row));
    byProject.set(row.project_id, list);
  }
  return byProject;
}

/** The tenant's Non member (builtin 1) and Anonymous (builtin 2) roles. */
export async function selectBuiltinRoles(db: Queryable): Promise<{ nonMember: RoleGrant; anonymous: RoleGrant }> {
  const rows = await db.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM roles r WHERE r.builtin IN (1, 2)`);
  const find = (builtin: number): RoleGrant => {
    const row = rows.find((r) => r.builtin === builtin);
    return row ? grantOf(row) : { id: 0, builtin, permissions: [] };
  };
  return { nonMember: find(1), anonymous: find(2) };
}

/** The groups the user belongs to. */
export async function selectGroupIds(db: Queryable, userId: number): Promise<Set<number>> {
  const rows = await db.query<{ group_id: number }>('SELECT group_id FROM groups_users WHERE user_id = $1', [userId]);
  return new Set(rows.map((r) => r.group_id));
}
