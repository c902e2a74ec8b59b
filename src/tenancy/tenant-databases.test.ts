import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '#src/config/config.ts';
import { latestVersion } from '#src/db/migrator.ts';
import { createTestEnvironment, type TestEnvironment } from '../../test/support/engines.ts';
import type { Placement } from './placement.ts';
import { Provisioner } from './provisioner.ts';
import { TenantDatabases, type TenantHandleKey } from './tenant-databases.ts';

describe('open PGlite tenant databases stay within the bound', () => {
  let env: TestEnvironment;
  let provisioner: Provisioner;
  const tenants: TenantHandleKey[] = [];

  before(async () => {
    env = await createTestEnvironment('pglite');
    provisioner = new Provisioner(loadConfig(env.env));
    const version = await latestVersion('tenant');
    for (const id of [1, 2, 3]) {
      const placement: Placement = { engine: 'pglite', dataPath: `tenants/t${id}` };
      await provisioner.create(placement);
      tenants.push({ id, placement, schemaVersion: version });
    }
  });
  after(async () => {
    await env?.cleanup();
  });

  test('idle instances beyond the bound are closed, least recently used first', async () => {
    const databases = new TenantDatabases({ provisioner, maxOpenPglite: 2 });
    try {
      for (const tenant of tenants) {
        await databases.use(tenant, (db) => db.query('SELECT 1'));
        assert.ok(databases.openCount <= 2, `open: ${databases.openCount}`);
      }
      assert.equal(databases.openCount, 2);
    } finally {
      await databases.closeAll();
    }
  });

  test('an instance in use is never closed under its user', async () => {
    const databases = new TenantDatabases({ provisioner, maxOpenPglite: 1 });
    try {
      const [first, second, third] = tenants as [TenantHandleKey, TenantHandleKey, TenantHandleKey];
      const held = await databases.acquire(first);
      await databases.use(second, (db) => db.query('SELECT 1'));
      await databases.use(third, (db) => db.query('SELECT 1'));
      assert.deepEqual(await held.db.query('SELECT 41 + 1 AS n'), [{ n: 42 }]);
      held.release();
      assert.equal(databases.openCount, 1);
    } finally {
      await databases.closeAll();
    }
  });

  test('a tenant whose schema is behind is migrated when opened, and the registry is told', async () => {
    const told: [number, string][] = [];
    const databases = new TenantDatabases({
      provisioner,
      maxOpenPglite: 2,
      onMigrated: async (id, version) => void told.push([id, version]),
    });
    try {
      const [first] = tenants as [TenantHandleKey];
      // An empty schema stands for a tenant made before every migration of the repository.
      await databases.use(first, (db) => db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));
      await databases.evict(first.id);
      const behind = { ...first, schemaVersion: '0' };
      const rows = await databases.use(behind, (db) => db.query('SELECT count(*)::int AS n FROM trackers'));
      assert.deepEqual(rows, [{ n: 0 }]);
      assert.deepEqual(told, [[first.id, first.schemaVersion]]);
    } finally {
      await databases.closeAll();
    }
  });
});
