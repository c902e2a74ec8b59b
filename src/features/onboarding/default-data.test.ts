import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '#src/db/database.ts';
import { openMigratedPglite } from '../../../test/support/engines.ts';
import { loadDefaultData } from './default-data.ts';
import type { DefaultDataLanguage } from './default-data.ts';
import {
  DEVELOPER_PERMISSIONS,
  MANAGER_PERMISSIONS,
  PUBLIC_PERMISSIONS,
  REDMINE_PERMISSIONS,
} from './default-permissions.ts';

/** A tenant database with every migration applied (a copy of the suite's migrated template). */
const openTenantDatabase = (): Promise<Database> => openMigratedPglite('tenant');

async function load(db: Database, lang: DefaultDataLanguage): Promise<void> {
  await db.orm.transaction(async (tx) => loadDefaultData(tx, lang));
}

async function names(db: Database, sql: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(sql);
  return rows.map((r) => r.name);
}

async function roleId(db: Database, name: string): Promise<number> {
  const [row] = await db.query<{ id: number }>('SELECT id FROM roles WHERE name = $1', [name]);
  assert.ok(row, `role ${name}`);
  return row.id;
}

/** Pairs "old->new" of status names a role may move a Bug between. */
async function bugTransitions(db: Database, role: string): Promise<Set<string>> {
  const rows = await db.query<{ old: string; new: string }>(
    `SELECT o.name AS old, n.name AS new
       FROM workflows w
       JOIN roles r ON r.id = w.role_id
       JOIN trackers t ON t.id = w.tracker_id
       JOIN issue_statuses o ON o.id = w.old_status_id
       JOIN issue_statuses n ON n.id = w.new_status_id
      WHERE r.name = $1 AND t.name = 'Bug' AND w.type = 'WorkflowTransition'`,
    [role],
  );
  return new Set(rows.map((r) => `${r.old}->${r.new}`));
}

test('loads Redmine default data in English', async (t) => {
  const db = await openTenantDatabase();
  t.after(() => db.close());
  await load(db, 'en');

  assert.deepEqual(await names(db, 'SELECT name FROM issue_statuses ORDER BY position'), [
    'New',
    'In Progress',
    'Resolved',
    'Feedback',
    'Closed',
    'Rejected',
  ]);
  assert.deepEqual(await names(db, 'SELECT name FROM issue_statuses WHERE is_closed ORDER BY position'), [
    'Closed',
    'Rejected',
  ]);

  const trackerRows = await db.query<{ name: string; status: string; is_in_roadmap: boolean; fields_bits: number }>(
    `SELECT t.name, s.name AS status, t.is_in_roadmap, t.fields_bits
       FROM trackers t JOIN issue_statuses s ON s.id = t.default_status_id ORDER BY t.position`,
  );
  assert.deepEqual(trackerRows, [
    { name: 'Bug', status: 'New', is_in_roadmap: false, fields_bits: 0 },
    { name: 'Feature', status: 'New', is_in_roadmap: true, fields_bits: 0 },
    { name: 'Support', status: 'New', is_in_roadmap: false, fields_bits: 0 },
  ]);

  const priorities = await db.query<{ name: string; is_default: boolean; position_name: string }>(
    "SELECT name, is_default, position_name FROM enumerations WHERE type = 'IssuePriority' ORDER BY position",
  );
  assert.deepEqual(
    priorities.map((p) => p.name),
    ['Low', 'Normal', 'High', 'Urgent', 'Immediate'],
  );
  assert.deepEqual(
    priorities.filter((p) => p.is_default).map((p) => p.name),
    ['Normal'],
  );
  assert.deepEqual(
    priorities.map((p) => p.position_name),
    ['lowest', 'default', 'high3', 'high2', 'highest'],
  );
  assert.deepEqual(
    await names(db, "SELECT name FROM enumerations WHERE type = 'TimeEntryActivity' ORDER BY position"),
    ['Design', 'Development'],
  );
  assert.deepEqual(
    await names(db, "SELECT name FROM enumerations WHERE type = 'DocumentCategory' ORDER BY position"),
    ['User documentation', 'Technical documentation'],
  );
  assert.deepEqual(await names(db, 'SELECT name FROM enumerations WHERE is_default'), ['Normal']);

  const roleRows = await db.query<{ name: string; builtin: number; issues_visibility: string; permissions: string[] }>(
    'SELECT name, builtin, issues_visibility, permissions FROM roles ORDER BY builtin DESC, position',
  );
  assert.deepEqual(
    roleRows.map((r) => [r.name, r.builtin]),
    [
      ['Anonymous', 2],
      ['Non member', 1],
      ['Manager', 0],
      ['Developer', 0],
      ['Reporter', 0],
    ],
  );
  const permissionsOf = (name: string): string[] => roleRows.find((r) => r.name === name)?.permissions ?? [];
  assert.equal(roleRows.find((r) => r.name === 'Manager')?.issues_visibility, 'all');
  assert.deepEqual(
    [...permissionsOf('Manager')].sort(),
    REDMINE_PERMISSIONS.filter((p) => !PUBLIC_PERMISSIONS.includes(p)).sort(),
  );
  assert.ok(permissionsOf('Manager').includes('manage_members'));
  assert.equal(permissionsOf('Manager').length, MANAGER_PERMISSIONS.length);
  assert.ok(permissionsOf('Developer').includes('add_issues'));
  assert.ok(!permissionsOf('Developer').includes('manage_members'));
  assert.deepEqual(permissionsOf('Developer'), [...DEVELOPER_PERMISSIONS]);
  assert.ok(permissionsOf('Reporter').includes('add_issues'));
  assert.ok(!permissionsOf('Reporter').includes('edit_issues'));
  assert.ok(permissionsOf('Non member').includes('add_issue_notes'));
  assert.ok(!permissionsOf('Anonymous').includes('add_issues'));
  assert.ok(permissionsOf('Anonymous').includes('view_issues'));

  // Manager: every pair of distinct statuses, for each of the 3 trackers.
  const manager = await bugTransitions(db, 'Manager');
  assert.equal(manager.size, 6 * 5);
  assert.ok(manager.has('Closed->New') && manager.has('New->Rejected'));
  assert.ok(!manager.has('New->New'));

  const developer = await bugTransitions(db, 'Developer');
  assert.equal(developer.size, 13);
  assert.ok(developer.has('New->In Progress') && developer.has('Feedback->Closed'));
  assert.ok(!developer.has('New->Rejected') && !developer.has('Closed->New'));

  const reporter = await bugTransitions(db, 'Reporter');
  assert.deepEqual(
    [...reporter].sort(),
    ['Feedback->Closed', 'In Progress->Closed', 'New->Closed', 'Resolved->Closed', 'Resolved->Feedback'].sort(),
  );
  assert.ok(!reporter.has('New->In Progress'));

  const [perRole] = await db.query<{ manager: number; developer: number; reporter: number; others: number }>(
    `SELECT count(*) FILTER (WHERE role_id = $1) AS manager,
            count(*) FILTER (WHERE role_id = $2) AS developer,
            count(*) FILTER (WHERE role_id = $3) AS reporter,
            count(*) FILTER (WHERE role_id NOT IN ($1, $2, $3) OR type <> 'WorkflowTransition') AS others
       FROM workflows`,
    [await roleId(db, 'Manager'), await roleId(db, 'Developer'), await roleId(db, 'Reporter')],
  );
  assert.deepEqual(perRole, { manager: 90, developer: 39, reporter: 15, others: 0 });
});

