/**
 * Redmine's permission symbols (lib/redmine/preparation.rb, Redmine 7.0) and the permission lists
 * its default data loader gives each role.
 */

/** Every permission Redmine declares, in its declaration order, grouped by project module. */
export const REDMINE_PERMISSIONS = [
  // Project (no module)
  'view_project',
  'search_project',
  'add_project',
  'edit_project',
  'close_project',
  'delete_project',
  'select_project_publicity',
  'select_project_modules',
  'view_members',
  'manage_members',
  'manage_versions',
  'add_subprojects',
  'manage_public_queries',
  'save_queries',
  'use_webhooks',
  // issue_tracking
  'view_issues',
  'add_issues',
  'edit_issues',
  'edit_own_issues',
  'copy_issues',
  'manage_issue_relations',
  'manage_subtasks',
  'set_issues_private',
  'set_own_issues_private',
  'add_issue_notes',
  'edit_issue_notes',
  'edit_own_issue_notes',
  'view_private_notes',
  'set_notes_private',
  'delete_issues',
  'view_issue_watchers',
  'add_issue_watchers',
  'delete_issue_watchers',
  'import_issues',
  'manage_categories',
  // time_tracking
  'view_time_entries',
  'log_time',
  'edit_time_entries',
  'edit_own_time_entries',
  'manage_project_activities',
  'log_time_for_other_users',
  'import_time_entries',
  // news
  'view_news',
  'manage_news',
  'comment_news',
  // documents
  'view_documents',
  'add_documents',
  'edit_documents',
  'delete_documents',
  // files
  'view_files',
  'manage_files',
  // wiki
  'view_wiki_pages',
  'view_wiki_edits',
  'export_wiki_pages',
  'edit_wiki_pages',
  'rename_wiki_pages',
  'delete_wiki_pages',
  'delete_wiki_pages_attachments',
  'view_wiki_page_watchers',
  'add_wiki_page_watchers',
  'delete_wiki_page_watchers',
  'protect_wiki_pages',
  'manage_wiki',
  // repository
  'view_changesets',
  'browse_repository',
  'commit_access',
  'manage_related_issues',
  'manage_repository',
  // boards
  'view_messages',
  'add_messages',
  'edit_messages',
  'edit_own_messages',
  'delete_messages',
  'delete_own_messages',
  'view_message_watchers',
  'add_message_watchers',
  'delete_message_watchers',
  'manage_boards',
  // calendar
  'view_calendar',
  // gantt
  'view_gantt',
] as const;

export type RedminePermission = (typeof REDMINE_PERMISSIONS)[number];

/** Granted to everyone who can see the project; never stored on a role. */
export const PUBLIC_PERMISSIONS: readonly RedminePermission[] = ['view_project', 'search_project', 'view_members'];

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
