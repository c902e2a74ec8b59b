import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { engineCases, TEST_SERVER_URL } from '../../test/support/engines.ts';
import { openPglite, openPostgres } from './database.ts';
import { loadMigrations, migrate } from './migrator.ts';
import { dropDatabase, ensureDatabase, openMaintenance, withDatabaseName } from './postgres-server.ts';

const cases = await engineCases();

describe('migrations (PGlite)', () => {
  test('apply once, in order, and record each version', async () => {
    const db = await openPglite({ dataDir: 'memory://' });
    try {
      const all = (await loadMigrations('tenant')).map((m) => m.version);
      assert.deepEqual(await migrate(db, 'tenant'), all);
      assert.deepEqual(await migrate(db, 'tenant'), []);
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), all);
    } finally {
      await db.close();
    }
  });
});

describe('migrations (PostgreSQL)', { skip: cases.find((c) => c.engine === 'postgres')?.skip }, () => {
  test('two processes migrating one database at once: one applies, the other waits and finds nothing to do', async () => {
    const url = withDatabaseName(TEST_SERVER_URL, `kt_migrate_${process.pid}`);
    await ensureDatabase(url);
    // Two pools stand for two processes: separate connections, one advisory lock between them.
    const first = openPostgres({ url, max: 3 });
    const second = openPostgres({ url, max: 3 });
    try {
      const results = await Promise.all([migrate(first, 'platform'), migrate(second, 'platform')]);
      const all = (await loadMigrations('platform')).map((m) => m.version);
      assert.deepEqual(results.map((r) => r.length).sort(), [0, all.length]);
      const rows = await first.query('SELECT version FROM schema_migrations');
      assert.equal(rows.length, all.length);
    } finally {
      await first.close();
      await second.close();
      const maintenance = await openMaintenance(url);
      await dropDatabase(maintenance, `kt_migrate_${process.pid}`);
      await maintenance.close();
    }
  });

  test('a failing migration rolls back and names itself', async () => {
    const url = withDatabaseName(TEST_SERVER_URL, `kt_migfail_${process.pid}`);
    await ensureDatabase(url);
    const db = openPostgres({ url, max: 3 });
    try {
      // The platform set creates `tenants`; a table of that name already there makes it fail.
      await db.exec('CREATE TABLE tenants (x int)');
      await assert.rejects(migrate(db, 'platform'), /migration platform\/\d{14}_create_control_plane failed: .*already exists/);
      const present = await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'platform_settings'");
      assert.equal(present.length, 0, 'nothing of the failed migration stays');
    } finally {
      await db.close();
      const maintenance = await openMaintenance(url);
      await dropDatabase(maintenance, `kt_migfail_${process.pid}`);
      await maintenance.close();
    }
  });
});