test('loads Japanese names for ja', async (t) => {
  const db = await openTenantDatabase();
  t.after(() => db.close());
  await load(db, 'ja');

  assert.deepEqual(await names(db, 'SELECT name FROM trackers ORDER BY position'), ['バグ', '機能', 'サポート']);
  assert.deepEqual(await names(db, 'SELECT name FROM issue_statuses ORDER BY position'), [
    '新規',
    '進行中',
    '解決',
    'フィードバック',
    '終了',
    '却下',
  ]);
  assert.deepEqual(await names(db, 'SELECT name FROM roles WHERE builtin = 0 ORDER BY position'), [
    '管理者',
    '開発者',
    '報告者',
  ]);
  // Redmine stores the builtin roles' English names and localises them only on display.
  assert.deepEqual(await names(db, 'SELECT name FROM roles WHERE builtin <> 0 ORDER BY builtin'), [
    'Non member',
    'Anonymous',
  ]);
  assert.deepEqual(
    await names(db, "SELECT name FROM enumerations WHERE type = 'IssuePriority' ORDER BY position"),
    ['低め', '通常', '高め', '急いで', '今すぐ'],
  );
  assert.deepEqual(await names(db, 'SELECT name FROM enumerations WHERE is_default'), ['通常']);
  assert.deepEqual(
    await names(db, "SELECT name FROM enumerations WHERE type = 'TimeEntryActivity' ORDER BY position"),
    ['設計作業', '開発作業'],
  );
  assert.deepEqual(
    await names(db, "SELECT name FROM enumerations WHERE type = 'DocumentCategory' ORDER BY position"),
    ['ユーザー文書', '技術文書'],
  );
  const [count] = await db.query<{ n: number }>('SELECT count(*) AS n FROM workflows');
  assert.equal(count?.n, 144);
});

test('refuses to load twice and leaves the first load untouched', async (t) => {
  const db = await openTenantDatabase();
  t.after(() => db.close());
  await load(db, 'en');

  await assert.rejects(load(db, 'ja'), { message: 'default data already loaded' });
  assert.deepEqual(await names(db, 'SELECT name FROM trackers ORDER BY position'), ['Bug', 'Feature', 'Support']);
  const [count] = await db.query<{ n: number }>('SELECT count(*) AS n FROM roles');
  assert.equal(count?.n, 5);
});

test('keeps existing builtin roles and gives them their default permissions', async (t) => {
  const db = await openTenantDatabase();
  t.after(() => db.close());
  await db.exec(`INSERT INTO roles (name, builtin, position) VALUES ('Non member', 1, 1), ('Anonymous', 2, 1)`);
  const nonMemberId = await roleId(db, 'Non member');

  await load(db, 'en');

  const rows = await db.query<{ id: number; permissions: string[] }>(
    'SELECT id, permissions FROM roles WHERE builtin = 1',
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.id, nonMemberId);
  assert.ok(rows[0]?.permissions.includes('view_issues'));
});

test('refuses when a givable role already exists', async (t) => {
  const db = await openTenantDatabase();
  t.after(() => db.close());
  await db.exec(`INSERT INTO roles (name, position) VALUES ('Custom', 1)`);

  await assert.rejects(load(db, 'en'), { message: 'default data already loaded' });
  const [count] = await db.query<{ n: number }>('SELECT count(*) AS n FROM trackers');
  assert.equal(count?.n, 0);
});
