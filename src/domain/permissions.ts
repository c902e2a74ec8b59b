/**
 * Redmine's permission table (lib/redmine/preparation.rb, Redmine 7.0): each permission symbol with
 * the project module it belongs to, whether every role has it (`public`), whether only logged-in
 * users or only members can be given it (`require`), and whether it only reads (`read`: still allowed
 * on a closed project). Authorization decisions read this table; nothing else lists permissions.
 */
export const PROJECT_MODULES = [
  'issue_tracking',
  'time_tracking',
  'news',
  'documents',
  'files',
  'wiki',
  'repository',
  'boards',
  'calendar',
  'gantt',
] as const;
export type ProjectModule = (typeof PROJECT_MODULES)[number];

export interface PermissionDefinition {
  readonly module: ProjectModule | null;
  readonly public?: true;
  readonly require?: 'loggedin' | 'member';
  readonly read?: true;
}

const project = (extra: Omit<PermissionDefinition, 'module'> = {}): PermissionDefinition => ({ module: null, ...extra });
const inModule =
  (module: ProjectModule) =>
  (extra: Omit<PermissionDefinition, 'module'> = {}): PermissionDefinition => ({ module, ...extra });
const issues = inModule('issue_tracking');
const time = inModule('time_tracking');
const news = inModule('news');
const documents = inModule('documents');
const files = inModule('files');
const wiki = inModule('wiki');
const repository = inModule('repository');
const boards = inModule('boards');

export const PERMISSIONS = {
  view_project: project({ public: true, read: true }),
  search_project: project({ public: true, read: true }),
  add_project: project({ require: 'loggedin' }),
  edit_project: project({ require: 'member' }),
  close_project: project({ require: 'member', read: true }),
  delete_project: project({ require: 'member', read: true }),
  select_project_publicity: project({ require: 'member' }),
  select_project_modules: project({ require: 'member' }),
  view_members: project({ public: true, read: true }),
  manage_members: project({ require: 'member' }),
  manage_versions: project({ require: 'member' }),
  add_subprojects: project({ require: 'member' }),
  manage_public_queries: project({ require: 'member' }),
  save_queries: project({ require: 'loggedin' }),
  use_webhooks: project({ require: 'member' }),

  view_issues: issues({ read: true }),
  add_issues: issues(),
  edit_issues: issues(),
  edit_own_issues: issues(),
  copy_issues: issues(),
  manage_issue_relations: issues(),
  manage_subtasks: issues(),
  set_issues_private: issues(),
  set_own_issues_private: issues({ require: 'loggedin' }),
  add_issue_notes: issues(),
  edit_issue_notes: issues({ require: 'loggedin' }),
  edit_own_issue_notes: issues({ require: 'loggedin' }),
  view_private_notes: issues({ read: true, require: 'member' }),
  set_notes_private: issues({ require: 'member' }),
  delete_issues: issues({ require: 'member' }),
  view_issue_watchers: issues({ read: true }),
  add_issue_watchers: issues(),
  delete_issue_watchers: issues(),
  import_issues: issues(),
  manage_categories: issues({ require: 'member' }),

  view_time_entries: time({ read: true }),
  log_time: time({ require: 'loggedin' }),
  edit_time_entries: time({ require: 'member' }),
  edit_own_time_entries: time({ require: 'loggedin' }),
  manage_project_activities: time({ require: 'member' }),
  log_time_for_other_users: time({ require: 'member' }),
  import_time_entries: time(),

  view_news: news({ read: true }),
  manage_news: news({ require: 'member' }),
  comment_news: news(),

  view_documents: documents({ read: true }),
  add_documents: documents({ require: 'loggedin' }),
  edit_documents: documents({ require: 'loggedin' }),
  delete_documents: documents({ require: 'loggedin' }),

  view_files: files({ read: true }),
  manage_files: files({ require: 'loggedin' }),

  view_wiki_pages: wiki({ read: true }),
  view_wiki_edits: wiki({ read: true }),
  export_wiki_pages: wiki({ read: true }),
  edit_wiki_pages: wiki(),
  rename_wiki_pages: wiki({ require: 'member' }),
  delete_wiki_pages: wiki({ require: 'member' }),
  delete_wiki_pages_attachments: wiki(),
  view_wiki_page_watchers: wiki({ read: true }),
  add_wiki_page_watchers: wiki(),
  delete_wiki_page_watchers: wiki(),
  protect_wiki_pages: wiki({ require: 'member' }),
  manage_wiki: wiki({ require: 'member' }),

  view_changesets: repository({ read: true }),
  browse_repository: repository({ read: true }),
  commit_access: repository(),
  manage_related_issues: repository(),
  manage_repository: repository({ require: 'member' }),

  view_messages: boards({ read: true }),
  add_messages: boards(),
  edit_messages: boards({ require: 'member' }),
  edit_own_messages: boards({ require: 'loggedin' }),
  delete_messages: boards({ require: 'member' }),
  delete_own_messages: boards({ require: 'loggedin' }),
  view_message_watchers: boards({ read: true }),
  add_message_watchers: boards(),
  delete_message_watchers: boards(),
  manage_boards: boards({ require: 'member' }),

  view_calendar: inModule('calendar')({ read: true }),
  view_gantt: inModule('gantt')({ read: true }),
} as const satisfies Record<string, PermissionDefinition>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

export function permissionDefinition(permission: Permission): PermissionDefinition {
  return PERMISSIONS[permission];
}

/** Permissions every role has, whatever it was given (view_project, search_project, view_members). */
export const PUBLIC_PERMISSIONS: readonly Permission[] = (Object.keys(PERMISSIONS) as Permission[]).filter(
  (p) => permissionDefinition(p).public === true,
);
