/**
 * Versions over the REST API (§6.9): shape (JSON and XML), create/update/delete with Redmine's
 * validation, sharing between projects (Project#shared_versions) and who may choose which sharing,
 * hours on show, permissions, and the bare 422 for a version still in use.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assignableVersionIds, sharedVersionIds } from '#src/features/versions/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Version = Json & { id: number; project: { id: number; name: string }; name: string; status: string; sharing: string; due_date: string | null };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SHOW_KEYS = ['id', 'project', 'name', 'description', 'status', 'due_date', 'sharing', 'wiki_page_title', 'estimated_hours', 'spent_hours', 'created_on', 'updated_on'];
const LIST_KEYS = ['id', 'project', 'name', 'description', 'status', 'due_date', 'sharing', 'wiki_page_title', 'created_on', 'updated_on'];

for (const { engine, skip } of await engineCases()) {
  describe(`versions over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id, setting, withDb } = acme;
    const create = async (project: string, version: Json, as = 'admin') => {
      const answer = await call('POST', `/projects/${project}/versions.json`, as, { version });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ version: Version }>().version;
    };
    const show = async (versionId: number, as = 'admin') => {
      const answer = await call('GET', `/versions/${versionId}.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ version: Version }>().version;
    };
    const namesIn = async (project: string, as = 'admin') => {
      const answer = await call('GET', `/projects/${project}/versions.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ versions: Version[] }>().versions.map((v) => v.name);
    };
    const versionCount = async () => Number((await sql('SELECT count(*)::int AS n FROM versions'))[0]?.n);
    /** An issue written directly: creating issues is the issues feature's business. */
    const insertIssue = async (project: string, values: { fixed_version_id?: number; estimated_hours?: number; is_private?: boolean }) => {
      const [row] = await sql(
        `INSERT INTO issues (tracker_id, project_id, subject, status_id, priority_id, author_id, fixed_version_id, estimated_hours, is_private, created_on, updated_on)
         VALUES ((SELECT min(id) FROM trackers), $1, 'An issue', (SELECT min(id) FROM issue_statuses),
                 (SELECT min(id) FROM enumerations WHERE type = 'IssuePriority'), $2, $3, $4, $5, now(), now()) RETURNING id`,
        [id(project), id('admin'), values.fixed_version_id ?? null, values.estimated_hours ?? null, values.is_private ?? false],
      );
      const issueId = Number(row?.id);
      await sql('UPDATE issues SET root_id = id, lft = 1, rgt = 2 WHERE id = $1', [issueId]);
      return issueId;
    };

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'outsider']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Child', 'child', true, 'ecookbook'],
        ['Other', 'other', true],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['child', 'dlopper', 'Developer'],
        ['secret', 'jsmith', 'Manager'],
      ]);
    });

    test('create: 201, absolute Location, the show representation field by field', async () => {
      const answer = await call('POST', '/projects/ecookbook/versions.json', 'jsmith', {
        version: { name: '1.0', description: 'Stable release', status: 'locked', due_date: '2024-06-30', wiki_page_title: 'ECookBookV1' },
      });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      const version = answer.json<{ version: Version }>().version;
      ids['1.0'] = version.id;
      assert.equal(answer.headers.location, `http://acme.localhost/versions/${version.id}`);
      assert.deepEqual(Object.keys(version), SHOW_KEYS);
      assert.deepEqual(version, {
        id: version.id,
        project: { id: id('ecookbook'), name: 'eCookbook' },
        name: '1.0',
        description: 'Stable release',
        status: 'locked',
        due_date: '2024-06-30',
        sharing: 'none',
        wiki_page_title: 'ECookBookV1',
        estimated_hours: 0,
        spent_hours: 0,
        created_on: version.created_on,
        updated_on: version.created_on,
      });
      assert.match(String(version.created_on), ISO_TIME);
      // Hours are Ruby floats: `0.0`, never `0`.
      assert.match(answer.body, /"estimated_hours":0\.0,"spent_hours":0\.0,/);
      const [stored] = await sql('SELECT project_id, name, effective_date::text AS d, status, sharing FROM versions WHERE id = $1', [version.id]);
      assert.deepEqual(stored, { project_id: id('ecookbook'), name: '1.0', d: '2024-06-30', status: 'locked', sharing: 'none' });
    });

    test('create with defaults; effective_date is an alias of due_date; form and XML bodies', async () => {
      const plain = await create('ecookbook', { name: 'Plain' });
      assert.deepEqual([plain.description, plain.status, plain.due_date, plain.sharing, plain.wiki_page_title], ['', 'open', null, 'none', null]);
      const alias = await create('ecookbook', { name: 'Alias', effective_date: '2025-01-02 00:00:00' });
      assert.equal(alias.due_date, '2025-01-02');
      const form = await call('POST', '/projects/ecookbook/versions.json', 'admin', 'version[name]=Form&version[due_date]=2025-03-04', 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 201, form.body);
      assert.equal(form.json<{ version: Version }>().version.due_date, '2025-03-04');
      const xml = await call('POST', '/projects/ecookbook/versions.xml', 'admin', '<version><name>Xml</name><status>closed</status></version>', 'application/xml');
      assert.equal(xml.statusCode, 201, xml.body);
      assert.match(String(xml.headers['content-type']), /^application\/xml/);
      assert.match(xml.body, /<name>Xml<\/name><description><\/description><status>closed<\/status><due_date\/><sharing>none<\/sharing>/);
      for (const name of ['Plain', 'Alias', 'Form', 'Xml']) {
        const [row] = await sql('SELECT id FROM versions WHERE name = $1', [name]);
        assert.equal((await call('DELETE', `/versions/${Number(row?.id)}.json`, 'admin')).statusCode, 204);
      }
    });

    test('show, JSON and XML; unknown and non-numeric ids are 404', async () => {
      const version = await show(id('1.0'), 'rhill');
      assert.deepEqual(Object.keys(version), SHOW_KEYS);
      const xml = await call('GET', `/versions/${id('1.0')}.xml`, 'rhill');
      assert.equal(xml.statusCode, 200);
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><version><id>${id('1.0')}</id><project id="${id('ecookbook')}" name="eCookbook"/>` +
          '<name>1.0</name><description>Stable release</description><status>locked</status><due_date>2024-06-30</due_date>' +
          '<sharing>none</sharing><wiki_page_title>ECookBookV1</wiki_page_title><estimated_hours>0.0</estimated_hours><spent_hours>0.0</spent_hours>' +
          `<created_on>${String(version.created_on)}</created_on><updated_on>${String(version.updated_on)}</updated_on></version>`,
      );
      for (const path of ['/versions/99999.json', '/versions/abc.json', '/versions/1abc.xml', '/versions/0.json', '/projects/nope/versions.json']) {
        const answer = await call('GET', path, 'admin');
        assert.equal(answer.statusCode, 404, path);
        assert.equal(answer.body, '', path);
      }
      assert.equal((await call('PUT', '/versions/abc.json', 'admin', { version: { name: 'x' } })).statusCode, 404);
      assert.equal((await call('DELETE', '/versions/abc.json', 'admin')).statusCode, 404);
    });

    test('list: the project’s versions with total_count only, no hours; XML', async () => {
      const answer = await call('GET', '/projects/ecookbook/versions.json?limit=1&offset=5', 'rhill');
      assert.equal(answer.statusCode, 200);
      const body = answer.json<{ versions: Version[]; total_count: number }>();
      assert.deepEqual(Object.keys(body), ['versions', 'total_count']);
      assert.equal(body.total_count, 1);
      assert.deepEqual(Object.keys(body.versions[0] ?? {}), LIST_KEYS);
      const { estimated_hours: _estimated, spent_hours: _spent, ...shown } = await show(id('1.0'));
      assert.deepEqual(body.versions[0], shown);
      const xml = await call('GET', `/projects/${id('ecookbook')}/versions.xml`, 'rhill');
      assert.match(xml.body, /^<\?xml version="1.0" encoding="UTF-8"\?><versions type="array" total_count="1"><version><id>\d+<\/id><project id="\d+" name="eCookbook"\/><name>1.0<\/name>/);
      assert.doesNotMatch(xml.body, /estimated_hours/);
      assert.deepEqual(await namesIn('other'), []);
    });

    test('sharing: other projects see shared versions as Project#shared_versions says', async () => {
      const created: Record<string, Version> = {};
      for (const sharing of ['descendants', 'hierarchy', 'tree', 'system']) {
        created[sharing] = await create('ecookbook', { name: `Book ${sharing}`, sharing });
        assert.equal(created[sharing]?.sharing, sharing);
      }
      const fromChild = await create('child', { name: 'Child hierarchy', sharing: 'hierarchy' });
      await create('child', { name: 'Child tree', sharing: 'tree' });
      await create('child', { name: 'Child descendants', sharing: 'descendants' });
      await create('other', { name: 'Other tree', sharing: 'tree' });
      const secret = await create('secret', { name: 'Secret system', sharing: 'system' });
      assert.deepEqual(await namesIn('ecookbook'), ['1.0', 'Book descendants', 'Book hierarchy', 'Book tree', 'Book system', 'Child hierarchy', 'Child tree', 'Secret system']);
      assert.deepEqual(await namesIn('child'), ['Book descendants', 'Book hierarchy', 'Book tree', 'Book system', 'Child hierarchy', 'Child tree', 'Child descendants', 'Secret system']);
      assert.deepEqual(await namesIn('other'), ['Book system', 'Other tree', 'Secret system']);
      // The owning project is named in each item, and the count is the list's.
      const list = (await call('GET', '/projects/other/versions.json', 'outsider')).json<{ versions: Version[]; total_count: number }>();
      assert.equal(list.total_count, 3);
      assert.deepEqual(list.versions[0]?.project, { id: id('ecookbook'), name: 'eCookbook' });
      // A version shown through the project it belongs to, not the one it is shared with.
      assert.deepEqual((await show(fromChild.id)).project, { id: id('child'), name: 'Child' });
      // The private project's system-wide version is listed, but its own page stays hidden from strangers.
      assert.equal((await call('GET', `/versions/${secret.id}.json`, 'outsider')).statusCode, 404);
      // Versions of an archived project are no longer shared.
      assert.equal((await call('PUT', '/projects/secret/archive.json', 'admin')).statusCode, 204);
      assert.deepEqual(await namesIn('other'), ['Book system', 'Other tree']);
      assert.equal((await call('PUT', '/projects/secret/unarchive.json', 'admin')).statusCode, 204);
    });

    test('helpers for issues: shared versions, and those an issue may target (open ones, plus the one it keeps)', async () => {
      const v: Record<string, number> = {};
      for (const row of await sql('SELECT id, name FROM versions')) {
        v[String(row.name)] = Number(row.id);
      }
      const [oneZero, locked, childHierarchy] = [id('1.0'), Number(v['Child tree']), Number(v['Child hierarchy'])];
      assert.equal((await call('PUT', `/versions/${locked}.json`, 'admin', { version: { status: 'locked' } })).statusCode, 204);
      try {
        await withDb(async (db) => {
          const shared = await sharedVersionIds(db, id('ecookbook'));
          assert.equal(shared.size, 8);
          assert.ok(shared.has(locked));
          const open = await sharedVersionIds(db, id('ecookbook'), { openOnly: true });
          assert.ok(!open.has(locked) && open.has(childHierarchy));
          // 1.0 is locked: not assignable, unless the issue already targets it and keeps it.
          assert.equal((await assignableVersionIds(db, id('ecookbook'))).has(oneZero), false);
          assert.equal((await assignableVersionIds(db, id('ecookbook'), { versionId: oneZero, movingProject: false })).has(oneZero), true);
          // Moving to a project: kept only if that project shares it (Other does not share 1.0).
          assert.equal((await assignableVersionIds(db, id('other'), { versionId: oneZero, movingProject: true })).has(oneZero), false);
          assert.equal((await assignableVersionIds(db, id('child'), { versionId: locked, movingProject: true })).has(locked), true);
          const byId = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
          assert.deepEqual(byId(await assignableVersionIds(db, id('other'))), byId([Number(v['Book system']), Number(v['Other tree']), Number(v['Secret system'])]));
        });
      } finally {
        assert.equal((await call('PUT', `/versions/${locked}.json`, 'admin', { version: { status: 'open' } })).statusCode, 204);
      }
    });

    test('sharing a user may not choose is dropped silently: system for non-admins, tree/hierarchy without manage_versions on the root', async () => {
      // jsmith manages versions of the root project eCookbook: tree and hierarchy yes, system no.
      assert.equal((await create('ecookbook', { name: 'J system', sharing: 'system' }, 'jsmith')).sharing, 'none');
      assert.equal((await create('ecookbook', { name: 'J tree', sharing: 'tree' }, 'jsmith')).sharing, 'tree');
      assert.equal((await create('ecookbook', { name: 'J bogus', sharing: 'bogus' }, 'jsmith')).sharing, 'none');
      // dlopper manages versions of Child only.
      assert.equal((await create('child', { name: 'D tree', sharing: 'tree' }, 'dlopper')).sharing, 'none');
      assert.equal((await create('child', { name: 'D hierarchy', sharing: 'hierarchy' }, 'dlopper')).sharing, 'none');
      const descendants = await create('child', { name: 'D descendants', sharing: 'descendants' }, 'dlopper');
      assert.equal(descendants.sharing, 'descendants');
      // A version keeps a sharing its editor could not have given it.
      const childTree = Number((await sql("SELECT id FROM versions WHERE name = 'Child tree'"))[0]?.id);
      assert.equal((await call('PUT', `/versions/${childTree}.json`, 'dlopper', { version: { sharing: 'tree', description: 'kept' } })).statusCode, 204);
      assert.deepEqual(await sql('SELECT sharing, description FROM versions WHERE id = $1', [childTree]), [{ sharing: 'tree', description: 'kept' }]);
      assert.equal((await call('PUT', `/versions/${childTree}.json`, 'dlopper', { version: { sharing: 'system' } })).statusCode, 204);
      assert.equal((await show(childTree)).sharing, 'tree');
    });

    test('validation: Redmine messages, in its order, and nothing is written', async () => {
      const before = await versionCount();
      const cases: [unknown, string[]][] = [
        [{ version: { name: '' } }, ['Name cannot be blank']],
        [{ version: { name: '   ' } }, ['Name cannot be blank']],
        [{}, ['Name cannot be blank']],
        [{ version: { name: null } }, ['Name cannot be blank']],
        [{ version: { name: '1.0' } }, ['Name has already been taken']],
        [{ version: { name: 'x'.repeat(61) } }, ['Name is too long (maximum is 60 characters)']],
        [{ version: { name: 'ok', status: 'done' } }, ['Status is not included in the list']],
        [{ version: { name: 'ok', status: '' } }, ['Status is not included in the list']],
        [{ version: { name: 'ok', due_date: '2024-02-30' } }, ['Due date is not a valid date']],
        [{ version: { name: 'ok', due_date: '24-01-01' } }, ['Due date is not a valid date']],
        [{ version: { name: 'ok', effective_date: 'tomorrow' } }, ['Due date is not a valid date']],
        [{ version: { name: 'ok', due_date: '0000-01-01' } }, ['Due date is not a valid date']],
        [{ version: { name: 'ok', description: 'd'.repeat(256), wiki_page_title: 'w'.repeat(256) } }, ['Description is too long (maximum is 255 characters)', 'Wiki page title is too long (maximum is 255 characters)']],
        [
          { version: { name: '', due_date: 'x', status: 'x' } },
          ['Name cannot be blank', 'Due date is not a valid date', 'Status is not included in the list'],
        ],
      ];
      for (const [body, errors] of cases) {
        const answer = await call('POST', '/projects/ecookbook/versions.json', 'admin', body);
        assert.equal(answer.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors, JSON.stringify(body));
      }
      const xml = await call('POST', '/projects/ecookbook/versions.xml', 'admin', { version: { name: '' } });
      assert.equal(xml.statusCode, 422);
      assert.equal(xml.body, '<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>Name cannot be blank</error></errors>');
      assert.equal(await versionCount(), before);
      // Names are unique per project and case-sensitively; 60 characters (not UTF-16 units) are fine.
      assert.equal((await create('other', { name: '1.0' })).name, '1.0');
      assert.equal((await create('ecookbook', { name: 'J Tree' })).name, 'J Tree');
      assert.equal((await create('ecookbook', { name: '🚀'.repeat(60) })).name, '🚀'.repeat(60));
      assert.equal((await create('ecookbook', { name: 'Leap', due_date: '2024-02-29' })).due_date, '2024-02-29');
    });

    test('markup and SQL in names are stored as sent and escaped only by the writers', async () => {
      const name = `<b>"1.1"</b>'); DROP TABLE versions;--`;
      const version = await create('ecookbook', { name, description: '<script>alert(1)</script> & more' });
      assert.deepEqual(await sql('SELECT name, description FROM versions WHERE id = $1', [version.id]), [{ name, description: '<script>alert(1)</script> & more' }]);
      assert.equal((await show(version.id)).name, name);
      const xml = (await call('GET', `/versions/${version.id}.xml`, 'admin')).body;
      assert.ok(xml.includes('<name>&lt;b&gt;&quot;1.1&quot;&lt;/b&gt;&apos;); DROP TABLE versions;--</name>'), xml);
      assert.ok(xml.includes('<description>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</description>'), xml);
      assert.equal((await call('DELETE', `/versions/${version.id}.json`, 'admin')).statusCode, 204);
    });

    test('update: 204 with an empty body, PATCH and XML too; 422 on invalid input; no `version` changes nothing', async () => {
      const versionId = id('1.0');
      const before = await show(versionId);
      const put = await call('PUT', `/versions/${versionId}.json`, 'jsmith', { version: { name: '1.0.1', status: 'closed', due_date: '', wiki_page_title: '' } });
      assert.equal(put.statusCode, 204);
      assert.equal(put.body, '');
      assert.equal(put.headers['content-type'], undefined);
      const after = await show(versionId);
      assert.deepEqual([after.name, after.status, after.due_date, after.wiki_page_title, after.description], ['1.0.1', 'closed', null, '', 'Stable release']);
      assert.ok(String(after.updated_on) >= String(before.updated_on));
      assert.equal(after.created_on, before.created_on);
      const patch = await call('PATCH', `/versions/${versionId}.xml`, 'jsmith', '<version><name>1.0</name><effective_date>2024-07-01</effective_date></version>', 'application/xml');
      assert.equal(patch.statusCode, 204, patch.body);
      assert.deepEqual([(await show(versionId)).name, (await show(versionId)).due_date], ['1.0', '2024-07-01']);
      const taken = await call('PUT', `/versions/${versionId}.json`, 'jsmith', { version: { name: 'J tree', status: 'frozen' } });
      assert.equal(taken.statusCode, 422);
      assert.deepEqual(taken.json<{ errors: string[] }>().errors, ['Name has already been taken', 'Status is not included in the list']);
      assert.equal((await show(versionId)).name, '1.0');
      // Keeping its own name is no clash with itself.
      assert.equal((await call('PUT', `/versions/${versionId}.json`, 'jsmith', { version: { name: '1.0' } })).statusCode, 204);
      const untouched = await show(versionId);
      assert.equal((await call('PUT', `/versions/${versionId}.json`, 'jsmith', {})).statusCode, 204);
      assert.deepEqual(await show(versionId), untouched);
    });

    test('default_project_version makes it the project’s default version; deleting it clears that', async () => {
      const version = await create('ecookbook', { name: 'Default', default_project_version: true });
      assert.equal((await sql('SELECT default_version_id FROM projects WHERE id = $1', [id('ecookbook')]))[0]?.default_version_id, version.id);
      const other = await create('ecookbook', { name: 'Another' });
      assert.equal((await call('PUT', `/versions/${other.id}.json`, 'admin', { version: { default_project_version: '1' } })).statusCode, 204);
      assert.equal((await sql('SELECT default_version_id FROM projects WHERE id = $1', [id('ecookbook')]))[0]?.default_version_id, other.id);
      assert.equal((await call('DELETE', `/versions/${other.id}.json`, 'admin')).statusCode, 204);
      assert.equal((await sql('SELECT default_version_id FROM projects WHERE id = $1', [id('ecookbook')]))[0]?.default_version_id, null);
      assert.equal((await call('DELETE', `/versions/${version.id}.json`, 'admin')).statusCode, 204);
    });

    test('show: estimated hours of the issues the viewer sees; hours only with view_time_entries', async () => {
      const version = await create('ecookbook', { name: 'Hours' });
      await insertIssue('ecookbook', { fixed_version_id: version.id, estimated_hours: 1.5 });
      await insertIssue('ecookbook', { fixed_version_id: version.id, estimated_hours: 2, is_private: true });
      await insertIssue('ecookbook', { fixed_version_id: version.id });
      // Manager sees all issues, Reporter and strangers only the public one.
      assert.deepEqual([(await show(version.id, 'admin')).estimated_hours, (await show(version.id, 'jsmith')).estimated_hours], [3.5, 3.5]);
      assert.deepEqual([(await show(version.id, 'rhill')).estimated_hours, (await show(version.id, 'outsider')).estimated_hours], [1.5, 1.5]);
      assert.equal((await show(version.id, 'rhill')).spent_hours, 0);
      // Without the time tracking module nobody sees hours.
      const modules = ['issue_tracking', 'news', 'documents', 'files', 'wiki'];
      assert.equal((await call('PUT', '/projects/ecookbook.json', 'admin', { project: { enabled_module_names: modules } })).statusCode, 204);
      const shown = await show(version.id, 'admin');
      assert.deepEqual(Object.keys(shown), LIST_KEYS);
      assert.equal((await call('PUT', '/projects/ecookbook.json', 'admin', { project: { enabled_module_names: [...modules, 'time_tracking'] } })).statusCode, 204);
    });

    test('delete: 204; a version issues use is refused with a bare 422', async () => {
      const used = Number((await sql("SELECT id FROM versions WHERE name = 'Hours'"))[0]?.id);
      const refused = await call('DELETE', `/versions/${used}.json`, 'jsmith');
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.body, '');
      assert.match(String(refused.headers['content-type']), /^application\/json/);
      assert.equal((await call('DELETE', `/versions/${used}.xml`, 'jsmith')).statusCode, 422);
      assert.equal((await sql('SELECT count(*)::int AS n FROM versions WHERE id = $1', [used]))[0]?.n, 1);
      const unused = await create('ecookbook', { name: 'Unused' });
      const deleted = await call('DELETE', `/versions/${unused.id}.xml`, 'jsmith');
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal((await call('GET', `/versions/${unused.id}.json`, 'admin')).statusCode, 404);
    });

    test('narrowing the sharing takes issues of projects that lose the version off it, with a journal', async () => {
      const version = await create('ecookbook', { name: 'Shared down', sharing: 'descendants' });
      const own = await insertIssue('ecookbook', { fixed_version_id: version.id });
      const inChild = await insertIssue('child', { fixed_version_id: version.id });
      // Widening keeps everything.
      assert.equal((await call('PUT', `/versions/${version.id}.json`, 'admin', { version: { sharing: 'tree' } })).statusCode, 204);
      assert.equal((await sql('SELECT fixed_version_id FROM issues WHERE id = $1', [inChild]))[0]?.fixed_version_id, version.id);
      assert.equal((await call('PUT', `/versions/${version.id}.json`, 'jsmith', { version: { sharing: 'none' } })).statusCode, 204);
      assert.equal((await sql('SELECT fixed_version_id FROM issues WHERE id = $1', [own]))[0]?.fixed_version_id, version.id);
      const [lost] = await sql('SELECT fixed_version_id, lock_version FROM issues WHERE id = $1', [inChild]);
      assert.deepEqual(lost, { fixed_version_id: null, lock_version: 1 });
      const journal = await sql(
        `SELECT j.user_id, j.notes, d.property, d.prop_key, d.old_value, d.value FROM journals j JOIN journal_details d ON d.journal_id = j.id
          WHERE j.journalized_type = 'Issue' AND j.journalized_id = $1`,
        [inChild],
      );
      assert.deepEqual(journal, [{ user_id: id('jsmith'), notes: '', property: 'attr', prop_key: 'fixed_version_id', old_value: String(version.id), value: null }]);
      assert.equal((await sql('SELECT count(*)::int AS n FROM journals WHERE journalized_id = $1', [own]))[0]?.n, 0);
    });

    test('permissions: view_issues to read, manage_versions to write (403), 401 for anonymous writes, 404 for private projects', async () => {
      const versionId = id('1.0');
      const [secretVersion] = await sql("SELECT id FROM versions WHERE name = 'Secret system'");
      const secretId = Number(secretVersion?.id);
      // rhill is a Reporter (no manage_versions).
      assert.equal((await call('POST', '/projects/ecookbook/versions.json', 'rhill', { version: { name: 'Nope' } })).statusCode, 403);
      assert.equal((await call('PUT', `/versions/${versionId}.json`, 'rhill', { version: { name: 'Nope' } })).statusCode, 403);
      assert.equal((await call('DELETE', `/versions/${versionId}.json`, 'rhill')).statusCode, 403);
      // dlopper manages versions of Child, not of its parent's versions shared with Child.
      const shared = Number((await sql("SELECT id FROM versions WHERE name = 'Book descendants'"))[0]?.id);
      assert.equal((await call('PUT', `/versions/${shared}.json`, 'dlopper', { version: { name: 'Nope' } })).statusCode, 403);
      assert.equal((await call('GET', `/versions/${shared}.json`, 'dlopper')).statusCode, 200);
      // A private project is invisible to strangers: 404 whatever the verb.
      for (const [method, path] of [
        ['GET', '/projects/secret/versions.json'],
        ['POST', '/projects/secret/versions.json'],
        ['GET', `/versions/${secretId}.json`],
        ['PUT', `/versions/${secretId}.json`],
        ['DELETE', `/versions/${secretId}.json`],
      ] as const) {
        assert.equal((await call(method, path, 'outsider', method === 'GET' || method === 'DELETE' ? undefined : { version: { name: 'Nope' } })).statusCode, 404, `${method} ${path}`);
      }
      assert.equal((await call('GET', '/projects/secret/versions.json', 'jsmith')).statusCode, 200);
      // Anonymous: reads of public projects are allowed, writes ask for credentials.
      assert.equal((await call('GET', '/projects/ecookbook/versions.json', undefined)).statusCode, 200);
      const anonymous = await call('POST', '/projects/ecookbook/versions.json', undefined, { version: { name: 'Nope' } });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
      assert.equal((await call('DELETE', `/versions/${versionId}.json`, undefined)).statusCode, 401);
      // Without issue tracking there is nothing to read either.
      assert.equal((await call('PUT', '/projects/other.json', 'admin', { project: { enabled_module_names: ['wiki'] } })).statusCode, 204);
      assert.equal((await call('GET', '/projects/other/versions.json', 'outsider')).statusCode, 403);
      assert.equal((await call('PUT', '/projects/other.json', 'admin', { project: { enabled_module_names: ['issue_tracking', 'time_tracking'] } })).statusCode, 204);
      // Login required: anonymous reads are 401 too.
      await setting('login_required', '1');
      try {
        const answer = await call('GET', `/versions/${versionId}.json`, undefined);
        assert.equal(answer.statusCode, 401);
        assert.equal((await call('GET', '/projects/ecookbook/versions.json', undefined)).statusCode, 401);
      } finally {
        await setting('login_required', '0');
      }
      assert.equal((await sql("SELECT count(*)::int AS n FROM versions WHERE name = 'Nope'"))[0]?.n, 0);
    });

    test('a closed project’s versions can be read but not written, even by administrators', async () => {
      const version = await create('other', { name: 'Before closing' });
      assert.equal((await call('PUT', '/projects/other/close.json', 'admin')).statusCode, 204);
      try {
        assert.equal((await call('GET', '/projects/other/versions.json', 'outsider')).statusCode, 200);
        assert.equal((await call('GET', `/versions/${version.id}.json`, 'outsider')).statusCode, 200);
        assert.equal((await call('POST', '/projects/other/versions.json', 'admin', { version: { name: 'Closed' } })).statusCode, 403);
        assert.equal((await call('PUT', `/versions/${version.id}.json`, 'admin', { version: { name: 'Closed' } })).statusCode, 403);
        assert.equal((await call('DELETE', `/versions/${version.id}.json`, 'admin')).statusCode, 403);
      } finally {
        assert.equal((await call('PUT', '/projects/other/reopen.json', 'admin')).statusCode, 204);
      }
      assert.equal((await show(version.id)).name, 'Before closing');
    });
  });
}
