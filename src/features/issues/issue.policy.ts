/**
 * Which issues an actor sees, as one SQL condition over `issues i JOIN projects p` — the same rules as
 * src/domain/issue-visibility.ts (Redmine's Issue.visible_condition), so a list never shows what a
 * show would refuse.
 */
import { sql, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, type Actor, type ProjectAccess, type RoleGrant } from '#src/domain/authorization.ts';
import { idList } from '#src/db/sql.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';

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
  return allowedProjectsCondition(actor, 'view_issues', 'p', { checkProjectState: true, perRole: (role) => roleCondition(actor, role) });
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

/** What the actor may do to an issue they see, beyond seeing it. */
export interface IssueRights {
  /** Issue#attributes_editable?: edit_issues, or edit_own_issues on an issue they wrote (tracker limits apply). */
  readonly attributesEditable: boolean;
  /** Issue#notes_addable?: add_issue_notes for the tracker. */
  readonly notesAddable: boolean;
  /** Issue#deletable?: delete_issues for the tracker. */
  readonly deletable: boolean;
}

/** Redmine's editable?/notes_addable?/deletable? on one issue, for the update and the pages alike. */
export function issueRightsOf(actor: Actor, project: ProjectAccess, issue: { readonly trackerId: number; readonly authorId: number | null }): IssueRights {
  const isAuthor = actor.userId !== undefined && issue.authorId === actor.userId;
  return {
    attributesEditable: trackerAllows(actor, 'edit_issues', project, issue.trackerId) || (isAuthor && trackerAllows(actor, 'edit_own_issues', project, issue.trackerId)),
    notesAddable: trackerAllows(actor, 'add_issue_notes', project, issue.trackerId),
    deletable: trackerAllows(actor, 'delete_issues', project, issue.trackerId),
  };
}
