/**
 * The answer memo (src/api/answer-memo.ts) never answers stale: a GET asked again gets the same
 * bytes, and any commit (a change through the API, through SQL, a user locked, a role taken away)
 * makes the next GET compute afresh; and a repeat with nothing committed in between is answered from
 * the memo, for one statement (the data version).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Database } from '#src/db/database.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`answers remembered per snapshot (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id, withDb } = acme;
    let issueId = 0;

    before(async () => {
      await acme.users(['jsmith', 'rhill']);
      await acme.referenceIds();
      await acme.projects([['Secret', 'secret', false]]);
      await acme.members([['secret', 'jsmith', 'Developer'], ['secret', 'rhill', 'Reporter']]);
      const created = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: id('secret'), subject: 'First words' } });
      assert.equal(created.statusCode, 201, created.body);
      issueId = created.json<{ issue: { id: number } }>().issue.id;
    });

    const subjectSeenBy = async (login: string) => {
      const answer = await call('GET', `/issues/${issueId}.json`, login);
      return answer.statusCode === 200 ? answer.json<{ issue: { subject: string } }>().issue.subject : answer.statusCode;
    };

    test('a change through the API shows at once', async () => {
      assert.equal(await subjectSeenBy('jsmith'), 'First words');
      assert.equal(await subjectSeenBy('jsmith'), 'First words');
      const updated = await call('PUT', `/issues/${issueId}.json`, 'jsmith', { issue: { subject: 'Second words' } });
      assert.equal(updated.statusCode, 204, updated.body);
      assert.equal(await subjectSeenBy('jsmith'), 'Second words');
    });

    test('a change made in SQL shows at once, for every caller', async () => {
      assert.equal(await subjectSeenBy('rhill'), 'Second words');
      await sql('UPDATE issues SET subject = $2 WHERE id = $1', [issueId, 'Third words']);
      assert.equal(await subjectSeenBy('rhill'), 'Third words');
      assert.equal(await subjectSeenBy('jsmith'), 'Third words');
    });

    test('each caller has their own answers: a membership taken away ends access at once', async () => {
      assert.equal(await subjectSeenBy('rhill'), 'Third words');
      await sql('DELETE FROM member_roles WHERE member_id IN (SELECT id FROM members WHERE user_id = $1)', [id('rhill')]);
      await sql('DELETE FROM members WHERE user_id = $1', [id('rhill')]);
      assert.equal(await subjectSeenBy('rhill'), 403);
      assert.equal(await subjectSeenBy('jsmith'), 'Third words');
    });

    test('a locked user is refused at once', async () => {
      assert.equal(await subjectSeenBy('jsmith'), 'Third words');
      await acme.lock('jsmith');
      assert.equal(await subjectSeenBy('jsmith'), 401);
    });

    test('the list and its total_count follow a new issue', async () => {
      const total = async () => (await call('GET', '/issues.json?status_id=*', 'admin')).json<{ total_count: number }>().total_count;
      const before = await total();
      assert.equal(await total(), before);
      await sql('UPDATE users SET status = 1 WHERE login = $1', ['jsmith']);
      const created = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: id('secret'), subject: 'Another' } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(await total(), before + 1);
    });

    test('a repeated GET with nothing committed in between costs one statement', async () => {
      // With an API key, as clients mostly call: who a key is and the answer are both remembered.
      // (HTTP Basic with a password also reads the sign-in throttle, which is not versioned: a locked
      // account must be refused at once.)
      const key = (await call('GET', '/my/account.json', 'admin')).json<{ user: { api_key: string } }>().user.api_key;
      const statements = async (url: string) =>
        withDb(async (db: Database) => {
          const original = db.query.bind(db);
          let count = 0;
          (db as { query: Database['query'] }).query = (text, params) => {
            count += 1;
            return original(text, params);
          };
          try {
            const answer = await acme.server.app.inject({ method: 'GET', url, headers: { host: 'acme.localhost', 'x-redmine-api-key': key } });
            assert.equal(answer.statusCode, 200);
          } finally {
            (db as { query: Database['query'] }).query = original;
          }
          return count;
        });
      const url = `/issues/${issueId}.json?include=journals`;
      const first = await statements(url);
      const again = await statements(url);
      assert.ok(first > 1, `first: ${first} statements`);
      assert.equal(again, 1, 'the data version alone');
    });
  });
}
