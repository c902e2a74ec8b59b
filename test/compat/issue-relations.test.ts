/**
 * Issue relations over the REST API (§6.8, §8.2): shape (JSON and XML), normalization of reverse
 * types, listing in both directions, permissions, Redmine's validation messages, rescheduling of
 * following issues over working days, and the journals written on both issues.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { rescheduleFollowers } from '#src/features/issue-relations/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
interface Relation {
  id: number;
  issue_id: number;
  issue_to_id: number;
  relation_type: string;
  delay: number | null;
}
type Detail = [property: string, key: string, oldValue: string | null, value: string | null];

for (const { engine, skip } of await engineCases()) {
  describe(`issue relations over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id, withDb, setting: setSetting } = acme;

    /** A root issue made the way Redmine stores one (root_id = id, lft 1, rgt 2). */
    const issue = async (name: string, project = 'ecookbook', dates: { start?: string; due?: string } = {}) => {
      const [row] = await sql(
        `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, start_date, due_date, created_on, updated_on, lft, rgt)
         VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses ORDER BY position LIMIT 1),
                 (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), $2, $3, $4, $5,
                 '2026-10-01 09:00:00', '2026-10-01 09:00:00', 1, 2) RETURNING id`,
        [id(project), name, id('admin'), dates.start ?? null, dates.due ?? null],
      );
      ids[name] = Number(row?.id);
      await sql('UPDATE issues SET root_id = id WHERE id = $1', [ids[name]]);
      return id(name);
    };
    const create = async (from: string, relation: Json, as = 'jsmith') => {
      const answer = await call('POST', `/issues/${id(from)}/relations.json`, as, { relation });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ relation: Relation }>().relation;
    };
    const refused = async (from: string, relation: Json, as = 'jsmith') => {
      const answer = await call('POST', `/issues/${id(from)}/relations.json`, as, { relation });
      assert.equal(answer.statusCode, 422, `${JSON.stringify(relation)}: ${answer.body}`);
      return answer.json<{ errors: string[] }>().errors;
    };
    const listOf = async (issueName: string, as = 'jsmith') => {
      const answer = await call('GET', `/issues/${id(issueName)}/relations.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ relations: Relation[] }>().relations;
    };
    const datesOf = async (issueName: string) => {
      const [row] = await sql('SELECT start_date::text AS start, due_date::text AS due, lock_version FROM issues WHERE id = $1', [id(issueName)]);
      return [row?.start, row?.due];
    };
    /** The details of the issue's newest journal, and who wrote it. */
    const lastJournal = async (issueName: string): Promise<{ user: string | undefined; details: Detail[] }> => {
      const rows = await sql(
        `SELECT u.login, d.property, d.prop_key, d.old_value, d.value FROM journal_details d
           JOIN journals j ON j.id = d.journal_id JOIN users u ON u.id = j.user_id
          WHERE j.id = (SELECT max(id) FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1) ORDER BY d.id`,
        [id(issueName)],
      );
      return {
        user: rows[0]?.login as string | undefined,
        details: rows.map((r) => [r.property, r.prop_key, r.old_value, r.value] as Detail),
      };
    };
    const journalCount = async (issueName: string) =>
      Number((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1", [id(issueName)]))[0]?.n);
    const relationCount = async () => Number((await sql('SELECT count(*)::int AS n FROM issue_relations'))[0]?.n);

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'stranger']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['ecookbook', 'ecookbook', true], ['onlinestore', 'onlinestore', true], ['secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['onlinestore', 'jsmith', 'Manager'],
        ['secret', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
      ]);
    });

    test('create: 201 with Location and the relation; show gives the same in JSON and XML', async () => {
      await issue('a');
      await issue('b');
      const answer = await call('POST', `/issues/${id('a')}/relations.json`, 'jsmith', { relation: { issue_to_id: id('b'), relation_type: 'blocks' } });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      const relation = answer.json<{ relation: Relation }>().relation;
      assert.equal(answer.headers.location, `http://acme.localhost/relations/${relation.id}`);
      assert.deepEqual(Object.keys(relation), ['id', 'issue_id', 'issue_to_id', 'relation_type', 'delay']);
      assert.deepEqual(relation, { id: relation.id, issue_id: id('a'), issue_to_id: id('b'), relation_type: 'blocks', delay: null });

      const shown = await call('GET', `/relations/${relation.id}.json`, 'jsmith');
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.body, `{"relation":{"id":${relation.id},"issue_id":${id('a')},"issue_to_id":${id('b')},"relation_type":"blocks","delay":null}}`);
      const xml = await call('GET', `/relations/${relation.id}.xml`, 'jsmith');
      assert.equal(xml.statusCode, 200);
      assert.match(String(xml.headers['content-type']), /^application\/xml/);
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><relation><id>${relation.id}</id><issue_id>${id('a')}</issue_id>` +
          `<issue_to_id>${id('b')}</issue_to_id><relation_type>blocks</relation_type><delay/></relation>`,
      );
    });

    test('reverse types are stored turned around, relates with the lower id first, delay only for precedes', async () => {
      const cases: [type: string, delay: number | undefined, stored: string, swapped: boolean, storedDelay: number | null][] = [
        ['duplicated', undefined, 'duplicates', true, null],
        ['blocked', undefined, 'blocks', true, null],
        ['follows', 2, 'precedes', true, 2],
        ['copied_from', undefined, 'copied_to', true, null],
        ['precedes', undefined, 'precedes', false, 0],
        ['copied_to', undefined, 'copied_to', false, null],
        ['relates', 3, 'relates', false, null],
      ];
      for (const [type, delay, stored, swapped, storedDelay] of cases) {
        const from = await issue(`${type} from`);
        const to = await issue(`${type} to`);
        const relation = await create(`${type} from`, { issue_to_id: to, relation_type: type, ...(delay === undefined ? {} : { delay }) });
        const expected = swapped ? [to, from] : [from, to];
        assert.deepEqual([relation.issue_id, relation.issue_to_id, relation.relation_type, relation.delay], [...expected, stored, storedDelay], type);
        const [row] = await sql('SELECT issue_from_id, issue_to_id, relation_type, delay FROM issue_relations WHERE id = $1', [relation.id]);
        assert.deepEqual([row?.issue_from_id, row?.issue_to_id, row?.relation_type, row?.delay], [...expected, stored, storedDelay], type);
      }
      // relates is kept with the lower id as issue_id, whichever side asked.
      const low = await issue('relates low');
      const high = await issue('relates high');
      const relates = await create('relates high', { issue_to_id: low });
      assert.deepEqual([relates.issue_id, relates.issue_to_id, relates.relation_type], [low, high, 'relates']);
    });

    test('issue_to_id as "#id", as a comma list (the answer is the last), in an XML body and a form body', async () => {
      for (const name of ['hash', 'h1', 'c1', 'c2', 'c3', 'x1', 'f1']) {
        await issue(name);
      }
      assert.equal((await create('hash', { issue_to_id: `#${id('h1')}` })).issue_to_id, id('h1'));
      const before = await relationCount();
      const last = await create('c1', { issue_to_id: `${id('c2')}, ${id('c3')}`, relation_type: 'blocks' });
      assert.deepEqual([last.issue_id, last.issue_to_id], [id('c1'), id('c3')]);
      assert.equal(await relationCount(), before + 2);

      const xml = await call(
        'POST',
        `/issues/${id('x1')}/relations.xml`,
        'jsmith',
        `<?xml version="1.0"?><relation><issue_to_id>${id('c1')}</issue_to_id><relation_type>duplicates</relation_type></relation>`,
        'application/xml',
      );
      assert.equal(xml.statusCode, 201, xml.body);
      assert.match(xml.body, new RegExp(`<relation><id>\\d+</id><issue_id>${id('x1')}</issue_id><issue_to_id>${id('c1')}</issue_to_id><relation_type>duplicates</relation_type><delay/></relation>$`));

      const form = await call(
        'POST',
        `/issues/${id('f1')}/relations.json`,
        'jsmith',
        `relation[issue_to_id]=${id('x1')}&relation[relation_type]=precedes&relation[delay]=3`,
        'application/x-www-form-urlencoded',
      );
      assert.equal(form.statusCode, 201, form.body);
      assert.deepEqual(form.json<{ relation: Json }>().relation, { id: form.json<{ relation: Json }>().relation.id, issue_id: id('f1'), issue_to_id: id('x1'), relation_type: 'precedes', delay: 3 });
    });

    test('list: both directions, by type then id, only relations whose other issue the user sees; JSON and XML', async () => {
      for (const name of ['m', 'n', 'o', 'p']) {
        await issue(name);
      }
      await issue('s', 'secret');
      const r1 = await create('m', { issue_to_id: id('n') });
      const r2 = await create('o', { issue_to_id: id('m'), relation_type: 'blocks' });
      const r3 = await create('m', { issue_to_id: id('p'), relation_type: 'precedes' });
      const [r4] = await sql("INSERT INTO issue_relations (issue_from_id, issue_to_id, relation_type) VALUES ($1, $2, 'relates') RETURNING id", [id('m'), id('s')]);
      assert.deepEqual((await listOf('m')).map((r) => r.id), [r1.id, Number(r4?.id), r2.id, r3.id]);
      assert.deepEqual((await listOf('m', 'dlopper')).map((r) => r.id), [r1.id, r2.id, r3.id], 'the secret issue is not visible to dlopper');
      const answer = await call('GET', `/issues/${id('m')}/relations.json`, 'dlopper');
      assert.deepEqual(Object.keys(answer.json<Json>()), ['relations'], 'no paging meta');
      assert.deepEqual(answer.json<{ relations: Relation[] }>().relations[1], { id: r2.id, issue_id: id('o'), issue_to_id: id('m'), relation_type: 'blocks', delay: null });
      const xml = await call('GET', `/issues/${id('m')}/relations.xml`, 'dlopper');
      assert.equal(xml.statusCode, 200);
      assert.match(
        xml.body,
        new RegExp(
          `^<\\?xml version="1.0" encoding="UTF-8"\\?><relations type="array"><relation><id>${r1.id}</id><issue_id>${id('m')}</issue_id><issue_to_id>${id('n')}</issue_to_id>` +
            `<relation_type>relates</relation_type><delay/></relation><relation><id>${r2.id}</id>.*<relation><id>${r3.id}</id>.*<delay>0</delay></relation></relations>$`,
        ),
      );
      assert.deepEqual(await listOf('n'), [{ id: r1.id, issue_id: id('m'), issue_to_id: id('n'), relation_type: 'relates', delay: null }]);
    });

    test('permissions: listing and adding need manage_issue_relations; show needs both issues visible; 404 and 403/401', async () => {
      await issue('perm1');
      await issue('perm2');
      await issue('perm secret', 'secret');
      const relation = await create('perm1', { issue_to_id: id('perm2') });
      const [hidden] = await sql("INSERT INTO issue_relations (issue_from_id, issue_to_id, relation_type) VALUES ($1, $2, 'relates') RETURNING id", [id('perm1'), id('perm secret')]);
      const status = async (method: 'GET' | 'POST' | 'DELETE', url: string, as: string | undefined, body?: unknown) => (await call(method, url, as, body)).statusCode;

      // rhill is a Reporter: sees the issues, may not manage relations.
      assert.equal(await status('GET', `/issues/${id('perm1')}/relations.json`, 'rhill'), 403);
      assert.equal(await status('POST', `/issues/${id('perm1')}/relations.json`, 'rhill', { relation: { issue_to_id: id('perm2') } }), 403);
      assert.equal(await status('GET', `/relations/${relation.id}.json`, 'rhill'), 200, 'show asks only for visibility');
      assert.equal(await status('DELETE', `/relations/${relation.id}.json`, 'rhill'), 403);
      // Anonymous sees the public issues but holds no manage permission.
      assert.equal(await status('GET', `/issues/${id('perm1')}/relations.json`, undefined), 401);
      assert.equal(await status('GET', `/relations/${relation.id}.json`, undefined), 200);
      // Issues that exist but are not visible: 403 (401 anonymous); unknown: 404.
      assert.equal(await status('GET', `/issues/${id('perm secret')}/relations.json`, 'stranger'), 403);
      assert.equal(await status('GET', `/issues/${id('perm secret')}/relations.json`, undefined), 401);
      assert.equal(await status('POST', `/issues/${id('perm secret')}/relations.json`, 'dlopper', { relation: { issue_to_id: id('perm1') } }), 403);
      assert.equal(await status('GET', `/relations/${Number(hidden?.id)}.json`, 'dlopper'), 403, 'one end invisible');
      assert.equal(await status('DELETE', `/relations/${Number(hidden?.id)}.json`, 'dlopper'), 403);
      assert.equal(await status('GET', `/relations/${Number(hidden?.id)}.json`, 'jsmith'), 200);
      assert.equal(await status('GET', '/issues/999999/relations.json', 'jsmith'), 404);
      assert.equal(await status('GET', '/issues/abc/relations.json', 'jsmith'), 404);
      assert.equal(await status('POST', '/issues/999999/relations.json', 'jsmith', { relation: { issue_to_id: id('perm1') } }), 404);
      assert.equal(await status('GET', '/relations/999999.json', 'jsmith'), 404);
      assert.equal(await status('DELETE', '/relations/999999.json', 'jsmith'), 404);
      const notFound = await call('GET', '/relations/999999.xml', 'jsmith');
      assert.equal(notFound.body, '');
      assert.match(String(notFound.headers['content-type']), /^application\/xml/);
      // dlopper (Developer) manages relations in ecookbook.
      assert.equal((await listOf('perm1', 'dlopper')).length, 1);
    });

    test("validation: 422 with Redmine's messages, and nothing is stored", async () => {
      for (const name of ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'other project']) {
        await issue(name, name === 'other project' ? 'onlinestore' : 'ecookbook');
      }
      await issue('v secret', 'secret');
      await create('v1', { issue_to_id: id('v2'), relation_type: 'blocks' });
      await create('v3', { issue_to_id: id('v4') });
      await create('v5', { issue_to_id: id('v6'), relation_type: 'precedes' });
      await create('v6', { issue_to_id: id('v7'), relation_type: 'precedes' });
      const count = await relationCount();
      const cases: [from: string, relation: Json, errors: string[], as?: string][] = [
        ['v1', { issue_to_id: id('v3'), relation_type: 'foo' }, ['Relation type is not included in the list']],
        ['v1', { issue_to_id: id('v3'), relation_type: '' }, ['Relation type cannot be blank', 'Relation type is not included in the list']],
        ['v1', { relation_type: 'relates' }, ['Related issue cannot be blank']],
        ['v1', { issue_to_id: '' }, ['Related issue cannot be blank']],
        ['v1', { issue_to_id: 999999 }, ['Related issue cannot be blank']],
        ['v1', { issue_to_id: 'abc' }, ['Related issue cannot be blank']],
        ['v1', { issue_to_id: id('v secret') }, ['Related issue cannot be blank'], 'dlopper'],
        ['v1', { issue_to_id: id('v1') }, ['Related issue is invalid']],
        ['v1', { issue_to_id: id('v3'), relation_type: 'precedes', delay: 'soon' }, ['Delay is not a number']],
        ['v1', { issue_to_id: id('v2') }, ['Related issue has already been taken']],
        ['v2', { issue_to_id: id('v1'), relation_type: 'blocks' }, ['This relation would create a circular dependency']],
        ['v4', { issue_to_id: id('v3') }, ['This relation would create a circular dependency']],
        ['v7', { issue_to_id: id('v5'), relation_type: 'precedes' }, ['This relation would create a circular dependency']],
        ['v5', { issue_to_id: id('v7'), relation_type: 'follows' }, ['This relation would create a circular dependency']],
        // Asked from the other side, the stored pair exists: Redmine's bare "taken" from the unique index.
        ['v2', { issue_to_id: id('v1'), relation_type: 'blocked' }, ['has already been taken']],
        ['v1', { issue_to_id: id('other project') }, ["Related issue doesn't belong to the same project"]],
        ['v1', { issue_to_id: id('v1'), relation_type: 'foo', delay: 'x' }, ['Relation type is not included in the list', 'Delay is not a number', 'Related issue is invalid']],
      ];
      for (const [from, relation, errors, as] of cases) {
        assert.deepEqual(await refused(from, relation, as), errors, `${from} ${JSON.stringify(relation)}`);
      }
      const empty = await call('POST', `/issues/${id('v1')}/relations.json`, 'jsmith', {});
      assert.deepEqual(empty.json<{ errors: string[] }>().errors, ['Related issue cannot be blank']);
      const xml = await call('POST', `/issues/${id('v1')}/relations.xml`, 'jsmith', { relation: { issue_to_id: id('v3'), relation_type: 'foo' } });
      assert.equal(xml.statusCode, 422);
      assert.match(xml.body, /<errors type="array"><error>Relation type is not included in the list<\/error><\/errors>/);
      assert.equal(await relationCount(), count);

      await setSetting('cross_project_issue_relations', '1');
      try {
        assert.equal((await create('v1', { issue_to_id: id('other project') })).issue_to_id, id('other project'));
      } finally {
        await setSetting('cross_project_issue_relations', '0');
      }
    });

    test('an issue cannot be related to its subtasks or its parent', async () => {
      const parent = await issue('parent');
      const child = await issue('child');
      await sql('UPDATE issues SET parent_id = $1, root_id = $1, lft = 2, rgt = 3 WHERE id = $2', [parent, child]);
      await sql('UPDATE issues SET rgt = 4 WHERE id = $1', [parent]);
      assert.deepEqual(await refused('parent', { issue_to_id: child }), ['An issue cannot be linked to one of its subtasks']);
      assert.deepEqual(await refused('child', { issue_to_id: parent, relation_type: 'blocks' }), ['An issue cannot be linked to one of its subtasks']);
      // A parent following a subtask's follower would move itself: circular.
      await issue('after child');
      await create('child', { issue_to_id: id('after child'), relation_type: 'precedes' });
      assert.deepEqual(await refused('after child', { issue_to_id: parent, relation_type: 'precedes' }), ['This relation would create a circular dependency']);
    });

    test('adding and removing a relation writes a journal on both issues, with the type as seen from each', async () => {
      await issue('j1');
      await issue('j2');
      const relation = await create('j2', { issue_to_id: id('j1'), relation_type: 'blocked' }, 'dlopper');
      assert.deepEqual(await lastJournal('j1'), { user: 'dlopper', details: [['relation', 'blocks', null, String(id('j2'))]] });
      assert.deepEqual(await lastJournal('j2'), { user: 'dlopper', details: [['relation', 'blocked', null, String(id('j1'))]] });
      const [notes] = await sql("SELECT notes, private_notes FROM journals WHERE journalized_id = $1 AND journalized_type = 'Issue'", [id('j1')]);
      assert.deepEqual([notes?.notes, notes?.private_notes], ['', false]);

      const deleted = await call('DELETE', `/relations/${relation.id}.json`, 'jsmith');
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal(deleted.headers['content-type'], undefined);
      assert.equal((await sql('SELECT 1 FROM issue_relations WHERE id = $1', [relation.id])).length, 0);
      assert.deepEqual(await lastJournal('j1'), { user: 'jsmith', details: [['relation', 'blocks', String(id('j2')), null]] });
      assert.deepEqual(await lastJournal('j2'), { user: 'jsmith', details: [['relation', 'blocked', String(id('j1')), null]] });
      assert.equal(await journalCount('j1'), 2);

      const again = await create('j1', { issue_to_id: id('j2') });
      assert.equal((await call('DELETE', `/relations/${again.id}.xml`, 'jsmith')).statusCode, 204);
      // A refused relation writes nothing.
      const journals = await journalCount('j1');
      await refused('j1', { issue_to_id: id('j1') });
      assert.equal(await journalCount('j1'), journals);
    });

    test('precedes reschedules the follower after the delay in working days, keeping its length; journals on both', async () => {
      // 2026-11-02 is a Monday.
      await issue('A', 'ecookbook', { start: '2026-11-02', due: '2026-11-04' });
      await issue('B', 'ecookbook', { start: '2026-11-02', due: '2026-11-03' });
      await create('A', { issue_to_id: id('B'), relation_type: 'precedes', delay: 1 });
      // Due Wednesday + 1 day delay → starts Friday; one working day long → due the next Monday.
      assert.deepEqual(await datesOf('B'), ['2026-11-06', '2026-11-09']);
      const [b] = await sql('SELECT lock_version, updated_on > created_on AS touched FROM issues WHERE id = $1', [id('B')]);
      assert.deepEqual([b?.lock_version, b?.touched], [1, true]);
      assert.deepEqual(await lastJournal('B'), {
        user: 'jsmith',
        details: [
          ['attr', 'start_date', '2026-11-02', '2026-11-06'],
          ['attr', 'due_date', '2026-11-03', '2026-11-09'],
          ['relation', 'follows', null, String(id('A'))],
        ],
      });
      assert.deepEqual(await lastJournal('A'), { user: 'jsmith', details: [['relation', 'precedes', null, String(id('B'))]] });

      // An issue without dates following B gets both dates: the day after B ends.
      await issue('C');
      await create('C', { issue_to_id: id('B'), relation_type: 'follows' });
      assert.deepEqual(await datesOf('C'), ['2026-11-10', '2026-11-10']);
      assert.deepEqual((await lastJournal('C')).details, [
        ['attr', 'start_date', null, '2026-11-10'],
        ['attr', 'due_date', null, '2026-11-10'],
        ['relation', 'follows', null, String(id('B'))],
      ]);

      // A follower starting later is pulled back to right after the preceding issue.
      await issue('D', 'ecookbook', { start: '2026-12-01', due: '2026-12-02' });
      await create('A', { issue_to_id: id('D'), relation_type: 'precedes' });
      assert.deepEqual(await datesOf('D'), ['2026-11-05', '2026-11-06']);

      // A predecessor without dates moves nothing.
      await issue('E');
      await issue('F', 'ecookbook', { start: '2026-11-02', due: '2026-11-02' });
      await create('E', { issue_to_id: id('F'), relation_type: 'precedes', delay: 4 });
      assert.deepEqual(await datesOf('F'), ['2026-11-02', '2026-11-02']);
      assert.deepEqual((await lastJournal('F')).details, [['relation', 'follows', null, String(id('E'))]]);
    });

    test('rescheduleFollowers moves the followers of an issue whose dates changed, recursively, with journals', async () => {
      await issue('G', 'ecookbook', { start: '2026-11-02', due: '2026-11-03' });
      await issue('H', 'ecookbook', { start: '2026-11-04', due: '2026-11-05' });
      await issue('I', 'ecookbook', { start: '2026-11-06', due: '2026-11-06' });
      await create('G', { issue_to_id: id('H'), relation_type: 'precedes' });
      await create('H', { issue_to_id: id('I'), relation_type: 'precedes' });
      assert.deepEqual([await datesOf('H'), await datesOf('I')], [['2026-11-04', '2026-11-05'], ['2026-11-06', '2026-11-06']], 'already in place');

      await sql("UPDATE issues SET due_date = '2026-11-11' WHERE id = $1", [id('G')]);
      await withDb((db) => db.transaction((tx) => rescheduleFollowers(tx, id('G'), new Date('2026-11-20T10:00:00Z'), id('admin'))));
      assert.deepEqual(await datesOf('H'), ['2026-11-12', '2026-11-13']);
      assert.deepEqual(await datesOf('I'), ['2026-11-16', '2026-11-16']);
      assert.deepEqual(await lastJournal('H'), {
        user: 'admin',
        details: [
          ['attr', 'start_date', '2026-11-04', '2026-11-12'],
          ['attr', 'due_date', '2026-11-05', '2026-11-13'],
        ],
      });
      assert.deepEqual((await lastJournal('I')).details, [
        ['attr', 'start_date', '2026-11-06', '2026-11-16'],
        ['attr', 'due_date', '2026-11-06', '2026-11-16'],
      ]);
      const [journal] = await sql("SELECT to_char(created_on, 'YYYY-MM-DD HH24:MI') AS at FROM journals WHERE journalized_id = $1 ORDER BY id DESC LIMIT 1", [id('I')]);
      assert.equal(journal?.at, '2026-11-20 10:00');

      // Moving G earlier pulls the followers back; without a user no journal is written.
      const journals = await journalCount('H');
      await sql("UPDATE issues SET due_date = '2026-11-02' WHERE id = $1", [id('G')]);
      await withDb((db) => rescheduleFollowers(db, id('G'), new Date(), undefined));
      assert.deepEqual([await datesOf('H'), await datesOf('I')], [['2026-11-03', '2026-11-04'], ['2026-11-05', '2026-11-05']]);
      assert.equal(await journalCount('H'), journals);
    });

    test('non-working days come from the setting; a follower of a parent with derived dates moves its subtasks', async () => {
      await setSetting('non_working_week_days', '[]');
      try {
        await issue('fri', 'ecookbook', { start: '2026-11-06', due: '2026-11-06' });
        await issue('sat');
        await create('fri', { issue_to_id: id('sat'), relation_type: 'precedes' });
        assert.deepEqual(await datesOf('sat'), ['2026-11-07', '2026-11-07']);
      } finally {
        await setSetting('non_working_week_days', '["6","7"]');
      }

      const before = await issue('before parent', 'ecookbook', { start: '2026-11-02', due: '2026-11-09' });
      const parent = await issue('derived parent', 'ecookbook', { start: '2026-11-02', due: '2026-11-03' });
      const leaf = await issue('leaf', 'ecookbook', { start: '2026-11-02', due: '2026-11-03' });
      await sql('UPDATE issues SET parent_id = $1, root_id = $1, lft = 2, rgt = 3 WHERE id = $2', [parent, leaf]);
      await sql('UPDATE issues SET rgt = 4 WHERE id = $1', [parent]);
      await create('before parent', { issue_to_id: parent, relation_type: 'precedes' });
      assert.equal(before, id('before parent'));
      // The subtask moves (without a journal of its own); re-deriving the parent is the issue feature's roll-up.
      assert.deepEqual(await datesOf('leaf'), ['2026-11-10', '2026-11-11']);
      assert.equal(await journalCount('leaf'), 0);
      assert.deepEqual((await lastJournal('derived parent')).details, [['relation', 'follows', null, String(id('before parent'))]]);
    });

    test('deleting an issue deletes its relations', async () => {
      await issue('doomed');
      await issue('survivor');
      const relation = await create('doomed', { issue_to_id: id('survivor'), relation_type: 'duplicates' });
      await sql('DELETE FROM journals WHERE journalized_id = $1', [id('doomed')]);
      await sql('DELETE FROM issues WHERE id = $1', [id('doomed')]);
      assert.equal((await sql('SELECT 1 FROM issue_relations WHERE id = $1', [relation.id])).length, 0);
      assert.deepEqual(await listOf('survivor'), []);
    });
  });
}
