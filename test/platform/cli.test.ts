/** The operator's CLI: every tenant command, and clear one-line failures that leave nothing behind. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { kanri } from '../support/cli.ts';
import { createTestEnvironment, engineCases, TEST_SERVER_URL, type TestEnvironment } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`kanri tenant (${engine})`, { skip }, () => {
    let env: TestEnvironment;

    before(async () => {
      env = await createTestEnvironment(engine);
    });
    after(async () => {
      await env?.cleanup();
    });

    test('bad account names are refused with the reason, and nothing is made', async () => {
      for (const [name, reason] of [
        ['ab', /must be 3 to 40 characters/],
        ['Bad_Name', /lower-case letters, digits and hyphens/],
        ['acme-', /may not start or end with a hyphen/],
        ['www', /is reserved/],
      ] as const) {
        const result = await kanri(env.env, ['tenant', 'create', name, '--admin-email', 'a@b.test']);
        assert.equal(result.code, 1, name);
        assert.match(result.err, reason);
        assert.equal(result.err.split('\n').length, 1, 'one line, no stack trace');
      }
      assert.equal((await kanri(env.env, ['tenant', 'list'])).out, '');
    });

    test('usage errors exit 2 with the usage', async () => {
      const missingEmail = await kanri(env.env, ['tenant', 'create', 'acme']);
      assert.equal(missingEmail.code, 2);
      assert.match(missingEmail.err, /needs --admin-email/);
      assert.equal((await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@b.test', '--lang', 'fr'])).code, 2);
      assert.equal((await kanri(env.env, ['frobnicate'])).code, 2);
      const unknownOption = await kanri(env.env, ['tenant', 'list', '--colour']);
      assert.equal(unknownOption.code, 2);
      assert.match(unknownOption.err, /^kanri: Unknown option '--colour'/);
      assert.equal((await kanri(env.env, ['tenant', 'delete', 'acme'])).code, 2, 'delete needs --yes');
    });

    test('a creation that fails half-way leaves no tenant, database or folder behind', async () => {
      const result = await kanri(env.env, ['tenant', 'create', 'halfway', '--admin-email', 'not-an-address']);
      assert.equal(result.code, 1);
      assert.match(result.err, /Email is invalid/);
      assert.equal((await kanri(env.env, ['tenant', 'list'])).out, '');
      if (engine === 'pglite') {
        const tenantsDir = join(env.dataDir, 'tenants');
        assert.deepEqual(existsSync(tenantsDir) ? await readdir(tenantsDir) : [], []);
      } else {
        const client = new pg.Client({ connectionString: TEST_SERVER_URL });
        await client.connect();
        const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname ~ $1', [`^${env.prefix}_t[0-9]+$`]);
        await client.end();
        assert.deepEqual(rows, []);
      }
    });

    test('create, list, show, set, suspend, resume, delete', async () => {
      const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test', '--name', 'ACME Corp', '--lang', 'ja', '--admin-login', 'boss', '--rest-api']);
      assert.equal(created.code, 0, created.err);
      assert.match(created.out, /Created tenant acme \(ja\) at http:\/\/acme\.localhost:3000\//);
      assert.match(created.out, /Administrator login: boss/);
      assert.match(created.out, /One-time password:\s+\S{20}/);

      const again = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'x@acme.test']);
      assert.equal(again.code, 1);
      assert.match(again.err, /account "acme" is already taken/);

      const shown = JSON.parse((await kanri(env.env, ['tenant', 'show', 'acme', '--json'])).out) as Record<string, string> & {
        placement: { engine: string };
      };
      assert.equal(shown.name, 'ACME Corp');
      assert.equal(shown.status, 'active');
      assert.equal(shown.language, 'ja');
      assert.equal(shown.placement.engine, engine);
      assert.match(String(shown.schema_version), /^\d{14}$/);

      const set = await kanri(env.env, ['tenant', 'set', 'acme', 'app_title=ACME Tracker', 'login_required=0']);
      assert.equal(set.code, 0, set.err);
      const badValue = await kanri(env.env, ['tenant', 'set', 'acme', 'login_required=maybe']);
      assert.equal(badValue.code, 1);
      assert.match(badValue.err, /Setting login_required must be 0 or 1/);
      const unknown = await kanri(env.env, ['tenant', 'set', 'acme', 'no_such_setting=1']);
      assert.match(unknown.err, /Setting no_such_setting is unknown/);

      assert.match((await kanri(env.env, ['tenant', 'suspend', 'acme'])).out, /acme is suspended/);
      assert.match((await kanri(env.env, ['tenant', 'suspend', 'acme'])).err, /is suspended, not active/);
      assert.match((await kanri(env.env, ['tenant', 'resume', 'acme'])).out, /acme is active/);

      const listed = JSON.parse((await kanri(env.env, ['tenant', 'list', '--json'])).out) as { account: string }[];
      assert.deepEqual(listed.map((t) => t.account), ['acme']);

      assert.equal((await kanri(env.env, ['tenant', 'delete', 'acme', '--yes'])).code, 0);
      assert.match((await kanri(env.env, ['tenant', 'show', 'acme'])).err, /no tenant "acme"/);
      // The name is free again.
      assert.equal((await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test'])).code, 0);
    });

    test('kanri migrate reports every tenant up to date', async () => {
      const result = await kanri(env.env, ['migrate']);
      assert.equal(result.code, 0, result.err);
      assert.match(result.out, /Migrations done: 0 tenant\(s\) upgraded, 0 failed/);
    });
  });
}

describe('kanri failures outside the data', () => {
  test('PostgreSQL unreachable: one line, exit 1', async () => {
    const result = await kanri({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/kanri', LOG_LEVEL: 'silent' }, ['tenant', 'list']);
    assert.equal(result.code, 1);
    assert.match(result.err, /^kanri: cannot use PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    assert.equal(result.err.split('\n').length, 1);
  });

  test('a data folder that cannot be made: one line, exit 1', async () => {
    const env = await createTestEnvironment('pglite');
    try {
      const file = join(env.dataDir, 'a-file');
      await writeFile(file, 'not a folder');
      const result = await kanri({ ...env.env, KANRI_DATA_DIR: join(file, 'data') }, ['tenant', 'list']);
      assert.equal(result.code, 1);
      assert.match(result.err, /^kanri: data directory .*a-file\/data cannot be created: ENOTDIR$/);
    } finally {
      await env.cleanup();
    }
  });

  test('a bad configuration value: one line, exit 1', async () => {
    const result = await kanri({ PORT: 'x' }, ['tenant', 'list']);
    assert.equal(result.code, 1);
    assert.match(result.err, /^kanri: configuration: PORT /);
  });
});
