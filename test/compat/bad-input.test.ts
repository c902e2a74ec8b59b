/**
 * Bad input across the REST API: unparsable JSON and XML, bodies over the size limit, wrong types,
 * unknown ids, absurd paging — each answered with a 4xx (Redmine's error shape for 422) and nothing
 * written. Field-level validation of each resource is in its own file.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

const WRITES: readonly [method: 'POST' | 'PUT', path: string][] = [
  ['POST', '/projects.json'],
  ['PUT', '/projects/bad-input.json'],
  ['POST', '/issues.json'],
  ['POST', '/projects/bad-input/issues.json'],
  ['POST', '/projects/bad-input/versions.json'],
  ['POST', '/projects/bad-input/issue_categories.json'],
  ['POST', '/projects/bad-input/memberships.json'],
  ['POST', '/users.json'],
];

for (const { engine, skip } of await engineCases()) {
  describe(`bad input over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql } = acme;
    /** Rows of the tables a refused write could have touched. */
    const footprint = async () =>
      (
        await sql(
          `SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM issues) + (SELECT count(*) FROM versions)
                + (SELECT count(*) FROM issue_categories) + (SELECT count(*) FROM members) + (SELECT count(*) FROM users)
                + (SELECT count(*) FROM journals) AS n`,
        )
      )[0]?.n;

    before(async () => {
      await acme.projects([['Bad input', 'bad-input']]);
      const issue = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'bad-input', subject: 'Existing' } });
      assert.equal(issue.statusCode, 201, issue.body);
    });

    test('unparsable JSON and XML bodies are a 400 on every write, and nothing is written', async () => {
      const before = await footprint();
      for (const [method, path] of WRITES) {
        const json = await call(method, path, 'admin', '{"project": {"name": "x"', 'application/json');
        assert.equal(json.statusCode, 400, `${method} ${path} JSON`);
        const xml = await call(method, path.replace('.json', '.xml'), 'admin', '<project><name>x</name>', 'application/xml');
        assert.equal(xml.statusCode, 400, `${method} ${path} XML`);
      }
      // XML entities that would read files or expand without bound are not honoured.
      const entity = await call(
        'POST',
        '/issues.xml',
        'admin',
        '<?xml version="1.0"?><!DOCTYPE issue [<!ENTITY x SYSTEM "file:///etc/passwd">]><issue><project_id>bad-input</project_id><subject>&x;</subject></issue>',
        'application/xml',
      );
      assert.equal(entity.statusCode, 400, entity.body);
      assert.equal(await footprint(), before);
    });

    test('a body over the size limit is a 413 and writes nothing', async () => {
      const before = await footprint();
      const huge = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'bad-input', subject: 'Big', description: 'x'.repeat(2 * 1024 * 1024) } });
      assert.equal(huge.statusCode, 413);
      assert.equal(await footprint(), before);
    });

    test('wrong types are a 422 naming the field, unknown ids a 404', async () => {
      const before = await footprint();
      const wrong = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'bad-input', subject: 'Typed', tracker_id: { nested: true }, done_ratio: 'lots', start_date: 12 } });
      assert.equal(wrong.statusCode, 422, wrong.body);
      assert.ok(wrong.json<{ errors: string[] }>().errors.includes('Tracker is invalid'));
      assert.equal(await footprint(), before);
      for (const path of ['/issues/999999.json', '/projects/999999.json', '/versions/999999.json', '/issue_categories/999999.json', '/users/999999.json', '/attachments/999999.json', '/relations/999999.json']) {
        assert.equal((await call('GET', path, 'admin')).statusCode, 404, path);
      }
      for (const path of ["/issues/1'--.json", '/issues/-1.json', '/projects/%3Cscript%3E.json']) {
        assert.equal((await call('GET', path, 'admin')).statusCode, 404, path);
      }
    });

    test('paging: negative offsets count from 0, huge ones give an empty page, limit is capped at 100', async () => {
      const negative = (await call('GET', '/issues.json?offset=-5&limit=-3', 'admin')).json<{ offset: number; limit: number; issues: unknown[] }>();
      assert.equal(negative.offset, 0);
      assert.ok(negative.limit > 0);
      const huge = await call('GET', '/issues.json?offset=99999999999999999999', 'admin');
      assert.equal(huge.statusCode, 200, huge.body);
      assert.deepEqual(huge.json<{ issues: unknown[] }>().issues, []);
      const capped = (await call('GET', '/issues.json?limit=100000', 'admin')).json<{ limit: number }>();
      assert.equal(capped.limit, 100);
      const words = await call('GET', '/issues.json?offset=abc&limit=xyz&page=-2', 'admin');
      assert.equal(words.statusCode, 200, words.body);
    });
  });
}
