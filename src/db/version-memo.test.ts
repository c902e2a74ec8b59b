import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { engineCases, TEST_SERVER_URL } from '../../test/support/engines.ts';
import { openPglite, openPostgres, type Database } from './database.ts';
import { dropDatabase, ensureDatabase, openMaintenance, withDatabaseName } from './postgres-server.ts';
import { currentDataVersion, rowsAsOf } from './version-memo.ts';

const cases = await engineCases();
const DATA_VERSION_MIGRATION = new URL('./migrations/tenant/20261126000003_data_version.sql', import.meta.url);

/** The database, and how many statements reached it that counted rows. */
function counting(db: Database): { db: Database; counts: () => number } {
  let counts = 0;
  const wrapped: Database = {
    ...db,
    query(text, params) {
      if (text.includes('count(*)')) {
        counts += 1;
      }
      return db.query(text, params);
    },
  };
  return { db: wrapped, counts: () => counts };
}

const countOf = async (db: Database, minimum: number, version: string | undefined) => {
  const [row] = await rowsAsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM things WHERE size >= ${minimum}`, version);
  assert.ok(row);
  return row.n;
};

for (const { engine, skip } of cases) {
  describe(`version memo (${engine})`, { skip }, () => {
    let raw: Database;
    const name = `kt_version_memo_${process.pid}`;
    const url = withDatabaseName(TEST_SERVER_URL, name);
    before(async () => {
      if (engine === 'postgres') {
        await ensureDatabase(url);
        raw = openPostgres({ url, max: 3 });
      } else {
        raw = await openPglite({ dataDir: 'memory://' });
      }
      await raw.exec(await readFile(DATA_VERSION_MIGRATION, 'utf8'));
      await raw.exec("CREATE TABLE things (size int NOT NULL); SELECT kanri_track_changes('things'); INSERT INTO things SELECT g FROM generate_series(1, 10) g;");
    });
    after(async () => {
      await raw.close();
      if (engine === 'postgres') {
        const maintenance = await openMaintenance(url);
        await dropDatabase(maintenance, name);
        await maintenance.close();
      }
    });

    test('an answer is reused while the data version stands, and recomputed after a write commits', async () => {
      const { db, counts } = counting(raw);
      const first = await currentDataVersion(db);
      assert.equal(await countOf(db, 5, first), 6);
      assert.equal(await countOf(db, 5, await currentDataVersion(db)), 6);
      assert.equal(counts(), 1, 'the second count came from the memo');
      // Other conditions are other entries.
      assert.equal(await countOf(db, 8, first), 3);
      assert.equal(counts(), 2);

      await db.query('INSERT INTO things (size) VALUES (9)');
      const second = await currentDataVersion(db);
      assert.equal(Number(second), Number(first) + 1, 'one commit, one step');
      assert.equal(await countOf(db, 5, second), 7);
      assert.equal(await countOf(db, 8, second), 4);
      assert.equal(counts(), 4);
    });

    test('without a version (a request that writes) the statement runs', async () => {
      const { db, counts } = counting(raw);
      await countOf(db, 1, undefined);
      await countOf(db, 1, undefined);
      assert.equal(counts(), 2);
    });

    test('a write rolled back leaves the version, and the answer stands', async () => {
      const { db, counts } = counting(raw);
      const version = await currentDataVersion(db);
      const before = await countOf(db, 1, version);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO things (size) VALUES (100)');
          throw new Error('give up');
        }),
      );
      assert.equal(await currentDataVersion(db), version);
      assert.equal(await countOf(db, 1, version), before);
      assert.equal(counts(), 1);
    });

    test('a transaction counts once however many statements it makes', async () => {
      const version = Number(await currentDataVersion(raw));
      await raw.transaction(async (tx) => {
        await tx.query('INSERT INTO things (size) VALUES (1)');
        await tx.query('UPDATE things SET size = size WHERE size = 1');
        await tx.query('DELETE FROM things WHERE size = 100');
      });
      assert.equal(Number(await currentDataVersion(raw)), version + 1);
    });
  });
}
