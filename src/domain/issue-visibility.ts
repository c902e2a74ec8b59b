/**
 * Who sees which issue and which notes (Redmine's Issue#visible?, Journal#visible_details and
 * private notes). Pure: the caller loads the issue's facts and the actor.
 */
import { allowedTo, isLoggedIn, type Actor, type ProjectAccess, type RoleGrant } from './authorization.ts';

export interface IssueFacts {
  readonly trackerId: number;
  readonly authorId: number | null;
  /** A user or a group. */
  readonly assignedToId: number | null;
  readonly isPrivate: boolean;
}

/** The facts of a stored issue row (Redmine's column names) that decide who sees it. */
export function issueFactsOf(issue: {
  readonly tracker_id: number;
  readonly author_id: number | null;
  readonly assigned_to_id: number | null;
  readonly is_private: boolean;
}): IssueFacts {
  return { trackerId: issue.tracker_id, authorId: issue.author_id, assignedToId: issue.assigned_to_id, isPrivate: issue.is_private };
}

/** Is the user the principal, or in that group? (`user.is_or_belongs_to?`) */
export function isOrBelongsTo(actor: Actor, principalId: number | null): boolean {
  return principalId !== null && (principalId === actor.userId || actor.groupIds.has(principalId));
}

function roleShowsIssue(actor: Actor, issue: IssueFacts, role: RoleGrant): boolean {
  const own = (issue.authorId !== null && issue.authorId === actor.userId) || isOrBelongsTo(actor, issue.assignedToId);
  let visible: boolean;
  if (!isLoggedIn(actor)) {
    visible = !issue.isPrivate;
  } else {
    switch (role.issuesVisibility ?? 'default') {
      case 'all':
        visible = true;
        break;
      case 'default':
        visible = !issue.isPrivate || own;
        break;
      case 'own':
        visible = own;
        break;
    }
  }
  const trackers = role.trackerLimits?.get('view_issues');
  return visible && (trackers === undefined || trackers.includes(issue.trackerId));
}

/** May the actor see the issue? */
export function canViewIssue(actor: Actor, project: ProjectAccess, issue: IssueFacts): boolean {
  return allowedTo(actor, 'view_issues', project, (role) => roleShowsIssue(actor, issue, role));
}

/** May the actor read private notes in the project (`view_private_notes`)? Their own always. */
export function canViewPrivateNote(actor: Actor, project: ProjectAccess, noteAuthorId: number | null): boolean {
  return (noteAuthorId !== null && noteAuthorId === actor.userId) || allowedTo(actor, 'view_private_notes', project);
}
