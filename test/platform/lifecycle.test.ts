/**
 * The server as an operator runs it: first start on an empty data directory, restart on the same
 * one (data kept), two processes started together on the same databases, SIGTERM.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestEnvironment, engineCases } from '../support/engines.ts';
import { kanri } from '../support/cli.ts';
import { httpRequest, killServers, signInOverHttp, startServer, waitFor } from '../support/server-process.ts';

const cases = await engineCases();

describe('embedded first run and restart', () => {
  test('an empty data directory gets the demo tenant, served on localhost too, and keeps it', async () => {
    const env = await createTestEnvironment('pglite');
    try {
      const first = await startServer(env.env);
      // The lines after "Kanri is running" are separate writes: wait for the password line itself.
      await waitFor(first, (out) => out.includes('Write it down'), 10_000);
      const printed = /login "admin", one-time password (\S+)/.exec(first.output());
      assert.ok(printed?.[1], first.output());
      const password = printed[1];
      assert.match(first.output(), /http:\/\/demo\.localhost:\d+\//);
      // A host that names no tenant is served by the default tenant.
      const home = await httpRequest(first.port, `localhost:${first.port}`, '/');
      assert.equal(home.status, 302);
      assert.equal(home.headers.location, '/login?back_url=%2F');
      assert.ok(await signInOverHttp(first.port, `demo.localhost:${first.port}`, 'admin', password));
      const unknown = await httpRequest(first.port, 'nobody.localhost', '/');
      assert.equal(unknown.status, 404);
      assert.doesNotMatch(unknown.body, /nobody/);
      assert.equal(await first.stop('SIGTERM'), 0, first.output());
      assert.match(first.output(), /"msg":"stopped"/);

      const second = await startServer(env.env);
      assert.doesNotMatch(second.output(), /one-time password/);
      assert.ok(await signInOverHttp(second.port, `demo.localhost:${second.port}`, 'admin', password), 'data kept');
      assert.equal(await second.stop(), 0);
    } finally {
      await killServers();
      await env.cleanup();
    }
  });

  test('a second process on the same data directory stops with a clear message', async () => {
    const env = await createTestEnvironment('pglite');
    try {
      const first = await startServer(env.env);
      const second = await kanri(env.env, ['tenant', 'list']);
      assert.equal(second.code, 1);
      assert.match(second.err, /^kanri: data directory .* is in use by another Kanri process \(pid \d+\)/);
      assert.equal(second.err.split('\n').length, 1);
      const still = await httpRequest(first.port, 'demo.localhost', '/healthz');
      assert.equal(still.status, 200);
      await first.stop();
    } finally {
      await killServers();
      await env.cleanup();
    }
  });
});

const postgres = cases.find((c) => c.engine === 'postgres');
describe('PostgreSQL: two processes started together', { skip: postgres?.skip }, () => {
  test('both serve, the control plane is migrated once, tenants made by either are seen by both', async () => {
    const env = await createTestEnvironment('postgres');
    try {
      const [a, b] = await Promise.all([startServer(env.env), startServer(env.env)]);
      const migratedBy = [a, b].filter((p) => /"msg":"control plane migrated"/.test(p.output()));
      assert.equal(migratedBy.length, 1, a.output() + b.output());
      assert.doesNotMatch(a.output() + b.output(), /one-time password/, 'no demo tenant in PostgreSQL mode');
      // A hosted deployment has no default tenant: a host naming none is a 404.
      assert.equal((await httpRequest(a.port, `localhost:${a.port}`, '/')).status, 404);

      const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test', '--admin-password-file', '-'], 'acme-password\n');
      assert.equal(created.code, 0, created.err);
      for (const p of [a, b]) {
        assert.ok(await signInOverHttp(p.port, 'acme.localhost', 'admin', 'acme-password'));
      }
      const ready = await httpRequest(b.port, 'acme.localhost', '/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(JSON.parse(ready.body), { status: 'ready', checks: { platform: 'ok', 'server:main': 'ok' } });

      assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0]);
    } finally {
      await killServers();
      await env.cleanup();
    }
  });
});
