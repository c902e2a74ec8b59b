/** SQL that loads what the permission engine needs about a user: member roles and built-in roles. */
import type { Queryable } from '#src/db/database.ts';
import type { IssuesVisibility, RoleGrant } from '#src/domain/authorization.ts';
import type { RoleSettings } from '#src/db/schema/tracker-reference.ts';

interface RoleRow {
  id: number;
  builtin: number;
  permissions: string[];
  issues_visibility: string;
  time_entries_visibility: string;
  settings: RoleSettings | null;
}

const ROLE_COLUMNS = 'r.id, r.builtin, r.permissions, r.issues_visibility, r.time_entries_visibility, r.settings';

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
    timeEntriesVisibility: row.time_entries_visibility === 'own' ? 'own' : 'all',
    ...(limits ? { trackerLimits: limits } : {}),
  };
}

interface ActorRow extends RoleRow {
  kind: 'builtin' | 'member' | 'group';
  project_id: number | null;
  group_id: number | null;
}

/**
 * Everything the Actor needs in one round trip: the built-in roles, the user's roles per project
 * (directly or through groups) and the user's groups. `userId` -1 stands for anonymous.
 */
export async function selectActorFacts(
  db: Queryable,
  userId: number,
): Promise<{ nonMember: RoleGrant; anonymous: RoleGrant; memberRoles: Map<number, RoleGrant[]>; groupIds: Set<number> }> {
  const rows = await db.query<ActorRow>(
    `SELECT 'builtin' AS kind, NULL::int AS project_id, ${ROLE_COLUMNS}, NULL::int AS group_id FROM roles r WHERE r.builtin IN (1, 2)
     UNION ALL
     (SELECT DISTINCT 'member', m.project_id, ${ROLE_COLUMNS}, NULL::int
        FROM members m
        JOIN member_roles mr ON mr.member_id = m.id
        JOIN roles r ON r.id = mr.role_id
       WHERE m.user_id = $1 OR m.user_id IN (SELECT gu.group_id FROM groups_users gu WHERE gu.user_id = $1))
     UNION ALL
     SELECT 'group', NULL, NULL, NULL, NULL, NULL, NULL, NULL, gu.group_id FROM groups_users gu WHERE gu.user_id = $1`,
    [userId],
  );
  const builtin = (value: number): RoleGrant => {
    const row = rows.find((r) => r.kind === 'builtin' && r.builtin === value);
    return row ? grantOf(row) : { id: 0, builtin: value, permissions: [] };
  };
  const memberRoles = new Map<number, RoleGrant[]>();
  const groupIds = new Set<number>();
  for (const row of rows) {
    if (row.kind === 'member' && row.project_id !== null) {
      memberRoles.set(row.project_id, [...(memberRoles.get(row.project_id) ?? []), grantOf(row)]);
    } else if (row.kind === 'group' && row.group_id !== null) {
      groupIds.add(row.group_id);
    }
  }
  return { nonMember: builtin(1), anonymous: builtin(2), memberRoles, groupIds };
}
