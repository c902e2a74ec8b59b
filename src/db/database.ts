/**
 * One handle type for both engines. Everything above `db/` talks to a `Database`; which engine
 * sits behind it (PGlite in-process, or a `pg` pool on a PostgreSQL server) is decided once,
 * where the handle is opened.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createMutex } from '#src/lib/mutex.ts';

export type Engine = 'pglite' | 'postgres';

/** Drizzle's query builder over either engine (and inside a transaction). */
export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** What can run SQL: the database itself or one transaction on it. */
export interface Queryable {
  /** One parameterised statement; rows as plain objects. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements in one string, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: Engine;
  readonly orm: Orm;
  /** Runs `fn` on one connection between BEGIN and COMMIT; any error rolls back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the named lock (on PostgreSQL the lock takes a connection of the pool for
   * itself, so a pool needs two or more to do anything inside): a PostgreSQL advisory lock (so other processes on the
   * same database wait), or on PGlite, which one process owns, a lock inside this process.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Both drivers hand back BIGINT (int8) as strings by default; counts and ids here fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export interface PgliteOpenOptions {
  dataDir: string;
}

export async function openPglite(options: PgliteOpenOptions): Promise<Database & { readonly pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    parsers: { 20: (v: string) => Number(v) },
  });
  const orm = drizzlePglite({ client: pglite }) as unknown as Orm;
  const locks = new Map<string, ReturnType<typeof createMutex>>();
  return {
    engine: 'pglite',
    pglite,
    orm,
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await pglite.query<Row>(text, params);
      return result.rows;
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    async transaction(fn) {
      return pglite.transaction(async (tx) =>
        fn({
          async query<Row>(text: string, params: unknown[] = []) {
            return (await tx.query<Row>(text, params)).rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async withLock(name, fn) {
      let mutex = locks.get(name);
      if (!mutex) {
        mutex = createMutex();
        locks.set(name, mutex);
      }
      return mutex.run(fn);
    },
    async close() {
      if (!pglite.closed) {
        await pglite.close();
      }
    },
  };
}

export interface PostgresOpenOptions {
  url: string;
  /** Most connections this pool opens at once. */
  max: number;
  idleTimeoutMillis?: number;
  applicationName?: string;
}

/** Distinct statements given a name before new ones run unnamed (each name is a plan kept per connection). */
const MAX_PREPARED = 2000;

/**
 * Names for statements, so each pool connection parses and plans a statement once and then reuses it
 * (node-postgres prepares a named statement on first use per connection). PostgreSQL spends far more
 * time planning the tracker's joins than running them; unnamed, every request paid it again. Past
 * MAX_PREPARED distinct texts (lists of varying length make new texts) statements go unnamed.
 */
function preparedNames(): (text: string, params: readonly unknown[]) => string | undefined {
  const names = new Map<string, string>();
  return (text, params) => {
    // A text without parameters may hold several commands, which a prepared statement cannot.
    if (params.length === 0 && text.includes(';')) {
      return undefined;
    }
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `k${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
}

/**
 * The pool as Drizzle sees it, with the same statement names. A Proxy, not a wrapper object: Drizzle
 * opens transactions on a connection of its own only when its client is `instanceof pg.Pool`.
 */
function namingPool(pool: pg.Pool, named: (text: string, params: readonly unknown[]) => string | undefined): pg.Pool {
  const query = (config: unknown, values?: unknown[]) => {
    if (typeof config === 'object' && config !== null && 'text' in config && !(config as { name?: string }).name) {
      const text = String((config).text);
      return pool.query({ ...(config as pg.QueryConfig), name: named(text, values ?? []) }, values);
    }
    return pool.query(config as string, values);
  };
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'query') {
        return query;
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function openPostgres(options: PostgresOpenOptions): Database & { readonly pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'kanri',
    // Every named statement keeps one generic plan per connection. Left to choose, PostgreSQL kept
    // planning the issue page afresh on every request (its custom plans looked a little cheaper than
    // the generic one), which cost twice what running it did. Statements are written so the generic
    // plan is the good one: a LIMIT that shapes the plan is written into the text, not a parameter.
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const named = preparedNames();
  const orm = drizzlePg({ client: namingPool(pool, named) }) as unknown as Orm;
  let closed = false;
  return {
    engine: 'postgres',
    pool,
    orm,
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await pool.query({ name: named(text, params), text, values: params });
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<Row>(text: string, params: unknown[] = []) {
            return (await client.query({ name: named(text, params), text, values: params })).rows as Row[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withLock(name, fn) {
      // Session-level advisory lock on a connection of its own, held for the whole of `fn`.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      if (!closed) {
        closed = true;
        await pool.end();
      }
    },
  };
}
