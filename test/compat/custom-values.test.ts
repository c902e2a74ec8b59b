/**
 * Custom values of projects, users, groups and versions over the REST API (§1.5, §6.2, §6.4, §6.5,
 * §6.9, §6.21): the `custom_fields` section field by field (JSON and XML), writing through
 * `custom_fields` and `custom_field_values`, defaults, Redmine's validation messages (custom field
 * errors first, names humanised), who sees which field (role visibility of project and version
 * fields, the `visible` flag of user fields for everyone, administrators included), the `editable`
 * flag on one's own account, nothing written on a 422, and values removed with their record.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type CustomField = { id: number; name: string; multiple?: true; value: string | string[] | null };
type WithFields = Json & { id: number; custom_fields?: CustomField[] };

for (const { engine, skip } of await engineCases()) {
  describe(`custom values of projects, users, groups and versions (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const insertField = async (columns: Json, roles: readonly string[] = []) => {
      const names = Object.keys(columns);
      const [row] = await sql(
        `INSERT INTO custom_fields (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(columns),
      );
      ids[String(columns.name)] = Number(row?.id);
      for (const role of roles) {
        await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [Number(row?.id), id(role)]);
      }
    };
    const get = async <T>(url: string, as: string | undefined, root: string) => {
      const answer = await call('GET', url, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<Record<string, T>>()[root] as T;
    };
    /** `{name: value}` of a record's custom_fields, to compare at a glance. */
    const valuesOf = (record: WithFields | undefined) => Object.fromEntries((record?.custom_fields ?? []).map((f) => [f.name, f.value]));
    const storedFor = async (type: string, recordId: number) =>
      (await sql('SELECT f.name, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.custom_field_id WHERE v.customized_type = $1 AND v.customized_id = $2 ORDER BY v.id', [type, recordId]))
        .map((row) => `${String(row.name)}=${String(row.value)}`);
    const countOf = async (table: string) => Number((await sql(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
    /** Every stored value, and the number of rows of the customised tables: a refused write changes neither. */
    const snapshot = async () => ({
      values: (await sql('SELECT customized_type, customized_id, custom_field_id, value FROM custom_values ORDER BY id')).map((r) => JSON.stringify(r)),
      rows: [await countOf('projects'), await countOf('versions'), await countOf('users')],
    });
    const refused = async (method: 'POST' | 'PUT', url: string, as: string, body: Json, errors: string[]) => {
      const before = await snapshot();
      const answer = await call(method, url, as, body);
      assert.equal(answer.statusCode, 422, answer.body);
      assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors);
      assert.deepEqual(await snapshot(), before, 'nothing written');
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['rhill', 'Robert', 'Hill'], ['outsider', 'Out', 'Sider']]);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      const list = (values: string[]) => JSON.stringify(values);
      // Project fields, deliberately inserted out of position order.
      await insertField({ type: 'ProjectCustomField', name: 'Platforms', field_format: 'list', possible_values: list(['Linux', 'Mac', 'Windows']), multiple: true, position: 3 });
      await insertField({ type: 'ProjectCustomField', name: 'Stage', field_format: 'list', possible_values: list(['Alpha', 'Beta']), is_required: true, default_value: 'Alpha', position: 1, is_filter: true });
      await insertField({ type: 'ProjectCustomField', name: 'Budget_EUR', field_format: 'int', position: 2, is_filter: true });
      await insertField({ type: 'ProjectCustomField', name: 'Internal', field_format: 'string', visible: false, position: 4, is_filter: true }, ['Reporter']);
      await insertField({ type: 'ProjectCustomField', name: 'Public note', field_format: 'string', visible: false, position: 5 }, ['Non member']);
      await insertField({ type: 'ProjectCustomField', name: 'Owner', field_format: 'user', format_store: JSON.stringify({ user_role: [] }), position: 6 });
      // User fields.
      await insertField({ type: 'UserCustomField', name: 'Nickname', field_format: 'string', regexp: '^[a-z]+$', max_length: 10, position: 1 });
      await insertField({ type: 'UserCustomField', name: 'Badge', field_format: 'string', visible: false, position: 2 });
      await insertField({ type: 'UserCustomField', name: 'Employee id', field_format: 'string', editable: false, position: 3 });
      // Group fields.
      await insertField({ type: 'GroupCustomField', name: 'Team size', field_format: 'int', position: 1 });
      // Version fields.
      await insertField({ type: 'VersionCustomField', name: 'Codename', field_format: 'string', is_required: true, position: 1 });
      await insertField({ type: 'VersionCustomField', name: 'Reviewed', field_format: 'bool', position: 2 });
      await insertField({ type: 'VersionCustomField', name: 'Plan', field_format: 'text', visible: false, position: 3 }, ['Reporter']);
      // Values stored as Redmine stores them, for the read tests.
      await sql(
        `INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES
           ('Project', $1, $2, 'Beta'), ('Project', $1, $3, 'Linux'), ('Project', $1, $3, 'Mac'),
           ('Project', $1, $4, 'for reporters'), ('Project', $1, $5, 'for strangers')`,
        [id('ecookbook'), id('Stage'), id('Platforms'), id('Internal'), id('Public note')],
      );
      await sql(
        "INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ('Principal', $1, $2, 'johnny'), ('Principal', $1, $3, 'gold'), ('Principal', $1, $4, 'E-1')",
        [id('jsmith'), id('Nickname'), id('Badge'), id('Employee id')],
      );
    });

    describe('projects', () => {
      test('show: visible fields by position with their values; multiple fields as arrays; never-stored values null', async () => {
        const answer = await call('GET', '/projects/ecookbook.json', 'admin');
        assert.equal(answer.statusCode, 200, answer.body);
        const project = answer.json<{ project: WithFields }>().project;
        assert.deepEqual(Object.keys(project), ['id', 'name', 'identifier', 'description', 'homepage', 'status', 'is_public', 'inherit_members', 'custom_fields', 'created_on', 'updated_on']);
        assert.deepEqual(project.custom_fields, [
          { id: id('Stage'), name: 'Stage', value: 'Beta' },
          { id: id('Budget_EUR'), name: 'Budget_EUR', value: null },
          { id: id('Platforms'), name: 'Platforms', multiple: true, value: ['Linux', 'Mac'] },
          { id: id('Internal'), name: 'Internal', value: 'for reporters' },
          { id: id('Public note'), name: 'Public note', value: 'for strangers' },
          { id: id('Owner'), name: 'Owner', value: null },
        ]);
      });

      test('XML: <custom_fields type="array"> with id/name attributes, multiple values nested', async () => {
        const answer = await call('GET', '/projects/ecookbook.xml', 'admin');
        assert.equal(answer.statusCode, 200);
        assert.ok(
          answer.body.includes(
            `<inherit_members>false</inherit_members><custom_fields type="array"><custom_field id="${id('Stage')}" name="Stage"><value>Beta</value></custom_field>` +
              `<custom_field id="${id('Budget_EUR')}" name="Budget_EUR"><value/></custom_field>` +
              `<custom_field id="${id('Platforms')}" name="Platforms" multiple="true"><value type="array"><value>Linux</value><value>Mac</value></value></custom_field>`,
          ),
          answer.body,
        );
      });

      test('role visibility (ProjectCustomField#visible_by?): a field limited to roles shows to those roles, admins, and Non member on a public project', async () => {
        const seen = async (as: string | undefined) => Object.keys(valuesOf(await get<WithFields>('/projects/ecookbook.json', as, 'project')));
        assert.deepEqual(await seen('rhill'), ['Stage', 'Budget_EUR', 'Platforms', 'Internal', 'Owner'], 'Reporter');
        assert.deepEqual(await seen('jsmith'), ['Stage', 'Budget_EUR', 'Platforms', 'Owner'], 'Manager: not a role of Internal');
        assert.deepEqual(await seen('outsider'), ['Stage', 'Budget_EUR', 'Platforms', 'Public note', 'Owner'], 'Non member');
        assert.deepEqual(await seen(undefined), ['Stage', 'Budget_EUR', 'Platforms', 'Owner'], 'Anonymous');
      });

      test('list: each project with the fields its viewer may see there', async () => {
        const answer = await call('GET', '/projects.json', 'rhill');
        const projects = answer.json<{ projects: WithFields[] }>().projects;
        const ecookbook = projects.find((p) => p.id === id('ecookbook'));
        assert.deepEqual(valuesOf(ecookbook), { Stage: 'Beta', Budget_EUR: null, Platforms: ['Linux', 'Mac'], Internal: 'for reporters', Owner: null });
        assert.equal(projects.find((p) => p.id === id('secret')), undefined);
        const asManager = (await get<WithFields[]>('/projects.json', 'jsmith', 'projects')).find((p) => p.id === id('secret'));
        assert.deepEqual(valuesOf(asManager), { Stage: null, Budget_EUR: null, Platforms: [], Owner: null });
      });

      test('list filters cf_N (short and long form) over visible filter fields; unusable values are 422', async () => {
        const identifiers = async (query: string, as = 'admin') => (await get<WithFields[]>(`/projects.json?${query}`, as, 'projects')).map((p) => p.identifier);
        assert.deepEqual(await identifiers(`cf_${id('Stage')}=Beta`), ['ecookbook']);
        assert.deepEqual(await identifiers(`cf_${id('Stage')}=!Beta`), ['secret']);
        assert.deepEqual(await identifiers(`f[]=cf_${id('Stage')}&op[cf_${id('Stage')}]=!*`), ['secret']);
        assert.deepEqual(await identifiers(`cf_${id('Internal')}=~reporters`, 'rhill'), ['ecookbook'], 'a Reporter may filter on Internal');
        assert.deepEqual(await identifiers(`cf_${id('Internal')}=~reporters`, 'jsmith'), ['ecookbook', 'secret'], 'ignored for whoever cannot see it');
        assert.deepEqual(await identifiers(`cf_${id('Platforms')}=Linux`), ['ecookbook', 'secret'], 'not a filter field: ignored');
        const bad = await call('GET', `/projects.json?cf_${id('Budget_EUR')}=abc`, 'admin');
        assert.equal(bad.statusCode, 422);
        assert.deepEqual(bad.json<{ errors: string[] }>().errors, ['Budget_EUR is invalid']);
      });

      test('create: custom_fields and custom_field_values; defaults for fields not given; 201 shows them', async () => {
        const answer = await call('POST', '/projects.json', 'admin', {
          project: {
            name: 'Made',
            identifier: 'made',
            custom_fields: [{ id: id('Platforms'), value: ['Windows', 'Linux', ''] }, { id: id('Budget_EUR'), value: 1200 }],
            custom_field_values: { [id('Internal')]: 'note' },
          },
        });
        assert.equal(answer.statusCode, 201, answer.body);
        const project = answer.json<{ project: WithFields }>().project;
        ids.made = project.id;
        assert.deepEqual(valuesOf(project), { Stage: 'Alpha', Budget_EUR: '1200', Platforms: ['Windows', 'Linux'], Internal: 'note', 'Public note': null, Owner: null });
        assert.deepEqual(await storedFor('Project', project.id), ['Stage=Alpha', 'Budget_EUR=1200', 'Platforms=Windows', 'Platforms=Linux', 'Internal=note']);
      });

      test('validation: Redmine messages with humanised names, custom field errors first; nothing written', async () => {
        await refused('POST', '/projects.json', 'admin', { project: { name: '', identifier: 'bad', custom_fields: [{ id: id('Stage'), value: 'Gamma' }, { id: id('Budget_EUR'), value: '12a' }] } }, [
          'Stage is not included in the list',
          'Budget eur is not a number',
          'Name cannot be blank',
        ]);
        await refused('POST', '/projects.json', 'admin', { project: { name: 'Blank', identifier: 'blank', custom_field_values: { [id('Stage')]: '' } } }, ['Stage cannot be blank']);
        await refused('POST', '/projects.json', 'admin', { project: { name: 'Single', identifier: 'single', custom_fields: [{ id: id('Stage'), value: ['Alpha', 'Beta'] }] } }, ['Stage is invalid']);
        // A user field names members of the project: a new project has none.
        await refused('POST', '/projects.json', 'admin', { project: { name: 'Owned', identifier: 'owned', custom_fields: [{ id: id('Owner'), value: id('jsmith') }] } }, ['Owner is not included in the list']);
        await refused('PUT', '/projects/ecookbook.json', 'admin', { project: { custom_fields: [{ id: id('Owner'), value: id('outsider') }] } }, ['Owner is not included in the list']);
        await refused('PUT', '/projects/ecookbook.json', 'admin', { project: { custom_fields: [{ id: id('Stage'), value: '' }] } }, ['Stage cannot be blank']);
      });

      test('update: given fields change, others keep their value; a field the editor cannot see is dropped silently', async () => {
        const update = await call('PUT', '/projects/ecookbook.json', 'jsmith', {
          project: { custom_fields: [{ id: id('Platforms'), value: [] }, { id: id('Owner'), value: String(id('rhill')) }, { id: id('Internal'), value: 'overwritten?' }] },
        });
        assert.equal(update.statusCode, 204, update.body);
        const project = await get<WithFields>('/projects/ecookbook.json', 'admin', 'project');
        assert.deepEqual(valuesOf(project), { Stage: 'Beta', Budget_EUR: null, Platforms: [], Internal: 'for reporters', 'Public note': 'for strangers', Owner: String(id('rhill')) });
        assert.deepEqual(await storedFor('Project', id('ecookbook')), ['Stage=Beta', 'Internal=for reporters', 'Public note=for strangers', 'Platforms=', `Owner=${id('rhill')}`]);
        const form = await call('PUT', '/projects/ecookbook.json', 'admin', `project[custom_field_values][${id('Budget_EUR')}]=7`, 'application/x-www-form-urlencoded');
        assert.equal(form.statusCode, 204, form.body);
        assert.equal(valuesOf(await get<WithFields>('/projects/ecookbook.json', 'admin', 'project')).Budget_EUR, '7');
      });

      test('delete: the project goes, and its custom values with it', async () => {
        assert.ok((await storedFor('Project', id('made'))).length > 0);
        const answer = await call('DELETE', '/projects/made.json', 'admin');
        assert.equal(answer.statusCode, 204, answer.body);
        assert.deepEqual(await storedFor('Project', id('made')), []);
      });
    });

    describe('users', () => {
      test('show, list, current and my/account: fields with the visible flag only — administrators included', async () => {
        const expected = { Nickname: 'johnny', 'Employee id': 'E-1' };
        assert.deepEqual(valuesOf(await get<WithFields>(`/users/${id('jsmith')}.json`, 'admin', 'user')), expected);
        assert.deepEqual(valuesOf(await get<WithFields>(`/users/${id('jsmith')}.json`, 'rhill', 'user')), expected);
        assert.deepEqual(valuesOf(await get<WithFields>('/users/current.json', 'jsmith', 'user')), expected);
        assert.deepEqual(valuesOf(await get<WithFields>('/my/account.json', 'jsmith', 'user')), expected);
        const listed = (await get<WithFields[]>('/users.json', 'admin', 'users')).find((u) => u.id === id('jsmith'));
        assert.deepEqual(listed?.custom_fields, [
          { id: id('Nickname'), name: 'Nickname', value: 'johnny' },
          { id: id('Employee id'), name: 'Employee id', value: 'E-1' },
        ]);
        const other = (await get<WithFields[]>('/users.json', 'admin', 'users')).find((u) => u.id === id('rhill'));
        assert.deepEqual(valuesOf(other), { Nickname: null, 'Employee id': null });
        const show = await get<WithFields>(`/users/${id('jsmith')}.json`, 'admin', 'user');
        assert.deepEqual(Object.keys(show).slice(-2), ['status', 'custom_fields']);
      });

      test('create and update by an administrator: every field, hidden ones included; validation first, nothing written', async () => {
        const answer = await call('POST', '/users.json', 'admin', {
          user: { login: 'newbie', firstname: 'New', lastname: 'Bie', mail: 'newbie@acme.test', password: 'newbie-password', custom_fields: [{ id: id('Nickname'), value: 'nb' }, { id: id('Badge'), value: 'silver' }] },
        });
        assert.equal(answer.statusCode, 201, answer.body);
        const user = answer.json<{ user: WithFields }>().user;
        ids.newbie = user.id;
        assert.deepEqual(valuesOf(user), { Nickname: 'nb', 'Employee id': null });
        assert.deepEqual(await storedFor('Principal', user.id), ['Nickname=nb', 'Badge=silver']);
        await refused('POST', '/users.json', 'admin', { user: { login: '', firstname: 'X', lastname: 'Y', mail: 'x@acme.test', password: 'long-enough-1', custom_fields: [{ id: id('Nickname'), value: 'UPPER' }] } }, [
          'Nickname is invalid',
          'Login cannot be blank',
        ]);
        await refused('POST', '/users.json', 'admin', { user: { login: 'fine', firstname: 'X', lastname: 'Y', mail: 'fine@acme.test', password: 'long-enough-1', custom_fields: [{ id: id('Nickname'), value: 'a1' }] } }, [
          'Nickname is invalid',
        ]);
        const update = await call('PUT', `/users/${user.id}.json`, 'admin', { user: { custom_field_values: { [id('Employee id')]: 'E-2' } } });
        assert.equal(update.statusCode, 204, update.body);
        assert.deepEqual(await storedFor('Principal', user.id), ['Nickname=nb', 'Badge=silver', 'Employee id=E-2']);
        await refused('PUT', `/users/${user.id}.json`, 'admin', { user: { custom_fields: [{ id: id('Nickname'), value: 'waytoolongnick' }] } }, ['Nickname is too long (maximum is 10 characters)']);
      });

      test('PUT /my/account: the user sets editable fields; non-editable ones are dropped silently; errors as 422', async () => {
        const answer = await call('PUT', '/my/account.json', 'newbie', {
          user: { firstname: 'Newer', custom_fields: [{ id: id('Nickname'), value: 'newer' }, { id: id('Employee id'), value: 'E-999' }] },
        });
        assert.equal(answer.statusCode, 204, answer.body);
        assert.deepEqual(valuesOf(await get<WithFields>('/my/account.json', 'newbie', 'user')), { Nickname: 'newer', 'Employee id': 'E-2' });
        assert.equal((await get<WithFields>('/users/current.json', 'newbie', 'user')).firstname, 'Newer');
        await refused('PUT', '/my/account.json', 'newbie', { user: { lastname: '', custom_fields: [{ id: id('Nickname'), value: 'Bad Nick' }] } }, ['Nickname is invalid', 'Last name cannot be blank']);
        const anonymous = await call('PUT', '/my/account.json', undefined, { user: { firstname: 'x' } });
        assert.equal(anonymous.statusCode, 401);
      });

      test('delete: the user goes, and its custom values with it', async () => {
        const answer = await call('DELETE', `/users/${id('newbie')}.json`, 'admin');
        assert.equal(answer.statusCode, 204, answer.body);
        assert.deepEqual(await storedFor('Principal', id('newbie')), []);
      });
    });

    describe('groups', () => {
      test('create, show, list, update, delete with custom values; XML body; validation', async () => {
        const xml = await call(
          'POST',
          '/groups.xml',
          'admin',
          `<group><name>Cooks</name><custom_fields type="array"><custom_field id="${id('Team size')}"><value>5</value></custom_field></custom_fields></group>`,
          'application/xml',
        );
        assert.equal(xml.statusCode, 201, xml.body);
        assert.ok(xml.body.includes(`<custom_fields type="array"><custom_field id="${id('Team size')}" name="Team size"><value>5</value></custom_field></custom_fields>`), xml.body);
        const groupId = Number(/<id>(\d+)<\/id>/.exec(xml.body)?.[1]);
        assert.deepEqual(valuesOf(await get<WithFields>(`/groups/${groupId}.json`, 'jsmith', 'group')), { 'Team size': '5' });
        const listed = (await get<WithFields[]>('/groups.json', 'admin', 'groups')).find((g) => g.id === groupId);
        assert.deepEqual(listed, { id: groupId, name: 'Cooks', custom_fields: [{ id: id('Team size'), name: 'Team size', value: '5' }] });
        await refused('POST', '/groups.json', 'admin', { group: { name: '', custom_fields: [{ id: id('Team size'), value: 'five' }] } }, ['Team size is not a number', 'Name cannot be blank']);
        const update = await call('PUT', `/groups/${groupId}.json`, 'admin', { group: { custom_field_values: { [id('Team size')]: 6 } } });
        assert.equal(update.statusCode, 204, update.body);
        assert.deepEqual(await storedFor('Principal', groupId), ['Team size=6']);
        assert.equal((await call('DELETE', `/groups/${groupId}.json`, 'admin')).statusCode, 204);
        assert.deepEqual(await storedFor('Principal', groupId), []);
      });
    });

    describe('versions', () => {
      test('create: required field, defaults, role-restricted field; show and list with the viewer\'s fields; update; delete', async () => {
        await refused('POST', '/projects/ecookbook/versions.json', 'jsmith', { version: { name: '' } }, ['Codename cannot be blank', 'Name cannot be blank']);
        await refused('POST', '/projects/ecookbook/versions.json', 'jsmith', { version: { name: '1.0', custom_fields: [{ id: id('Codename'), value: 'x' }, { id: id('Reviewed'), value: 'maybe' }] } }, [
          'Reviewed is not included in the list',
        ]);
        const answer = await call('POST', '/projects/ecookbook/versions.json', 'admin', {
          version: { name: '1.0', custom_fields: [{ id: id('Codename'), value: 'Bread' }, { id: id('Reviewed'), value: true }, { id: id('Plan'), value: 'bake' }] },
        });
        assert.equal(answer.statusCode, 201, answer.body);
        const version = answer.json<{ version: WithFields }>().version;
        assert.deepEqual(Object.keys(version).slice(-3), ['custom_fields', 'created_on', 'updated_on']);
        assert.deepEqual(valuesOf(version), { Codename: 'Bread', Reviewed: '1', Plan: 'bake' });
        assert.deepEqual(valuesOf(await get<WithFields>(`/versions/${version.id}.json`, 'rhill', 'version')), { Codename: 'Bread', Reviewed: '1', Plan: 'bake' }, 'Reporter');
        assert.deepEqual(valuesOf(await get<WithFields>(`/versions/${version.id}.json`, 'jsmith', 'version')), { Codename: 'Bread', Reviewed: '1' }, 'Manager');
        const listed = (await get<WithFields[]>('/projects/ecookbook/versions.json', 'jsmith', 'versions')).find((v) => v.id === version.id);
        assert.deepEqual(valuesOf(listed), { Codename: 'Bread', Reviewed: '1' });
        // The Manager may not see Plan: what they send for it is dropped.
        const update = await call('PUT', `/versions/${version.id}.json`, 'jsmith', { version: { custom_fields: [{ id: id('Codename'), value: 'Cake' }, { id: id('Plan'), value: 'changed' }] } });
        assert.equal(update.statusCode, 204, update.body);
        assert.deepEqual(await storedFor('Version', version.id), ['Reviewed=1', 'Plan=bake', 'Codename=Cake']);
        await refused('PUT', `/versions/${version.id}.json`, 'jsmith', { version: { custom_fields: [{ id: id('Codename'), value: '' }] } }, ['Codename cannot be blank']);
        assert.equal((await call('DELETE', `/versions/${version.id}.json`, 'admin')).statusCode, 204);
        assert.deepEqual(await storedFor('Version', version.id), []);
      });
    });
  });
}
