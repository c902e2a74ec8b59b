/**
 * Which principals (users, groups) an actor may see — Redmine's Principal.visible, by the roles'
 * `users_visibility`. Watchers, the users API and later the UI pickers ask here.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';

/** Who asks, for Redmine's Principal.visible: the user (-1 for anonymous) and the projects they are a member of. */
interface PrincipalViewer {
  readonly userId: number | undefined;
  readonly isAdmin: boolean;
  readonly memberProjectIds: readonly number[];
}

/**
 * Those of the ids the viewer may see as principals (Redmine's Principal.visible): administrators and
 * holders of a role with users_visibility `all` (any membership's role, or the built-in role when
 * they have no membership) see every active principal; others themselves and the members of
 * projects they see.
 */
async function selectVisiblePrincipalIds(db: Queryable, ids: readonly number[], viewer: PrincipalViewer): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const me = viewer.userId ?? -1;
  const builtin = viewer.userId === undefined ? 2 : 1;
  const rows = await db.query<{ id: number }>(
    `WITH viewer AS (
       SELECT EXISTS (SELECT 1 FROM members m JOIN projects p ON p.id = m.project_id WHERE m.user_id = $2 AND p.status <> 10) AS has_memberships,
              EXISTS (SELECT 1 FROM members m JOIN projects p ON p.id = m.project_id
                        JOIN member_roles mr ON mr.member_id = m.id JOIN roles r ON r.id = mr.role_id
                       WHERE m.user_id = $2 AND p.status <> 10 AND r.users_visibility = 'all') AS member_sees_all,
              EXISTS (SELECT 1 FROM roles r WHERE r.builtin = $3 AND r.users_visibility = 'all') AS builtin_sees_all)
     SELECT u.id FROM users u, viewer v
      WHERE u.id = ANY($1::int[]) AND u.status = 1
        AND ($4 OR CASE WHEN v.has_memberships THEN v.member_sees_all ELSE v.builtin_sees_all END
             OR u.id = $2
             OR u.id IN (SELECT m.user_id FROM members m JOIN projects p ON p.id = m.project_id
                          WHERE p.status NOT IN (9, 10) AND (p.is_public OR p.id = ANY($5::int[]))))
      ORDER BY u.id`,
    [ids, me, builtin, viewer.isAdmin, viewer.memberProjectIds],
  );
  return rows.map((r) => r.id);
}


/** Those of the ids the actor may see (administrators: every active principal). */
export function visiblePrincipalIds(db: Queryable, ids: readonly number[], actor: Actor): Promise<number[]> {
  return selectVisiblePrincipalIds(db, ids, { userId: actor.userId, isAdmin: actor.isAdmin, memberProjectIds: [...actor.memberRoles.keys()] });
}
