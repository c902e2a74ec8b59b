/** Server-level PostgreSQL chores: databases are created, copied from templates and dropped here. */
import { openPostgres, type Database } from './database.ts';
import { UnavailableError } from '#src/errors.ts';

/** `url` with its database name replaced. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + encodeURIComponent(name);
  return parsed.toString();
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** `host:port` of a URL, for messages (never the password). */
export function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
}

export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** A one-connection handle on the server's maintenance database, for CREATE/DROP DATABASE. */
export async function openMaintenance(url: string): Promise<Database> {
  const db = openPostgres({ url: withDatabaseName(url, 'postgres'), max: 2, applicationName: 'kanri-admin' });
  await assertReachable(db, url);
  return db;
}

export async function assertReachable(db: Database, url: string): Promise<void> {
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.close();
    throw new UnavailableError(`cannot use PostgreSQL at ${describeServer(url)}: ${reasonOf(error)}`);
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return reasonOf(error.errors[0]);
  }
  if (error instanceof Error) {
    return error.message || (error as NodeJS.ErrnoException).code || error.name;
  }
  return String(error);
}

export async function databaseExists(maintenance: Database, name: string): Promise<boolean> {
  const rows = await maintenance.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

/** Creates the database named in `url` when it is missing (first start against an empty server). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  const maintenance = await openMaintenance(url);
  try {
    await maintenance.withLock('kanri:create-database', async () => {
      if (!(await databaseExists(maintenance, name))) {
        await maintenance.exec(`CREATE DATABASE ${quoteIdent(name)}`);
      }
    });
  } finally {
    await maintenance.close();
  }
}

export async function dropDatabase(maintenance: Database, name: string): Promise<void> {
  await maintenance.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/** Drops every database on the server whose name starts with `prefix_` (a whole test or bench deployment). */
export async function dropDatabasesWithPrefix(serverUrl: string, prefix: string): Promise<void> {
  const maintenance = await openMaintenance(serverUrl);
  try {
    const rows = await maintenance.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix + '_'],
    );
    for (const { datname } of rows) {
      await dropDatabase(maintenance, datname);
    }
  } finally {
    await maintenance.close();
  }
}
