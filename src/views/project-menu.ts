/**
 * The project menu (Redmine's `:project_menu`): one tab per page of the project the actor may open,
 * in Redmine's order. Pure: decided from the actor and the project's access facts.
 */
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { MessageKey } from '#src/i18n/index.ts';

export interface MenuItem {
  readonly key: string;
  readonly label: MessageKey;
  readonly href: string;
  readonly selected?: boolean;
}

export type ProjectMenuKey = 'overview' | 'roadmap' | 'issues' | 'new_issue' | 'time_entries' | 'settings';

/** Any of these lets the actor open the project's settings (Redmine's settings tab conditions). */
const SETTINGS_PERMISSIONS = [
  'edit_project',
  'select_project_modules',
  'manage_members',
  'manage_versions',
  'manage_categories',
  'manage_project_activities',
  'add_subprojects',
] as const;

export function projectMenu(actor: Actor, project: ProjectAccess & { readonly identifier: string }, selected?: ProjectMenuKey): MenuItem[] {
  const base = `/projects/${encodeURIComponent(project.identifier)}`;
  const can = (permission: string) => allowedTo(actor, permission, project);
  const items: (MenuItem & { key: ProjectMenuKey })[] = [{ key: 'overview', label: 'label_overview', href: base }];
  if (can('view_issues')) {
    items.push({ key: 'roadmap', label: 'label_roadmap', href: `${base}/roadmap` });
    items.push({ key: 'issues', label: 'label_issue_plural', href: `${base}/issues` });
  }
  if (can('add_issues')) {
    items.push({ key: 'new_issue', label: 'label_issue_new', href: `${base}/issues/new` });
  }
  if (can('view_time_entries')) {
    items.push({ key: 'time_entries', label: 'label_spent_time', href: `${base}/time_entries` });
  }
  if (SETTINGS_PERMISSIONS.some(can)) {
    items.push({ key: 'settings', label: 'label_settings', href: `${base}/settings` });
  }
  return items.map((item) => (item.key === selected ? { ...item, selected: true } : item));
}
