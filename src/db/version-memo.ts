/**
 * Answers computed from a tenant's database, remembered for as long as its data version stands still.
 *
 * The data version (migration 20261126000003_data_version.sql) counts the write transactions that
 * committed in the database: a trigger on every table adds one, in the writing transaction, so the
 * new count becomes visible exactly when the change does. Why remembering under it is exact: when a
 * request reads version V and an answer was stored under V, nothing has committed since that
 * answer's request read V, so the answer computed then (in V, or in a later state that, had anything
 * committed, no one could read as V again) is what computing it now would give. Reading the version
 * costs one small statement per request, or an extra column of a statement the request runs anyway.
 *
 * Statements inside a transaction must not use the memo (a transaction sees its own uncommitted
 * changes under the old version), hence it takes a `Database`, never a transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.ts';
import { compileSql } from './sql.ts';

const VERSION_SQL = '(SELECT sum(changes) FROM kanri_data_version)::text';

/** Select this as `version` to learn the data version a statement saw. */
export const DATA_VERSION = sql.raw(VERSION_SQL);

/** The data version a statement run now sees. */
export async function currentDataVersion(db: Database): Promise<string> {
  const [row] = await db.query<{ version: string | null }>(`SELECT ${VERSION_SQL} AS version`);
  if (!row?.version) {
    throw new Error('the database has no data version (kanri_data_version)');
  }
  return row.version;
}

/** Roughly the bytes all entries may hold in this process (a response counts its length). */
const BUDGET = 64 * 1024 * 1024;
/** What an entry without a size of its own (a row, a user, settings) is reckoned to weigh. */
const SMALL = 512;
/** Larger answers are not kept: they would push out many small ones for one rare repeat. */
const LARGEST = 1024 * 1024;

interface Entry {
  readonly version: string;
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

/** The value remembered under `key` for exactly this data version, if any. */
export function recall<T>(db: Database, key: string, version: string): T | undefined {
  const fullKey = keyOf(db, key);
  const entry = entries.get(fullKey);
  if (!entry || entry.version !== version) {
    return undefined;
  }
  // Most recently used goes last.
  entries.delete(fullKey);
  entries.set(fullKey, entry);
  return entry.value as T;
}

/** Remembers `value` as what `key` was at the database's data version `version`. */
export function remember(db: Database, key: string, version: string, value: unknown, weight = SMALL): void {
  const fullKey = keyOf(db, key);
  forget(fullKey);
  if (weight > LARGEST) {
    return;
  }
  entries.set(fullKey, { version, value, weight });
  held += weight;
  for (const oldest of entries.keys()) {
    if (held <= BUDGET) {
      break;
    }
    forget(oldest);
  }
}

/**
 * `compute()` once per data version: the remembered value when `version` is the one it was computed
 * at, else a fresh one, remembered. Without a version (the caller has none, e.g. a request that
 * writes) it just computes. `compute` must read only the database (and `key` must name everything
 * else it depends on).
 */
export async function memoAsOf<T>(db: Database, key: string, version: string | undefined, compute: () => Promise<T>): Promise<T> {
  if (version === undefined) {
    return compute();
  }
  const known = recall<{ value: T }>(db, key, version);
  if (known) {
    return known.value;
  }
  const value = await compute();
  remember(db, key, version, { value });
  return value;
}

/** The rows of a read-only statement, once per data version (see memoAsOf). */
export function rowsAsOf<Row>(db: Database, query: SQL, version: string | undefined): Promise<Row[]> {
  const { sql: text, params } = compileSql(query);
  return memoAsOf(db, `rows\u0001${text}\u0001${JSON.stringify(params)}`, version, () => db.query<Row>(text, params));
}
