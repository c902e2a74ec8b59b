/**
 * The suite runs against both engines. PGlite is always there; PostgreSQL is the server at
 * KANRI_TEST_DATABASE_URL (default: postgres@127.0.0.1:5432). Without a server its tests are skipped
 * and say so — unless KANRI_TEST_REQUIRE_POSTGRES=1 (set by .ci/run), which makes that a failure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from '#src/db/database.ts';
import { dropDatabasesWithPrefix } from '#src/db/postgres-server.ts';

export const TEST_SERVER_URL = process.env.KANRI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<string | undefined> | undefined;

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      const reason = `no PostgreSQL server at ${new URL(TEST_SERVER_URL).host} (${(error as Error).message || 'unreachable'})`;
      if (process.env.KANRI_TEST_REQUIRE_POSTGRES === '1') {
        throw new Error(`KANRI_TEST_REQUIRE_POSTGRES=1 but ${reason}`);
      }
      process.stderr.write(`SKIPPED: PostgreSQL tests: ${reason}\n`);
      return reason;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

export interface EngineCase {
  readonly engine: Engine;
  /** Set when this engine's tests are skipped, with the reason. */
  readonly skip: string | undefined;
}

/** Both engines, each with its skip reason (if any): loop over these with `describe`. */
export async function engineCases(): Promise<EngineCase[]> {
  return [
    { engine: 'pglite', skip: undefined },
    { engine: 'postgres', skip: await postgresUnavailable() },
  ];
}

export interface TestEnvironment {
  readonly engine: Engine;
  /** Environment variables for loadConfig / the CLI / a child process. */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  /** Database name prefix unique to this environment (PostgreSQL). */
  readonly prefix: string;
  /** Drops every database this environment made and removes its data directory. */
  cleanup(): Promise<void>;
}

/** A fresh, empty deployment: its own data directory and, on PostgreSQL, its own databases. */
export async function createTestEnvironment(engine: Engine): Promise<TestEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kanri-test-'));
  const prefix = `kt_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    KANRI_DATA_DIR: dataDir,
    KANRI_DATABASE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    KANRI_SECRET: randomBytes(32).toString('hex'),
  };
  if (engine === 'postgres') {
    const url = new URL(TEST_SERVER_URL);
    url.pathname = `/${prefix}_platform`;
    env.DATABASE_URL = url.toString();
  }
  return {
    engine,
    env,
    dataDir,
    prefix,
    async cleanup() {
      if (engine === 'postgres') {
        await dropDatabasesWithPrefix(TEST_SERVER_URL, prefix);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
