/**
 * Credentials never reach the log through a URL: a request line of the real app (Fastify's "incoming
 * request") shows `?key=` and a mailed link's `?token=` as [FILTERED] and keeps the other parameters.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createLogger, filteredUrl } from './logger.ts';

test('filteredUrl masks credential parameters only', () => {
  assert.equal(filteredUrl('/issues.json?key=0123abcd&limit=5'), '/issues.json?key=[FILTERED]&limit=5');
  assert.equal(filteredUrl('/account/lost_password?token=s3cr3t'), '/account/lost_password?token=[FILTERED]');
  assert.equal(filteredUrl('/x?KEY=a&%6Bey=b&keys=c'), '/x?KEY=[FILTERED]&%6Bey=[FILTERED]&keys=c');
  assert.equal(filteredUrl('/plain'), '/plain');
});

test("the request log line carries the filtered URL", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ loggerInstance: createLogger('info', sink) });
  app.get('/issues.json', async () => ({}));
  await app.inject({ url: '/issues.json?key=0123456789abcdef0123456789abcdef01234567&limit=2' });
  await app.close();
  const text = lines.join('');
  assert.match(text, /"url":"\/issues\.json\?key=\[FILTERED\]&limit=2"/);
  assert.doesNotMatch(text, /0123456789abcdef/);
});
