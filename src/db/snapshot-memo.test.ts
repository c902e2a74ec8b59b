import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { engineCases, TEST_SERVER_URL } from '../../test/support/engines.ts';
import { openPglite, openPostgres, type Database } from './database.ts';
import { dropDatabase, ensureDatabase, openMaintenance, withDatabaseName } from './postgres-server.ts';
import { currentSnapshot, rowsAsOf } from './snapshot-memo.ts';

const cases = await engineCases();

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

const countOf = async (db: Database, minimum: number, snapshot: string | undefined) => {
  const [row] = await rowsAsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM things WHERE size >= ${minimum}`, snapshot);
  assert.ok(row);
  return row.n;
};

for (const { engine, skip } of cases) {
  describe(`snapshot memo (${engine})`, { skip }, () => {
    let raw: Database;
    const name = `kt_snapshot_memo_${process.pid}`;
    const url = withDatabaseName(TEST_SERVER_URL, name);
    before(async () => {
      if (engine === 'postgres') {
        await ensureDatabase(url);
        raw = openPostgres({ url, max: 3 });
      } else {
        raw = await openPglite({ dataDir: 'memory://' });
      }
      await raw.exec('DROP TABLE IF EXISTS things; CREATE TABLE things (size int NOT NULL); INSERT INTO things SELECT g FROM generate_series(1, 10) g;');
    });
    after(async () => {
      await raw.close();
      if (engine === 'postgres') {
        const maintenance = await openMaintenance(url);
        await dropDatabase(maintenance, name);
        await maintenance.close();
      }
    });

    // Other tests write on the same server meanwhile (transaction ids are the server's): a snapshot
    // read once and passed again stands for "nothing committed since", which the test cannot arrange.
    test('an answer is reused for its snapshot, and recomputed under a snapshot read after a write', async () => {
      const { db, counts } = counting(raw);
      const first = await currentSnapshot(db);
      assert.equal(await countOf(db, 5, first), 6);
      assert.equal(await countOf(db, 5, first), 6);
      assert.equal(counts(), 1, 'the second count came from the memo');
      // Other conditions are other entries.
      assert.equal(await countOf(db, 8, first), 3);
      assert.equal(counts(), 2);

      await db.query('INSERT INTO things (size) VALUES (9)');
      const second = await currentSnapshot(db);
      assert.notEqual(second, first, 'a commit changes the snapshot');
      assert.equal(await countOf(db, 5, second), 7);
      assert.equal(await countOf(db, 8, second), 4);
      assert.equal(counts(), 4);
    });

    test('without a snapshot (an empty page) the statement runs', async () => {
      const { db, counts } = counting(raw);
      await countOf(db, 1, undefined);
      await countOf(db, 1, undefined);
      assert.equal(counts(), 2);
    });

    test('a write rolled back also ends the entry, and the recount sees no change', async () => {
      const { db, counts } = counting(raw);
      const before = await countOf(db, 1, await currentSnapshot(db));
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO things (size) VALUES (100)');
          throw new Error('give up');
        }),
      );
      assert.equal(await countOf(db, 1, await currentSnapshot(db)), before);
      assert.ok(counts() >= 1);
    });
  });
}
