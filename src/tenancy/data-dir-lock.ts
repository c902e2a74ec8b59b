/**
 * PGlite is PostgreSQL in this process: two processes must never open the same folders. In embedded
 * mode the process that opens the control plane takes `kanri.lock` in the data directory and keeps it
 * until it closes; a second process is told which process holds it.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
}

export interface DataDirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new DataDirBusyError(`data directory ${dataDir} cannot be created: ${(error as NodeJS.ErrnoException).code}`);
  }
  const path = join(dataDir, 'kanri.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        async release() {
          if (!released) {
            released = true;
            await unlink(path).catch(() => {});
          }
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
        throw new DataDirBusyError(`data directory ${dataDir} is not writable (${code})`);
      }
      if (code !== 'EEXIST') {
        throw error;
      }
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new DataDirBusyError(
          `data directory ${dataDir} is in use by another Kanri process (pid ${holder}); ` +
            'the embedded database allows one process at a time: stop it first, or use PostgreSQL (DATABASE_URL)',
        );
      }
      // Left behind by a process that died: take it over.
      await unlink(path).catch(() => {});
    }
  }
  throw new DataDirBusyError(`data directory ${dataDir}: could not take kanri.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
