/** The local file store: layout, digests, size limit without leftovers, and addresses it refuses to follow. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { FileTooLargeError } from './file-store.ts';
import { tenantFileStore, type LocalFileStore } from './local-file-store.ts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('LocalFileStore', () => {
  let dataDir: string;
  let store: LocalFileStore;
  const now = new Date('2026-03-05T07:08:09Z');

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kanri-files-'));
    store = tenantFileStore(dataDir, 'acme');
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a buffer is stored under YYYY/MM with a made-up name, its size and SHA-256', async () => {
    const stored = await store.put(Buffer.from('File content'), { now });
    assert.equal(stored.diskDirectory, '2026/03');
    assert.match(stored.diskFilename, /^260305070809_[0-9a-f]{16}$/);
    assert.equal(stored.size, 12);
    assert.equal(stored.digest, sha256('File content'));
    assert.equal(await readFile(join(dataDir, 'files', 'acme', '2026', '03', stored.diskFilename), 'utf8'), 'File content');
    const opened = await store.open(stored);
    assert.ok(opened);
    assert.equal(opened.size, 12);
    assert.equal(await readAll(opened.stream), 'File content');
  });

  test('a stream is stored as it comes; an empty one is a 0-byte file', async () => {
    const stored = await store.put(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), { now });
    assert.equal(stored.size, 4);
    assert.equal(stored.digest, sha256('abcd'));
    const empty = await store.put(Readable.from([]), { now });
    assert.equal(empty.size, 0);
    assert.equal(empty.digest, sha256(''));
  });

  test('more than maxBytes fails, leaves no file, and does not destroy the source', async () => {
    const before = await filesUnder(dataDir);
    const source = new PassThrough();
    const put = store.put(source, { now, maxBytes: 5 });
    source.write('1234');
    source.write('5678');
    await assert.rejects(put, FileTooLargeError);
    assert.equal(source.destroyed, false);
    assert.deepEqual(await filesUnder(dataDir), before);
    await assert.rejects(store.put(Buffer.alloc(6), { now, maxBytes: 5 }), FileTooLargeError);
    assert.deepEqual(await filesUnder(dataDir), before);
  });

  test('a source that fails midway leaves no file', async () => {
    const before = await filesUnder(dataDir);
    const source = new PassThrough();
    const put = store.put(source, { now });
    source.write('partial');
    source.destroy(new Error('connection reset'));
    await assert.rejects(put);
    assert.deepEqual(await filesUnder(dataDir), before);
  });

  test('addresses outside the shape it makes are neither opened nor deleted', async () => {
    const secret = join(dataDir, 'secret.txt');
    await writeFile(secret, 'do not serve');
    await mkdir(join(dataDir, 'files', 'other'), { recursive: true });
    await writeFile(join(dataDir, 'files', 'other', 'x'), 'other tenant');
    for (const ref of [
      { diskDirectory: '../..', diskFilename: 'secret.txt' },
      { diskDirectory: '', diskFilename: '../../secret.txt' },
      { diskDirectory: '../other', diskFilename: 'x' },
      { diskDirectory: '2026/03/../../..', diskFilename: 'secret.txt' },
      { diskDirectory: null, diskFilename: '..' },
      { diskDirectory: '2026/03', diskFilename: '' },
    ]) {
      assert.equal(await store.open(ref), undefined, JSON.stringify(ref));
      await store.delete(ref);
    }
    assert.equal(await readFile(secret, 'utf8'), 'do not serve');
    assert.equal(await readFile(join(dataDir, 'files', 'other', 'x'), 'utf8'), 'other tenant');
  });

  test('a missing file opens as undefined; deleting it twice is fine', async () => {
    const stored = await store.put(Buffer.from('bye'), { now });
    await store.delete(stored);
    await store.delete(stored);
    assert.equal(await store.open(stored), undefined);
    assert.equal(await store.open({ diskDirectory: '2026/03', diskFilename: '260305070809_0000000000000000' }), undefined);
  });

  test('an account that is no DNS label cannot name a file area', () => {
    assert.throws(() => tenantFileStore(dataDir, '../acme'));
    assert.throws(() => tenantFileStore(dataDir, ''));
  });
});
