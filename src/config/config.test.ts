import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

test('the IP address filter: support addresses and the private-range flag', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.ipFilterAllowPrivate, false);
  assert.deepEqual(defaults.supportAddresses.entries, []);
  const set = loadConfig({ KANRI_SUPPORT_IPS: '192.0.2.50, 2001:db8:ffff::/48', KANRI_IP_FILTER_ALLOW_PRIVATE: '1' });
  assert.equal(set.ipFilterAllowPrivate, true);
  assert.equal(set.supportAddresses.matches('2001:db8:ffff::9'), true);
  assert.equal(set.supportAddresses.matches('::ffff:192.0.2.50'), true);
  assert.throws(() => loadConfig({ KANRI_SUPPORT_IPS: '192.0.2.500' }), /KANRI_SUPPORT_IPS "192\.0\.2\.500" is not an IP address/);
  assert.throws(() => loadConfig({ KANRI_IP_FILTER_ALLOW_PRIVATE: 'yes' }), /KANRI_IP_FILTER_ALLOW_PRIVATE must be 0 or 1/);
});

test('OpenID Connect providers at private addresses only with KANRI_OIDC_ALLOW_PRIVATE=1', () => {
  assert.equal(loadConfig({}).oidcAllowPrivate, false);
  assert.equal(loadConfig({ KANRI_OIDC_ALLOW_PRIVATE: '1' }).oidcAllowPrivate, true);
  assert.throws(() => loadConfig({ KANRI_OIDC_ALLOW_PRIVATE: 'true' }), /KANRI_OIDC_ALLOW_PRIVATE must be 0 or 1/);
});

test('TLS: both files or neither, readable, a PEM certificate with its own key; the redirect port needs them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kanri-config-tls-'));
  try {
    const pair = (name: string) =>
      spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=acme.localhost', '-days', '1', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)]);
    if (pair('a').error) {
      t.skip('openssl is not installed');
      return;
    }
    assert.equal(pair('b').status, 0);
    await writeFile(join(dir, 'junk.pem'), 'not a certificate');
    const tls = { TLS_CERT_FILE: 'a.crt', TLS_KEY_FILE: 'a.key' };
    const config = loadConfig({ ...tls, HTTP_REDIRECT_PORT: '8080' }, dir);
    assert.equal(config.tls?.certFile, join(dir, 'a.crt'));
    assert.match(config.tls?.cert.toString() ?? '', /BEGIN CERTIFICATE/);
    assert.equal(config.httpRedirectPort, 8080);
    assert.equal(config.forceHttps, true, 'implied by the process ending TLS itself');
    assert.equal(loadConfig({}, dir).tls, undefined);
    assert.equal(loadConfig({}, dir).forceHttps, false, 'off by default');
    assert.equal(loadConfig({ KANRI_FORCE_HTTPS: '1' }, dir).forceHttps, true);
    const cases: [Record<string, string>, RegExp][] = [
      [{ TLS_CERT_FILE: 'a.crt' }, /TLS_CERT_FILE needs TLS_KEY_FILE \(both or neither\)/],
      [{ TLS_KEY_FILE: 'a.key' }, /TLS_KEY_FILE needs TLS_CERT_FILE/],
      [{ TLS_CERT_FILE: 'missing.crt', TLS_KEY_FILE: 'a.key' }, /TLS_CERT_FILE .*missing\.crt cannot be read \(ENOENT\)/],
      [{ TLS_CERT_FILE: 'a.crt', TLS_KEY_FILE: '.' }, /TLS_KEY_FILE .* cannot be read \(EISDIR\)/],
      [{ TLS_CERT_FILE: 'junk.pem', TLS_KEY_FILE: 'a.key' }, /are not a PEM certificate and its private key/],
      [{ TLS_CERT_FILE: 'a.crt', TLS_KEY_FILE: 'b.key' }, /are not a PEM certificate and its private key/],
      [{ HTTP_REDIRECT_PORT: '8080' }, /HTTP_REDIRECT_PORT needs TLS_CERT_FILE and TLS_KEY_FILE/],
      [{ ...tls, HTTP_REDIRECT_PORT: '3000' }, /HTTP_REDIRECT_PORT must differ from PORT/],
      [{ ...tls, HTTP_REDIRECT_PORT: 'eighty' }, /HTTP_REDIRECT_PORT/],
      [{ KANRI_FORCE_HTTPS: 'yes' }, /KANRI_FORCE_HTTPS must be 0 or 1/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => loadConfig(env, dir), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('throttles: security.md §6 by default (5 per 15 min, 15 min doubling to 24 h; 50 per address), each variable overrides', () => {
  const min = 60_000;
  const { throttle } = loadConfig({});
  assert.deepEqual(throttle.account, { maxFailures: 5, windowMs: 15 * min, lockMs: 15 * min, maxLockMs: 24 * 60 * min });
  assert.deepEqual(throttle.address, { maxFailures: 50, windowMs: 15 * min, lockMs: 15 * min, maxLockMs: 15 * min });
  assert.equal(throttle.apiKey.maxFailures, 10);
  assert.equal(throttle.apiAddress.maxFailures, 50);
  const tuned = loadConfig({
    KANRI_THROTTLE_ACCOUNT_FAILURES: '3',
    KANRI_THROTTLE_ACCOUNT_WINDOW_MINUTES: '10',
    KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES: '5',
    KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES: '60',
    KANRI_THROTTLE_IP_FAILURES: '20',
    KANRI_THROTTLE_IP_WINDOW_MINUTES: '30',
    KANRI_THROTTLE_IP_BLOCK_MINUTES: '60',
    KANRI_THROTTLE_API_KEY_FAILURES: '4',
    KANRI_THROTTLE_API_IP_FAILURES: '8',
  }).throttle;
  assert.deepEqual(tuned.account, { maxFailures: 3, windowMs: 10 * min, lockMs: 5 * min, maxLockMs: 60 * min });
  assert.deepEqual(tuned.address, { maxFailures: 20, windowMs: 30 * min, lockMs: 60 * min, maxLockMs: 60 * min });
  assert.deepEqual(tuned.apiKey, { maxFailures: 4, windowMs: 30 * min, lockMs: 60 * min, maxLockMs: 60 * min });
  assert.equal(tuned.apiAddress.maxFailures, 8);
  assert.throws(() => loadConfig({ KANRI_THROTTLE_ACCOUNT_FAILURES: '0' }), /KANRI_THROTTLE_ACCOUNT_FAILURES/);
  assert.throws(() => loadConfig({ KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES: '10' }), /at least KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES/);
});
