/**
 * The suite runs against both engines. PGlite is always there; PostgreSQL is the server at
 * KANRI_TEST_DATABASE_URL (default: postgres@127.0.0.1:5432). Without a server its tests are skipped
 * and say so — unless KANRI_TEST_REQUIRE_POSTGRES=1 (set by .ci/run), which makes that a failure.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite, type Database, type Engine } from '#src/db/database.ts';
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

/**
 * The one engine page tests run on: PostgreSQL where a server is reachable (CI always has one), else
 * PGlite. Pages render what the same services and repositories return, and those run on both engines
 * in the REST contract and storage tests; the browser tests cover the embedded engine end to end. One
 * engine here halves the suite's longest part (README, "Tests and the two engines").
 */
export async function pageEngineCases(): Promise<EngineCase[]> {
  const only = process.env.KANRI_TEST_ONLY_ENGINE;
  if (only === 'pglite' || only === 'postgres') {
    return [{ engine: only, skip: only === 'postgres' ? await postgresUnavailable() : undefined }];
  }
  return [{ engine: (await postgresUnavailable()) ? 'pglite' : 'postgres', skip: undefined }];
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

const MIGRATIONS = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));

/**
 * A closed, migrated PGlite folder for `kind`, built once per version of the migration files and kept
 * in the temp directory for every later test process: initdb alone costs 3–5 s, copying the folder
 * half a second.
 */
async function migratedPgliteFolder(kind: 'tenant' | 'platform'): Promise<string> {
  const folder = join(MIGRATIONS, kind);
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update(await readFile(join(folder, file)));
  }
  const cached = join(tmpdir(), 'kanri-test-templates', `${kind}-${hash.digest('hex').slice(0, 24)}`);
  if (!existsSync(cached)) {
    await mkdir(dirname(cached), { recursive: true });
    // Test files run in parallel processes: build aside, then rename into place atomically.
    const aside = `${cached}.${randomBytes(4).toString('hex')}.tmp`;
    const db = await openPglite({ dataDir: aside });
    try {
      await migrate(db, kind);
    } finally {
      await db.close();
    }
    await rename(aside, cached).catch(async (error: unknown) => {
      await rm(aside, { recursive: true, force: true });
      if (!existsSync(cached)) {
        throw error;
      }
    });
  }
  return cached;
}

/**
 * A database of `kind` with every migration applied, for tests of what the schema holds (not of how
 * it got there): a copy of the cached migrated folder, opened; `close` also removes the copy.
 */
export async function openMigratedPglite(kind: 'tenant' | 'platform'): Promise<Database> {
  const dataDir = await mkdtemp(join(tmpdir(), `kanri-${kind}-db-`));
  await cp(await migratedPgliteFolder(kind), dataDir, { recursive: true });
  const db = await openPglite({ dataDir });
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * Puts the migrated tenant template where the provisioner keeps its own (`<data dir>/templates/`), so
 * the code under test runs unchanged and the first embedded tenant skips initdb; with
 * `migratedPlatform`, the control plane's folder too.
 */
async function seedPgliteFolders(dataDir: string, migratedPlatform: boolean): Promise<void> {
  await cp(await migratedPgliteFolder('tenant'), join(dataDir, 'templates', `tenant-${await latestVersion('tenant')}`), { recursive: true });
  if (migratedPlatform) {
    await cp(await migratedPgliteFolder('platform'), join(dataDir, 'platform'), { recursive: true });
  }
}

/**
 * A fresh, empty deployment: its own data directory and, on PostgreSQL, its own databases. With
 * `migratedPlatform` an embedded control plane starts migrated (as after a first run, with no tenant),
 * for tests that start the app in-process and don't test the first run.
 */
export async function createTestEnvironment(engine: Engine, options: { migratedPlatform?: boolean } = {}): Promise<TestEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kanri-test-'));
  if (engine === 'pglite') {
    await seedPgliteFolders(dataDir, options.migratedPlatform === true);
  }
  const prefix = `kt_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    KANRI_DATA_DIR: dataDir,
    KANRI_DATABASE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    KANRI_SECRET: randomBytes(32).toString('hex'),
    // The cheapest cost the security requirements allow (a fifth of the default's time): the suite
    // hashes hundreds of passwords.
    KANRI_ARGON2_MEMORY_KIB: '19456',
    KANRI_ARGON2_TIME_COST: '2',
    KANRI_ARGON2_PARALLELISM: '1',
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
