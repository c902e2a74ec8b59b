/**
 * The audit trail (security.md §11): administrative changes made on the pages and through the REST API
 * leave the same rows (actor, IP address, user agent, old → new); Administration → Audit trail lists
 * and filters them for administrators only; the CSV and JSON exports are themselves recorded; the
 * database refuses to change or delete a row.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

type Form = Readonly<Record<string, string | readonly string[]>>;

const PAGE_IP = '203.0.113.7';
const PAGE_AGENT = 'KanriAuditTest/1.0 (page)';
const API_IP = '198.51.100.9';
/** Longer than the list shows, so it is shortened there and whole in the exports. */
const API_AGENT = `KanriAuditTest/1.0 (api) ${'x'.repeat(80)}`;
const FORMULA = '=HYPERLINK("http://evil.example","x")';

interface Session {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, form?: Form): Promise<LightMyRequestResponse>;
}

/** `text` as a regular expression matching itself. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The ids of the event rows the trail page shows, in order. */
const shownRows = (body: string) => [...body.matchAll(/<tr id="audit-event-(\d+)" class="audit-event ([a-z_-]+)"/g)].map((m) => ({ id: Number(m[1]), event: m[2] }));

for (const { engine, skip } of await pageEngineCases()) {
  describe(`audit trail (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, id } = acme;
    let admin: Session;
    let jsmith: Session;

    const signedIn = async (login: string): Promise<Session> => {
      const browser = new Browser(acme.server.app, 'acme.localhost', { remoteAddress: PAGE_IP, headers: { 'user-agent': PAGE_AGENT } });
      const token = await browser.formToken('/login');
      assert.equal((await browser.signIn(login, `${login}-password`)).statusCode, 302);
      return { get: (url) => browser.request('GET', url), post: (url, form = {}) => browser.request('POST', url, { authenticity_token: token, ...form }) };
    };
    /** A REST call as `admin`, from the API client's address and with its user agent. */
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      acme.server.app.inject({
        method,
        url,
        remoteAddress: API_IP,
        headers: { host: 'acme.localhost', authorization: basicAuth('admin'), 'user-agent': API_AGENT, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const trail = (where: string, params: unknown[] = []) =>
      sql(`SELECT id, event, actor_id, actor_name, ip, user_agent, target_type, target_id, target_name, details FROM audit_events WHERE ${where} ORDER BY id`, params);
    const ofTarget = async (name: string) => (await trail('target_name = $1', [name])).map((row) => row.event);

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith']]);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true]]);
      admin = await signedIn('admin');
      jsmith = await signedIn('jsmith');
    });

    test('a change on a page and the same through the REST API each leave rows with actor, IP address and user agent', async () => {
      const created = await admin.post('/users', {
        'user[login]': 'pageuser',
        'user[firstname]': 'Paige',
        'user[lastname]': 'User',
        'user[mail]': 'pageuser@acme.test',
        'user[password]': 'pageuser-password',
        'user[password_confirmation]': 'pageuser-password',
      });
      assert.equal(created.statusCode, 303, created.body);
      const [pageUser] = await sql("SELECT id FROM users WHERE login = 'pageuser'");
      const pageUserId = Number(pageUser?.id);
      const forms: Form[] = [{ 'user[status]': '3' }, { 'user[admin]': '1' }, { 'user[firstname]': 'Page' }];
      for (const form of forms) {
        assert.equal((await admin.post(`/users/${pageUserId}`, form)).statusCode, 303);
      }

      const apiCreated = await api('POST', '/users.json', {
        user: { login: 'apiuser', firstname: 'Api', lastname: 'User', mail: 'apiuser@acme.test', password: 'apiuser-password' },
      });
      assert.equal(apiCreated.statusCode, 201, apiCreated.body);
      const apiUserId = apiCreated.json<{ user: { id: number } }>().user.id;
      for (const user of [{ status: 3 }, { admin: true }, { firstname: 'Apy' }]) {
        assert.equal((await api('PUT', `/users/${apiUserId}.json`, { user })).statusCode, 204);
      }

      for (const [login, userId, ip, agent] of [
        ['pageuser', pageUserId, PAGE_IP, PAGE_AGENT],
        ['apiuser', apiUserId, API_IP, API_AGENT],
      ] as const) {
        const rows = await trail('target_id = $1', [userId]);
        assert.deepEqual(
          rows.map((row) => row.event),
          ['user.create', 'user.lock', 'admin.grant', 'user.update'],
          login,
        );
        for (const row of rows) {
          assert.equal(row.actor_id, id('admin'));
          assert.equal(row.actor_name, 'admin');
          assert.equal(row.ip, ip);
          assert.equal(row.user_agent, agent);
          assert.equal(row.target_type, 'User');
          assert.equal(row.target_name, login);
        }
        assert.deepEqual(rows[1]?.details, { status: { from: 'active', to: 'locked' } });
        assert.deepEqual(rows[3]?.details, { firstname: { from: login === 'pageuser' ? 'Paige' : 'Api', to: login === 'pageuser' ? 'Page' : 'Apy' } });
        // The password given on creation is nowhere in the trail.
        assert.doesNotMatch(JSON.stringify(rows), /-password/);
      }

      // Unlocking through the API, deleting on the page.
      assert.equal((await api('PUT', `/users/${apiUserId}.json`, { user: { status: 1 } })).statusCode, 204);
      assert.equal((await admin.post(`/users/${pageUserId}/delete`, { confirm: 'pageuser' })).statusCode, 303);
      assert.deepEqual((await ofTarget('apiuser')).at(-1), 'user.unlock');
      assert.deepEqual((await ofTarget('pageuser')).at(-1), 'user.delete');
    });

    test('groups, memberships, settings and roles are recorded with old → new, from the pages and the API', async () => {
      assert.equal((await admin.post('/groups', { 'group[name]': 'Cooks' })).statusCode, 303);
      const cooks = Number((await sql("SELECT id FROM users WHERE type = 'Group' AND lastname = 'Cooks'"))[0]?.id);
      assert.equal((await admin.post(`/groups/${cooks}/users`, { 'user_ids[]': [String(id('jsmith'))] })).statusCode, 303);
      assert.equal((await admin.post(`/groups/${cooks}/users/${id('jsmith')}/delete`)).statusCode, 303);
      assert.equal((await admin.post(`/groups/${cooks}`, { 'group[name]': 'Chefs' })).statusCode, 303);
      const cooksRows = await trail('target_type = $1 AND target_id = $2', ['Group', cooks]);
      assert.deepEqual(
        cooksRows.map((row) => [row.event, row.target_name, row.details]),
        [
          ['group.create', 'Cooks', { twofa_required: false }],
          ['group.add_users', 'Cooks', { users: ['jsmith'] }],
          ['group.remove_user', 'Cooks', { user: 'jsmith' }],
          ['group.update', 'Chefs', { name: { from: 'Cooks', to: 'Chefs' } }],
        ],
      );
      assert.ok(cooksRows.every((row) => row.ip === PAGE_IP && row.actor_name === 'admin'));

      const bakers = await api('POST', '/groups.json', { group: { name: 'Bakers', user_ids: [id('jsmith')] } });
      assert.equal(bakers.statusCode, 201, bakers.body);
      const bakersId = bakers.json<{ group: { id: number } }>().group.id;
      assert.equal((await api('DELETE', `/groups/${bakersId}.json`)).statusCode, 204);
      const bakersRows = await trail('target_type = $1 AND target_id = $2', ['Group', bakersId]);
      assert.deepEqual(
        bakersRows.map((row) => [row.event, row.details]),
        [
          ['group.create', { twofa_required: false }],
          ['group.add_users', { users: ['jsmith'] }],
          ['group.delete', {}],
        ],
      );
      assert.ok(bakersRows.every((row) => row.ip === API_IP && row.user_agent === API_AGENT));

      // Memberships: added on the user's page, changed and removed through the API.
      const added = await admin.post(`/users/${id('jsmith')}/memberships`, {
        'membership[project_ids][]': [String(id('ecookbook'))],
        'membership[role_ids][]': [String(id('Manager'))],
      });
      assert.equal(added.statusCode, 303, added.body);
      const memberId = Number((await sql('SELECT id FROM members WHERE user_id = $1 AND project_id = $2', [id('jsmith'), id('ecookbook')]))[0]?.id);
      assert.equal((await api('PUT', `/memberships/${memberId}.json`, { membership: { role_ids: [id('Developer')] } })).statusCode, 204);
      assert.equal((await api('DELETE', `/memberships/${memberId}.json`)).statusCode, 204);
      const memberships = await trail("event = 'memberships.update' AND target_id = $1", [id('jsmith')]);
      assert.deepEqual(
        memberships.map((row) => [row.ip, row.target_type, row.details]),
        [
          [PAGE_IP, 'User', { project: 'eCookbook', roles: { from: [], to: ['Manager'] } }],
          [API_IP, 'User', { project: 'eCookbook', roles: { from: ['Manager'], to: ['Developer'] } }],
          [API_IP, 'User', { project: 'eCookbook', roles: { from: ['Developer'], to: [] } }],
        ],
      );

      // A setting, with its old and new value.
      assert.equal((await admin.post('/settings/edit?tab=general', { tab: 'general', 'settings[app_title]': 'Acme tracker' })).statusCode, 303);
      const [setting] = await trail("event = 'setting.update' AND target_name = 'app_title'");
      assert.deepEqual([setting?.target_type, setting?.ip, setting?.details], ['Setting', PAGE_IP, { setting: 'app_title', from: 'Kanri', to: 'Acme tracker' }]);

      // A role's permissions, on the permissions report, then its settings on its form.
      const developer = id('Developer');
      const before = (await sql('SELECT permissions FROM roles WHERE id = $1', [developer]))[0]?.permissions as string[];
      const kept = before.filter((name) => name !== 'add_issues');
      assert.equal((await admin.post('/roles/permissions', { [`permissions[${developer}][]`]: [...kept, 'manage_members'] })).statusCode, 303);
      assert.equal((await admin.post(`/roles/${developer}`, { 'role[assignable]': '0' })).statusCode, 303);
      const roleRows = await trail("event = 'role.update' AND target_id = $1", [developer]);
      assert.deepEqual(
        roleRows.map((row) => row.details),
        [{ permissions_added: ['manage_members'], permissions_removed: ['add_issues'] }, { assignable: { from: true, to: false } }],
      );
    });

    test('the page lists the trail newest first, a page at a time, with readable events, shortened user agents and the filters', async () => {
      await sql(
        `INSERT INTO audit_events (created_on, event, actor_name, ip, target_type, target_name)
         SELECT timestamp '2026-02-01 00:00:00' + i * interval '1 minute', 'log.download', 'admin', '192.0.2.1', 'Log', 'paged-' || i
         FROM generate_series(1, 30) AS i`,
      );
      const first = await admin.get('/admin/audit?target=paged');
      assert.equal(first.statusCode, 200, first.body);
      const rows = shownRows(first.body);
      assert.equal(rows.length, 25);
      assert.match(first.body, /<td class="target">Log paged-30<\/td>/);
      assert.ok(first.body.indexOf('paged-30') < first.body.indexOf('paged-29'), 'newest first');
      assert.match(first.body, /Application log downloaded/);
      assert.match(first.body, /href="\/admin\/audit\?target=paged&amp;page=2"/);
      const second = await admin.get('/admin/audit?target=paged&page=2');
      assert.equal(shownRows(second.body).length, 5);
      assert.match(second.body, /paged-1</);

      const page = await admin.get('/admin/audit');
      assert.match(page.body, /<h2>Audit trail<\/h2>/);
      assert.match(page.body, /href="\/admin\/audit" class="icon icon-history audit selected"/, 'the admin menu marks the trail');
      const shortened = `${API_AGENT.slice(0, 60)}…`;
      const apiLock = await admin.get(`/admin/audit?event=user.lock&ip=${encodeURIComponent('198.51.100.')}`);
      const locks = shownRows(apiLock.body);
      assert.ok(locks.length >= 1);
      assert.ok(locks.every((row) => row.event === 'user-lock'));
      assert.match(apiLock.body, new RegExp(literally(`<td class="user_agent" title="${API_AGENT}">${shortened}</td>`)));
      assert.match(apiLock.body, /<td class="event" title="user.lock">User locked<\/td>/);
      assert.match(apiLock.body, /status: active → locked/);
      assert.doesNotMatch(apiLock.body, new RegExp(`<td class="ip">${PAGE_IP}</td>`));

      const byActor = await admin.get('/admin/audit?actor=nobody');
      assert.match(byActor.body, /class="nodata"/);
      const byTarget = shownRows((await admin.get('/admin/audit?target=apiuser')).body);
      assert.ok(byTarget.length >= 4);

      // Dates are days in the viewer's time zone: 16:30 UTC on 10 January is 01:30 on the 11th in Tokyo.
      await sql("INSERT INTO audit_events (created_on, event, actor_name, target_type, target_name) VALUES ('2026-01-10 16:30:00', 'user.update', 'admin', 'User', 'zoned')");
      await sql("INSERT INTO user_preferences (user_id, time_zone) VALUES ($1, 'Asia/Tokyo') ON CONFLICT (user_id) DO UPDATE SET time_zone = 'Asia/Tokyo'", [id('admin')]);
      const tokyo = await admin.get('/admin/audit?target=zoned&from=2026-01-11&to=2026-01-11');
      assert.equal(shownRows(tokyo.body).length, 1);
      assert.match(tokyo.body, /<time datetime="2026-01-10T16:30:00Z">01\/11\/2026 01:30 AM<\/time>/);
      assert.match((await admin.get('/admin/audit?target=zoned&to=2026-01-10')).body, /class="nodata"/);
      assert.match((await admin.get('/admin/audit?target=zoned&from=2026-01-12')).body, /class="nodata"/);
      await sql("UPDATE user_preferences SET time_zone = '' WHERE user_id = $1", [id('admin')]);
      assert.equal(shownRows((await admin.get('/admin/audit?target=zoned&to=2026-01-10')).body).length, 1);

      const refused = await admin.get('/admin/audit?from=2026-02-30');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /From is not a valid date/);
    });

    test('only administrators see the trail or export it', async () => {
      for (const url of ['/admin/audit', '/admin/audit/export/csv', '/admin/audit/export/json']) {
        assert.equal((await jsmith.get(url)).statusCode, 403, url);
        const anonymous = await acme.server.app.inject({ url, headers: { host: 'acme.localhost' } });
        assert.equal(anonymous.statusCode, 302, url);
        assert.match(String(anonymous.headers.location), /^\/login/);
      }
      assert.equal((await trail("event = 'audit.export'")).length, 0, 'a refused export is no export');
      assert.doesNotMatch((await jsmith.get('/my/account')).body, /href="\/admin\/audit"/);
    });

    test('the CSV export is UTF-8 with a byte order mark, neutralises formulas, and is itself recorded', async () => {
      assert.equal((await admin.post('/groups', { 'group[name]': FORMULA })).statusCode, 303);
      const groupId = Number((await sql("SELECT id FROM users WHERE type = 'Group' AND lastname = $1", [FORMULA]))[0]?.id);
      const csv = await admin.get('/admin/audit/export/csv?target=HYPERLINK');
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="audit-trail\.csv"/);
      assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n');
      assert.equal(lines[0], 'Time (UTC),Event,Performed by,Switched to by,IP address,User agent,Target type,Target ID,Target,Changes');
      assert.equal(lines.length, 3, 'the header, one event, the final line end');
      assert.match(lines[1] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,group\.create,admin,,/);
      assert.ok(lines[1]?.endsWith(`,${PAGE_IP},${PAGE_AGENT},Group,${groupId},"'=HYPERLINK(""http://evil.example"",""x"")",twofa_required: false`), lines[1]);
      assert.doesNotMatch(csv.body, /(^|,)"?=HYPERLINK/m);

      const [exported] = await trail("event = 'audit.export'");
      assert.equal(exported?.actor_name, 'admin');
      assert.equal(exported?.ip, PAGE_IP);
      assert.equal(exported?.user_agent, PAGE_AGENT);
      assert.deepEqual(exported?.details, { format: 'csv', filter: { target: 'HYPERLINK' }, count: 1 });

      const sjis = await admin.get('/admin/audit/export/csv?event=setting.update&encoding=Shift_JIS');
      assert.match(String(sjis.headers['content-type']), /charset=Shift_JIS/);
      assert.notEqual(sjis.rawPayload[0], 0xef);
      assert.match(sjis.rawPayload.toString('latin1'), /setting\.update,admin/);
    });

    test('the JSON export holds the filtered events and is itself recorded', async () => {
      const json = await admin.get('/admin/audit/export/json?event=user.lock&from=2020-01-01');
      assert.equal(json.statusCode, 200, json.body);
      assert.match(String(json.headers['content-type']), /^application\/json/);
      assert.match(String(json.headers['content-disposition']), /^attachment; filename="audit-trail-2020-01-01\.json"/);
      const body = json.json<{ audit_events: Record<string, unknown>[]; total_count: number; filter: Record<string, string> }>();
      assert.deepEqual(body.filter, { event: 'user.lock', from: '2020-01-01' });
      assert.equal(body.total_count, 2);
      assert.deepEqual(
        body.audit_events.map((event) => [event.event, event.actor, event.ip, event.user_agent, (event.target as { name: string }).name]),
        [
          ['user.lock', { id: id('admin'), login: 'admin' }, API_IP, API_AGENT, 'apiuser'],
          ['user.lock', { id: id('admin'), login: 'admin' }, PAGE_IP, PAGE_AGENT, 'pageuser'],
        ],
      );
      assert.match(String(body.audit_events[0]?.created_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const exports = await trail("event = 'audit.export'");
      assert.deepEqual(exports.at(-1)?.details, { format: 'json', filter: { event: 'user.lock', from: '2020-01-01' }, count: 2 });
    });

    test('the database refuses to change or delete a row of the trail', async () => {
      const [row] = await sql("INSERT INTO audit_events (event, actor_name, target_name) VALUES ('user.update', 'admin', 'untouchable') RETURNING id");
      const rowId = Number(row?.id);
      await assert.rejects(sql("UPDATE audit_events SET actor_name = 'someone else' WHERE id = $1", [rowId]), /append-only/);
      await assert.rejects(sql('DELETE FROM audit_events WHERE id = $1', [rowId]), /append-only/);
      await assert.rejects(sql('DELETE FROM audit_events'), /append-only/);
      const [kept] = await trail('id = $1', [rowId]);
      assert.equal(kept?.actor_name, 'admin');
      // Past the 183 days the trail is kept, a row may go (retention).
      const [old] = await sql("INSERT INTO audit_events (created_on, event, target_name) VALUES (now() - interval '200 days', 'user.update', 'expired') RETURNING id");
      await sql('DELETE FROM audit_events WHERE id = $1', [Number(old?.id)]);
      assert.equal((await trail('id = $1', [Number(old?.id)])).length, 0);
    });

    test('an export larger than an export may hold is refused with a message, and not recorded', async () => {
      await sql(
        `INSERT INTO audit_events (event, actor_name, target_type, target_name)
         SELECT 'log.download', 'admin', 'Log', 'bulk' FROM generate_series(1, 50001)`,
      );
      const before = (await trail("event = 'audit.export'")).length;
      const refused = await admin.get('/admin/audit/export/json?target=bulk');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /The filter matches 50001 events, more than the 50000 an export may hold/);
      assert.equal((await trail("event = 'audit.export'")).length, before);
    });
  });
}
