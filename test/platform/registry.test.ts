/** The control plane's registry: placement across servers, and an event log nobody can rewrite. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '#src/config/config.ts';
import { openPlatform } from '#src/platform/platform.ts';
import { listEvents } from '#src/platform/tenant.repository.ts';
import { createTenant, deleteTenant, getTenant, suspendTenant } from '#src/platform/tenant.service.ts';
import { createTestEnvironment, engineCases, TEST_SERVER_URL } from '../support/engines.ts';

const cases = await engineCases();

describe('placement across PostgreSQL servers', { skip: cases.find((c) => c.engine === 'postgres')?.skip }, () => {
  test('a new tenant goes to the server that holds the fewest', async () => {
    const env = await createTestEnvironment('postgres');
    // Two names for the one server here: placement only looks at the registry's counts.
    env.env.TENANT_DATABASE_SERVERS = `east=${TEST_SERVER_URL},west=${TEST_SERVER_URL}`;
    const platform = await openPlatform(loadConfig(env.env));
    try {
      const servers: string[] = [];
      for (const account of ['one', 'two', 'three', 'four']) {
        const { tenant } = await createTenant(platform, { account, language: 'en', adminEmail: `a@${account}.test`, adminPassword: 'password-1', actor: 'test' });
        assert.equal(tenant.placement.engine, 'postgres');
        servers.push(tenant.placement.engine === 'postgres' ? tenant.placement.serverName : '');
      }
      assert.deepEqual([...servers].sort(), ['east', 'east', 'west', 'west']);
    } finally {
      await platform.close();
      await env.cleanup();
    }
  });
});

for (const { engine, skip } of cases) {
  describe(`platform event log (${engine})`, { skip }, () => {
    test('records what operators did, and refuses to be changed', async () => {
      const env = await createTestEnvironment(engine);
      const platform = await openPlatform(loadConfig(env.env));
      try {
        await createTenant(platform, { account: 'acme', language: 'en', adminEmail: 'a@acme.test', adminPassword: 'password-1', actor: 'operator-jo' });
        const tenant = await getTenant(platform, 'acme');
        await suspendTenant(platform, 'acme', 'operator-jo');
        await deleteTenant(platform, 'acme', 'operator-kim');
        const events = await listEvents(platform.db.orm, tenant.id);
        assert.deepEqual(
          events.map((e) => [e.kind, e.actor, e.account]),
          [
            ['tenant.created', 'operator-jo', 'acme'],
            ['tenant.suspended', 'operator-jo', 'acme'],
            ['tenant.deleted', 'operator-kim', 'acme'],
          ],
        );
        await assert.rejects(platform.db.query("UPDATE platform_events SET actor = 'nobody'"), /append-only/);
        await assert.rejects(platform.db.query('DELETE FROM platform_events'), /append-only/);
      } finally {
        await platform.close();
        await env.cleanup();
      }
    });
  });
}
