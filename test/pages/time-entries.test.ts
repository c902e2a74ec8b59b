/**
 * The spent-time pages: the list with Redmine's filters, total, sort and CSV; the report's pivot;
 * logging time through the form; editing and deleting with the API's permissions (nothing written
 * when refused); entries of projects the viewer may not see stay out of every list.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { signedInBrowsers } from './signed-in.ts';
import { pageEngineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;

/** Each body row of the report table, as its cell texts. */
function reportRows(html: string): string[][] {
  const table = /<table class="list" id="time-report">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim()),
  );
}

const rowIdsOf = (html: string) => [...html.matchAll(/<tr id="time-entry-(\d+)"/g)].map((m) => Number(m[1]));

for (const { engine, skip } of await pageEngineCases()) {
  describe(`spent-time pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const { as } = signedInBrowsers(() => acme.server.app);
    const log = async (as: string, entry: Json) => {
      const answer = await call('POST', '/time_entries.json', as, { time_entry: entry });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ time_entry: { id: number } }>().time_entry.id;
    };
    const entryCount = async () => Number((await sql('SELECT count(*)::int AS n FROM time_entries'))[0]?.n);

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill']]);
      await acme.referenceIds();
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
      // Reporters may change their own entries; developers may not.
      await sql("UPDATE roles SET permissions = permissions || '[\"edit_own_time_entries\"]'::jsonb WHERE id = $1", [id('Reporter')]);
      await sql("UPDATE roles SET permissions = permissions - 'edit_own_time_entries' WHERE id = $1", [id('Developer')]);
      for (const row of await sql("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity'")) {
        ids[String(row.name)] = Number(row.id);
      }
      const issue = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'ecookbook', subject: 'Cook pasta' } });
      ids.pasta = issue.json<{ issue: { id: number } }>().issue.id;
      ids.e1 = await log('dlopper', { issue_id: id('pasta'), spent_on: '2024-01-10', hours: 2, activity_id: id('Design'), comments: 'Sketching' });
      ids.e2 = await log('jsmith', { project_id: 'ecookbook', spent_on: '2024-01-15', hours: 3, activity_id: id('Development') });
      ids.e3 = await log('rhill', { project_id: 'ecookbook', spent_on: '2024-02-01', hours: 1.5, activity_id: id('Development') });
      ids.e4 = await log('dlopper', { project_id: 'ecookbook', spent_on: '2024-02-03', hours: 0.5, activity_id: id('Design') });
      ids.secret = await log('jsmith', { project_id: 'secret', spent_on: '2024-01-12', hours: 7, activity_id: id('Design'), comments: 'Hidden work' });
    });

    test('the list shows the visible entries, newest first, with the total of all of them', async () => {
      const page = await (await as('dlopper')).request('GET', '/time_entries');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(rowIdsOf(page.body), [id('e4'), id('e3'), id('e2'), id('e1')]);
      assert.doesNotMatch(page.body, /Hidden work/);
      assert.match(page.body, /class="value hours">7:00</);
      assert.match(page.body, /Bug #\d+: Cook pasta/);
      const project = await (await as('jsmith')).request('GET', '/projects/ecookbook/time_entries');
      assert.equal(project.statusCode, 200);
      assert.match(project.body, /id="main-menu"/);
      assert.deepEqual(rowIdsOf(project.body), [id('e4'), id('e3'), id('e2'), id('e1')]);
      const everywhere = await (await as('jsmith')).request('GET', '/time_entries');
      assert.match(everywhere.body, /class="value hours">14:00</);
      assert.equal((await (await as('dlopper')).request('GET', '/projects/secret/time_entries')).statusCode, 404);
    });

    test('filters by user and date period narrow the rows and the total; sort by hours', async () => {
      const browser = await as('jsmith');
      const byUser = await browser.request('GET', `/projects/ecookbook/time_entries?set_filter=1&f[]=user_id&op[user_id]==&v[user_id][]=${id('dlopper')}`);
      assert.deepEqual(rowIdsOf(byUser.body), [id('e4'), id('e1')]);
      assert.match(byUser.body, /class="value hours">2:30</);
      assert.match(byUser.body, /id="cb_user_id" name="f\[\]" value="user_id" checked/);
      const january = await browser.request('GET', '/projects/ecookbook/time_entries?set_filter=1&f[]=spent_on&op[spent_on]=><&v[spent_on][]=2024-01-01&v[spent_on][]=2024-01-31');
      assert.deepEqual(rowIdsOf(january.body), [id('e2'), id('e1')]);
      assert.match(january.body, /class="value hours">5:00</);
      const mine = await (await as('rhill')).request('GET', '/time_entries?set_filter=1&f[]=user_id&op[user_id]==&v[user_id][]=me');
      assert.deepEqual(rowIdsOf(mine.body), [id('e3')]);
      const activity = await browser.request('GET', `/time_entries?set_filter=1&f[]=activity_id&op[activity_id]==&v[activity_id][]=${id('Design')}`);
      assert.deepEqual(rowIdsOf(activity.body), [id('e4'), id('secret'), id('e1')]);
      const byIssue = await browser.request('GET', `/time_entries?set_filter=1&f[]=issue_id&op[issue_id]==&v[issue_id][]=${id('pasta')}`);
      assert.deepEqual(rowIdsOf(byIssue.body), [id('e1')]);
      const sorted = await browser.request('GET', '/projects/ecookbook/time_entries?sort=hours');
      assert.deepEqual(rowIdsOf(sorted.body), [id('e4'), id('e3'), id('e1'), id('e2')]);
      const paged = await browser.request('GET', '/projects/ecookbook/time_entries?per_page=25&page=2');
      assert.deepEqual(rowIdsOf(paged.body), []);
      const refused = await browser.request('GET', '/time_entries?set_filter=1&f[]=spent_on&op[spent_on]==&v[spent_on][]=nope');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Date is invalid/);
    });

    test("the filter box is the issue list's: active rows, then TimeEntryQuery's other filters and the custom fields behind Add filter", async () => {
      const [field] = await sql(
        "INSERT INTO custom_fields (type, name, field_format, is_filter, visible, position, possible_values) VALUES ('TimeEntryCustomField', 'Billable', 'list', true, true, 1, '[\"yes\",\"no\"]'::jsonb) RETURNING id",
      );
      const billable = Number(field?.id);
      const newField = async (type: string, name: string, visible: boolean) =>
        Number((await sql('INSERT INTO custom_fields (type, name, field_format, is_filter, visible, position) VALUES ($1, $2, $3, true, $4, 1) RETURNING id', [type, name, 'string', visible]))[0]?.id);
      const client = await newField('ProjectCustomField', 'Client', true);
      const hidden = await newField('TimeEntryCustomField', 'Internal', false);
      await sql("INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ('TimeEntry', $1, $2, 'yes')", [id('e3'), billable]);
      const browser = await as('jsmith');
      const page = await browser.request('GET', `/projects/ecookbook/time_entries?set_filter=1&f[]=issue.tracker_id&op[issue.tracker_id]==&v[issue.tracker_id][]=${id('Bug')}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(rowIdsOf(page.body), [id('e1')], 'only the entry on a Bug');
      assert.match(page.body, /<script[^>]+issue-query/, 'the issue list island enhances the box');
      const active = /<table id="filters-table">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
      assert.match(active, /id="cb_issue_tracker_id" name="f\[\]" value="issue.tracker_id" checked/);
      assert.match(active, /<label for="cb_issue_tracker_id"> Issue&#39;s Tracker<\/label>|<label for="cb_issue_tracker_id"> Issue's Tracker<\/label>/);
      assert.match(active, new RegExp(`<option value="${id('Bug')}" selected>Bug</option>`));
      const others = /<details class="add-filter" id="add-filter">([\s\S]*?)<\/details>/.exec(page.body)?.[1] ?? '';
      const offered = [...others.matchAll(/<tr class="filter[^"]*" id="tr_[^"]*" data-field="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(offered, [
        'spent_on', 'issue_id', 'issue.parent_id', 'issue.status_id', 'issue.fixed_version_id', 'issue.category_id', 'issue.subject',
        'user_id', 'user.group', 'user.role', 'author_id', 'activity_id', 'comments', 'hours', `cf_${billable}`, `project.cf_${client}`,
      ]);
      assert.match(others, new RegExp(`<label for="cb_project_cf_${client}"> Project(&#39;|')s Client</label>`));
      const asAdmin = (await (await as('admin')).request('GET', '/projects/ecookbook/time_entries')).body;
      assert.match(asAdmin, new RegExp(`data-field="cf_${hidden}"`), 'a field visible to no role: administrators only');
      assert.match(others, new RegExp(`<option value="${id('dlopper')}">Dave Lopper</option>`), 'user values are in the page');
      const byField = await browser.request('GET', `/projects/ecookbook/time_entries?set_filter=1&f[]=cf_${billable}&op[cf_${billable}]==&v[cf_${billable}][]=yes`);
      assert.deepEqual(rowIdsOf(byField.body), [id('e3')]);
      assert.match(byField.body, new RegExp(`id="cb_cf_${billable}" name="f\\[\\]" value="cf_${billable}" checked`));
      const hours = await browser.request('GET', '/projects/ecookbook/time_entries?set_filter=1&f[]=hours&op[hours]=>=&v[hours][]=2');
      assert.deepEqual(rowIdsOf(hours.body), [id('e2'), id('e1')]);
      assert.match(hours.body, /id="cb_hours" name="f\[\]" value="hours" checked/);
      await sql('DELETE FROM custom_fields WHERE id = ANY($1::int[])', [[billable, client, hidden]]);
    });

    test('CSV export: UTF-8 with a byte order mark, the filtered rows', async () => {
      const csv = await (await as('jsmith')).request('GET', `/projects/ecookbook/time_entries.csv?set_filter=1&f[]=user_id&op[user_id]==&v[user_id][]=${id('dlopper')}`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf');
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Project,Date,User,Activity,Issue,Comment,Hours');
      assert.equal(lines.length, 3);
      assert.equal(lines[1], 'eCookbook,02/03/2024,Dave Lopper,Design,,,0.50');
      assert.equal(lines[2], `eCookbook,01/10/2024,Dave Lopper,Design,Bug #${id('pasta')}: Cook pasta,Sketching,2.00`);
    });

    test('the report sums hours by user and month, with totals per period and overall', async () => {
      const page = await (await as('jsmith')).request('GET', '/projects/ecookbook/time_entries/report?criteria[]=user&columns=month');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<th class="period">2024-1<\/th><th class="period">2024-2<\/th>/);
      assert.deepEqual(reportRows(page.body), [
        ['Dave Lopper', '2:00', '0:30', '2:30'],
        ['John Smith', '3:00', '', '3:00'],
        ['Robert Hill', '', '1:30', '1:30'],
        ['Total', '5:00', '2:00', '7:00'],
      ]);
      const nested = await (await as('jsmith')).request('GET', '/projects/ecookbook/time_entries/report?criteria[]=activity&criteria[]=user&columns=year');
      assert.deepEqual(reportRows(nested.body), [
        ['Design', '', '2:30', '2:30'],
        ['', 'Dave Lopper', '2:30', '2:30'],
        ['Development', '', '4:30', '4:30'],
        ['', 'John Smith', '3:00', '3:00'],
        ['', 'Robert Hill', '1:30', '1:30'],
        ['Total', '', '7:00', '7:00'],
      ]);
      const global = await (await as('jsmith')).request('GET', `/time_entries/report?criteria[]=project&columns=year&set_filter=1&f[]=activity_id&op[activity_id]==&v[activity_id][]=${id('Design')}`);
      assert.deepEqual(reportRows(global.body), [
        ['eCookbook', '2:30', '2:30'],
        ['Secret', '7:00', '7:00'],
        ['Total', '9:30', '9:30'],
      ]);
      const csv = await (await as('jsmith')).request('GET', '/projects/ecookbook/time_entries/report.csv?criteria[]=user&columns=month');
      assert.deepEqual(csv.body.replace(/^\uFEFF/, '').trim().split('\r\n'), [
        'User,2024-1,2024-2,Total',
        'Dave Lopper,2.00,0.50,2.50',
        'John Smith,3.00,,3.00',
        'Robert Hill,,1.50,1.50',
        'Total,5.00,2.00,7.00',
      ]);
    });

    test('log time through the form: hours in any accepted format, stored for the user', async () => {
      const browser = await as('dlopper');
      const form = await browser.request('GET', `/issues/${id('pasta')}/time_entries/new`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /action="\/issues\/\d+\/time_entries"/);
      const before = await entryCount();
      const done = await browser.post(`/issues/${id('pasta')}/time_entries`, {
        'time_entry[spent_on]': '2024-03-05',
        'time_entry[hours]': '1h45',
        'time_entry[activity_id]': String(id('Development')),
        'time_entry[comments]': 'Boiling water',
      });
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, `/issues/${id('pasta')}`);
      assert.equal(await entryCount(), before + 1);
      const [row] = await sql("SELECT user_id, author_id, issue_id, project_id, hours, spent_on::text AS spent_on, activity_id FROM time_entries WHERE comments = 'Boiling water'");
      assert.deepEqual(row, { user_id: id('dlopper'), author_id: id('dlopper'), issue_id: id('pasta'), project_id: id('ecookbook'), hours: 1.75, spent_on: '2024-03-05', activity_id: id('Development') });

      const project = await browser.post('/projects/ecookbook/time_entries', {
        'time_entry[issue_id]': '',
        'time_entry[spent_on]': '2024-03-06',
        'time_entry[hours]': '0:20',
        'time_entry[activity_id]': String(id('Design')),
        'time_entry[comments]': 'Tasting',
        continue: '1',
      });
      assert.equal(project.statusCode, 303);
      assert.match(String(project.headers.location), /^\/projects\/ecookbook\/time_entries\/new\?/);
      const [tasting] = await sql("SELECT hours FROM time_entries WHERE comments = 'Tasting'");
      assert.equal(Number(tasting?.hours).toFixed(4), (20 / 60).toFixed(4));

      const global = await browser.post('/time_entries', {
        'time_entry[project_id]': String(id('ecookbook')),
        'time_entry[spent_on]': '2024-03-07',
        'time_entry[hours]': '2.5',
        'time_entry[activity_id]': String(id('Design')),
        'time_entry[comments]': 'Plating',
      });
      assert.equal(global.statusCode, 303);
      assert.equal(global.headers.location, `/projects/${id('ecookbook')}/time_entries`);

      const count = await entryCount();
      const refused = await browser.post('/projects/ecookbook/time_entries', { 'time_entry[spent_on]': '2024-03-07', 'time_entry[hours]': 'lots', 'time_entry[activity_id]': String(id('Design')) });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Hours is invalid/);
      assert.match(refused.body, /value="lots"/);
      assert.equal(await entryCount(), count);
      // No log_time in a project the user is not a member of (non members may not log time there).
      const outside = await (await as('rhill')).post('/projects/secret/time_entries', { 'time_entry[hours]': '1', 'time_entry[activity_id]': String(id('Design')) });
      assert.equal(outside.statusCode, 404);
      assert.equal(await entryCount(), count);
    });

    test('edit and delete follow edit_time_entries / edit_own_time_entries; refused changes write nothing', async () => {
      // Developers lack edit_own_time_entries here: no links, and the forms are refused.
      const dave = await as('dlopper');
      const list = await dave.request('GET', '/projects/ecookbook/time_entries');
      assert.doesNotMatch(list.body, new RegExp(`/time_entries/${id('e1')}/edit`));
      assert.equal((await dave.request('GET', `/time_entries/${id('e1')}/edit`)).statusCode, 403);
      const denied = await dave.post(`/time_entries/${id('e1')}`, { 'time_entry[hours]': '9' });
      assert.equal(denied.statusCode, 403);
      assert.equal((await dave.post(`/time_entries/${id('e1')}/delete`)).statusCode, 403);
      const [kept] = await sql('SELECT hours FROM time_entries WHERE id = $1', [id('e1')]);
      assert.equal(kept?.hours, 2);

      // Reporters here may change their own entries, not someone else's.
      const robert = await as('rhill');
      const own = await robert.request('GET', `/time_entries/${id('e3')}/edit`);
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /value="1:30"/);
      const changed = await robert.post(`/time_entries/${id('e3')}`, { 'time_entry[hours]': '2:15', 'time_entry[comments]': 'Reviewed' });
      assert.equal(changed.statusCode, 303);
      assert.deepEqual(await sql('SELECT hours, comments FROM time_entries WHERE id = $1', [id('e3')]), [{ hours: 2.25, comments: 'Reviewed' }]);
      const invalid = await robert.post(`/time_entries/${id('e3')}`, { 'time_entry[hours]': '-1' });
      assert.equal(invalid.statusCode, 422);
      assert.deepEqual(await sql('SELECT hours FROM time_entries WHERE id = $1', [id('e3')]), [{ hours: 2.25 }]);
      assert.equal((await robert.post(`/time_entries/${id('e2')}`, { 'time_entry[hours]': '9' })).statusCode, 403);
      assert.equal((await robert.post(`/time_entries/${id('e2')}/delete`)).statusCode, 403);
      assert.equal((await sql('SELECT 1 FROM time_entries WHERE id = $1', [id('e2')])).length, 1);

      // Managers may change and delete anyone's.
      const john = await as('jsmith');
      const listed = await john.request('GET', '/projects/ecookbook/time_entries');
      assert.match(listed.body, new RegExp(`action="/time_entries/${id('e1')}/delete"`));
      const deleted = await john.post(`/time_entries/${id('e4')}/delete`);
      assert.equal(deleted.statusCode, 303);
      assert.equal((await sql('SELECT 1 FROM time_entries WHERE id = $1', [id('e4')])).length, 0);
      const after = await john.request('GET', String(deleted.headers.location));
      assert.match(after.body, /Successful deletion/);
      // The secret project's entry is no one's business but its members'.
      assert.equal((await robert.request('GET', `/time_entries/${id('secret')}/edit`)).statusCode, 404);
    });
  });
}
