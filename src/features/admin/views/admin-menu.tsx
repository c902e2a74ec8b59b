/**
 * The administration sidebar (Redmine's `:admin_menu`): one entry per administration area, in
 * Redmine's order, the current one marked `selected`. Every admin page shows it in its sidebar.
 * Pure: the entries are constants, the selection arrives in the props.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';

export type AdminMenuKey =
  | 'projects'
  | 'users'
  | 'groups'
  | 'roles'
  | 'trackers'
  | 'issue_statuses'
  | 'workflows'
  | 'custom_fields'
  | 'enumerations'
  | 'settings'
  | 'ip_filter'
  | 'oidc'
  | 'audit'
  | 'info';

export interface AdminMenuEntry {
  readonly key: AdminMenuKey;
  readonly label: MessageKey;
  readonly href: string;
  /** Redmine's icon class (`icon-<name>`), so themes draw the same icons. */
  readonly icon: string;
}

export const ADMIN_MENU_ENTRIES: readonly AdminMenuEntry[] = [
  { key: 'projects', label: 'label_project_plural', href: '/admin/projects', icon: 'projects' },
  { key: 'users', label: 'label_user_plural', href: '/users', icon: 'user' },
  { key: 'groups', label: 'label_group_plural', href: '/groups', icon: 'group' },
  { key: 'roles', label: 'label_role_and_permissions', href: '/roles', icon: 'roles' },
  { key: 'trackers', label: 'label_tracker_plural', href: '/trackers', icon: 'trackers' },
  { key: 'issue_statuses', label: 'label_issue_status_plural', href: '/issue_statuses', icon: 'issue-statuses' },
  { key: 'workflows', label: 'label_workflow', href: '/workflows', icon: 'workflows' },
  { key: 'custom_fields', label: 'label_custom_field_plural', href: '/custom_fields', icon: 'custom-fields' },
  { key: 'enumerations', label: 'label_enumerations', href: '/enumerations', icon: 'list' },
  { key: 'settings', label: 'label_settings', href: '/settings', icon: 'settings' },
  { key: 'ip_filter', label: 'label_ip_filter', href: '/admin/ip_filter', icon: 'lock' },
  { key: 'oidc', label: 'label_oidc', href: '/admin/oidc', icon: 'server-authentication' },
  { key: 'audit', label: 'label_audit_trail', href: '/admin/audit', icon: 'history' },
  { key: 'info', label: 'label_information_plural', href: '/admin/info', icon: 'help' },
];

/** Redmine's `#admin-menu` list; `selected` marks the area of the current page. */
export function AdminMenu({ t, selected }: { t: Translate; selected?: AdminMenuKey | undefined }): VNode {
  return (
    <nav id="admin-menu" aria-label={t('label_administration')}>
      <ul>
        {ADMIN_MENU_ENTRIES.map((entry) => (
          <li>
            <a
              href={entry.href}
              class={`icon icon-${entry.icon} ${entry.key.replace(/_/g, '-')}${entry.key === selected ? ' selected' : ''}`}
              aria-current={entry.key === selected ? 'page' : undefined}
            >
              {t(entry.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
