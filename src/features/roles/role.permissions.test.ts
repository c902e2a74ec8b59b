import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PERMISSIONS, PROJECT_MODULES } from '#src/domain/permissions.ts';
import { en, ja } from '#src/i18n/locales.ts';
import { keepSetable, permissionsByModule, setablePermissions } from './role.permissions.ts';

test('every permission and project module has a label in both languages', () => {
  for (const key of [...Object.keys(PERMISSIONS).map((p) => `permission_${p}`), ...PROJECT_MODULES.map((m) => `project_module_${m}`)]) {
    assert.ok(Object.hasOwn(en, key), key);
    assert.ok((ja as Record<string, string>)[key], key);
  }
});

test('public permissions are never given; Non member cannot hold members-only ones, Anonymous neither those of signed-in users', () => {
  const givable = setablePermissions(0);
  assert.ok(!givable.includes('view_project'));
  assert.ok(givable.includes('manage_members') && givable.includes('log_time'));
  assert.ok(!setablePermissions(1).includes('manage_members'));
  assert.ok(setablePermissions(1).includes('log_time'));
  assert.ok(!setablePermissions(2).includes('log_time'));
  assert.ok(setablePermissions(2).includes('view_issues'));
  assert.deepEqual(keepSetable(1, ['view_issues', 'manage_members', 'bogus', 'add_issues', 'view_issues']), ['view_issues', 'add_issues']);
});

test('permissions are grouped with the project’s own first, then modules by name', () => {
  const groups = permissionsByModule(setablePermissions(0));
  assert.deepEqual(groups.map((g) => g.module), [null, 'boards', 'calendar', 'documents', 'files', 'gantt', 'issue_tracking', 'news', 'repository', 'time_tracking', 'wiki']);
  assert.equal(groups[0]?.permissions[0], 'add_project');
});
