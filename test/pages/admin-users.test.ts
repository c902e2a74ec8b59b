/** User and group administration pages: list, create, edit, lock, delete, groups, memberships; administrators only. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import type { LightMyRequestResponse } from 'fastify';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`user and group administration pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, id } = acme;
    type Form = Readonly<Record<string, string | readonly string[]>>;
    interface Session {
      request(method: 'GET' | 'POST', url: string): Promise<LightMyRequestResponse>;
      post(url: string, form?: Form): Promise<LightMyRequestResponse>;
      whoAmI(): Promise<string | undefined>;
    }
    let admin: Session;
    let jsmith: Session;
    /** Signs in; the form token is read first (the sign-in page redirects once signed in). */
    const signedIn = async (login: string, password: string): Promise<{ browser: Session; answer: LightMyRequestResponse }> => {
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const token = await browser.formToken('/login');
      const answer = await browser.signIn(login, password);
      return {
        answer,
        browser: {
          request: (method, url) => browser.request(method, url),
          post: (url, form = {}) => browser.request('POST', url, { authenticity_token: token, ...form }),
          whoAmI: () => browser.whoAmI(),
        },
      };
    };
    const count = async (query: string, params: unknown[] = []) => Number((await sql(query, params))[0]?.n);

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill']]);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Onlinestore', 'onlinestore', false]]);
      admin = (await signedIn('admin', 'admin-password')).browser;
      jsmith = (await signedIn('jsmith', 'jsmith-password')).browser;
    });

    test('anyone but an administrator is refused every page and every post, and nothing changes', async () => {
      await acme.group('Refused team', ['dlopper']);
      const before = await count('SELECT count(*) AS n FROM users');
      const gets = ['/users', '/users/new', `/users/${id('dlopper')}/edit`, `/users/${id('dlopper')}/edit?tab=memberships`, `/users/${id('dlopper')}/delete`, '/groups', '/groups/new', `/groups/${id('Refused team')}/edit`];
      for (const url of gets) {
        assert.equal((await jsmith.request('GET', url)).statusCode, 403, url);
      }
      const posts: [string, Record<string, string | string[]>][] = [
        ['/users', { 'user[login]': 'intruder', 'user[firstname]': 'I', 'user[lastname]': 'N', 'user[mail]': 'i@acme.test', 'user[password]': 'intruder-pass', 'user[password_confirmation]': 'intruder-pass' }],
        [`/users/${id('dlopper')}`, { 'user[status]': '3', 'user[admin]': '1' }],
        [`/users/${id('dlopper')}/delete`, { confirm: 'dlopper' }],
        [`/users/${id('dlopper')}/memberships`, { 'membership[project_ids][]': [String(id('ecookbook'))], 'membership[role_ids][]': [String(id('Manager'))] }],
        ['/groups', { 'group[name]': 'Intruders' }],
        [`/groups/${id('Refused team')}`, { 'group[name]': 'Renamed' }],
        [`/groups/${id('Refused team')}/users`, { 'user_ids[]': [String(id('jsmith'))] }],
        [`/groups/${id('Refused team')}/users/${id('dlopper')}/delete`, {}],
        [`/groups/${id('Refused team')}/delete`, {}],
      ];
      for (const [url, form] of posts) {
        assert.equal((await jsmith.post(url, form)).statusCode, 403, url);
      }
      assert.equal(await count('SELECT count(*) AS n FROM users'), before);
      const [dlopper] = await sql('SELECT status, admin FROM users WHERE id = $1', [id('dlopper')]);
      assert.deepEqual([dlopper?.status, dlopper?.admin], [1, false]);
      assert.equal(await count('SELECT count(*) AS n FROM members WHERE user_id = $1', [id('dlopper')]), 0);
      const [group] = await sql('SELECT lastname FROM users WHERE id = $1', [id('Refused team')]);
      assert.equal(group?.lastname, 'Refused team');
      assert.equal(await count('SELECT count(*) AS n FROM groups_users WHERE group_id = $1', [id('Refused team')]), 1);
    });

    test('an administrator creates a user, who can then sign in', async () => {
      const form = await admin.request('GET', '/users/new');
      assert.equal(form.statusCode, 200, form.body);
      assert.match(form.body, /name="user\[login\]"/);
      assert.match(form.body, /name="send_information"/, 'the form offers "send account information"');
      const created = await admin.post('/users', {
        'user[login]': 'newbie',
        'user[firstname]': 'New',
        'user[lastname]': 'Bie',
        'user[mail]': 'newbie@acme.test',
        'user[language]': 'ja',
        'user[admin]': '0',
        'user[password]': 'newbie-password',
        'user[password_confirmation]': 'newbie-password',
        'user[generate_password]': '0',
        'user[must_change_passwd]': ['0', '1'],
        'user[mail_notification]': 'only_assigned',
        'pref[hide_mail]': ['0'],
        'pref[time_zone]': 'Asia/Tokyo',
      });
      assert.equal(created.statusCode, 303, created.body);
      const [row] = await sql(
        `SELECT u.id, u.firstname, u.lastname, u.language, u.admin, u.must_change_passwd, u.mail_notification, u.status, e.address, p.hide_mail, p.time_zone
           FROM users u JOIN email_addresses e ON e.user_id = u.id AND e.is_default JOIN user_preferences p ON p.user_id = u.id WHERE u.login = 'newbie'`,
      );
      assert.ok(row, 'stored');
      assert.equal(created.headers.location, `/users/${Number(row.id)}/edit`);
      assert.deepEqual(
        [row.firstname, row.lastname, row.language, row.admin, row.must_change_passwd, row.mail_notification, row.status, row.address, row.hide_mail, row.time_zone],
        ['New', 'Bie', 'ja', false, true, 'only_assigned', 1, 'newbie@acme.test', false, 'Asia/Tokyo'],
      );
      const edit = await admin.request('GET', String(created.headers.location));
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /id="flash_notice"/);
      assert.match(edit.body, /value="newbie"/);
      const { answer } = await signedIn('newbie', 'newbie-password');
      assert.equal(answer.statusCode, 302, 'the new user signs in');
    });

    test('a refused user comes back with the messages (422), what was typed, and nothing stored', async () => {
      const before = await count('SELECT count(*) AS n FROM users');
      const refused = await admin.post('/users', {
        'user[login]': 'JSMITH',
        'user[firstname]': 'Another',
        'user[lastname]': 'Smith',
        'user[mail]': 'another@acme.test',
        'user[password]': 'another-password',
        'user[password_confirmation]': 'another-passwort',
      });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /id="errorExplanation"/);
      assert.match(refused.body, /Login has already been taken/);
      assert.match(refused.body, /Password doesn(&#39;|')t match confirmation/);
      assert.match(refused.body, /value="Another"/, 'what was typed is kept');
      assert.equal(await count('SELECT count(*) AS n FROM users'), before);
      const generated = await admin.post('/users', {
        'user[login]': 'generated',
        'user[firstname]': 'Gen',
        'user[lastname]': 'Erated',
        'user[mail]': 'generated@acme.test',
        'user[generate_password]': ['0', '1'],
      });
      // The generated password is answered once, on the page (test/pages/password-policy.test.ts).
      assert.equal(generated.statusCode, 200, generated.body);
      assert.match(generated.body, /<code class="generated-password">/);
      assert.equal(await count("SELECT count(*) AS n FROM users WHERE login = 'generated' AND length(hashed_password) > 20"), 1);
    });

    test('the list filters by status, name and group, sorts, and shows lock buttons', async () => {
      await acme.lock('rhill');
      const list = await admin.request('GET', '/users');
      assert.equal(list.statusCode, 200, list.body);
      assert.match(list.body, /jsmith/);
      assert.doesNotMatch(list.body, /rhill/, 'active users by default');
      assert.match(list.body, new RegExp(`action="/users/${id('jsmith')}"[\\s\\S]*?name="user\\[status\\]" value="3"`));
      const locked = await admin.request('GET', '/users?status=3');
      assert.match(locked.body, /rhill/);
      assert.doesNotMatch(locked.body, />jsmith</);
      assert.match(locked.body, /button_unlock|Unlock/);
      const named = await admin.request('GET', '/users?status=&name=lopper');
      assert.match(named.body, />dlopper</);
      assert.doesNotMatch(named.body, />jsmith</);
      const sorted = await admin.request('GET', '/users?status=1&sort=login:desc');
      const logins = [...sorted.body.matchAll(/<td class="username"><a [^>]*>([^<]+)</g)].map((m) => m[1]);
      assert.deepEqual(logins, [...logins].sort().reverse());
    });

    test('locking ends the sessions and refuses sign-in; unlocking lets the user back', async () => {
      const { browser: dave, answer } = await signedIn('dlopper', 'dlopper-password');
      assert.equal(answer.statusCode, 302);
      const lock = await admin.post(`/users/${id('dlopper')}`, { 'user[status]': '3', back_url: '/users' });
      assert.equal(lock.statusCode, 303);
      assert.equal(lock.headers.location, '/users');
      assert.equal((await sql('SELECT status FROM users WHERE id = $1', [id('dlopper')]))[0]?.status, 3);
      assert.equal(await dave.whoAmI(), undefined, 'the session ended');
      assert.equal((await signedIn('dlopper', 'dlopper-password')).answer.statusCode, 200, 'a locked user cannot sign in');
      const unlock = await admin.post(`/users/${id('dlopper')}`, { 'user[status]': '1', back_url: 'https://evil.example/' });
      assert.equal(unlock.headers.location, '/', 'only local back URLs');
      assert.equal((await signedIn('dlopper', 'dlopper-password')).answer.statusCode, 302);
    });

    test('the general tab changes the user; a refused change keeps what was typed and stores nothing', async () => {
      const url = `/users/${id('jsmith')}`;
      const page = await admin.request('GET', `${url}/edit`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="tab-general" class="selected"/);
      const saved = await admin.post(url, {
        tab: 'general',
        'user[login]': 'jsmith',
        'user[firstname]': 'Johnny',
        'user[lastname]': 'Smith',
        'user[mail]': 'johnny@acme.test',
        'user[language]': '',
        'user[admin]': '0',
        'user[password]': '',
        'user[password_confirmation]': '',
        'user[mail_notification]': 'none',
        'pref[hide_mail]': ['0', '1'],
        'pref[time_zone]': '',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, `${url}/edit?tab=general`);
      const [row] = await sql("SELECT u.firstname, u.mail_notification, e.address FROM users u JOIN email_addresses e ON e.user_id = u.id AND e.is_default WHERE u.login = 'jsmith'");
      assert.deepEqual([row?.firstname, row?.mail_notification, row?.address], ['Johnny', 'none', 'johnny@acme.test']);
      assert.equal((await signedIn('jsmith', 'jsmith-password')).answer.statusCode, 302, 'a blank password keeps the password');
      const refused = await admin.post(url, { tab: 'general', 'user[firstname]': 'Jo', 'user[mail]': 'dlopper@acme.test' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Email has already been taken/);
      assert.match(refused.body, /value="Jo"/);
      assert.equal((await sql("SELECT firstname FROM users WHERE login = 'jsmith'"))[0]?.firstname, 'Johnny');
    });

    test('deletion asks for the login first; the right login deletes the user', async () => {
      await acme.users(['doomed']);
      const url = `/users/${id('doomed')}/delete`;
      const confirm = await admin.request('GET', url);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /name="confirm"/);
      const wrong = await admin.post(url, { confirm: 'someone' });
      assert.equal(wrong.statusCode, 422);
      assert.equal(await count("SELECT count(*) AS n FROM users WHERE login = 'doomed'"), 1);
      const done = await admin.post(url, { confirm: 'doomed' });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/users');
      assert.equal(await count("SELECT count(*) AS n FROM users WHERE login = 'doomed'"), 0);
      const self = await admin.post(`/users/${id('admin')}/delete`, { confirm: 'admin' });
      assert.equal(self.statusCode, 422, 'the only administrator cannot delete themselves');
      assert.equal(await count("SELECT count(*) AS n FROM users WHERE login = 'admin'"), 1);
    });

    test('the projects tab adds a membership with roles, changes and removes it', async () => {
      const base = `/users/${id('rhill')}`;
      const tab = await admin.request('GET', `${base}/edit?tab=memberships`);
      assert.equal(tab.statusCode, 200, tab.body);
      assert.match(tab.body, /name="membership\[project_ids\]\[\]" value="\d+"/);
      const none = await admin.post(`${base}/memberships`, { 'membership[project_ids][]': [String(id('ecookbook'))] });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /Role cannot be empty/);
      assert.equal(await count('SELECT count(*) AS n FROM members WHERE user_id = $1', [id('rhill')]), 0);
      const added = await admin.post(`${base}/memberships`, { 'membership[project_ids][]': [String(id('ecookbook')), String(id('onlinestore'))], 'membership[role_ids][]': [String(id('Developer'))] });
      assert.equal(added.statusCode, 303, added.body);
      const rows = await sql('SELECT m.id, m.project_id, r.name FROM members m JOIN member_roles mr ON mr.member_id = m.id JOIN roles r ON r.id = mr.role_id WHERE m.user_id = $1 ORDER BY m.project_id', [id('rhill')]);
      assert.deepEqual(rows.map((r) => [r.project_id, r.name]), [[id('ecookbook'), 'Developer'], [id('onlinestore'), 'Developer']]);
      const memberId = Number(rows[0]?.id);
      const changed = await admin.post(`${base}/memberships/${memberId}`, { 'membership[role_ids][]': [String(id('Manager')), ''] });
      assert.equal(changed.statusCode, 303);
      assert.deepEqual((await sql('SELECT r.name FROM member_roles mr JOIN roles r ON r.id = mr.role_id WHERE mr.member_id = $1', [memberId])).map((r) => r.name), ['Manager']);
      const removed = await admin.post(`${base}/memberships/${memberId}/delete`);
      assert.equal(removed.statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM members WHERE id = $1', [memberId]), 0);
      const foreign = await admin.post(`/users/${id('jsmith')}/memberships/${Number(rows[1]?.id)}/delete`);
      assert.equal(foreign.statusCode, 404, "another principal's membership");
    });

    test('groups: create, add a user who inherits the group memberships, remove, delete', async () => {
      const refused = await admin.post('/groups', { 'group[name]': '' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Name cannot be blank/);
      const created = await admin.post('/groups', { 'group[name]': 'Cooks' });
      assert.equal(created.statusCode, 303, created.body);
      const [group] = await sql("SELECT id FROM users WHERE type = 'Group' AND lastname = 'Cooks'");
      const groupId = Number(group?.id);
      assert.equal(created.headers.location, `/groups/${groupId}/edit`);
      const membership = await admin.post(`/groups/${groupId}/memberships`, { 'membership[project_ids][]': [String(id('ecookbook'))], 'membership[role_ids][]': [String(id('Reporter'))] });
      assert.equal(membership.statusCode, 303, membership.body);
      const usersTab = await admin.request('GET', `/groups/${groupId}/edit?tab=users&q=lopper`);
      assert.equal(usersTab.statusCode, 200);
      assert.match(usersTab.body, new RegExp(`name="user_ids\\[\\]" value="${id('dlopper')}"`));
      assert.doesNotMatch(usersTab.body, new RegExp(`name="user_ids\\[\\]" value="${id('jsmith')}"`), 'the search narrows the candidates');
      const added = await admin.post(`/groups/${groupId}/users`, { 'user_ids[]': [String(id('dlopper'))] });
      assert.equal(added.statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM groups_users WHERE group_id = $1 AND user_id = $2', [groupId, id('dlopper')]), 1);
      const inherited = await sql(
        `SELECT r.name, gmr.id IS NOT NULL AS from_group FROM members m JOIN member_roles mr ON mr.member_id = m.id JOIN roles r ON r.id = mr.role_id
           LEFT JOIN member_roles gmr ON gmr.id = mr.inherited_from WHERE m.user_id = $1 AND m.project_id = $2`,
        [id('dlopper'), id('ecookbook')],
      );
      assert.deepEqual(inherited.map((r) => [r.name, r.from_group]), [['Reporter', true]], "the user inherits the group's role");
      const list = await admin.request('GET', '/groups');
      assert.match(list.body, new RegExp(`<a href="/groups/${groupId}/edit">Cooks</a></td><td class="user_count">1<`));
      const removed = await admin.post(`/groups/${groupId}/users/${id('dlopper')}/delete`);
      assert.equal(removed.statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM members WHERE user_id = $1 AND project_id = $2', [id('dlopper'), id('ecookbook')]), 0, 'leaving takes the inherited membership');
      const renamed = await admin.post(`/groups/${groupId}`, { 'group[name]': 'Chefs' });
      assert.equal(renamed.statusCode, 303);
      assert.equal((await sql('SELECT lastname FROM users WHERE id = $1', [groupId]))[0]?.lastname, 'Chefs');
      const deleted = await admin.post(`/groups/${groupId}/delete`);
      assert.equal(deleted.statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM users WHERE id = $1', [groupId]), 0);
    });

    test("the user's groups tab sets the groups, and clearing every box leaves them all", async () => {
      await acme.group('Testers');
      const url = `/users/${id('jsmith')}`;
      assert.match((await admin.request('GET', `${url}/edit?tab=groups`)).body, /id="tab-groups" class="selected"/);
      assert.equal((await admin.post(url, { tab: 'groups', 'user[group_ids][]': ['', String(id('Testers'))] })).statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM groups_users WHERE user_id = $1 AND group_id = $2', [id('jsmith'), id('Testers')]), 1);
      assert.equal((await admin.post(url, { tab: 'groups', 'user[group_ids][]': [''] })).statusCode, 303);
      assert.equal(await count('SELECT count(*) AS n FROM groups_users WHERE user_id = $1', [id('jsmith')]), 0);
    });
  });
}
