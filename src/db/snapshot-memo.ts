/**
 * Answers computed from a tenant's database, remembered for as long as the database's committed state
 * is the one they were computed in.
 *
 * Why this is exact: a statement's snapshot (`pg_current_snapshot()`: xmin, xmax and the transactions
 * in progress) decides which committed changes the statement sees, and any commit or abort changes
 * the snapshot every later statement gets. So when a request reads snapshot S, and an answer was
 * stored under S, nothing has committed since that answer's request read S, and the answer computed
 * then (in S or in a later snapshot that, if anything had committed, no one can read as S again) is
 * what computing it now would give. The snapshot costs one small statement per request, or an extra
 * column of a statement the request runs anyway.
 *
 * Transaction ids are shared by every database of a PostgreSQL server, so a write anywhere on the
 * server, in any tenant, ends every entry there: the memo helps reads that come in bursts between
 * writes and never answers stale. A transaction's statements must not use it (its own uncommitted
 * changes are not in the snapshot text), hence it takes a `Database`, never a transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.ts';
import { compileSql } from './sql.ts';

/** Select this as `snapshot` to learn the snapshot a statement ran in. */
export const CURRENT_SNAPSHOT = sql.raw('pg_current_snapshot()::text');

/** The snapshot a statement run now sees. */
export async function currentSnapshot(db: Database): Promise<string> {
  const [row] = await db.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
  if (!row) {
    throw new Error('pg_current_snapshot() answered nothing');
  }
  return row.snapshot;
}

/** Roughly the bytes all entries may hold in this process (a response counts its length). */
const BUDGET = 64 * 1024 * 1024;
/** What an entry without a size of its own (a row, a user, settings) is reckoned to weigh. */
const SMALL = 512;
/** Larger answers are not kept: they would push out many small ones for one rare repeat. */
const LARGEST = 1024 * 1024;

interface Entry {
  readonly snapshot: string;
  readonly value: unknown;
  readonly weight: number;
}

/** One least-recently-used map for every database of the process: a Map iterates oldest first. */
const entries = new Map<string, Entry>();
let held = 0;
const databaseIds = new WeakMap<Database, number>();
let lastDatabaseId = 0;

function keyOf(db: Database, key: string): string {
  let id = databaseIds.get(db);
  if (id === undefined) {
    id = ++lastDatabaseId;
    databaseIds.set(db, id);
  }
  return `${id}\u0001${key}`;
}

function forget(fullKey: string): void {
  const old = entries.get(fullKey);
  if (old) {
    entries.delete(fullKey);
    held -= old.weight;
  }
}

/** The value remembered under `key` for exactly this snapshot, if any. */
export function recall<T>(db: Database, key: string, snapshot: string): T | undefined {
  const fullKey = keyOf(db, key);
  const entry = entries.get(fullKey);
  if (!entry || entry.snapshot !== snapshot) {
    return undefined;
  }
  // Most recently used goes last.
  entries.delete(fullKey);
  entries.set(fullKey, entry);
  return entry.value as T;
}

/** Remembers `value` as what `key` was when the database's snapshot was `snapshot`. */
export function remember(db: Database, key: string, snapshot: string, value: unknown, weight = SMALL): void {
  const fullKey = keyOf(db, key);
  forget(fullKey);
  if (weight > LARGEST) {
    return;
  }
  entries.set(fullKey, { snapshot, value, weight });
  held += weight;
  for (const oldest of entries.keys()) {
    if (held <= BUDGET) {
      break;
    }
    forget(oldest);
  }
}

/**
 * `compute()` once per snapshot: the remembered value when `snapshot` is the one it was computed in,
 * else a fresh one, remembered. Without a snapshot (the caller has none, e.g. inside a write) it just
 * computes. `compute` must read only the database (and `key` must name everything else it depends on).
 */
export async function memoAsOf<T>(db: Database, key: string, snapshot: string | undefined, compute: () => Promise<T>): Promise<T> {
  if (snapshot === undefined) {
    return compute();
  }
  const known = recall<{ value: T }>(db, key, snapshot);
  if (known) {
    return known.value;
  }
  const value = await compute();
  remember(db, key, snapshot, { value });
  return value;
}

/** The rows of a read-only statement, once per snapshot (see memoAsOf). */
export function rowsAsOf<Row>(db: Database, query: SQL, snapshot: string | undefined): Promise<Row[]> {
  const { sql: text, params } = compileSql(query);
  return memoAsOf(db, `rows\u0001${text}\u0001${JSON.stringify(params)}`, snapshot, () => db.query<Row>(text, params));
}
