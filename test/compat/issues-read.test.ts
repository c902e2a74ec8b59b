/** Reading issues over the REST API (§6.1.1, §6.1.2): shape, visibility per role, filters, sort, paging. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`reading issues over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, ids, id, withDb } = acme;
    const auth = (login: string) => ({ authorization: 'Basic ' + Buffer.from(`${login}:${login}-password`).toString('base64') });
    const get = (url: string, as?: string) => acme.server.app.inject({ method: 'GET', url, headers: { host: 'acme.localhost', ...(as ? auth(as) : {}) } });
    const list = async (url: string, as?: string) => {
      const answer = await get(url, as);
      assert.equal(answer.statusCode, 200, `${url}: ${answer.body}`);
      return answer.json<{ issues: Json[]; total_count: number; offset: number; limit: number }>();
    };
    const subjects = async (url: string, as?: string) => (await list(url, as)).issues.map((i) => i.subject);
    const one = async (text: string, params: unknown[] = []) => Number((await sql(text, params))[0]?.id);

    before(async () => {
      await acme.users(['dev', 'reporter', 'stranger']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['pub', 'pub'], ['sub', 'sub', undefined, 'pub'], ['priv', 'priv', false]]);
      await acme.members([
        ['priv', 'dev', 'Developer'],
        ['priv', 'reporter', 'Reporter'],
      ]);
      await sql("UPDATE roles SET issues_visibility = 'own' WHERE name = 'Reporter'");
      const issue = async (subject: string, projectId: number, extra: { author?: string; assignee?: string; closed?: boolean; private?: boolean; created?: string } = {}) =>
        one(
          `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, assigned_to_id, is_private, created_on, updated_on, done_ratio, estimated_hours)
           VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses WHERE is_closed = $2 ORDER BY position LIMIT 1),
                   (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), $3, $4, $5, $6, $7, $7, 0, 2) RETURNING id`,
          [projectId, extra.closed ?? false, subject, ids[extra.author ?? 'admin'], extra.assignee ? ids[extra.assignee] : null, extra.private ?? false, extra.created ?? '2026-11-01 10:00:00'],
        );
      ids.i1 = await issue('public open', id('pub'), { created: '2026-10-01 08:00:00' });
      ids.i2 = await issue('public closed', id('pub'), { closed: true });
      ids.i3 = await issue('in subproject', id('sub'), { assignee: 'dev' });
      ids.i4 = await issue('private project issue', id('priv'));
      ids.i5 = await issue('private issue by admin', id('priv'), { private: true });
      ids.i6 = await issue('private issue by reporter', id('priv'), { private: true, author: 'reporter' });
      ids.i7 = await issue('private issue assigned to dev', id('priv'), { private: true, assignee: 'dev' });
    });

    test('list: envelope, field order, newest first, open by default', async () => {
      const all = await list('/issues.json', 'admin');
      assert.deepEqual([all.total_count, all.offset, all.limit], [6, 0, 25]);
      assert.deepEqual(all.issues.map((i) => i.id), [ids.i7, ids.i6, ids.i5, ids.i4, ids.i3, ids.i1]);
      const first = all.issues.find((i) => i.id === ids.i3) ?? {};
      assert.deepEqual(Object.keys(first), [
        'id', 'project', 'tracker', 'status', 'priority', 'author', 'assigned_to', 'subject', 'description', 'start_date', 'due_date',
        'done_ratio', 'is_private', 'estimated_hours', 'total_estimated_hours', 'spent_hours', 'total_spent_hours', 'created_on', 'updated_on', 'closed_on',
      ]);
      assert.deepEqual(first.project, { id: ids.sub, name: 'sub' });
      assert.deepEqual(first.assigned_to, { id: ids.dev, name: 'dev User' });
      assert.deepEqual(first.status, { id: (first.status as Json).id, name: 'New', is_closed: false });
      assert.deepEqual(first.author, { id: ids.admin, name: 'Redmine Admin' });
      assert.equal(first.created_on, '2026-11-01T10:00:00Z');
      assert.match((await get('/issues.json?limit=1', 'admin')).body, /"estimated_hours":2\.0,"total_estimated_hours":2\.0/);
    });

    test('visibility follows roles: own, default, non-member, anonymous', async () => {
      assert.deepEqual(await subjects('/issues.json', 'dev'), ['private issue assigned to dev', 'private project issue', 'in subproject', 'public open']);
      assert.deepEqual(await subjects('/issues.json?project_id=priv', 'reporter'), ['private issue by reporter']);
      assert.deepEqual(await subjects('/issues.json', 'stranger'), ['in subproject', 'public open']);
      assert.deepEqual(await subjects('/issues.json'), ['in subproject', 'public open']);
      assert.equal((await get(`/issues/${ids.i5}.json`, 'dev')).statusCode, 403);
      assert.equal((await get(`/issues/${ids.i4}.json`)).statusCode, 401);
      assert.equal((await get(`/issues/${ids.i7}.json`, 'dev')).statusCode, 200);
      assert.equal((await get('/issues/999999.json', 'dev')).statusCode, 404);
      assert.equal((await get('/issues.json?project_id=priv', 'stranger')).statusCode, 404);
    });

    test('filters: status, project with subprojects, assignee, dates, subject; bad values are 422', async () => {
      assert.deepEqual(await subjects('/issues.json?status_id=closed', 'admin'), ['public closed']);
      assert.equal((await list('/issues.json?status_id=*', 'admin')).total_count, 7);
      assert.deepEqual(await subjects('/projects/pub/issues.json', 'admin'), ['in subproject', 'public open']);
      assert.deepEqual(await subjects('/issues.json?assigned_to_id=me', 'dev'), ['private issue assigned to dev', 'in subproject']);
      assert.deepEqual(await subjects('/issues.json?assigned_to_id=!*&project_id=pub', 'admin'), ['public open']);
      assert.deepEqual(await subjects('/issues.json?created_on=%3C%3D2026-10-01', 'admin'), ['public open']);
      assert.deepEqual(await subjects('/issues.json?created_on=%3E%3C2026-10-01|2026-10-02', 'admin'), ['public open']);
      assert.deepEqual(await subjects('/issues.json?subject=~SUBPROJ', 'admin'), ['in subproject']);
      assert.deepEqual(await subjects("/issues.json?subject=~'%20OR%201=1--", 'admin'), []);
      const bad = await get('/issues.json?created_on=%3E%3Dyesterday&status_id=abc', 'admin');
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json<{ errors: string[] }>().errors, ['Status is invalid', 'Created is invalid']);
    });

    test('sort and paging', async () => {
      const sorted = await list('/issues.json?sort=subject&limit=2&offset=1', 'admin');
      assert.deepEqual(sorted.issues.map((i) => i.subject), ['private issue assigned to dev', 'private issue by admin']);
      assert.deepEqual([sorted.total_count, sorted.offset, sorted.limit], [6, 1, 2]);
      assert.equal((await list('/issues.json?sort=id&offset=-5', 'admin')).offset, 0);
      const xml = (await get('/issues.xml?limit=1', 'admin')).body;
      assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><issues type="array" total_count="6" offset="0" limit="1"><issue><id>\d+<\/id><project id="\d+" name="priv"\/>/);
    });

    test('list and show agree for every user and issue', async () => {
      for (const who of ['admin', 'dev', 'reporter', 'stranger', undefined]) {
        const listed = new Set((await list('/issues.json?status_id=*&limit=100', who)).issues.map((i) => i.id));
        for (const key of ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7']) {
          const shown = (await get(`/issues/${ids[key]}.json`, who)).statusCode === 200;
          assert.equal(shown, listed.has(ids[key]), `${who ?? 'anonymous'} / ${key}`);
        }
      }
    });

    test('a page of issues costs the same number of database round trips whatever its size', { skip: engine !== 'postgres' && 'counted on the pg pool' }, async () => {
      for (let n = 0; n < 30; n++) {
        await sql(`INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, created_on, updated_on)
                   SELECT $1, min(t.id), (SELECT min(id) FROM issue_statuses), (SELECT min(id) FROM enumerations WHERE type = 'IssuePriority'), $2, $3, now(), now() FROM trackers t`, [ids.pub, `bulk ${n}`, ids.admin]);
      }
      const roundTrips = async (url: string) => {
        // A write that commits (a statement trigger counts it even when it changes no row), so the
        // count is never taken from the version memo.
        await sql('UPDATE settings SET value = value WHERE FALSE');
        return withDb(async (db) => {
          const pool = (db as unknown as { pool: { query: (...args: unknown[]) => unknown } }).pool;
          const original = pool.query.bind(pool);
          let calls = 0;
          pool.query = (...args: unknown[]) => {
            calls++;
            return original(...args);
          };
          try {
            assert.equal((await get(url, 'dev')).statusCode, 200);
          } finally {
            pool.query = original;
          }
          return calls;
        });
      };
      // The first request of a user records the sign-in time; count from the second on.
      await roundTrips('/issues.json?limit=1');
      const small = await roundTrips('/issues.json?limit=2');
      const full = await roundTrips('/issues.json?limit=25');
      assert.equal(full, small);
      assert.ok(full <= 10, `round trips: ${full}`);
      await sql("DELETE FROM issues WHERE subject LIKE 'bulk %'");
    });

    test('show: the same representation as a list item', async () => {
      const shown = (await get(`/issues/${ids.i3}.json`, 'dev')).json<{ issue: Json }>().issue;
      const listed = (await list('/issues.json?project_id=sub', 'dev')).issues[0];
      assert.deepEqual(shown, listed);
    });
  });
}
