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
import { dropDatabasesWithPrefix } from '#src/db/postgres-server.ts';

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

/** What a (child) process needs to open the deployment: plain data, sent as JSON. */
export interface DeploymentSpec {
  readonly engine: Engine;
  /** Environment for `loadConfig`. */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  readonly prefix: string;
}

export interface BenchDeployment extends DeploymentSpec {
  /** Drops every database named `<prefix>_…` and removes the data directory; every call shares one removal. */
  cleanup(): Promise<void>;
}

export async function createBenchDeployment(engine: Engine): Promise<BenchDeployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kanri-bench-'));
  const prefix = `kb_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    KANRI_DATA_DIR: dataDir,
    KANRI_DATABASE_PREFIX: prefix,
    KANRI_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  };
  if (engine === 'postgres') {
    const url = new URL(BENCH_SERVER_URL);
    url.pathname = `/${prefix}_platform`;
    env.DATABASE_URL = url.toString();
  }
  let cleaning: Promise<void> | undefined;
  const removeAll = async () => {
    try {
      if (engine === 'postgres') {
        await dropDatabasesWithPrefix(BENCH_SERVER_URL, prefix);
        // Again, for a CREATE DATABASE that a killed phase had already sent to the server.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await dropDatabasesWithPrefix(BENCH_SERVER_URL, prefix);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  return {
    engine,
    env,
    dataDir,
    prefix,
    cleanup() {
      // One removal, however many callers (the run's end and a signal) ask for it.
      cleaning ??= removeAll();
      return cleaning;
    },
  };
}
