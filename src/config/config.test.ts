import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: port 3000, base domain localhost, embedded data in ./data, no default tenant or secret', () => {
  const config = loadConfig({}, '/srv/kanri');
  assert.equal(config.port, 3000);
  assert.equal(config.baseDomain, 'localhost');
  assert.equal(config.dataDir, '/srv/kanri/data');
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.tenantServers, []);
  assert.equal(config.defaultTenant, undefined);
  assert.equal(config.secret, undefined);
});

test('PostgreSQL mode places tenants on the named servers, or on the main one', () => {
  const single = loadConfig({ DATABASE_URL: 'postgres://db1/kanri' });
  assert.deepEqual(single.tenantServers, [{ name: 'main', url: 'postgres://db1/kanri' }]);
  const many = loadConfig({
    DATABASE_URL: 'postgres://db1/kanri',
    TENANT_DATABASE_SERVERS: 'a=postgres://db2/x, b=postgresql://db3/y',
  });
  assert.deepEqual(many.tenantServers.map((s) => s.name), ['a', 'b']);
});

test('bad values are one clear ConfigError', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ KANRI_SECRET: 'short' }, /KANRI_SECRET must be at least 32/],
    [{ DEFAULT_TENANT: 'No Such' }, /DEFAULT_TENANT must be an account name/],
    [{ TRUSTED_PROXIES: '10.0.0.0/99' }, /TRUSTED_PROXIES "10.0.0.0\/99" has an invalid prefix/],
    [{ TENANT_DATABASE_SERVERS: 'a=postgres://x' }, /needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://x/k', TENANT_DATABASE_SERVERS: 'oops' }, /not name=postgres/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
  }
});

test('a config file supplies values the environment does not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kanri-config-'));
  try {
    await writeFile(join(dir, 'kanri.config.json'), JSON.stringify({ PORT: 4000, BASE_DOMAIN: 'kanri.test' }));
    const config = loadConfig({ PORT: '5000' }, dir);
    assert.equal(config.port, 5000);
    assert.equal(config.baseDomain, 'kanri.test');
    await writeFile(join(dir, 'broken.json'), '{');
    assert.throws(() => loadConfig({ KANRI_CONFIG: 'broken.json' }, dir), /not valid JSON/);
    assert.throws(() => loadConfig({ KANRI_CONFIG: 'missing.json' }, dir), /does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
