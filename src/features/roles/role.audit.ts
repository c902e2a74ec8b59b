/**
 * What a `role.update` event records of a role's change (security.md §11: permission changes):
 * permissions added and removed, and each other setting's old → new. The position is no permission
 * and is left out. Pure.
 */
import type { RoleDraft } from './role.input.ts';

/** The settings of a role compared, as the audit trail names them. */
const ATTRIBUTES = [
  'name',
  'assignable',
  'issues_visibility',
  'users_visibility',
  'time_entries_visibility',
  'all_roles_managed',
  'default_time_entry_activity_id',
] as const;

/** The changes from `before` to `after`; empty when nothing but the position changed. */
export function roleChanges(before: RoleDraft, after: RoleDraft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const added = after.role.permissions.filter((name) => !before.role.permissions.includes(name));
  const removed = before.role.permissions.filter((name) => !after.role.permissions.includes(name));
  if (added.length > 0) {
    changes.permissions_added = added;
  }
  if (removed.length > 0) {
    changes.permissions_removed = removed;
  }
  for (const name of ATTRIBUTES) {
    if (before.role[name] !== after.role[name]) {
      changes[name] = { from: before.role[name], to: after.role[name] };
    }
  }
  if (JSON.stringify(before.role.settings) !== JSON.stringify(after.role.settings)) {
    changes.settings = { from: before.role.settings, to: after.role.settings };
  }
  const managed = (draft: RoleDraft) => [...draft.managedRoleIds].sort((a, b) => a - b).join(',');
  if (managed(before) !== managed(after)) {
    changes.managed_role_ids = { from: [...before.managedRoleIds], to: [...after.managedRoleIds] };
  }
  return changes;
}
