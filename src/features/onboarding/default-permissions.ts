/**
 * The permission lists Redmine's default data loader gives each role (the symbols themselves are
 * the domain's, src/domain/permissions.ts).
 */

import { PERMISSIONS, PUBLIC_PERMISSIONS, type Permission } from '#src/domain/permissions.ts';

/** Every permission Redmine declares, in its declaration order (the domain's permission table). */
export const REDMINE_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];
export type RedminePermission = Permission;
export { PUBLIC_PERMISSIONS };

/** Manager: every permission a role can be given (Redmine's Role#setable_permissions). */
export const MANAGER_PERMISSIONS: readonly RedminePermission[] = REDMINE_PERMISSIONS.filter(
  (permission) => !PUBLIC_PERMISSIONS.includes(permission),
);

export const DEVELOPER_PERMISSIONS: readonly RedminePermission[] = [
  'manage_versions',
  'manage_categories',
  'view_issues',
  'add_issues',
  'edit_issues',
  'view_private_notes',
  'set_notes_private',
  'manage_issue_relations',
  'manage_subtasks',
  'add_issue_notes',
  'save_queries',
  'view_gantt',
  'view_calendar',
  'log_time',
  'view_time_entries',
  'view_news',
  'comment_news',
  'view_documents',
  'view_wiki_pages',
  'view_wiki_edits',
  'edit_wiki_pages',
  'delete_wiki_pages',
  'view_messages',
  'add_messages',
  'edit_own_messages',
  'view_files',
  'manage_files',
  'browse_repository',
  'view_changesets',
  'commit_access',
  'manage_related_issues',
];

export const REPORTER_PERMISSIONS: readonly RedminePermission[] = [
  'view_issues',
  'add_issues',
  'add_issue_notes',
  'save_queries',
  'view_gantt',
  'view_calendar',
  'log_time',
  'view_time_entries',
  'view_news',
  'comment_news',
  'view_documents',
  'view_wiki_pages',
  'view_wiki_edits',
  'view_messages',
  'add_messages',
  'edit_own_messages',
  'view_files',
  'browse_repository',
  'view_changesets',
];

/** The builtin role of logged-in users who are not members of the project. */
export const NON_MEMBER_PERMISSIONS: readonly RedminePermission[] = [
  'view_issues',
  'add_issues',
  'add_issue_notes',
  'save_queries',
  'view_gantt',
  'view_calendar',
  'view_time_entries',
  'view_news',
  'comment_news',
  'view_documents',
  'view_wiki_pages',
  'view_wiki_edits',
  'view_messages',
  'add_messages',
  'view_files',
  'browse_repository',
  'view_changesets',
];

/** The builtin role of visitors who are not logged in. */
export const ANONYMOUS_PERMISSIONS: readonly RedminePermission[] = [
  'view_issues',
  'view_gantt',
  'view_calendar',
  'view_time_entries',
  'view_news',
  'view_documents',
  'view_wiki_pages',
  'view_wiki_edits',
  'view_messages',
  'view_files',
  'browse_repository',
  'view_changesets',
];
