/** `GET /custom_fields` over the REST API (§6.18): field by field, JSON and XML, administrators only. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`custom fields over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const insertField = async (columns: Json) => {
      const names = Object.keys(columns);
      const [row] = await sql(
        `INSERT INTO custom_fields (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(columns),
      );
      ids[String(columns.name)] = Number(row?.id);
      return Number(row?.id);
    };
    const fieldsOf = async (as = 'admin') => {
      const answer = await call('GET', '/custom_fields.json', as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ custom_fields: Json[] }>().custom_fields;
    };
    const fieldNamed = async (name: string) => (await fieldsOf()).find((f) => f.name === name) ?? {};

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith']]);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook']]);

      await insertField({
        type: 'IssueCustomField', name: 'Database', field_format: 'list', possible_values: JSON.stringify(['MySQL', 'PostgreSQL', 'Oracle']),
        is_filter: true, searchable: true, default_value: 'MySQL', description: 'Which database', is_for_all: true, position: 1,
      });
      for (const tracker of ['Support', 'Bug']) {
        await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [id('Database'), id(tracker)]);
      }
      await insertField({
        type: 'IssueCustomField', name: 'Secret', field_format: 'string', visible: false, regexp: '^[a-z]+$', min_length: 2, max_length: 20,
        is_required: true, searchable: true, multiple: true, editable: false,
      });
      await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2), ($1, $3)', [id('Secret'), id('Reporter'), id('Manager')]);
      await sql('INSERT INTO custom_fields_projects (custom_field_id, project_id) VALUES ($1, $2)', [id('Secret'), id('ecookbook')]);
      await insertField({ type: 'UserCustomField', name: 'Newsletter', field_format: 'bool', multiple: true, searchable: true, default_value: '0' });
      await insertField({ type: 'ProjectCustomField', name: 'Category', field_format: 'enumeration', multiple: true });
      await sql("INSERT INTO custom_field_enumerations (custom_field_id, name, active, position) VALUES ($1, 'Zeta', true, 2), ($1, 'Alpha', true, 1), ($1, 'Retired', false, 3)", [id('Category')]);
      await insertField({ type: 'TimeEntryCustomField', name: 'Approver', field_format: 'user', format_store: JSON.stringify({ user_role: [] }) });
      await insertField({ type: 'VersionCustomField', name: 'Follows', field_format: 'version', format_store: JSON.stringify({ version_status: ['open'] }) });
      await sql(
        "INSERT INTO versions (project_id, name, status, sharing, effective_date) VALUES ($1, '2.0', 'open', 'system', '2030-01-01'), ($1, '1.0', 'open', 'system', '2029-01-01'), ($1, 'old', 'closed', 'system', NULL), ($1, 'mine', 'open', 'none', NULL)",
        [id('ecookbook')],
      );
      const versions = Object.fromEntries((await sql('SELECT id, name FROM versions')).map((v) => [String(v.name), Number(v.id)]));
      Object.assign(ids, { v1: versions['1.0'], v2: versions['2.0'] });
      await insertField({ type: 'GroupCustomField', name: '<b>Markup</b> & "SQL\'', field_format: 'list', possible_values: JSON.stringify(["'); DROP TABLE users;--", '<i>x</i>']) });
      await insertField({ type: 'IssuePriorityCustomField', name: 'Empty list', field_format: 'list', possible_values: null, description: null });
    });

    test('administrators only: 401 for anonymous (with the Basic challenge), 403 for other users, empty bodies', async () => {
      for (const suffix of ['json', 'xml']) {
        const anonymous = await call('GET', `/custom_fields.${suffix}`, undefined);
        assert.equal(anonymous.statusCode, 401);
        assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
        assert.equal(anonymous.body, '');
        const user = await call('GET', `/custom_fields.${suffix}`, 'jsmith');
        assert.equal(user.statusCode, 403);
        assert.equal(user.body, '');
        assert.match(String(user.headers['content-type']), suffix === 'json' ? /application\/json/ : /application\/xml/);
      }
    });

    test('list: every field, in id order, no meta', async () => {
      const answer = await call('GET', '/custom_fields.json', 'admin');
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(Object.keys(answer.json<object>()), ['custom_fields']);
      const fields = answer.json<{ custom_fields: Json[] }>().custom_fields;
      assert.deepEqual(fields.map((f) => f.name), ['Database', 'Secret', 'Newsletter', 'Category', 'Approver', 'Follows', '<b>Markup</b> & "SQL\'', 'Empty list']);
      assert.deepEqual(fields.map((f) => f.customized_type), ['issue', 'issue', 'user', 'project', 'time_entry', 'version', 'group', 'issue_priority']);
    });

    test('an issue list field, field by field: options, trackers by position, roles', async () => {
      assert.deepEqual(await fieldNamed('Database'), {
        id: id('Database'),
        name: 'Database',
        description: 'Which database',
        customized_type: 'issue',
        field_format: 'list',
        regexp: '',
        min_length: null,
        max_length: null,
        is_required: false,
        is_for_all: true,
        is_filter: true,
        searchable: true,
        multiple: false,
        default_value: 'MySQL',
        visible: true,
        editable: true,
        possible_values: [
          { value: 'MySQL', label: 'MySQL' },
          { value: 'PostgreSQL', label: 'PostgreSQL' },
          { value: 'Oracle', label: 'Oracle' },
        ],
        projects: [],
        trackers: [{ id: id('Bug'), name: 'Bug' }, { id: id('Support'), name: 'Support' }],
        roles: [],
      });
    });

    test('a hidden string field: constraints, roles that see it; no options; multiple only where supported', async () => {
      const secret = await fieldNamed('Secret');
      assert.deepEqual(Object.keys(secret), [
        'id', 'name', 'description', 'customized_type', 'field_format', 'regexp', 'min_length', 'max_length', 'is_required', 'is_for_all',
        'is_filter', 'searchable', 'multiple', 'default_value', 'visible', 'editable', 'projects', 'trackers', 'roles',
      ]);
      assert.deepEqual(
        [secret.regexp, secret.min_length, secret.max_length, secret.is_required, secret.visible, secret.editable, secret.multiple, secret.searchable],
        ['^[a-z]+$', 2, 20, true, false, false, false, true],
      );
      assert.deepEqual(secret.description, null);
      assert.deepEqual(secret.default_value, null);
      assert.deepEqual(secret.trackers, []);
      assert.equal(secret.is_for_all, false);
      assert.deepEqual(secret.projects, [{ id: id('ecookbook'), name: 'eCookbook' }]);
      assert.deepEqual(secret.roles, [{ id: id('Manager'), name: 'Manager' }, { id: id('Reporter'), name: 'Reporter' }]);
    });

    test('formats with options: bool Yes/No, enumeration ids of active values, system versions in the allowed statuses', async () => {
      const newsletter = await fieldNamed('Newsletter');
      assert.deepEqual(newsletter.possible_values, [{ value: '1', label: 'Yes' }, { value: '0', label: 'No' }]);
      assert.deepEqual([newsletter.multiple, newsletter.searchable, newsletter.default_value], [false, false, '0'], 'bool supports neither');
      assert.equal('trackers' in newsletter, false, 'trackers and projects only for issue fields');
      assert.equal('projects' in newsletter, false);
      assert.equal('roles' in newsletter, false, 'roles for issue, time entry, project and version fields (Redmine 7.0)');
      assert.deepEqual((await fieldNamed('Approver')).roles, []);
      const category = await fieldNamed('Category');
      const enumerations = Object.fromEntries((await sql('SELECT id, name FROM custom_field_enumerations')).map((e) => [String(e.name), String(e.id)]));
      assert.deepEqual(category.possible_values, [{ value: enumerations.Alpha, label: 'Alpha' }, { value: enumerations.Zeta, label: 'Zeta' }]);
      assert.equal(category.multiple, true);
      assert.equal('possible_values' in (await fieldNamed('Approver')), false, 'user fields list no options without a project');
      assert.deepEqual((await fieldNamed('Follows')).possible_values, [{ value: String(id('v1')), label: '1.0' }, { value: String(id('v2')), label: '2.0' }]);
      assert.equal('possible_values' in (await fieldNamed('Empty list')), false, 'an empty option list is omitted');
    });

    test('names and values that look like markup or SQL are data', async () => {
      const odd = await fieldNamed('<b>Markup</b> & "SQL\'');
      assert.deepEqual(odd.possible_values, [{ value: "'); DROP TABLE users;--", label: "'); DROP TABLE users;--" }, { value: '<i>x</i>', label: '<i>x</i>' }]);
      const xml = (await call('GET', '/custom_fields.xml', 'admin')).body;
      assert.ok(xml.includes('<name>&lt;b&gt;Markup&lt;/b&gt; &amp; &quot;SQL&apos;</name>'), xml);
      assert.ok(xml.includes('<value>&lt;i&gt;x&lt;/i&gt;</value>'));
      assert.ok(Number((await sql('SELECT count(*)::int AS n FROM users'))[0]?.n) > 0, 'stored verbatim, never executed');
    });

    test('XML: typed arrays, refs as attribute elements, nil as empty elements', async () => {
      const answer = await call('GET', '/custom_fields.xml', 'admin');
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.headers['content-type'], 'application/xml; charset=utf-8');
      const xml = answer.body;
      assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><custom_fields type="array"><custom_field>'), xml.slice(0, 120));
      assert.ok(
        xml.includes(
          `<custom_field><id>${id('Database')}</id><name>Database</name><description>Which database</description><customized_type>issue</customized_type>` +
            '<field_format>list</field_format><regexp></regexp><min_length/><max_length/><is_required>false</is_required><is_for_all>true</is_for_all><is_filter>true</is_filter>' +
            '<searchable>true</searchable><multiple>false</multiple><default_value>MySQL</default_value><visible>true</visible><editable>true</editable>' +
            '<possible_values type="array"><possible_value><value>MySQL</value><label>MySQL</label></possible_value>' +
            '<possible_value><value>PostgreSQL</value><label>PostgreSQL</label></possible_value><possible_value><value>Oracle</value><label>Oracle</label></possible_value></possible_values>' +
            `<projects type="array"></projects><trackers type="array"><tracker id="${id('Bug')}" name="Bug"/><tracker id="${id('Support')}" name="Support"/></trackers><roles type="array"></roles></custom_field>`,
        ),
        xml,
      );
      assert.ok(xml.includes(`<roles type="array"><role id="${id('Manager')}" name="Manager"/><role id="${id('Reporter')}" name="Reporter"/></roles>`));
      assert.ok(xml.endsWith('</custom_fields>'));
    });
  });
}
