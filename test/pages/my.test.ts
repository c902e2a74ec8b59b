/**
 * The signed-in user's pages and the people pages: My page's blocks (the right issues, only visible
 * ones) and its layout kept in the preferences; My account (names, e-mail, language, time zone and
 * preferences stored, a refused change stores nothing, the time zone shows on later pages), the API
 * access key shown and reset; user profiles (hidden e-mail, visible projects only); the home page.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

const TODAY = new Date().toISOString().slice(0, 10);

/** Ids of the issues listed in a My page block. */
function blockIssueIds(html: string, block: string): number[] {
  const box = new RegExp(`<div class="mypage-box" id="block-${block}"[\\s\\S]*?(?=<div class="mypage-box"|<\\/div><div class="splitcontent"|$)`).exec(html)?.[0] ?? '';
  return [...box.matchAll(/<tr id="issue-(\d+)"/g)].map((m) => Number(m[1]));
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`my page, my account, profiles and home (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const { as } = signedInBrowsers(() => acme.server.app);
    const newIssue = async (as: string, project: string, subject: string, extra: Record<string, unknown> = {}) => {
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: project, subject, ...extra } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const layoutOf = async (login: string) => {
      const [row] = await sql("SELECT others->'my_page_layout' AS layout FROM user_preferences WHERE user_id = $1", [id(login)]);
      return row?.layout;
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill'], 'gone']);
      await acme.lock('gone');
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      for (const row of await sql("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity'")) {
        ids[String(row.name)] = Number(row.id);
      }
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      ids.assigned = await newIssue('jsmith', 'ecookbook', 'Fix the oven', { assigned_to_id: id('dlopper'), priority_id: id('priority High') });
      ids.assignedLow = await newIssue('jsmith', 'ecookbook', 'Sharpen knives', { assigned_to_id: id('dlopper'), priority_id: id('priority Low') });
      ids.closed = await newIssue('jsmith', 'ecookbook', 'Old closed one', { assigned_to_id: id('dlopper') });
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('Closed'), id('closed')]);
      ids.reported = await newIssue('dlopper', 'ecookbook', 'Reported by Dave');
      ids.secret = await newIssue('jsmith', 'secret', 'Secret recipe');
      // Assigned to Dave in a project he cannot see: never on his page.
      await sql('UPDATE issues SET assigned_to_id = $1 WHERE id = $2', [id('dlopper'), id('secret')]);
      ids.watched = await newIssue('jsmith', 'ecookbook', 'Watched by Dave', { start_date: TODAY });
      const watch = await call('POST', `/issues/${id('watched')}/watchers.json`, 'admin', { user_id: id('dlopper') });
      assert.equal(watch.statusCode, 204, watch.body);
      const watchSecret = await call('POST', `/issues/${id('secret')}/watchers.json`, 'admin', { user_id: id('dlopper') });
      assert.equal(watchSecret.statusCode, 204, watchSecret.body);
    });

    test('My page: assigned and reported blocks by default, open visible issues only, by priority', async () => {
      const page = await (await as('dlopper')).request('GET', '/my/page');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(blockIssueIds(page.body, 'issuesassignedtome'), [id('assigned'), id('assignedLow')]);
      assert.deepEqual(blockIssueIds(page.body, 'issuesreportedbyme'), [id('reported')]);
      assert.match(page.body, /Issues assigned to me<\/a> \(2\)/);
      assert.doesNotMatch(page.body, /Secret recipe/);
      assert.match(page.body, /href="\/issues\?set_filter=1&amp;f%5B%5D=status_id&amp;op%5Bstatus_id%5D=o&amp;f%5B%5D=assigned_to_id/);
      assert.equal(await layoutOf('dlopper'), null);
      const anonymous = await acme.server.app.inject({ method: 'GET', url: '/my/page', headers: { host: 'acme.localhost' } });
      assert.equal(anonymous.statusCode, 302);
      assert.match(String(anonymous.headers.location), /^\/login\?back_url=%2Fmy%2Fpage/);
    });

    test('blocks are added on top, removed and reordered; the layout is kept in the preferences', async () => {
      const dave = await as('dlopper');
      assert.equal((await dave.post('/my/add_block', { block: 'issueswatched' })).statusCode, 303);
      assert.deepEqual(await layoutOf('dlopper'), { top: ['issueswatched'], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] });
      await dave.post('/my/add_block', { block: 'calendar' });
      await dave.post('/my/add_block', { block: 'timelog' });
      await dave.post('/my/add_block', { block: 'news' });
      // Unknown blocks and blocks already shown are not added.
      await dave.post('/my/add_block', { block: 'documents' });
      await dave.post('/my/add_block', { block: 'calendar' });
      assert.deepEqual(await layoutOf('dlopper'), { top: ['news', 'timelog', 'calendar', 'issueswatched'], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] });

      // Move the watched block from the top into the right group, first.
      const ordered = await dave.post('/my/order_blocks', { group: 'right', 'blocks[]': ['issueswatched', 'issuesreportedbyme', 'nonsense'] });
      assert.equal(ordered.statusCode, 303);
      assert.deepEqual(await layoutOf('dlopper'), { top: ['news', 'timelog', 'calendar'], left: ['issuesassignedtome'], right: ['issueswatched', 'issuesreportedbyme'] });
      // The island's post (X-CSRF-Token) is answered 204.
      const token = /name="authenticity_token" value="([^"]+)"/.exec((await dave.request('GET', '/my/page')).body)?.[1] ?? '';
      const island = await acme.server.app.inject({
        method: 'POST',
        url: '/my/order_blocks',
        headers: { host: 'acme.localhost', cookie: dave.cookieHeader(), 'x-csrf-token': token, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'group=top&blocks[]=calendar&blocks[]=news&blocks[]=timelog',
      });
      assert.equal(island.statusCode, 204);
      assert.deepEqual(await layoutOf('dlopper'), { top: ['calendar', 'news', 'timelog'], left: ['issuesassignedtome'], right: ['issueswatched', 'issuesreportedbyme'] });
      assert.equal((await dave.post('/my/order_blocks', { group: 'middle', 'blocks[]': ['news'] })).statusCode, 303);
      assert.deepEqual((await layoutOf('dlopper') as { top: string[] }).top, ['calendar', 'news', 'timelog']);

      await dave.post('/my/remove_block', { block: 'news' });
      assert.deepEqual(await layoutOf('dlopper'), { top: ['calendar', 'timelog'], left: ['issuesassignedtome'], right: ['issueswatched', 'issuesreportedbyme'] });
      // A post without the form token changes nothing, and signs the browser out (Redmine).
      const forged = await dave.request('POST', '/my/remove_block', { block: 'calendar' });
      assert.equal(forged.statusCode, 422);
      assert.deepEqual((await layoutOf('dlopper') as { top: string[] }).top, ['calendar', 'timelog']);
      assert.equal(await dave.whoAmI(), undefined);
      assert.equal((await dave.signIn('dlopper', 'dlopper-password')).statusCode, 302);

      // The move buttons post the group's order with the block one place up.
      const page = await dave.request('GET', '/my/page');
      assert.match(page.body, /name="group" value="right"\/><input type="hidden" name="blocks\[\]" value="issuesreportedbyme"\/><input type="hidden" name="blocks\[\]" value="issueswatched"\/>/);
    });

    test('the watched, calendar, spent time and news blocks show their data', async () => {
      const log = await call('POST', '/time_entries.json', 'dlopper', { time_entry: { issue_id: id('assigned'), hours: 1.25, spent_on: TODAY, comments: 'Preheating', activity_id: id('Design') } });
      assert.equal(log.statusCode, 201, log.body);
      await call('POST', '/time_entries.json', 'dlopper', { time_entry: { issue_id: id('assigned'), hours: 4, spent_on: '2020-01-01', comments: 'Long ago', activity_id: id('Design') } });
      const dave = await as('dlopper');
      await dave.post('/my/add_block', { block: 'news' });
      const page = await dave.request('GET', '/my/page');
      assert.deepEqual(blockIssueIds(page.body, 'issueswatched'), [id('watched')]);
      const calendar = /<div class="mypage-box" id="block-calendar"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
      assert.match(calendar, new RegExp(`<td class="even today" data-date="${TODAY}">[\\s\\S]*?#${id('watched')}</a>: Watched by Dave`));
      const timelog = /<div class="mypage-box" id="block-timelog"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
      assert.match(timelog, /Preheating/);
      assert.doesNotMatch(timelog, /Long ago/);
      assert.match(timelog, /Total: <span class="hours">1:15<\/span>/);
      assert.match(page.body, /id="block-news"[\s\S]*?No data to display/);
    });

    test('My account: names, e-mail, language, time zone and preferences are stored', async () => {
      const robert = await as('rhill');
      const form = await robert.request('GET', '/my/account');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="user\[firstname\]" value="Robert"/);
      assert.match(form.body, /<option value="Asia\/Tokyo">Asia\/Tokyo<\/option>/);
      const saved = await robert.post('/my/account', {
        'user[firstname]': 'Bob',
        'user[lastname]': 'Hills',
        'user[mail]': 'bob@acme.test',
        'user[language]': 'ja',
        'pref[time_zone]': 'Asia/Tokyo',
        'pref[hide_mail]': ['0', '1'],
        'pref[comments_sorting]': 'desc',
        'pref[warn_on_leaving_unsaved]': '0',
        'pref[no_self_notified]': ['0', '1'],
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/my/account');
      const [user] = await sql("SELECT u.firstname, u.lastname, u.language, (SELECT address FROM email_addresses WHERE user_id = u.id AND is_default) AS mail FROM users u WHERE u.id = $1", [id('rhill')]);
      assert.deepEqual(user, { firstname: 'Bob', lastname: 'Hills', language: 'ja', mail: 'bob@acme.test' });
      const [pref] = await sql('SELECT time_zone, hide_mail, others FROM user_preferences WHERE user_id = $1', [id('rhill')]);
      assert.equal(pref?.time_zone, 'Asia/Tokyo');
      assert.equal(pref?.hide_mail, true);
      assert.deepEqual({ ...(pref?.others as object) }, { comments_sorting: 'desc', warn_on_leaving_unsaved: '0', no_self_notified: '1' });
      // The next page is in the new language, with the flash.
      const next = await robert.request('GET', '/my/account');
      assert.match(next.body, /<html lang="ja">/);
      assert.match(next.body, /アカウントを更新しました。/);
      assert.match(next.body, /<option value="Asia\/Tokyo" selected>/);
    });

    test('a refused change (e-mail taken) answers 422 and stores nothing', async () => {
      const robert = await as('rhill');
      const refused = await robert.post('/my/account', { 'user[firstname]': 'Roberto', 'user[lastname]': 'Hills', 'user[mail]': 'jsmith@acme.test', 'pref[time_zone]': 'Europe/Paris' });
      assert.equal(refused.statusCode, 422);
      // Robert reads Japanese now: Redmine's message in his language.
      assert.match(refused.body, /メールアドレスはすでに使われています/);
      assert.match(refused.body, /name="user\[firstname\]" value="Roberto"/);
      const [user] = await sql('SELECT firstname FROM users WHERE id = $1', [id('rhill')]);
      assert.equal(user?.firstname, 'Bob');
      const [pref] = await sql('SELECT time_zone FROM user_preferences WHERE user_id = $1', [id('rhill')]);
      assert.equal(pref?.time_zone, 'Asia/Tokyo');
    });

    test('the time zone decides how times read: a profile’s last connection', async () => {
      await sql("UPDATE users SET last_login_on = '2024-05-01 12:00:00' WHERE id = $1", [id('jsmith')]);
      const inUtc = await (await as('dlopper')).request('GET', `/users/${id('jsmith')}`);
      assert.match(inUtc.body, /<span class="time">05\/01\/2024 12:00 PM<\/span>/);
      // Robert chose Asia/Tokyo (and Japanese: the language's date and time formats).
      const inTokyo = await (await as('rhill')).request('GET', `/users/${id('jsmith')}`);
      assert.match(inTokyo.body, /<span class="time">2024\/05\/01 21:00<\/span>/);
      await (await as('dlopper')).post('/my/account', { 'user[firstname]': 'Dave', 'user[lastname]': 'Lopper', 'user[mail]': 'dlopper@acme.test', 'pref[time_zone]': 'America/New_York' });
      const inNewYork = await (await as('dlopper')).request('GET', `/users/${id('jsmith')}`);
      assert.match(inNewYork.body, /<span class="time">05\/01\/2024 08:00 AM<\/span>/);
    });

    test('API access key: shown (made on first show), reset; the old key stops working', async () => {
      const john = await as('jsmith');
      assert.equal((await sql("SELECT 1 FROM tokens WHERE user_id = $1 AND action = 'api'", [id('jsmith')])).length, 0);
      const account = await john.request('GET', '/my/account');
      assert.match(account.body, /Missing an API access key/);
      const shown = await john.request('GET', '/my/api_key');
      assert.equal(shown.statusCode, 200);
      const key = /<pre id="api-access-key">([0-9a-f]{40})<\/pre>/.exec(shown.body)?.[1] ?? '';
      assert.equal(key.length, 40);
      const [stored] = await sql("SELECT value FROM tokens WHERE user_id = $1 AND action = 'api'", [id('jsmith')]);
      assert.equal(stored?.value, key);
      const withKey = (value: string) => acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', 'x-redmine-api-key': value } });
      assert.equal((await withKey(key)).statusCode, 200);
      assert.match((await john.request('GET', '/my/account')).body, /API access key created less than 1 minute ago/);

      const reset = await john.post('/my/api_key');
      assert.equal(reset.statusCode, 303);
      assert.match((await john.request('GET', '/my/account')).body, /Your API access key was reset\./);
      const [renewed] = await sql("SELECT value FROM tokens WHERE user_id = $1 AND action = 'api'", [id('jsmith')]);
      assert.notEqual(renewed?.value, key);
      assert.equal((await withKey(key)).statusCode, 401);
      assert.equal((await withKey(String(renewed?.value))).statusCode, 200);

      await acme.setting('rest_api_enabled', '0');
      try {
        assert.equal((await john.request('GET', '/my/api_key')).statusCode, 404);
        assert.equal((await john.post('/my/api_key')).statusCode, 404);
        assert.doesNotMatch((await john.request('GET', '/my/account')).body, /api-access-key-box/);
      } finally {
        await acme.setting('rest_api_enabled', '1');
      }
    });

    test('user profile: e-mail unless hidden, only visible projects, issue counts; invisible users are 404', async () => {
      await sql('UPDATE user_preferences SET hide_mail = false WHERE user_id = $1', [id('jsmith')]);
      const dave = await as('dlopper');
      const shown = await dave.request('GET', `/users/${id('jsmith')}`);
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /<h2>John Smith<\/h2>/);
      assert.match(shown.body, /mailto:jsmith@acme.test/);
      assert.match(shown.body, /eCookbook<\/a> \(Manager\)/);
      assert.doesNotMatch(shown.body, /Secret/);
      assert.doesNotMatch(shown.body, /Login: jsmith/);
      await sql('UPDATE user_preferences SET hide_mail = true WHERE user_id = $1', [id('jsmith')]);
      const hidden = await dave.request('GET', `/users/${id('jsmith')}`);
      assert.doesNotMatch(hidden.body, /jsmith@acme.test/);
      const admin = await (await as('admin')).request('GET', `/users/${id('jsmith')}`);
      assert.match(admin.body, /jsmith@acme.test/);
      assert.match(admin.body, /Login: jsmith/);
      assert.match(admin.body, /Secret<\/a> \(Manager\)/);

      const counts = await dave.request('GET', `/users/${id('dlopper')}`);
      const assignedRow = /<tr class="assigned">([\s\S]*?)<\/tr>/.exec(counts.body)?.[1] ?? '';
      assert.deepEqual([...assignedRow.matchAll(/<a [^>]*>(\d+)<\/a>/g)].map((m) => Number(m[1])), [2, 1, 3]);
      assert.match(assignedRow, new RegExp(`href="/issues\\?set_filter=1&amp;assigned_to_id=${id('dlopper')}&amp;status_id=o"`));
      assert.equal((await dave.request('GET', `/users/${id('gone')}`)).statusCode, 404);
      assert.equal((await dave.request('GET', '/users/999999')).statusCode, 404);
    });

    test('home: the welcome text, and the latest projects the user sees', async () => {
      await acme.setting('welcome_text', 'Welcome to the **kitchen**.');
      const anonymous = await acme.server.app.inject({ method: 'GET', url: '/', headers: { host: 'acme.localhost' } });
      assert.equal(anonymous.statusCode, 200);
      assert.match(anonymous.body, /kitchen/);
      assert.doesNotMatch(anonymous.body, /latest-projects/);
      const dave = await (await as('dlopper')).request('GET', '/');
      assert.match(dave.body, /id="latest-projects"/);
      assert.match(dave.body, /href="\/projects\/ecookbook"/);
      assert.doesNotMatch(dave.body, /href="\/projects\/secret"/);
      const john = await (await as('jsmith')).request('GET', '/');
      const order = [...john.body.matchAll(/<a href="\/projects\/(\w+)" class="project">/g)].map((m) => m[1]);
      assert.deepEqual(order, ['secret', 'ecookbook']);
    });
  });
}
