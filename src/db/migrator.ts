/**
 * Versioned SQL migrations kept in the repository: `db/migrations/platform/` for the control plane,
 * `db/migrations/tenant/` for every tenant database. Applied versions are recorded in Redmine's
 * `schema_migrations` table. A migration runs in its own transaction, and the whole run holds a lock,
 * so two processes starting together never migrate one database twice.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export type MigrationSet = 'platform' | 'tenant';

export interface Migration {
  /** The timestamp prefix of the file name, e.g. `20261125000001`. */
  readonly version: string;
  readonly name: string;
  readonly sql: string;
}

const FILE_PATTERN = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export class MigrationError extends Error {
  override name = 'MigrationError';
  readonly migration: string;

  constructor(migration: string, reason: string) {
    super(`migration ${migration} failed: ${reason}`);
    this.migration = migration;
  }
}

const cache = new Map<MigrationSet, Promise<readonly Migration[]>>();

/** The migrations of a set in the order they apply. Read once per process. */
export function loadMigrations(set: MigrationSet): Promise<readonly Migration[]> {
  let loaded = cache.get(set);
  if (!loaded) {
    loaded = readMigrations(set);
    cache.set(set, loaded);
  }
  return loaded;
}

async function readMigrations(set: MigrationSet): Promise<readonly Migration[]> {
  const dir = fileURLToPath(new URL(`./migrations/${set}/`, import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new Error(`badly named migration ${set}/${file}: expected YYYYMMDDHHMMSS_description.sql`);
      }
      return { version: match[1], name: match[2], sql: await readFile(dir + file, 'utf8') };
    }),
  );
}

/** The newest version of a set: a database at it needs nothing. */
export async function latestVersion(set: MigrationSet): Promise<string> {
  const all = await loadMigrations(set);
  return all.at(-1)?.version ?? '0';
}

const CREATE_VERSIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(255) PRIMARY KEY)';

/** The versions already applied to `db`. */
export async function appliedVersions(db: Database): Promise<Set<string>> {
  const exists = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!exists[0]?.present) {
    return new Set();
  }
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => r.version));
}

/**
 * Brings `db` up to the newest migration of `set`. Returns the versions it applied (none when the
 * database was current, which is also what a second process sees after waiting for the lock).
 */
export async function migrate(db: Database, set: MigrationSet): Promise<string[]> {
  const migrations = await loadMigrations(set);
  return db.withLock(`kanri:migrate:${set}`, async () => {
    await db.exec(CREATE_VERSIONS_TABLE);
    const applied = await appliedVersions(db);
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) {
        continue;
      }
      try {
        await db.transaction(async (tx) => {
          await tx.exec(migration.sql);
          await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
        });
      } catch (error) {
        throw new MigrationError(`${set}/${migration.version}_${migration.name}`, errorMessage(error));
      }
      done.push(migration.version);
    }
    return done;
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
