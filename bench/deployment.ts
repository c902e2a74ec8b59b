/**
 * A throw-away deployment for one benchmark run, as test/support/engines.ts makes them for tests: its
 * own data directory and, on PostgreSQL, its own databases named `kb_<hex>_…` on the server, all
 * removed by `cleanup()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from '#src/db/database.ts';

/** The PostgreSQL server to measure; KANRI_BENCH_DATABASE_URL overrides it. */
export const BENCH_SERVER_URL = process.env.KANRI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why the PostgreSQL server cannot be used, or undefined when it can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const message = error instanceof AggregateError ? String(error.errors[0]) : (error as Error).message;
    return `no PostgreSQL server at ${new URL(BENCH_SERVER_URL).host} (${message || 'unreachable'})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface BenchDeployment {
  readonly engine: Engine;
  /** Environment for `loadConfig` (here and in a child process). */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  readonly prefix: string;
  /** Drops every database named `<prefix>_…` and removes the data directory; safe to call twice. */
  cleanup(): Promise<void>;
}

export async function createBenchDeployment(engine: Engine, extraEnv: Record<string, string> = {}): Promise<BenchDeployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kanri-bench-'));
  const prefix = `kb_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    KANRI_DATA_DIR: dataDir,
    KANRI_DATABASE_PREFIX: prefix,
    KANRI_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  if (engine === 'postgres') {
    const url = new URL(BENCH_SERVER_URL);
    url.pathname = `/${prefix}_platform`;
    env.DATABASE_URL = url.toString();
  }
  let cleaned = false;
  return {
    engine,
    env,
    dataDir,
    prefix,
    async cleanup() {
      if (cleaned) {
        return;
      }
      cleaned = true;
      try {
        if (engine === 'postgres') {
          await dropDatabasesWithPrefix(prefix);
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

async function dropDatabasesWithPrefix(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix + '_'],
    );
    for (const { datname } of rows) {
      // Templates are marked as such; a template can only be dropped once it is an ordinary database.
      await client.query(`ALTER DATABASE "${datname}" IS_TEMPLATE false`).catch(() => {});
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
