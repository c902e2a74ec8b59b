import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { checkedAddress, outboundFetch, OutboundRefusedError } from './oidc.fetch.ts';

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OutboundRefusedError, String(error));
    return error.reason;
  }
  return 'allowed';
};
const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

test('https only, and every address the name resolves to must be public (the IP filter\'s classification)', async () => {
  const strict = { allowPrivate: false };
  assert.equal(await refusal(checkedAddress(new URL('http://idp.example.com'), { ...strict, resolve: resolvingTo('93.184.216.34') })), 'not_https');
  assert.deepEqual(await checkedAddress(new URL('https://idp.example.com'), { ...strict, resolve: resolvingTo('93.184.216.34') }), { address: '93.184.216.34', family: 4 });
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::5', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
    assert.equal(await refusal(checkedAddress(new URL('https://idp.example.com'), { ...strict, resolve: resolvingTo(address) })), 'non_public_address', address);
  }
  // One private address among public ones is enough to refuse (a resolver may hand out any of them).
  assert.equal(await refusal(checkedAddress(new URL('https://idp.example.com'), { ...strict, resolve: resolvingTo('93.184.216.34', '10.0.0.1') })), 'non_public_address');
  assert.equal(await refusal(checkedAddress(new URL('https://127.0.0.1:8443'), strict)), 'non_public_address');
  assert.equal(await refusal(checkedAddress(new URL('https://[::1]/'), strict)), 'non_public_address');
  assert.equal(await refusal(checkedAddress(new URL('https://localhost/'), strict)), 'non_public_address', 'the system resolver is used by default');
  const failing = async () => {
    throw new Error('ENOTFOUND');
  };
  assert.equal(await refusal(checkedAddress(new URL('https://idp.example.com'), { ...strict, resolve: failing })), 'unresolvable');
  assert.equal(await refusal(checkedAddress(new URL('https://idp.example.com'), { ...strict, resolve: resolvingTo() })), 'unresolvable');
  // KANRI_OIDC_ALLOW_PRIVATE=1: http and private addresses.
  assert.deepEqual(await checkedAddress(new URL('http://10.0.0.1:8080'), { allowPrivate: true }), { address: '10.0.0.1', family: 4 });
});

const seen: IncomingMessage[] = [];
const server = createServer((request, response) => {
  seen.push(request);
  if (request.url === '/moved') {
    response.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: request.url, host: request.headers.host, body })));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the connection goes to the address that was checked, whatever the name resolves to later; redirects are not followed', async () => {
  // `idp.invalid` resolves nowhere: the answer can only come from the pinned address.
  const fetchPinned = outboundFetch({ allowPrivate: true, resolve: resolvingTo('127.0.0.1') });
  const answer = await fetchPinned(`http://idp.invalid:${port}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code' }), headers: { accept: 'application/json' } });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { path: '/token', host: `idp.invalid:${port}`, body: 'grant_type=authorization_code' });
  assert.equal(seen.at(-1)?.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');

  const before = seen.length;
  const moved = await fetchPinned(`http://idp.invalid:${port}/moved`);
  assert.equal(moved.status, 302);
  assert.equal(seen.length, before + 1, 'the redirect target was not requested');

  const strict = outboundFetch({ allowPrivate: false });
  assert.equal(await refusal(strict(`http://127.0.0.1:${port}/token`)), 'not_https');
  assert.equal(await refusal(strict(`https://127.0.0.1:${port}/token`)), 'non_public_address');
  assert.equal(seen.length, before + 1, 'nothing reached the private address');
});
