/**
 * The suite runs against both engines. PGlite is always there; PostgreSQL is the server at
 * KANRI_TEST_DATABASE_URL (default: postgres@127.0.0.1:5432). Without a server its tests are skipped
 * and say so — unless KANRI_TEST_REQUIRE_POSTGRES=1 (set by .ci/run), which makes that a failure.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dumpPglite, openPglite, type Engine } from '#src/db/database.ts';
import { latestVersion, migrate } from '#src/db/migrator.ts';
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
  // KANRI_TEST_ONLY_ENGINE=pglite|postgres narrows a run while developing; CI never sets it.
  const only = process.env.KANRI_TEST_ONLY_ENGINE;
  const narrowed = (engine: Engine) => (only && only !== engine ? `KANRI_TEST_ONLY_ENGINE=${only}` : undefined);
  return [
    { engine: 'pglite', skip: narrowed('pglite') },
    { engine: 'postgres', skip: narrowed('postgres') ?? (await postgresUnavailable()) },
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

const TENANT_MIGRATIONS = fileURLToPath(new URL('../../src/db/migrations/tenant/', import.meta.url));

/**
 * The migrated PGlite tenant template, built once per version of the migration files and shared by
 * every test environment (building it is most of the cost of a first embedded tenant). It is put where
 * the provisioner keeps its own (`<data dir>/templates/`), so the code under test runs unchanged.
 */
async function seedPgliteTemplate(dataDir: string): Promise<void> {
  const files = (await readdir(TENANT_MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update(await readFile(join(TENANT_MIGRATIONS, file)));
  }
  const cacheDir = join(tmpdir(), 'kanri-test-templates');
  const cached = join(cacheDir, `${hash.digest('hex').slice(0, 24)}.tar.gz`);
  if (!existsSync(cached)) {
    await mkdir(cacheDir, { recursive: true });
    const db = await openPglite({ dataDir: 'memory://' });
    try {
      await migrate(db, 'tenant');
      const tarball = new Uint8Array(await (await dumpPglite(db)).arrayBuffer());
      // Test files run in parallel processes: write aside, then rename into place atomically.
      const aside = `${cached}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(aside, tarball);
      await rename(aside, cached);
    } finally {
      await db.close();
    }
  }
  await mkdir(join(dataDir, 'templates'), { recursive: true });
  await copyFile(cached, join(dataDir, 'templates', `tenant-${await latestVersion('tenant')}.tar.gz`));
}

/** A fresh, empty deployment: its own data directory and, on PostgreSQL, its own databases. */
export async function createTestEnvironment(engine: Engine): Promise<TestEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kanri-test-'));
  if (engine === 'pglite') {
    await seedPgliteTemplate(dataDir);
  }
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
