/** Users and groups over the REST API (§6.4, §6.5): admin list, show per viewer, create, update, delete. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth } from '../support/app.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;


const LIST_KEYS = ['id', 'login', 'admin', 'firstname', 'lastname', 'mail', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'twofa_scheme', 'status'];

for (const { engine, skip } of await engineCases()) {
  describe(`users over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids } = acme;
    const credentials = basicAuth;
    const logins = (body: { users: Json[] }) => body.users.map((u) => u.login);

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill']]);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.lock('rhill');
      await sql('UPDATE user_preferences SET hide_mail = false WHERE user_id = $1', [ids.dlopper]);
      await acme.group('A Team', ['jsmith']);
      const [project] = await sql("INSERT INTO projects (name, identifier, is_public, status, lft, rgt, created_on, updated_on) VALUES ('eCookbook', 'ecookbook', true, 1, 1, 2, now(), now()) RETURNING id");
      const [privateProject] = await sql("INSERT INTO projects (name, identifier, is_public, status, lft, rgt, created_on, updated_on) VALUES ('Secret', 'secret', false, 1, 3, 4, now(), now()) RETURNING id");
      const [role] = await sql("SELECT id FROM roles WHERE name = 'Developer'");
      // jsmith in both projects, dlopper in the public one: users see members of the projects they see.
      for (const [userId, projectId] of [[ids.jsmith, project?.id], [ids.jsmith, privateProject?.id], [ids.dlopper, project?.id]]) {
        const [member] = await sql('INSERT INTO members (user_id, project_id, created_on) VALUES ($1, $2, now()) RETURNING id', [userId, projectId]);
        await sql('INSERT INTO member_roles (member_id, role_id) VALUES ($1, $2)', [member?.id, role?.id]);
      }
    });

    test('an administrator lists active users by login, with every field and the meta', async () => {
      const answer = await call('GET', '/users.json', 'admin');
      assert.equal(answer.statusCode, 200, answer.body);
      const body = answer.json<{ users: Json[]; total_count: number; offset: number; limit: number }>();
      assert.deepEqual(Object.keys(body), ['users', 'total_count', 'offset', 'limit']);
      assert.deepEqual(logins(body), ['admin', 'dlopper', 'jsmith']);
      assert.deepEqual([body.total_count, body.offset, body.limit], [3, 0, 25]);
      const jsmith = body.users[2] ?? {};
      assert.deepEqual(Object.keys(jsmith), LIST_KEYS);
      assert.deepEqual([jsmith.admin, jsmith.firstname, jsmith.lastname, jsmith.mail, jsmith.status, jsmith.twofa_scheme, jsmith.last_login_on], [false, 'John', 'Smith', 'jsmith@acme.test', 1, null, null]);
      assert.match(String(jsmith.created_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    test('list filters: status, name, group_id; paging and nometa', async () => {
      const list = async (query: string) => (await call('GET', `/users.json?${query}`, 'admin')).json<{ users: Json[]; total_count: number; offset: number; limit: number }>();
      assert.deepEqual(logins(await list('status=*')), ['admin', 'dlopper', 'jsmith', 'rhill']);
      assert.deepEqual(logins(await list('status=3')), ['rhill']);
      assert.deepEqual(logins(await list('status=1|3')), ['admin', 'dlopper', 'jsmith', 'rhill']);
      assert.deepEqual(logins(await list('status=!1')), ['rhill']);
      assert.deepEqual(logins(await list('name=SMI')), ['jsmith'], 'case-insensitive, in the last name and the login');
      assert.deepEqual(logins(await list('name=dave')), ['dlopper'], 'first name');
      assert.deepEqual(logins(await list('name=john%20smith')), ['jsmith'], 'every word in a name');
      assert.deepEqual(logins(await list('name=lopper@acme')), ['dlopper'], 'e-mail address');
      assert.deepEqual(logins(await list('name=robert&status=*')), ['rhill']);
      assert.deepEqual(logins(await list(`group_id=${String(ids['A Team'])}`)), ['jsmith']);
      assert.deepEqual(logins(await list('group_id=99999')), []);
      assert.deepEqual(logins(await list('sort=login:desc')), ['jsmith', 'dlopper', 'admin']);
      const paged = await list('limit=1&offset=1');
      assert.deepEqual([logins(paged), paged.total_count, paged.offset, paged.limit], [['dlopper'], 3, 1, 1]);
      const page2 = await list('limit=2&page=2');
      assert.deepEqual([logins(page2), page2.offset], [['jsmith'], 2]);
      assert.deepEqual(Object.keys(await list('nometa=1')), ['users']);
      const blank = await call('GET', '/users.json?status=', 'admin');
      assert.equal(blank.statusCode, 422);
      assert.deepEqual(blank.json<{ errors: string[] }>().errors, ['Status cannot be blank']);
    });

    test('the list is for administrators: 403 for other users, 401 for anonymous callers', async () => {
      assert.equal((await call('GET', '/users.json', 'jsmith')).statusCode, 403);
      const anonymous = await call('GET', '/users.json', undefined);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
      assert.equal(anonymous.body, '');
      assert.equal((await call('GET', '/groups.json', 'jsmith')).statusCode, 403);
    });

    test('show: the fields depend on the viewer (administrator, the user, another user)', async () => {
      const id = String(ids.jsmith);
      const asAdmin = (await call('GET', `/users/${id}.json`, 'admin')).json<{ user: Json }>().user;
      assert.deepEqual(Object.keys(asAdmin), ['id', 'login', 'admin', 'firstname', 'lastname', 'mail', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'twofa_scheme', 'api_key', 'status']);
      assert.match(String(asAdmin.api_key), /^[0-9a-f]{40}$/);
      const asSelf = (await call('GET', `/users/${id}.json`, 'jsmith')).json<{ user: Json }>().user;
      assert.deepEqual(Object.keys(asSelf), ['id', 'login', 'admin', 'firstname', 'lastname', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'twofa_scheme', 'api_key'], 'mail hidden (hide_mail), no status');
      assert.equal(asSelf.api_key, asAdmin.api_key);
      const asOther = (await call('GET', `/users/${id}.json`, 'dlopper')).json<{ user: Json }>().user;
      assert.deepEqual(Object.keys(asOther), ['id', 'login', 'firstname', 'lastname', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on']);
      const shown = (await call('GET', `/users/${String(ids.dlopper)}.json`, 'jsmith')).json<{ user: Json }>().user;
      assert.equal(shown.mail, 'dlopper@acme.test', 'a user who shows their e-mail');
      // Locked users are visible to administrators only; unknown ids are 404.
      const rhill = String(ids.rhill);
      assert.equal((await call('GET', `/users/${rhill}.json`, 'jsmith')).statusCode, 404);
      assert.equal((await call('GET', `/users/${rhill}.json`, 'admin')).json<{ user: Json }>().user.status, 3);
      assert.equal((await call('GET', '/users/99999.json', 'admin')).statusCode, 404);
      assert.equal((await call('GET', '/users/nope.json', 'admin')).statusCode, 404);
      // Redmine's users_visibility: anonymous visitors (login not required here) see the members of
      // public projects, and nobody but administrators sees a user who is a member of nothing visible.
      assert.equal((await call('GET', `/users/${id}.json`, undefined)).statusCode, 200);
      const [loner] = await sql("INSERT INTO users (login, firstname, lastname, status, type, created_on, updated_on) VALUES ('loner', 'Lone', 'Wolf', 1, 'User', now(), now()) RETURNING id");
      assert.equal((await call('GET', `/users/${String(loner?.id)}.json`, 'jsmith')).statusCode, 404);
      assert.equal((await call('GET', `/users/${String(loner?.id)}.json`, 'admin')).statusCode, 200);
      await sql("UPDATE roles SET users_visibility = 'all' WHERE name = 'Developer'");
      assert.equal((await call('GET', `/users/${String(loner?.id)}.json`, 'jsmith')).statusCode, 200, 'a role that sees all users');
      await sql("UPDATE roles SET users_visibility = 'members_of_visible_projects' WHERE name = 'Developer'");
      await sql('DELETE FROM users WHERE id = $1', [loner?.id]);
    });

    test('show with include=groups (administrators) and include=memberships (visible projects)', async () => {
      const id = String(ids.jsmith);
      const asAdmin = (await call('GET', `/users/${id}.json?include=groups,memberships`, 'admin')).json<{ user: Json }>().user;
      assert.deepEqual(asAdmin.groups, [{ id: ids['A Team'], name: 'A Team' }]);
      const memberships = asAdmin.memberships as Json[];
      assert.deepEqual(memberships.map((m) => (m.project as Json).name), ['eCookbook', 'Secret']);
      assert.deepEqual(Object.keys(memberships[0] ?? {}), ['id', 'project', 'roles']);
      assert.deepEqual((memberships[0]?.roles as Json[]).map((r) => r.name), ['Developer']);
      const asOther = (await call('GET', `/users/${id}.json?include=groups,memberships`, 'dlopper')).json<{ user: Json }>().user;
      assert.equal(asOther.groups, undefined, 'groups are for administrators');
      assert.deepEqual((asOther.memberships as Json[]).map((m) => (m.project as Json).name), ['eCookbook'], 'the private project is not visible to dlopper');
    });

    test('one user in XML', async () => {
      const answer = await call('GET', `/users/${String(ids.dlopper)}.xml`, 'jsmith');
      assert.equal(answer.statusCode, 200);
      assert.match(String(answer.headers['content-type']), /^application\/xml/);
      assert.match(
        answer.body,
        new RegExp(
          `^<\\?xml version="1.0" encoding="UTF-8"\\?><user><id>${String(ids.dlopper)}</id><login>dlopper</login><firstname>Dave</firstname><lastname>Lopper</lastname><mail>dlopper@acme.test</mail><created_on>[0-9T:-]+Z</created_on><updated_on>[0-9T:-]+Z</updated_on><last_login_on>[^<]*</last_login_on><passwd_changed_on>[0-9T:-]+Z</passwd_changed_on></user>$`,
        ),
      );
      const list = (await call('GET', '/users.xml?limit=1', 'admin')).body;
      assert.match(list, /^<\?xml version="1.0" encoding="UTF-8"\?><users type="array" total_count="3" offset="0" limit="1"><user><id>\d+<\/id><login>admin<\/login><admin>true<\/admin>/);
    });

    test('an administrator creates a user: 201, Location, the admin representation', async () => {
      const answer = await call('POST', '/users.json', 'admin', {
        user: { login: 'jdoe', firstname: 'John', lastname: 'Doe', mail: 'jdoe@acme.test', password: 'jdoe-password', mail_notification: 'only_assigned', language: 'en' },
        pref: { hide_mail: false, time_zone: 'Paris' },
      });
      assert.equal(answer.statusCode, 201, answer.body);
      const user = answer.json<{ user: Json }>().user;
      assert.equal(answer.headers.location, `http://acme.localhost/users/${String(user.id)}`);
      assert.deepEqual(Object.keys(user), ['id', 'login', 'admin', 'firstname', 'lastname', 'mail', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'twofa_scheme', 'api_key', 'status']);
      assert.deepEqual([user.login, user.admin, user.mail, user.status], ['jdoe', false, 'jdoe@acme.test', 1]);
      const [row] = await sql('SELECT u.mail_notification, u.language, p.hide_mail, p.time_zone FROM users u JOIN user_preferences p ON p.user_id = u.id WHERE u.id = $1', [user.id]);
      assert.deepEqual(row, { mail_notification: 'only_assigned', language: 'en', hide_mail: false, time_zone: 'Paris' });
      assert.equal((await call('GET', '/users/current.json', 'jdoe', undefined)).statusCode, 200, 'the password works');
      ids.jdoe = Number(user.id);

      const generated = await call('POST', '/users.json', 'admin', { user: { login: 'gen', firstname: 'G', lastname: 'En', mail: 'gen@acme.test', generate_password: true, status: 3, admin: true } });
      assert.equal(generated.statusCode, 201, generated.body);
      assert.deepEqual([generated.json<{ user: Json }>().user.status, generated.json<{ user: Json }>().user.admin], [3, true]);

      const form = await call('POST', '/users.json', 'admin', 'user[login]=formed&user[firstname]=F&user[lastname]=Orm&user[mail]=formed@acme.test&user[password]=formed-password', 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 201, form.body);
    });

    test('create refuses bad input with Redmine messages (422) and writes nothing', async () => {
      const [{ n: before } = {}] = await sql('SELECT count(*)::int AS n FROM users');
      const good = { login: 'newbie', firstname: 'New', lastname: 'Bie', mail: 'newbie@acme.test', password: 'long-enough' };
      const cases: [Json, string[]][] = [
        [{ ...good, login: '' }, ['Login cannot be blank']],
        [{ ...good, login: 'JSMITH' }, ['Login has already been taken']],
        [{ ...good, login: 'bad login!' }, ['Login is invalid']],
        [{ ...good, firstname: '' }, ['First name cannot be blank']],
        [{ ...good, mail: 'not-an-address' }, ['Email is invalid']],
        [{ ...good, mail: 'JSMITH@acme.test' }, ['Email has already been taken']],
        [{ ...good, password: 'short' }, ['Password is too short (minimum is 8 characters)']],
        [{ ...good, password_confirmation: 'other' }, ["Password doesn't match confirmation"]],
        [{ ...good, status: 7, mail_notification: 'sometimes' }, ['Status is not included in the list', 'Email notifications is not included in the list']],
        [{}, ['Login cannot be blank', 'First name cannot be blank', 'Last name cannot be blank', 'Email is invalid', 'Password is too short (minimum is 8 characters)']],
      ];
      for (const [user, errors] of cases) {
        const answer = await call('POST', '/users.json', 'admin', { user });
        assert.equal(answer.statusCode, 422, JSON.stringify(user));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors, JSON.stringify(user));
      }
      const [{ n: afterwards } = {}] = await sql('SELECT count(*)::int AS n FROM users');
      assert.equal(afterwards, before);
      assert.equal((await call('POST', '/users.json', 'jsmith', { user: good })).statusCode, 403);
      assert.equal((await call('POST', '/users.json', undefined, { user: good })).statusCode, 401);
    });

    test('update is 204; a locked user can no longer authenticate', async () => {
      const id = String(ids.jdoe);
      const update = await call('PUT', `/users/${id}.json`, 'admin', { user: { firstname: 'Johnny', lastname: 'Doe-Ray', mail: 'johnny@acme.test', admin: true, language: 'ja' } });
      assert.equal(update.statusCode, 204, update.body);
      assert.equal(update.body, '');
      assert.equal(update.headers['content-type'], undefined);
      const shown = (await call('GET', `/users/${id}.json`, 'admin')).json<{ user: Json }>().user;
      assert.deepEqual([shown.firstname, shown.lastname, shown.mail, shown.admin], ['Johnny', 'Doe-Ray', 'johnny@acme.test', true]);

      const errors = await call('PATCH', `/users/${id}.json`, 'admin', { user: { firstname: '', mail: 'jsmith@acme.test', password: 'short', login: 'dlopper' } });
      assert.equal(errors.statusCode, 422);
      assert.deepEqual(errors.json<{ errors: string[] }>().errors, ['Login has already been taken', 'First name cannot be blank', 'Email has already been taken', 'Password is too short (minimum is 8 characters)']);

      assert.equal((await call('PATCH', `/users/${id}.json`, 'admin', { user: { password: 'a-new-password', admin: false } })).statusCode, 204);
      assert.equal((await call('GET', '/users/current.json', 'jdoe')).statusCode, 401, 'the old password is gone');
      assert.equal((await call('GET', '/users/current.json', 'jdoe', undefined)).statusCode, 401);
      const withNew = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', authorization: credentials('jdoe', 'a-new-password') } });
      assert.equal(withNew.statusCode, 200);

      assert.equal((await call('PUT', `/users/${id}.json`, 'admin', { user: { status: 3 } })).statusCode, 204);
      const locked = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', authorization: credentials('jdoe', 'a-new-password') } });
      assert.equal(locked.statusCode, 401);
      assert.deepEqual(logins((await call('GET', '/users.json?status=3', 'admin')).json<{ users: Json[] }>()), ['gen', 'jdoe', 'rhill']);

      assert.equal((await call('PUT', `/users/${id}.json`, 'jsmith', { user: { status: 1 } })).statusCode, 403);
      assert.equal((await call('PUT', '/users/99999.json', 'admin', { user: { firstname: 'X' } })).statusCode, 404);
    });

    test('delete is 204 and the user is gone; administrators cannot delete themselves', async () => {
      const id = String(ids.jdoe);
      assert.equal((await call('DELETE', `/users/${id}.json`, 'jsmith')).statusCode, 403);
      const deleted = await call('DELETE', `/users/${id}.json`, 'admin');
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal((await call('GET', `/users/${id}.json`, 'admin')).statusCode, 404);
      assert.equal((await call('DELETE', `/users/${id}.json`, 'admin')).statusCode, 404);
      assert.deepEqual(await sql('SELECT id FROM email_addresses WHERE user_id = $1 UNION ALL SELECT id FROM tokens WHERE user_id = $1', [Number(id)]), []);

      const self = await call('DELETE', `/users/${String(ids.admin)}.json`, 'admin');
      assert.equal(self.statusCode, 422);
      assert.equal(self.body, '', 'Redmine answers head 422');
      // A user with memberships and groups: the rows go with the user.
      assert.equal((await call('DELETE', `/users/${String(ids.jsmith)}.json`, 'admin')).statusCode, 204);
      assert.deepEqual(await sql('SELECT id FROM members WHERE user_id = $1', [ids.jsmith]), []);
      assert.deepEqual(await sql('SELECT user_id FROM groups_users WHERE user_id = $1', [ids.jsmith]), []);
    });

    test('groups: the list for administrators, one group with its users', async () => {
      const list = await call('GET', '/groups.json', 'admin');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json(), { groups: [{ id: ids['A Team'], name: 'A Team' }] });
      await sql('INSERT INTO groups_users (group_id, user_id) VALUES ($1, $2)', [ids['A Team'], ids.dlopper]);
      const shown = (await call('GET', `/groups/${String(ids['A Team'])}.json?include=users`, 'admin')).json<{ group: Json }>().group;
      assert.deepEqual(shown, { id: ids['A Team'], name: 'A Team', users: [{ id: ids.dlopper, name: 'Dave Lopper' }] });
      assert.equal((await call('GET', `/groups/${String(ids.dlopper)}.json`, 'admin')).statusCode, 404, 'a user is not a group');
      const xml = (await call('GET', '/groups.xml', 'admin')).body;
      assert.equal(xml, `<?xml version="1.0" encoding="UTF-8"?><groups type="array"><group><id>${String(ids['A Team'])}</id><name>A Team</name></group></groups>`);
    });
  });
}
