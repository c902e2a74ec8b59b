/**
 * The file store on local disk. Each tenant has its own file area, `<data dir>/files/<account>/`,
 * with Redmine's layout under it: `YYYY/MM/` folders (disk_directory) holding files named
 * `<yymmddHHMMSS>_<random hex>` (disk_filename). Names are made here, never taken from the user, and
 * every address read back from the database is checked against that shape before it touches the disk,
 * so a crafted row cannot reach outside the tenant's area.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError, type FileStore, type PutOptions, type StoredFile, type StoredFileRef } from './file-store.ts';

/** `YYYY/MM`, or empty for files Redmine stored before it had sub-folders. */
const DIRECTORY = /^(?:\d{4}\/\d{2})?$/;
/** What Redmine and this store name files: ASCII letters, digits, `._-`, never a dot first. */
const FILENAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;
const ACCOUNT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const two = (n: number) => String(n).padStart(2, '0');

function directoryOf(now: Date): string {
  return `${now.getUTCFullYear()}/${two(now.getUTCMonth() + 1)}`;
}

/** Redmine's disk name time stamp (`%y%m%d%H%M%S`), in UTC. */
function stampOf(now: Date): string {
  return [now.getUTCFullYear() % 100, now.getUTCMonth() + 1, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()]
    .map(two)
    .join('');
}

function isErrorCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code));
}

/**
 * Pipes `source` into `sink` without letting a failure on either side destroy the source: a request
 * body must stay open so the connection can still carry the refusal. An aborted source fails the sink.
 * Returns the function that undoes the wiring.
 */
function feed(source: Readable, sink: Transform): () => void {
  if (source.destroyed && !source.readableEnded) {
    sink.destroy(source.errored ?? new Error('the content ended before it was complete'));
    return () => {};
  }
  const fail = (error: Error) => sink.destroy(error);
  const closed = () => {
    if (!source.readableEnded) {
      sink.destroy(new Error('the content ended before it was complete'));
    }
  };
  source.on('error', fail);
  source.on('close', closed);
  source.pipe(sink);
  return () => {
    source.unpipe(sink);
    source.off('error', fail);
    source.off('close', closed);
  };
}

export class LocalFileStore implements FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(source: Readable | Buffer, options: PutOptions): Promise<StoredFile> {
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          callback(new FileTooLargeError(limit));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // Wired before the first await, so nothing the source does meanwhile goes unheard; the meter's
    // own failure is reported by the pipeline below, however early it happens.
    meter.on('error', () => {});
    const detach = Buffer.isBuffer(source) ? () => {} : feed(source, meter);
    if (Buffer.isBuffer(source)) {
      meter.end(source);
    }
    try {
      const diskDirectory = directoryOf(options.now);
      const folder = join(this.root, diskDirectory);
      await mkdir(folder, { recursive: true });
      const { handle, name } = await this.#claim(folder, options.now);
      try {
        await pipeline(meter, handle.createWriteStream());
      } catch (error) {
        await handle.close().catch(() => {});
        await rm(join(folder, name), { force: true });
        throw error;
      }
      return { diskDirectory, diskFilename: name, size, digest: hash.digest('hex') };
    } finally {
      meter.destroy();
      detach();
    }
  }

  async open(ref: StoredFileRef): Promise<{ stream: Readable; size: number } | undefined> {
    const path = this.#pathOf(ref);
    if (!path) {
      return undefined;
    }
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isErrorCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) {
        return undefined;
      }
      throw error;
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return undefined;
    }
    return { stream: handle.createReadStream(), size: stats.size };
  }

  async delete(ref: StoredFileRef): Promise<void> {
    const path = this.#pathOf(ref);
    if (path) {
      await rm(path, { force: true });
    }
  }

  /** The file's path inside this store, or undefined for an address this store never makes. */
  #pathOf(ref: StoredFileRef): string | undefined {
    const directory = ref.diskDirectory ?? '';
    if (!DIRECTORY.test(directory) || !FILENAME.test(ref.diskFilename)) {
      return undefined;
    }
    const path = resolve(this.root, directory, ref.diskFilename);
    return path.startsWith(this.root + sep) ? path : undefined;
  }

  /** Creates a new, empty file with a fresh name (exclusive create: an existing file is never reused). */
  async #claim(folder: string, now: Date): Promise<{ handle: FileHandle; name: string }> {
    for (let attempt = 0; ; attempt++) {
      const name = `${stampOf(now)}_${randomBytes(8).toString('hex')}`;
      try {
        return { handle: await open(join(folder, name), 'wx'), name };
      } catch (error) {
        if (!isErrorCode(error, 'EEXIST') || attempt >= 4) {
          throw error;
        }
      }
    }
  }
}

/** The tenant's own file area: `<data dir>/files/<account>/`. */
export function tenantFileStore(dataDir: string, account: string): LocalFileStore {
  if (!ACCOUNT.test(account)) {
    throw new Error(`"${account}" cannot name a file area`);
  }
  return new LocalFileStore(join(dataDir, 'files', account));
}
