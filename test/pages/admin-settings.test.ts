/** Administration → Settings: each tab shows and saves its settings; a refused value saves nothing; display settings take effect. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

type Form = Readonly<Record<string, string | readonly string[]>>;

for (const { engine, skip } of await pageEngineCases()) {
  describe(`settings pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, id } = acme;
    let admin: { request(url: string): Promise<LightMyRequestResponse>; post(url: string, form: Form): Promise<LightMyRequestResponse> };
    let jsmith: typeof admin;
    const stored = async (name: string) => (await sql('SELECT value FROM settings WHERE name = $1', [name]))[0]?.value;

    const signedIn = async (login: string, password: string): Promise<typeof admin> => {
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const token = await browser.formToken('/login');
      assert.equal((await browser.signIn(login, password)).statusCode, 302);
      return {
        request: (url) => browser.request('GET', url),
        post: (url, form) => browser.request('POST', url, { authenticity_token: token, ...form }),
      };
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith']]);
      await acme.group('Cooks', ['jsmith']);
      await acme.projects([['eCookbook', 'ecookbook', true]]);
      admin = await signedIn('admin', 'admin-password');
      jsmith = await signedIn('jsmith', 'jsmith-password');
    });

    test('every tab shows its settings in a form posting to /settings/edit', async () => {
      const expected: Record<string, string> = {
        general: 'app_title',
        display: 'date_format',
        authentication: 'password_min_length',
        api: 'rest_api_enabled',
        projects: 'default_projects_modules',
        users: 'default_users_hide_mail',
        issues: 'cross_project_subtasks',
        timelog: 'timelog_required_fields',
        attachments: 'attachment_max_size',
        notifications: 'mail_from',
      };
      for (const [tab, setting] of Object.entries(expected)) {
        const page = await admin.request(`/settings?tab=${tab}`);
        assert.equal(page.statusCode, 200, `${tab}: ${page.body}`);
        assert.match(page.body, new RegExp(`id="tab-${tab}" class="selected"`), tab);
        assert.match(page.body, new RegExp(`action="/settings/edit\\?tab=${tab}"`), tab);
        assert.match(page.body, new RegExp(`name="settings\\[${setting}\\]`), `${tab} has ${setting}`);
      }
      const general = await admin.request('/settings');
      assert.match(general.body, /id="tab-general" class="selected"/);
      assert.match(general.body, /<textarea[^>]*name="settings\[welcome_text\]"/);
    });

    test('anyone but an administrator is refused, and nothing is stored', async () => {
      assert.equal((await jsmith.request('/settings')).statusCode, 403);
      assert.equal((await jsmith.request('/settings?tab=display')).statusCode, 403);
      const refused = await jsmith.post('/settings/edit?tab=general', { 'settings[app_title]': 'Hijacked' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await stored('app_title'), undefined);
    });

    test('saving a tab stores its values, says so, and the page shows them', async () => {
      const saved = await admin.post('/settings/edit?tab=general', {
        'settings[app_title]': 'Acme Tracker',
        'settings[welcome_text]': 'Hello **cooks**',
        'settings[per_page_options]': '10,20',
        'settings[search_results_per_page]': ' 15 ',
        'settings[host_name]': 'acme.example.com',
        'settings[protocol]': 'https',
        'settings[text_formatting]': 'common_mark',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, '/settings?tab=general');
      assert.deepEqual(
        [await stored('app_title'), await stored('welcome_text'), await stored('per_page_options'), await stored('search_results_per_page'), await stored('protocol')],
        ['Acme Tracker', 'Hello **cooks**', '10,20', '15', 'https'],
      );
      const page = await admin.request('/settings?tab=general');
      assert.match(page.body, /Successful update\./);
      assert.match(page.body, /<title>[^<]*Acme Tracker<\/title>/);
      assert.match(page.body, /value="acme\.example\.com"/);
    });

    test('a refused value comes back (422) with its message, and nothing of the tab is stored', async () => {
      const refused = await admin.post('/settings/edit?tab=general', {
        'settings[app_title]': 'Never stored',
        'settings[search_results_per_page]': 'many',
        'settings[protocol]': 'gopher',
      });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /id="errorExplanation"/);
      assert.match(refused.body, /Search results per page must be a whole number/);
      assert.match(refused.body, /Protocol must be one of/);
      assert.match(refused.body, /value="Never stored"/, 'what was typed is kept');
      assert.equal(await stored('app_title'), 'Acme Tracker');
      assert.equal(await stored('search_results_per_page'), '15');
    });

    test('checkboxes and lists can be cleared as well as set', async () => {
      assert.equal((await admin.post('/settings/edit?tab=api', { 'settings[rest_api_enabled]': ['0', '1'], 'settings[jsonp_enabled]': '0' })).statusCode, 303);
      assert.deepEqual([await stored('rest_api_enabled'), await stored('jsonp_enabled')], ['1', undefined], 'an unchanged default is not written');
      assert.equal((await admin.post('/settings/edit?tab=api', { 'settings[rest_api_enabled]': '0', 'settings[jsonp_enabled]': '0' })).statusCode, 303);
      assert.equal(await stored('rest_api_enabled'), '0');
      const projects = await admin.post('/settings/edit?tab=projects', {
        'settings[default_projects_public]': '0',
        'settings[default_projects_modules][]': ['', 'issue_tracking', 'wiki'],
        'settings[default_projects_tracker_ids][]': [''],
        'settings[sequential_project_identifiers]': ['0', '1'],
        'settings[new_project_user_role_id]': '',
      });
      assert.equal(projects.statusCode, 303, projects.body);
      assert.deepEqual([await stored('default_projects_public'), await stored('default_projects_modules'), await stored('sequential_project_identifiers')], ['0', '["issue_tracking","wiki"]', '1']);
      assert.equal((await admin.post('/settings/edit?tab=issues', { 'settings[non_working_week_days][]': [''] })).statusCode, 303);
      assert.equal(await stored('non_working_week_days'), '[]');
      const page = await admin.request('/settings?tab=projects');
      assert.match(page.body, /name="settings\[default_projects_modules\]\[\]" value="wiki" checked/);
      assert.doesNotMatch(page.body, /name="settings\[default_projects_modules\]\[\]" value="news" checked/);
    });

    test('display settings change how pages write dates and names', async () => {
      const [created] = await sql('SELECT created_on FROM projects WHERE id = $1', [id('ecookbook')]);
      const day = new Date(String(created?.created_on instanceof Date ? created.created_on.toISOString() : created?.created_on));
      const [y, m, d] = [day.getUTCFullYear(), String(day.getUTCMonth() + 1).padStart(2, '0'), String(day.getUTCDate()).padStart(2, '0')];
      assert.equal((await admin.post('/settings/edit?tab=display', { 'settings[date_format]': '%d.%m.%Y', 'settings[user_format]': 'lastname_firstname' })).statusCode, 303);
      const projects = await admin.request('/admin/projects');
      assert.match(projects.body, new RegExp(`<td class="created_on">${d}\\.${m}\\.${y}</td>`));
      const users = await admin.request(`/groups/${id('Cooks')}/edit?tab=users`);
      assert.match(users.body, />Smith John</);
      assert.equal((await admin.post('/settings/edit?tab=display', { 'settings[date_format]': '%Y/%m/%d', 'settings[user_format]': 'firstname_lastname' })).statusCode, 303);
      assert.match((await admin.request('/admin/projects')).body, new RegExp(`<td class="created_on">${y}/${m}/${d}</td>`));
      assert.match((await admin.request(`/groups/${id('Cooks')}/edit?tab=users`)).body, />John Smith</);
    });
  });
}
