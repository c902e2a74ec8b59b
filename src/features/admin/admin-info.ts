/**
 * What /admin/info reports (Redmine's Admin#info): the Kanri version, the environment it runs in,
 * the tenant's data sizes and the checks an administrator should see pass.
 */
import { readFileSync } from 'node:fs';
import type { Database } from '#src/db/database.ts';
import type { FileStore } from '#src/storage/file-store.ts';
import { selectDatabaseFacts, type DatabaseFacts } from './admin-info.repository.ts';

export interface SystemInfo {
  readonly version: string;
  readonly nodeVersion: string;
  readonly platform: string;
  readonly databaseEngine: string;
  readonly database: DatabaseFacts;
  readonly checks: readonly { readonly key: 'text_file_repository_writable'; readonly ok: boolean }[];
}

let packageVersion: string | undefined;

/** Read once: the version in package.json. */
function kanriVersion(): string {
  if (packageVersion === undefined) {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    packageVersion = typeof version === 'string' ? version : '';
  }
  return packageVersion;
}

/** Can the tenant's file area take a file? Writes an empty one and removes it again. */
async function isFileAreaWritable(files: FileStore, now: Date): Promise<boolean> {
  try {
    const stored = await files.put(Buffer.alloc(0), { now });
    await files.delete(stored);
    return true;
  } catch {
    return false;
  }
}

export async function collectSystemInfo(db: Database, files: FileStore, now: Date): Promise<SystemInfo> {
  const [database, writable] = await Promise.all([selectDatabaseFacts(db), isFileAreaWritable(files, now)]);
  return {
    version: kanriVersion(),
    nodeVersion: process.version,
    platform: `${process.platform} ${process.arch}`,
    databaseEngine: db.engine === 'pglite' ? 'PGlite' : 'PostgreSQL',
    database,
    checks: [{ key: 'text_file_repository_writable', ok: writable }],
  };
}
