/**
 * The tenants' application log files: one JSON line per record whatever its strings hold, one file per
 * tenant and UTC day, everything on disk after a flush, old days deleted by the retention.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, test } from 'node:test';
import { ApplicationLogWriter, applicationLogDir, applicationLogLine, daysBetween, pruneApplicationLogs, readApplicationLog } from './application-log.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'kanri-app-log-'));
after(() => rm(dataDir, { recursive: true, force: true }));

test('a line escapes every control character and line separator, and parses back to the same strings', () => {
  const login = "x\r\nFailed login for 'admin'\u0000\u001b[31m\u007f\u0085\u2028\u2029";
  const line = applicationLogLine({ login, n: 1 });
  assert.equal(line.indexOf('\n'), line.length - 1, 'one line');
  assert.doesNotMatch(line.slice(0, -1), /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  assert.deepEqual(JSON.parse(line), { login, n: 1 });
});

test('lines go to the file of their tenant and UTC day, and read back in day order', async () => {
  const errors: unknown[] = [];
  const writer = new ApplicationLogWriter(dataDir, (error) => errors.push(error));
  writer.append('acme', new Date('2026-11-25T23:59:59.999Z'), { msg: 'acme late' });
  writer.append('beta', new Date('2026-11-25T12:00:00Z'), { msg: 'beta' });
  writer.append('acme', new Date('2026-11-26T00:00:00Z'), { msg: 'acme next day 1' });
  writer.append('acme', new Date('2026-11-26T00:00:01Z'), { msg: 'acme next day 2' });
  await writer.flush('acme');
  assert.deepEqual((await readdir(applicationLogDir(dataDir, 'acme'))).sort(), ['2026-11-25.jsonl', '2026-11-26.jsonl']);
  assert.equal(await readFile(join(applicationLogDir(dataDir, 'acme'), '2026-11-26.jsonl'), 'utf8'), '{"msg":"acme next day 1"}\n{"msg":"acme next day 2"}\n');
  const read = await text(readApplicationLog(dataDir, 'acme', daysBetween('2026-11-24', '2026-11-26')));
  assert.deepEqual(
    read.trimEnd().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['acme late', 'acme next day 1', 'acme next day 2'],
  );
  // After a flush the next line opens the file again and appends.
  writer.append('acme', new Date('2026-11-26T01:00:00Z'), { msg: 'acme after flush' });
  await writer.close();
  assert.match(await readFile(join(applicationLogDir(dataDir, 'acme'), '2026-11-26.jsonl'), 'utf8'), /day 2"}\n\{"msg":"acme after flush"}\n$/);
  assert.equal(await readFile(join(applicationLogDir(dataDir, 'beta'), '2026-11-25.jsonl'), 'utf8'), '{"msg":"beta"}\n');
  assert.deepEqual(errors, []);
});

test('days between two dates include both ends and cross month ends', () => {
  assert.deepEqual(daysBetween('2026-02-27', '2026-03-01'), ['2026-02-27', '2026-02-28', '2026-03-01']);
  assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
});

test('the retention deletes day files older than 183 days and nothing else', async () => {
  const dir = applicationLogDir(dataDir, 'gamma');
  await mkdir(dir, { recursive: true });
  for (const name of ['2026-05-26.jsonl', '2026-05-27.jsonl', '2026-11-26.jsonl', 'notes.txt']) {
    await writeFile(join(dir, name), '{}\n');
  }
  // 2026-11-26 minus 183 days is 2026-05-27: that day is kept, the one before goes.
  assert.equal(await pruneApplicationLogs(dataDir, new Date('2026-11-26T08:00:00Z')), 1);
  assert.deepEqual((await readdir(dir)).sort(), ['2026-05-27.jsonl', '2026-11-26.jsonl', 'notes.txt']);
  assert.equal(await pruneApplicationLogs(join(dataDir, 'nowhere'), new Date()), 0);
});
