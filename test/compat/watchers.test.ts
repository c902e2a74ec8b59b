/**
 * Issue watchers over the REST API (§6.1.4): adding one or several (JSON, form and XML bodies),
 * skipping principals that cannot watch, groups, removing, permissions; and the functions the issue
 * feature uses (watchersOf, presentWatchers, addWatchers).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { resource } from '#src/api/resource.ts';
import { writeJson, writeXml } from '#src/api/writers.ts';
import { addWatchers, presentWatchers, watchersOf } from '#src/features/watchers/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`issue watchers over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id, withDb } = acme;

    const issue = async (name: string, project = 'ecookbook', isPrivate = false) => {
      const [row] = await sql(
        `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, is_private, created_on, updated_on, lft, rgt)
         VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses ORDER BY position LIMIT 1),
                 (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), $2, $3, $4, now(), now(), 1, 2) RETURNING id`,
        [id(project), name, id('admin'), isPrivate],
      );
      ids[name] = Number(row?.id);
      await sql('UPDATE issues SET root_id = id WHERE id = $1', [ids[name]]);
      return id(name);
    };
    /** Logins (or group names) watching the issue, in the order they were added. */
    const watchersNamed = async (issueName: string) =>
      (
        await sql(
          "SELECT CASE WHEN u.type = 'Group' THEN u.lastname ELSE u.login END AS name FROM watchers w JOIN users u ON u.id = w.user_id WHERE w.watchable_type = 'Issue' AND w.watchable_id = $1 ORDER BY w.id",
          [id(issueName)],
        )
      ).map((r) => r.name);
    const add = async (issueName: string, body: unknown, as = 'jsmith', contentType?: string, format = 'json') =>
      call('POST', `/issues/${id(issueName)}/watchers.${format}`, as, body, contentType);

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'outsider', 'locked', 'loner']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.lock('locked');
      await acme.group('Team');
      await acme.projects([['ecookbook', 'ecookbook', true], ['secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
      ]);
    });

    test('add one watcher: 204 with an empty body, stored', async () => {
      await issue('w1');
      const answer = await add('w1', { user_id: id('rhill') });
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      assert.equal(answer.headers['content-type'], undefined);
      assert.deepEqual(await watchersNamed('w1'), ['rhill']);
    });

    test('add several: groups are watchers; locked, unknown and already watching principals are skipped', async () => {
      await issue('w2');
      await add('w2', { user_id: id('rhill') });
      const answer = await add('w2', { watcher: { user_ids: [id('dlopper'), id('locked'), 999999, id('rhill'), String(id('Team')), 'abc'] } });
      assert.equal(answer.statusCode, 204, answer.body);
      assert.deepEqual(await watchersNamed('w2'), ['rhill', 'dlopper', 'Team']);
      // Adding the same again changes nothing.
      assert.equal((await add('w2', { watcher: { user_ids: [id('dlopper'), id('Team')] } })).statusCode, 204);
      assert.deepEqual(await watchersNamed('w2'), ['rhill', 'dlopper', 'Team']);
    });

    test('watcher[user_id] in a form body, user_id in an XML body', async () => {
      await issue('w3');
      const form = await add('w3', `watcher[user_id]=${id('outsider')}`, 'jsmith', 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 204, form.body);
      const xml = await add('w3', `<?xml version="1.0"?><user_id>${id('dlopper')}</user_id>`, 'jsmith', 'application/xml', 'xml');
      assert.equal(xml.statusCode, 204, xml.body);
      assert.equal(xml.body, '');
      assert.deepEqual(await watchersNamed('w3'), ['outsider', 'dlopper']);
    });

    test('users who cannot see the issue are skipped: a private issue, a private project', async () => {
      await issue('private issue', 'ecookbook', true);
      // Developer and Reporter see only non-private issues (and their own); the Manager sees all.
      await add('private issue', { watcher: { user_ids: [id('dlopper'), id('rhill'), id('jsmith'), id('Team')] } });
      assert.deepEqual(await watchersNamed('private issue'), ['jsmith', 'Team']);
      await issue('secret issue', 'secret');
      await add('secret issue', { watcher: { user_ids: [id('outsider'), id('dlopper'), id('jsmith')] } });
      assert.deepEqual(await watchersNamed('secret issue'), ['jsmith']);
    });

    test('only principals the adding user may see are considered (users_visibility)', async () => {
      await issue('w4');
      await sql("UPDATE roles SET users_visibility = 'members_of_visible_projects' WHERE name = 'Manager'");
      try {
        // loner is active but a member of no project jsmith sees.
        await add('w4', { watcher: { user_ids: [id('loner'), id('rhill')] } });
        assert.deepEqual(await watchersNamed('w4'), ['rhill']);
        // Administrators see every principal.
        await add('w4', { user_id: id('loner') }, 'admin');
        assert.deepEqual(await watchersNamed('w4'), ['rhill', 'loner']);
      } finally {
        await sql("UPDATE roles SET users_visibility = 'all' WHERE name = 'Manager'");
      }
    });

    test('adding needs add_issue_watchers on a visible issue: 403, 401 for anonymous', async () => {
      await issue('w5');
      await issue('secret w5', 'secret');
      const status = async (issueName: string, as: string) => (await add(issueName, { user_id: id('rhill') }, as)).statusCode;
      assert.equal(await status('w5', 'dlopper'), 403, 'Developer has no add_issue_watchers');
      assert.equal(await status('w5', 'rhill'), 403);
      assert.equal((await call('POST', `/issues/${id('w5')}/watchers.json`, undefined, { user_id: id('rhill') })).statusCode, 401);
      assert.equal(await status('secret w5', 'dlopper'), 403, 'invisible issue');
      // Redmine's watchers controller finds no project for an unknown issue and denies access (not 404).
      assert.equal((await call('POST', '/issues/999999/watchers.json', 'jsmith', { user_id: id('rhill') })).statusCode, 403);
      assert.equal((await call('POST', '/issues/999999/watchers.json', undefined, { user_id: id('rhill') })).statusCode, 401);
      assert.deepEqual(await watchersNamed('w5'), []);
      assert.equal(await status('w5', 'admin'), 204);
    });

    test('remove: 204; a non-watcher is a no-op; an unknown principal is 404; needs delete_issue_watchers', async () => {
      await issue('w6');
      await add('w6', { watcher: { user_ids: [id('rhill'), id('dlopper'), id('Team')] } });
      await sql("INSERT INTO watchers (watchable_type, watchable_id, user_id) VALUES ('Issue', $1, $2)", [id('w6'), id('locked')]);
      const remove = (user: number | string, as = 'jsmith', format = 'json') => call('DELETE', `/issues/${id('w6')}/watchers/${user}.${format}`, as);

      assert.equal((await remove(id('rhill'), 'dlopper')).statusCode, 403, 'Developer has no delete_issue_watchers');
      assert.equal((await call('DELETE', `/issues/${id('w6')}/watchers/${id('rhill')}.json`, undefined)).statusCode, 401);
      const removed = await remove(id('rhill'));
      assert.equal(removed.statusCode, 204);
      assert.equal(removed.body, '');
      assert.deepEqual(await watchersNamed('w6'), ['dlopper', 'Team', 'locked']);
      assert.equal((await remove(id('Team'), 'jsmith', 'xml')).statusCode, 204);
      assert.equal((await remove(id('locked'))).statusCode, 204, 'locked users can be removed');
      assert.equal((await remove(id('outsider'))).statusCode, 204, 'not a watcher');
      assert.deepEqual(await watchersNamed('w6'), ['dlopper']);
      const unknown = await remove(999999, 'jsmith', 'xml');
      assert.equal(unknown.statusCode, 404);
      assert.match(String(unknown.headers['content-type']), /^application\/xml/);
      assert.equal((await remove('abc')).statusCode, 404);
      assert.equal((await call('DELETE', `/issues/999999/watchers/${id('dlopper')}.json`, 'jsmith')).statusCode, 403);
    });

    test('watchersOf and presentWatchers: users and groups by name, in the order added; JSON and XML', async () => {
      await issue('w7');
      await issue('w8');
      await add('w7', { user_id: id('Team') });
      await add('w7', { user_id: id('rhill') });
      const watchers = await withDb((db) => watchersOf(db, [id('w7'), id('w8')]));
      assert.deepEqual(watchers.get(id('w7')), [
        { id: id('Team'), name: 'Team' },
        { id: id('rhill'), name: 'rhill User' },
      ]);
      assert.deepEqual(watchers.get(id('w8')), []);
      const doc = resource('issue', { id: id('w7'), watchers: presentWatchers(watchers.get(id('w7')) ?? []) });
      assert.equal(writeJson(doc), `{"issue":{"id":${id('w7')},"watchers":[{"id":${id('Team')},"name":"Team"},{"id":${id('rhill')},"name":"rhill User"}]}}`);
      assert.equal(
        writeXml(doc),
        `<?xml version="1.0" encoding="UTF-8"?><issue><id>${id('w7')}</id><watchers type="array">` +
          `<user id="${id('Team')}" name="Team"/><user id="${id('rhill')}" name="rhill User"/></watchers></issue>`,
      );
    });

    test('addWatchers keeps the valid principals and reports those added', async () => {
      await issue('w9', 'ecookbook', true);
      await add('w9', { user_id: id('jsmith') });
      const added = await withDb((db) =>
        db.transaction((tx) => addWatchers(tx, id('w9'), [id('locked'), id('Team'), id('rhill'), id('jsmith'), id('admin'), 999999, id('Team')])),
      );
      // rhill cannot see the private issue, jsmith already watches, locked and unknown are skipped.
      assert.deepEqual(added, [id('admin'), id('Team')].sort((a, b) => a - b));
      assert.deepEqual(await watchersNamed('w9'), ['jsmith', ...(id('admin') < id('Team') ? ['admin', 'Team'] : ['Team', 'admin'])]);
    });
  });
}
