/**
 * Who may upload, and who may see, change or delete an attachment (Redmine's authorize_global for
 * uploads, Attachment#visible?/editable?/deletable? and the containers' attachments_*? rules). Pure:
 * the service loads the container's facts first.
 */
import { allowedTo, canViewProject, roleAllows, type Actor, type ProjectAccess, type RoleGrant } from '#src/domain/authorization.ts';
import { canViewIssue, type IssueFacts } from '#src/domain/issue-visibility.ts';
import type { Permission } from '#src/domain/permissions.ts';

/** What an attachment hangs on, as far as permissions go. */
export type AttachmentContainer =
  /** An upload nobody attached yet: its author's alone. */
  | { readonly kind: 'none' }
  | { readonly kind: 'issue'; readonly project: ProjectAccess; readonly issue: IssueFacts }
  /**
   * The file of an issue's file custom field (container CustomValue), for a viewer who may see that
   * field on the issue (Redmine's CustomValue#attachments_visible?); otherwise the container is 'other'.
   */
  | { readonly kind: 'custom_value'; readonly project: ProjectAccess; readonly issue: IssueFacts }
  /** A file of the project's Files area (container Project, or one of its Versions). */
  | { readonly kind: 'files'; readonly project: ProjectAccess }
  /** A container that is gone, or of a kind Kanri does not have yet: nobody but administrators. */
  | { readonly kind: 'other' };

/** The permissions that let a user upload (those mapped to attachments#upload in Redmine). */
export const UPLOAD_PERMISSIONS: readonly Permission[] = [
  'add_issues',
  'edit_issues',
  'edit_own_issues',
  'copy_issues',
  'add_issue_notes',
  'manage_news',
  'add_documents',
  'edit_documents',
  'manage_files',
  'edit_wiki_pages',
  'add_messages',
  'edit_messages',
  'edit_own_messages',
];

/**
 * Redmine's global `allowed_to?(attachments#upload)`: some role the user holds in a project that is
 * not archived, or the built-in role (Non member / Anonymous), grants an upload permission. Project
 * modules do not matter here; they do when the upload is attached.
 */
export function mayUpload(actor: Actor, unarchivedProjectIds: ReadonlySet<number>): boolean {
  if (actor.isAdmin) {
    return true;
  }
  const roles: RoleGrant[] = [actor.userId === undefined ? actor.anonymousRole : actor.nonMemberRole];
  for (const [projectId, grants] of actor.memberRoles) {
    if (unarchivedProjectIds.has(projectId)) {
      roles.push(...grants);
    }
  }
  return roles.some((role) => UPLOAD_PERMISSIONS.some((permission) => roleAllows(role, permission)));
}

/**
 * An unattached upload belongs to the user who sent it. Anonymous uploads (author 0) are nobody's to
 * read or change through the API: every anonymous visitor would be their "author" (Redmine's rule),
 * and ids are sequential. They can still be attached with their token.
 */
function isOwnUpload(actor: Actor, authorId: number): boolean {
  return actor.userId !== undefined && authorId === actor.userId;
}

/** Redmine's `user_tracker_permission?`: a role grants the permission for the issue's tracker. */
function trackerPermission(actor: Actor, project: ProjectAccess, permission: Permission, trackerId: number): boolean {
  return allowedTo(actor, permission, project, (role) => {
    const trackers = role.trackerLimits?.get(permission);
    return trackers === undefined || trackers.includes(trackerId);
  });
}

/** Issue#attributes_editable?: edit_issues, or edit_own_issues on an issue the user wrote. */
function canEditIssueAttributes(actor: Actor, project: ProjectAccess, issue: IssueFacts): boolean {
  return (
    trackerPermission(actor, project, 'edit_issues', issue.trackerId) ||
    (issue.authorId !== null && issue.authorId === actor.userId && trackerPermission(actor, project, 'edit_own_issues', issue.trackerId))
  );
}

export function canViewAttachment(actor: Actor, authorId: number, container: AttachmentContainer): boolean {
  switch (container.kind) {
    case 'none':
      return isOwnUpload(actor, authorId);
    case 'issue':
    case 'custom_value':
      return canViewIssue(actor, container.project, container.issue);
    case 'files':
      return canViewProject(actor, container.project) && allowedTo(actor, 'view_files', container.project);
    case 'other':
      return actor.isAdmin;
  }
}

/** Renaming or describing: for issues the right to edit the issue, for files manage_files. */
export function canEditAttachment(actor: Actor, authorId: number, container: AttachmentContainer): boolean {
  switch (container.kind) {
    case 'none':
      return isOwnUpload(actor, authorId);
    case 'issue':
      return canViewIssue(actor, container.project, container.issue) && canEditIssueAttributes(actor, container.project, container.issue);
    case 'custom_value':
      // The file changes with the issue's value (the issue form), never on its own.
      return actor.isAdmin;
    case 'files':
      return canViewProject(actor, container.project) && allowedTo(actor, 'manage_files', container.project);
    case 'other':
      return actor.isAdmin;
  }
}

/**
 * Deleting: Redmine asks the same of issues (Issue#attachments_deletable? is the edit rule) and of
 * project files (manage_files); news, documents and wiki pages will differ when they come.
 */
export function canDeleteAttachment(actor: Actor, authorId: number, container: AttachmentContainer): boolean {
  return canEditAttachment(actor, authorId, container);
}
