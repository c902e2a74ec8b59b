/**
 * Which issues an actor sees, as one SQL condition over `issues i JOIN projects p` — the same rules as
 * src/domain/issue-visibility.ts (Redmine's Issue.visible_condition), so a list never shows what a
 * show would refuse.
 */
import { sql, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, roleAllows, type Actor, type ProjectAccess, type RoleGrant } from '#src/domain/authorization.ts';

const FALSE = sql`FALSE`;

/** `(1, 2, 3)`; an empty list is `(-1)` (no row has that id), since `NOT IN (NULL)` would exclude all. */
function idList(ids: readonly number[]): SQL {
  return ids.length === 0 ? sql`(-1)` : sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;
}

/** Issues the actor wrote or that are assigned to them or their groups. */
function ownIssues(actor: Actor): SQL {
  const principals = [actor.userId ?? -1, ...actor.groupIds];
  return sql`(i.author_id = ${actor.userId ?? -1} OR i.assigned_to_id IN ${idList(principals)})`;
}

function roleCondition(actor: Actor, role: RoleGrant): SQL {
  let visible: SQL;
  if (!isLoggedIn(actor)) {
    visible = sql`i.is_private = FALSE`;
  } else {
    switch (role.issuesVisibility ?? 'default') {
      case 'all':
        visible = sql`TRUE`;
        break;
      case 'default':
        visible = sql`(i.is_private = FALSE OR ${ownIssues(actor)})`;
        break;
      case 'own':
        visible = ownIssues(actor);
        break;
    }
  }
  const trackers = role.trackerLimits?.get('view_issues');
  return trackers === undefined ? visible : sql`(${visible} AND i.tracker_id IN ${idList(trackers)})`;
}

export function visibleIssuesCondition(actor: Actor): SQL {
  const projectOpen = sql`p.status IN (1, 5) AND EXISTS (SELECT 1 FROM enabled_modules em WHERE em.project_id = p.id AND em.name = 'issue_tracking')`;
  if (actor.isAdmin) {
    return sql`(${projectOpen})`;
  }
  const branches: SQL[] = [];
  const memberProjects = [...actor.memberRoles.keys()];
  const builtin = isLoggedIn(actor) ? actor.nonMemberRole : actor.anonymousRole;
  if (roleAllows(builtin, 'view_issues')) {
    branches.push(sql`(p.is_public AND p.id NOT IN ${idList(memberProjects)} AND ${roleCondition(actor, builtin)})`);
  }
  // One branch per role, over the projects where the actor holds it.
  const byRole = new Map<number, { role: RoleGrant; projects: number[] }>();
  for (const [projectId, roles] of actor.memberRoles) {
    for (const role of roles) {
      const entry = byRole.get(role.id) ?? { role, projects: [] };
      entry.projects.push(projectId);
      byRole.set(role.id, entry);
    }
  }
  for (const { role, projects } of byRole.values()) {
    if (roleAllows(role, 'view_issues')) {
      branches.push(sql`(p.id IN ${idList(projects)} AND ${roleCondition(actor, role)})`);
    }
  }
  const anyBranch = branches.length === 0 ? FALSE : sql.join(branches, sql` OR `);
  return sql`(${projectOpen} AND (${anyBranch}))`;
}

/**
 * Redmine's Issue#user_tracker_permission?: the permission from a role that grants it for all
 * trackers or for this one (roles can limit add/edit/delete/view to some trackers).
 */
export function trackerAllows(actor: Actor, permission: string, project: ProjectAccess, trackerId: number): boolean {
  return allowedTo(actor, permission, project, (role) => {
    const limits = role.trackerLimits?.get(permission);
    return limits === undefined || limits.includes(trackerId);
  });
}
