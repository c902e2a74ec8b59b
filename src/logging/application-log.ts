/**
 * The application log of each tenant (security.md §11): one JSON line per request, kept in the
 * tenant's own file area as one file per UTC day, `<data dir>/files/<account>/log/YYYY-MM-DD.jsonl`,
 * so a tenant's file holds only its lines and leaves with the tenant's files. Lines have the shape of
 * pino's (`level`, ISO `time` in UTC, `msg`); every control character inside a string is escaped, so
 * a crafted login or user agent can never start a line of its own.
 *
 * Writing is cheap: a buffered append stream per tenant with recent requests, written in batches once
 * per event-loop turn, closed when idle, on a new day, before a download and on shutdown; nothing on
 * the request path waits for the disk. Files older than the retention are deleted.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { tenantFileStore } from '#src/storage/local-file-store.ts';

/** Days a day file is kept (security.md §11: at least 6 months). */
export const APPLICATION_LOG_RETENTION_DAYS = 183;

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const DAY_MILLIS = 86_400_000;

/** The folder of a tenant's day files. */
export function applicationLogDir(dataDir: string, account: string): string {
  return join(tenantFileStore(dataDir, account).root, 'log');
}

/** `YYYY-MM-DD` of the instant, in UTC: the day file a line goes to. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * One JSON line. JSON escapes U+0000–U+001F; DEL, the C1 controls and the Unicode line and paragraph
 * separators are escaped too, since some readers break lines there. They can only occur inside strings,
 * so the line stays valid JSON.
 */
export function applicationLogLine(record: Readonly<Record<string, unknown>>): string {
  const json = JSON.stringify(record).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${json}\n`;
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** The open day file of one tenant: lines wait in memory until the folder exists and the file is open. */
class DayFile {
  readonly day: string;
  lastWrite: number;
  #stream: WriteStream | undefined;
  #waiting: string[] = [];
  readonly #opened: Promise<void>;
  #corked = false;

  constructor(dir: string, day: string, now: number, onError: (error: unknown) => void) {
    this.day = day;
    this.lastWrite = now;
    this.#opened = mkdir(dir, { recursive: true }).then(
      () => {
        const stream = createWriteStream(join(dir, `${day}.jsonl`), { flags: 'a' });
        stream.on('error', onError);
        this.#stream = stream;
        for (const line of this.#waiting.splice(0)) {
          this.write(line);
        }
      },
      (error: unknown) => {
        this.#waiting = [];
        onError(error);
      },
    );
  }

  write(line: string): void {
    const stream = this.#stream;
    if (!stream) {
      this.#waiting.push(line);
      return;
    }
    // The lines of one event-loop turn go to the disk in one write.
    if (!this.#corked) {
      this.#corked = true;
      stream.cork();
      setImmediate(() => {
        this.#corked = false;
        stream.uncork();
      });
    }
    stream.write(line);
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    await this.#opened;
    const stream = this.#stream;
    if (!stream || stream.destroyed) {
      return;
    }
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });
  }
}

/** Appends tenants' lines to their day files. */
export class ApplicationLogWriter {
  readonly #dataDir: string;
  readonly #onError: (error: unknown, account: string) => void;
  readonly #open = new Map<string, DayFile>();
  readonly #closing = new Set<Promise<void>>();

  constructor(dataDir: string, onError: (error: unknown, account: string) => void) {
    this.#dataDir = dataDir;
    this.#onError = onError;
  }

  /** Queues the record as a line of the tenant's file of the day of `time` (UTC). */
  append(account: string, time: Date, record: Readonly<Record<string, unknown>>): void {
    const day = utcDay(time);
    let file = this.#open.get(account);
    if (file && file.day !== day) {
      this.#retire(account, file);
      file = undefined;
    }
    if (!file) {
      file = new DayFile(applicationLogDir(this.#dataDir, account), day, Date.now(), (error) => {
        this.#onError(error, account);
        // The next line opens the file again.
        if (this.#open.get(account) === file) {
          this.#open.delete(account);
        }
      });
      this.#open.set(account, file);
    }
    file.lastWrite = Date.now();
    file.write(applicationLogLine(record));
  }

  /** Puts every queued line of the tenant on disk (it closes the file; the next line opens it again). */
  async flush(account: string): Promise<void> {
    const file = this.#open.get(account);
    if (file) {
      this.#retire(account, file);
    }
    await Promise.all([...this.#closing]);
  }

  /** Closes the files nothing was written to for `idleMillis`. */
  closeIdle(idleMillis: number): void {
    const before = Date.now() - idleMillis;
    for (const [account, file] of this.#open) {
      if (file.lastWrite < before) {
        this.#retire(account, file);
      }
    }
  }

  /** Writes everything and closes every file (shutdown). */
  async close(): Promise<void> {
    for (const [account, file] of this.#open) {
      this.#retire(account, file);
    }
    await Promise.all([...this.#closing]);
  }

  #retire(account: string, file: DayFile): void {
    this.#open.delete(account);
    const closing = file.close().catch((error: unknown) => this.#onError(error, account));
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }
}

/** Deletes the day files of every tenant older than the retention; returns how many went. */
export async function pruneApplicationLogs(dataDir: string, now: Date): Promise<number> {
  const oldest = utcDay(new Date(now.getTime() - APPLICATION_LOG_RETENTION_DAYS * DAY_MILLIS));
  const filesDir = join(dataDir, 'files');
  let accounts: string[];
  try {
    accounts = await readdir(filesDir);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) {
      return 0;
    }
    throw error;
  }
  let deleted = 0;
  for (const account of accounts) {
    const dir = join(filesDir, account, 'log');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (isErrorCode(error, 'ENOENT') || isErrorCode(error, 'ENOTDIR')) {
        continue;
      }
      throw error;
    }
    for (const name of names) {
      const day = DAY_FILE.exec(name)?.[1];
      if (day !== undefined && day < oldest) {
        await rm(join(dir, name), { force: true });
        deleted += 1;
      }
    }
  }
  return deleted;
}

/** The days from `from` to `to` (`YYYY-MM-DD`, both included). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += DAY_MILLIS) {
    days.push(utcDay(new Date(at)));
  }
  return days;
}

/** The tenant's day files of `days` one after the other (a day without a file adds nothing). */
export function readApplicationLog(dataDir: string, account: string, days: readonly string[]): Readable {
  const dir = applicationLogDir(dataDir, account);
  async function* lines(): AsyncGenerator<Buffer> {
    for (const day of days) {
      try {
        for await (const chunk of createReadStream(join(dir, `${day}.jsonl`))) {
          yield chunk as Buffer;
        }
      } catch (error) {
        if (!isErrorCode(error, 'ENOENT')) {
          throw error;
        }
      }
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
