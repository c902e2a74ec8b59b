/**
 * Where a tenant's files (attachment contents) live. The interface is deliberately narrow — put a
 * stream, open one for reading, delete one — so an S3-compatible store can sit behind it later. A
 * stored file is named by the store (never by the user's file name) and addressed by the pair Redmine
 * keeps in `attachments.disk_directory` / `attachments.disk_filename`.
 */
import type { Readable } from 'node:stream';

/** The address of a stored file: Redmine's `disk_directory` (`YYYY/MM`) and `disk_filename`. */
export interface StoredFileRef {
  readonly diskDirectory: string | null;
  readonly diskFilename: string;
}

export interface StoredFile extends StoredFileRef {
  readonly diskDirectory: string;
  /** Bytes written. */
  readonly size: number;
  /** SHA-256 of the content, lower-case hex (Redmine's `attachments.digest`). */
  readonly digest: string;
}

export interface PutOptions {
  /** Names the sub-folder (`YYYY/MM`, UTC) and the time stamp of the file name. */
  readonly now: Date;
  /** The most bytes accepted; more is a FileTooLargeError and nothing stays stored. */
  readonly maxBytes?: number;
}

export interface FileStore {
  /**
   * Stores the content and tells where it went. A stream source is read but never destroyed (it may
   * be a request body whose connection must live on to carry the answer); a failure leaves no file.
   */
  put(source: Readable | Buffer, options: PutOptions): Promise<StoredFile>;
  /** A stream of the stored content with its size, or undefined when there is no such file. */
  open(ref: StoredFileRef): Promise<{ readonly stream: Readable; readonly size: number } | undefined>;
  /** Removes the file; one that is already gone is not an error. */
  delete(ref: StoredFileRef): Promise<void>;
}

/** The content was longer than `maxBytes`; nothing was kept. */
export class FileTooLargeError extends Error {
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`file exceeds ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
    this.maxBytes = maxBytes;
  }
}
