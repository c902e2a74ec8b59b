/**
 * Time entries over the REST API (§6.6): log (plain, scoped to a project or an issue, for another
 * user), show, list with filters, paging and sort, update and delete, in JSON and XML; Redmine's
 * validations and settings (hours formats, default activity, required fields, zero hours, hours per
 * day, future dates); permissions with the roles' time-entry visibility; custom values; and what
 * issues and versions show and do with the time logged on them.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Ref = { id: number; name?: string };
type Entry = Json & { id: number; project: Ref; issue?: Ref; user?: Ref; activity?: Ref; hours: number; comments: string | null; spent_on: string };
type Page = { time_entries: Entry[]; total_count: number; offset: number; limit: number };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const TODAY = new Date().toISOString().slice(0, 10);

for (const { engine, skip } of await engineCases()) {
  describe(`time entries over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id, setting } = acme;
    const entryCount = async () => Number((await sql('SELECT count(*)::int AS n FROM time_entries'))[0]?.n);
    const log = async (entry: Json, as = 'jsmith', path = '/time_entries.json') => {
      const answer = await call('POST', path, as, { time_entry: entry });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ time_entry: Entry }>().time_entry;
    };
    const refused = async (entry: Json, errors: string[], as = 'jsmith') => {
      const before = await entryCount();
      const answer = await call('POST', '/time_entries.json', as, { time_entry: entry });
      assert.equal(answer.statusCode, 422, answer.body);
      assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors);
      assert.equal(await entryCount(), before);
    };
    const listOf = async (query: string, as = 'jsmith', path = '/time_entries.json') => {
      const answer = await call('GET', `${path}${query ? `?${query}` : ''}`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<Page>();
    };
    const idsOf = async (query: string, as = 'jsmith', path?: string) => (await listOf(query, as, path)).time_entries.map((e) => e.id);
    const newIssue = async (project: string, subject: string, extra: Json = {}) => {
      const answer = await call('POST', '/issues.json', 'admin', { issue: { project_id: project, subject, ...extra } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const showIssue = async (issueId: number, as = 'jsmith') => {
      const answer = await call('GET', `/issues/${issueId}.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer;
    };
    const grant = async (role: string, permission: string) => {
      await sql("UPDATE roles SET permissions = permissions || to_jsonb($2::text) WHERE id = $1 AND NOT permissions ? $2", [id(role), permission]);
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], 'rhill', 'outsider', 'locked']);
      await acme.lock('locked');
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Child', 'child', true, 'ecookbook'],
        ['Other', 'other', true],
        ['Secret', 'secret', false],
        ['No time', 'notime', true],
        ['Closing', 'closing', true],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['ecookbook', 'locked', 'Developer'],
        ['child', 'jsmith', 'Manager'],
        ['other', 'jsmith', 'Manager'],
        ['secret', 'jsmith', 'Manager'],
        ['notime', 'jsmith', 'Manager'],
        ['closing', 'jsmith', 'Manager'],
      ]);
      const modules = await call('PUT', '/projects/notime.json', 'admin', { project: { enabled_module_names: ['issue_tracking'] } });
      assert.equal(modules.statusCode, 204, modules.body);
      for (const row of await sql("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity'")) {
        ids[String(row.name)] = Number(row.id);
      }
      ids.bug = await newIssue('ecookbook', 'Bug');
      ids.parent = await newIssue('ecookbook', 'Parent');
      ids.sub = await newIssue('ecookbook', 'Subtask', { parent_issue_id: id('parent') });
      ids.otherIssue = await newIssue('other', 'Elsewhere');
      ids.noTimeIssue = await newIssue('notime', 'No time here');
    });

    test('log on an issue: 201, absolute Location, Redmine’s representation with the issue’s project', async () => {
      const answer = await call('POST', '/time_entries.json', 'jsmith', {
        time_entry: { issue_id: id('bug'), spent_on: '2024-01-10', hours: 3.5, activity_id: id('Design'), comments: 'Reading logs' },
      });
      assert.equal(answer.statusCode, 201, answer.body);
      const entry = answer.json<{ time_entry: Entry }>().time_entry;
      ids.first = entry.id;
      assert.equal(answer.headers.location, `http://acme.localhost/time_entries/${entry.id}`);
      assert.deepEqual(Object.keys(entry), ['id', 'project', 'issue', 'user', 'activity', 'hours', 'comments', 'spent_on', 'created_on', 'updated_on']);
      const { created_on: created, updated_on: updated, ...rest } = entry;
      assert.deepEqual(rest, {
        id: entry.id,
        project: { id: id('ecookbook'), name: 'eCookbook' },
        issue: { id: id('bug') },
        user: { id: id('jsmith'), name: 'John Smith' },
        activity: { id: id('Design'), name: 'Design' },
        hours: 3.5,
        comments: 'Reading logs',
        spent_on: '2024-01-10',
      });
      assert.match(String(created), ISO_TIME);
      assert.match(String(updated), ISO_TIME);
      const [row] = await sql('SELECT author_id, tyear, tmonth, tweek FROM time_entries WHERE id = $1', [entry.id]);
      assert.deepEqual(row, { author_id: id('jsmith'), tyear: 2024, tmonth: 1, tweek: 2 });
    });

    test('log on a project by identifier, today by default; whole hours print as floats; no issue key', async () => {
      const answer = await call('POST', '/time_entries.json', 'jsmith', { time_entry: { project_id: 'ecookbook', hours: 2, activity_id: id('Development') } });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(answer.body, /"hours":2\.0,"comments":null,/);
      const entry = answer.json<{ time_entry: Entry }>().time_entry;
      assert.equal(entry.spent_on, TODAY);
      assert.equal(entry.issue, undefined);
      await call('DELETE', `/time_entries/${entry.id}.json`, 'admin');
    });

    test('scoped routes: /projects/:id/time_entries and /issues/:id/time_entries', async () => {
      const onProject = await log({ hours: '1', spent_on: '2024-01-11', activity_id: id('Design') }, 'jsmith', '/projects/child/time_entries.json');
      assert.deepEqual(onProject.project, { id: id('child'), name: 'Child' });
      const onIssue = await log({ hours: '1', spent_on: '2024-01-11', activity_id: id('Design') }, 'jsmith', `/issues/${id('sub')}/time_entries.json`);
      assert.deepEqual([onIssue.project.id, onIssue.issue?.id], [id('ecookbook'), id('sub')]);
      assert.equal((await call('POST', '/issues/999999/time_entries.json', 'jsmith', { time_entry: { hours: 1 } })).statusCode, 404);
      assert.equal((await call('POST', '/projects/nope/time_entries.json', 'jsmith', { time_entry: { hours: 1 } })).statusCode, 404);
      ids.childEntry = onProject.id;
      ids.subEntry = onIssue.id;
    });

    test('hours as people type them: 1:30, 1h30, 1,5, 90m, 2h 15m, 0.25', async () => {
      const cases: [string, number][] = [['1:30', 1.5], ['1h30', 1.5], ['1,5', 1.5], ['90m', 1.5], ['2h 15m', 2.25], ['0.25', 0.25]];
      for (const [hours, expected] of cases) {
        const entry = await log({ project_id: id('other'), hours, spent_on: '2023-05-01', activity_id: id('Design') });
        assert.equal(entry.hours, expected, hours);
        await call('DELETE', `/time_entries/${entry.id}.json`, 'jsmith');
      }
      // Stored as sent, shown at minute precision to two decimals (Redmine 6).
      const odd = await log({ project_id: id('other'), hours: 0.3833333, spent_on: '2023-05-01', activity_id: id('Design') });
      assert.equal(odd.hours, 0.38);
      assert.equal(Number((await sql('SELECT hours FROM time_entries WHERE id = $1', [odd.id]))[0]?.hours), 0.3833333);
      await call('DELETE', `/time_entries/${odd.id}.json`, 'jsmith');
    });

    test('XML: create from an XML body, show and list as Redmine’s builder writes them', async () => {
      const body = `<?xml version="1.0"?><time_entry><issue_id>${id('bug')}</issue_id><spent_on>2024-01-12</spent_on><hours>1h</hours><activity_id>${id('Development')}</activity_id><comments>x &amp; y</comments></time_entry>`;
      const created = await call('POST', '/time_entries.xml', 'jsmith', body, 'application/xml');
      assert.equal(created.statusCode, 201, created.body);
      assert.match(String(created.headers['content-type']), /^application\/xml/);
      const entryId = Number(/<id>(\d+)<\/id>/.exec(created.body)?.[1]);
      ids.xmlEntry = entryId;
      const shown = await call('GET', `/time_entries/${entryId}.xml`, 'jsmith');
      assert.equal(shown.statusCode, 200);
      assert.match(
        shown.body,
        new RegExp(
          `<time_entry><id>${entryId}</id><project id="${id('ecookbook')}" name="eCookbook"/><issue id="${id('bug')}"/>` +
            `<user id="${id('jsmith')}" name="John Smith"/><activity id="${id('Development')}" name="Development"/>` +
            '<hours>1.0</hours><comments>x &amp; y</comments><spent_on>2024-01-12</spent_on><created_on>[^<]+Z</created_on><updated_on>[^<]+Z</updated_on></time_entry>',
        ),
      );
      const listed = await call('GET', '/time_entries.xml?limit=2', 'jsmith');
      assert.match(listed.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n?<time_entries type="array" total_count="\d+" offset="0" limit="2">/);
      assert.equal([...listed.body.matchAll(/<time_entry>/g)].length, 2);
    });

    test('validation: Redmine’s messages, in its order, nothing written', async () => {
      await refused({ project_id: 'ecookbook', spent_on: '2024-01-10', activity_id: id('Design') }, ['Hours cannot be blank']);
      await refused({ project_id: 'ecookbook', hours: '-1', activity_id: id('Design') }, ['Hours is invalid']);
      await refused({ project_id: 'ecookbook', hours: 'lots', activity_id: id('Design') }, ['Hours is invalid']);
      await refused({ project_id: 'ecookbook', hours: 1 }, ['Activity cannot be blank']);
      await refused({ project_id: 'ecookbook', hours: 1, activity_id: id('priority Normal') }, ['Activity is not included in the list']);
      await refused({ project_id: 'ecookbook', hours: 1, activity_id: id('Design'), spent_on: '2024-02-30' }, ['Date cannot be blank', 'Date is not a valid date']);
      await refused({ project_id: 'ecookbook', hours: 1, activity_id: id('Design'), spent_on: '2024-01-10T10:00:00' }, ['Date is not a valid date']);
      await refused({ project_id: 'ecookbook', hours: 1, activity_id: id('Design'), comments: 'x'.repeat(1025) }, ['Comment is too long (maximum is 1024 characters)']);
      await refused({ project_id: 'nope', hours: 1, activity_id: id('Design') }, ['Project is invalid']);
      await refused({ hours: 1, activity_id: id('Design') }, ['Project cannot be blank', 'Project is invalid']);
      // An issue of another project than the one given.
      await refused({ project_id: 'ecookbook', issue_id: id('otherIssue'), hours: 1, activity_id: id('Design') }, ['Issue is invalid']);
      await refused({ issue_id: 999999, hours: 1, activity_id: id('Design') }, ['Project cannot be blank', 'Project is invalid', 'Issue is invalid']);
      // A private project the user is no member of is no project to them.
      await refused({ project_id: 'secret', hours: 1, activity_id: id('Design') }, ['Project is invalid'], 'dlopper');
      // Several at once, in Redmine's order.
      await refused({ project_id: 'ecookbook', hours: '', spent_on: '', activity_id: '' }, ['Activity cannot be blank', 'Hours cannot be blank', 'Date cannot be blank']);
    });

    test('settings: required fields, zero hours, hours per day, future dates', async () => {
      const base = { project_id: 'other', activity_id: id('Design'), spent_on: '2022-03-01' };
      await setting('timelog_required_fields', '["issue_id","comments"]');
      await refused({ ...base, hours: 1 }, ['Issue cannot be blank', 'Comment cannot be blank']);
      await setting('timelog_required_fields', '[]');
      const zero = await log({ ...base, hours: 0 });
      await setting('timelog_accept_0_hours', '0');
      await refused({ ...base, hours: 0 }, ['Hours is invalid']);
      // An update that leaves zero hours alone is fine.
      assert.equal((await call('PUT', `/time_entries/${zero.id}.json`, 'jsmith', { time_entry: { comments: 'still zero' } })).statusCode, 204);
      await setting('timelog_accept_0_hours', '1');
      await setting('timelog_max_hours_per_day', '8');
      const six = await log({ ...base, hours: 6 });
      await refused({ ...base, hours: '2:30' }, ['Cannot log more than 8:00 hours on the same day (6:00 hours have already been logged)']);
      await setting('timespan_format', 'decimal');
      await refused({ ...base, hours: 3 }, ['Cannot log more than 8.00 hours on the same day (6.00 hours have already been logged)']);
      await setting('timespan_format', 'minutes');
      const two = await log({ ...base, hours: 2 });
      // Changing an entry counts the day's other entries only.
      assert.equal((await call('PUT', `/time_entries/${six.id}.json`, 'jsmith', { time_entry: { hours: 6.5 } })).statusCode, 422);
      assert.equal((await call('PUT', `/time_entries/${six.id}.json`, 'jsmith', { time_entry: { hours: 5 } })).statusCode, 204);
      await setting('timelog_max_hours_per_day', '999');
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await setting('timelog_accept_future_dates', '0');
      await refused({ ...base, hours: 1, spent_on: tomorrow }, ['Cannot log time on a future date']);
      await setting('timelog_accept_future_dates', '1');
      const future = await log({ ...base, hours: 1, spent_on: tomorrow });
      for (const entry of [zero, six, two, future]) {
        assert.equal((await call('DELETE', `/time_entries/${entry.id}.json`, 'jsmith')).statusCode, 204);
      }
    });

    test('default activity: the one marked default, a project’s override of it, a role’s default', async () => {
      await sql('UPDATE enumerations SET is_default = (id = $1) WHERE type = $2', [id('Development'), 'TimeEntryActivity']);
      const plain = await log({ project_id: 'other', hours: 1, spent_on: '2022-01-01' });
      assert.deepEqual(plain.activity, { id: id('Development'), name: 'Development' });
      // A project's own version of the default activity is its default there; the shared one is no longer offered.
      const [override] = await sql(
        "INSERT INTO enumerations (name, position, is_default, type, active, project_id, parent_id) VALUES ('Development', 2, false, 'TimeEntryActivity', true, $1, $2) RETURNING id",
        [id('child'), id('Development')],
      );
      const onChild = await log({ project_id: 'child', hours: 1, spent_on: '2022-01-01' });
      assert.equal(onChild.activity?.id, Number(override?.id));
      await refused({ project_id: 'child', hours: 1, activity_id: id('Development') }, ['Activity is not included in the list']);
      // A role's default activity comes first.
      await sql('UPDATE roles SET default_time_entry_activity_id = $1 WHERE id = $2', [id('Design'), id('Manager')]);
      const byRole = await log({ project_id: 'other', hours: 1, spent_on: '2022-01-01' });
      assert.equal(byRole.activity?.id, id('Design'));
      await sql('UPDATE roles SET default_time_entry_activity_id = NULL');
      await sql("UPDATE enumerations SET is_default = false WHERE type = 'TimeEntryActivity'");
      for (const entry of [plain, onChild, byRole]) {
        await call('DELETE', `/time_entries/${entry.id}.json`, 'jsmith');
      }
      await sql('DELETE FROM enumerations WHERE id = $1', [Number(override?.id)]);
    });

    test('time for another user: with log_time_for_other_users, for someone who may log time there', async () => {
      const forDave = await log({ project_id: 'ecookbook', user_id: id('dlopper'), hours: 4, spent_on: '2024-01-15', activity_id: id('Development') });
      assert.deepEqual(forDave.user, { id: id('dlopper'), name: 'Dave Lopper' });
      assert.equal(Number((await sql('SELECT author_id FROM time_entries WHERE id = $1', [forDave.id]))[0]?.author_id), id('jsmith'));
      ids.daveEntry = forDave.id;
      // Developers may not log time for others; nobody may log it for non-members or locked users.
      await refused({ project_id: 'ecookbook', user_id: id('jsmith'), hours: 1, activity_id: id('Design') }, ['User is invalid'], 'dlopper');
      await refused({ project_id: 'ecookbook', user_id: id('outsider'), hours: 1, activity_id: id('Design') }, ['User is invalid']);
      await refused({ project_id: 'ecookbook', user_id: id('locked'), hours: 1, activity_id: id('Design') }, ['User is invalid']);
      // One's own id is always fine.
      const own = await log({ project_id: 'ecookbook', user_id: id('dlopper'), hours: 1, spent_on: '2024-01-16', activity_id: id('Design') }, 'dlopper');
      ids.daveOwn = own.id;
      ids.rhillEntry = (await log({ project_id: 'ecookbook', hours: 0.5, spent_on: '2024-01-17', activity_id: id('Design') }, 'rhill')).id;
    });

    test('permissions to log: 403 without log_time, module off, closed project; 401 anonymous', async () => {
      const before = await entryCount();
      const post = (entry: Json, as: string | undefined, path = '/time_entries.json') => call('POST', path, as, { time_entry: { hours: 1, activity_id: id('Design'), ...entry } });
      assert.equal((await post({ project_id: 'other' }, 'outsider')).statusCode, 403);
      assert.equal((await post({}, 'outsider', '/projects/other/time_entries.json')).statusCode, 403);
      assert.equal((await post({ project_id: 'notime' }, 'jsmith')).statusCode, 403);
      assert.equal((await post({ issue_id: id('noTimeIssue') }, 'jsmith')).statusCode, 422);
      assert.equal((await post({}, 'jsmith', `/issues/${id('noTimeIssue')}/time_entries.json`)).statusCode, 403);
      assert.equal((await post({ project_id: 'other' }, undefined)).statusCode, 401);
      const closing = await log({ project_id: 'closing', hours: 1, spent_on: '2024-01-01', activity_id: id('Design') });
      assert.equal((await call('PUT', '/projects/closing/close.json', 'admin')).statusCode, 204);
      assert.equal((await post({ project_id: 'closing' }, 'jsmith')).statusCode, 403);
      // A closed project's entries are read-only.
      assert.equal((await call('GET', `/time_entries/${closing.id}.json`, 'jsmith')).statusCode, 200);
      assert.equal((await call('PUT', `/time_entries/${closing.id}.json`, 'jsmith', { time_entry: { hours: 2 } })).statusCode, 403);
      assert.equal((await call('DELETE', `/time_entries/${closing.id}.json`, 'jsmith')).statusCode, 403);
      assert.equal(await entryCount(), before + 1);
    });

    test('show: 404 unknown or in a private project, 403 not visible, 401 anonymous where hidden', async () => {
      assert.equal((await call('GET', '/time_entries/999999.json', 'jsmith')).statusCode, 404);
      assert.equal((await call('GET', '/time_entries/abc.json', 'jsmith')).statusCode, 404);
      const secret = await log({ project_id: 'secret', hours: 1, spent_on: '2024-01-01', activity_id: id('Design') });
      assert.equal((await call('GET', `/time_entries/${secret.id}.json`, 'outsider')).statusCode, 404);
      assert.equal((await call('GET', `/time_entries/${secret.id}.json`, 'admin')).statusCode, 200);
      // Non members see a public project's entries (Non member role); anonymous users too (Anonymous role).
      assert.equal((await call('GET', `/time_entries/${id('first')}.json`, 'outsider')).statusCode, 200);
      assert.equal((await call('GET', `/time_entries/${id('first')}.json`, undefined)).statusCode, 200);
      await sql("UPDATE roles SET time_entries_visibility = 'own' WHERE builtin IN (1, 2)");
      assert.equal((await call('GET', `/time_entries/${id('first')}.json`, 'outsider')).statusCode, 403);
      assert.equal((await call('GET', `/time_entries/${id('first')}.json`, undefined)).statusCode, 401);
      await sql("UPDATE roles SET time_entries_visibility = 'all' WHERE builtin IN (1, 2)");
      await call('DELETE', `/time_entries/${secret.id}.json`, 'jsmith');
    });

    test('visibility own: a role that shows only one’s own entries, in lists, shows and issue totals', async () => {
      await sql("UPDATE roles SET time_entries_visibility = 'own' WHERE id = $1", [id('Reporter')]);
      // Their own in ecookbook; in its public subproject they are no member, and the Non member role shows all.
      assert.deepEqual(await idsOf('project_id=ecookbook&subproject_id=!*', 'rhill'), [id('rhillEntry')]);
      assert.equal((await listOf('project_id=ecookbook&subproject_id=!*', 'rhill')).total_count, 1);
      assert.ok((await idsOf('project_id=ecookbook', 'rhill')).includes(id('childEntry')));
      assert.equal((await call('GET', `/time_entries/${id('first')}.json`, 'rhill')).statusCode, 403);
      const issue = JSON.parse((await showIssue(id('bug'), 'rhill')).body) as { issue: { spent_hours: number } };
      assert.equal(issue.issue.spent_hours, 0);
      await sql("UPDATE roles SET time_entries_visibility = 'all' WHERE id = $1", [id('Reporter')]);
      assert.ok((await idsOf('project_id=ecookbook', 'rhill')).includes(id('first')));
    });

    test('update: 204 and stored; edit_own_time_entries for one’s own, edit_time_entries for all; 403 otherwise', async () => {
      const put = (entryId: number, entry: Json, as: string) => call('PUT', `/time_entries/${entryId}.json`, as, { time_entry: entry });
      const answer = await put(id('daveEntry'), { comments: 'API Update', hours: '4:15' }, 'jsmith');
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      const [row] = await sql('SELECT comments, hours FROM time_entries WHERE id = $1', [id('daveEntry')]);
      assert.deepEqual(row, { comments: 'API Update', hours: 4.25 });
      assert.equal((await put(id('daveOwn'), { hours: 2 }, 'dlopper')).statusCode, 403);
      await grant('Developer', 'edit_own_time_entries');
      assert.equal((await put(id('daveOwn'), { hours: 2 }, 'dlopper')).statusCode, 204);
      assert.equal((await put(id('first'), { hours: 2 }, 'dlopper')).statusCode, 403);
      const invalid = await put(id('daveOwn'), { hours: '', comments: 'x' }, 'dlopper');
      assert.equal(invalid.statusCode, 422);
      assert.deepEqual(invalid.json<{ errors: string[] }>().errors, ['Hours cannot be blank']);
      // Moving one's own entry to someone else needs log_time_for_other_users.
      assert.deepEqual((await put(id('daveOwn'), { user_id: id('jsmith') }, 'dlopper')).json<{ errors: string[] }>().errors, ['User is invalid']);
      // An issue of the project moves the entry onto it; one elsewhere with the project kept is invalid.
      assert.equal((await put(id('daveOwn'), { issue_id: id('bug') }, 'dlopper')).statusCode, 204);
      assert.deepEqual((await put(id('daveOwn'), { issue_id: id('otherIssue'), project_id: 'ecookbook' }, 'dlopper')).json<{ errors: string[] }>().errors, ['Issue is invalid']);
      // An issue of another project brings its project along (where the user may log time).
      assert.equal((await put(id('daveEntry'), { issue_id: id('otherIssue') }, 'jsmith')).statusCode, 204);
      assert.equal(Number((await sql('SELECT project_id FROM time_entries WHERE id = $1', [id('daveEntry')]))[0]?.project_id), id('other'));
      assert.equal((await put(id('daveEntry'), { issue_id: '', project_id: 'ecookbook' }, 'jsmith')).statusCode, 204);
      // Nothing to change: 204.
      assert.equal((await call('PUT', `/time_entries/${id('daveOwn')}.json`, 'dlopper', {})).statusCode, 204);
      assert.equal((await put(999999, { hours: 1 }, 'jsmith')).statusCode, 404);
    });

    test('delete: 204 for who may edit the entry, 403 otherwise, 404 unknown', async () => {
      const doomed = await log({ project_id: 'ecookbook', hours: 1, spent_on: '2024-01-20', activity_id: id('Design') }, 'dlopper');
      assert.equal((await call('DELETE', `/time_entries/${doomed.id}.json`, 'rhill')).statusCode, 403);
      assert.equal((await call('DELETE', `/time_entries/${doomed.id}.json`, undefined)).statusCode, 401);
      const answer = await call('DELETE', `/time_entries/${doomed.id}.xml`, 'dlopper');
      assert.equal(answer.statusCode, 204);
      assert.equal(answer.body, '');
      assert.equal((await call('DELETE', `/time_entries/${doomed.id}.json`, 'jsmith')).statusCode, 404);
    });

    test('list: a project’s entries with its subprojects, newest day first, paged with total_count', async () => {
      const page = await listOf('', 'jsmith', '/projects/ecookbook/time_entries.json');
      const all = page.time_entries;
      assert.deepEqual(
        all.map((e) => e.spent_on),
        [...all.map((e) => e.spent_on)].sort().reverse(),
      );
      assert.ok(all.some((e) => e.project.id === id('child')));
      assert.equal(page.total_count, all.length);
      assert.deepEqual([page.offset, page.limit], [0, 25]);
      const second = await listOf('limit=2&offset=1', 'jsmith', '/projects/ecookbook/time_entries.json');
      assert.deepEqual(second.time_entries.map((e) => e.id), all.slice(1, 3).map((e) => e.id));
      assert.equal(second.total_count, page.total_count);
      assert.deepEqual(await idsOf('project_id=ecookbook&subproject_id=!*'), all.filter((e) => e.project.id === id('ecookbook')).map((e) => e.id));
      const bare = await call('GET', '/time_entries.json?nometa=1', 'jsmith');
      assert.deepEqual(Object.keys(bare.json<Json>()), ['time_entries']);
      assert.equal((await call('GET', '/projects/notime/time_entries.json', 'jsmith')).statusCode, 403);
      assert.equal((await call('GET', '/projects/secret/time_entries.json', 'outsider')).statusCode, 404);
      assert.equal((await call('GET', '/time_entries.json', 'outsider')).statusCode, 200);
    });

    test('filters: issue (with subtasks), user (me), dates, from/to, activity, hours, comments; sort; bad filters 422', async () => {
      assert.deepEqual(await idsOf(`issue_id=${id('parent')}`), []);
      assert.deepEqual(await idsOf(`issue_id=~${id('parent')}`), [id('subEntry')]);
      assert.ok((await idsOf('issue_id=!*')).includes(id('childEntry')));
      const mine = await listOf('user_id=me', 'dlopper');
      assert.ok(mine.time_entries.length > 0 && mine.time_entries.every((e) => e.user?.id === id('dlopper')));
      assert.deepEqual(await idsOf(`user_id=${id('rhill')}`), [id('rhillEntry')]);
      assert.deepEqual(await idsOf('spent_on=2024-01-17'), [id('rhillEntry')]);
      assert.deepEqual(new Set(await idsOf('from=2024-01-10&to=2024-01-11')), new Set([id('first'), id('childEntry'), id('subEntry')]));
      assert.ok(!(await idsOf('from=2024-01-12')).includes(id('first')));
      assert.ok((await idsOf('to=2024-01-10')).includes(id('first')));
      assert.deepEqual(new Set(await idsOf(`activity_id=${id('Development')}&project_id=ecookbook`)), new Set([id('xmlEntry'), id('daveEntry')]));
      assert.deepEqual(await idsOf('hours=>=3.5&project_id=ecookbook'), [id('daveEntry'), id('first')].filter(Boolean));
      assert.deepEqual(await idsOf('comments=~logs'), [id('first')]);
      assert.deepEqual(await idsOf(`f[]=issue_id&op[issue_id]==&v[issue_id][]=${id('sub')}`), [id('subEntry')]);
      const byHours = (await listOf('project_id=ecookbook&sort=hours')).time_entries.map((e) => e.hours);
      assert.deepEqual(byHours, [...byHours].sort((a, b) => a - b));
      const bad = await call('GET', '/time_entries.json?spent_on=2024-13-45', 'jsmith');
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json<{ errors: string[] }>().errors, ['Date is invalid']);
      assert.deepEqual((await call('GET', '/time_entries.json?from=soon', 'jsmith')).json<{ errors: string[] }>().errors, ['Date is invalid']);
      assert.deepEqual((await call('GET', '/time_entries.json?user_id=bob', 'jsmith')).json<{ errors: string[] }>().errors, ['User is invalid']);
    });

    test('custom fields: written on create and update, shown to those who see the field', async () => {
      const [open] = await sql("INSERT INTO custom_fields (type, name, field_format, visible, position) VALUES ('TimeEntryCustomField', 'Billable', 'bool', true, 1) RETURNING id");
      const [hidden] = await sql("INSERT INTO custom_fields (type, name, field_format, visible, position) VALUES ('TimeEntryCustomField', 'Internal', 'string', false, 2) RETURNING id");
      await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [hidden?.id, id('Manager')]);
      const entry = await log({
        project_id: 'ecookbook',
        hours: 1,
        spent_on: '2024-02-01',
        activity_id: id('Design'),
        custom_fields: [{ id: Number(open?.id), value: '1' }, { id: Number(hidden?.id), value: 'secret note' }],
      });
      assert.deepEqual(entry.custom_fields, [
        { id: Number(open?.id), name: 'Billable', value: '1' },
        { id: Number(hidden?.id), name: 'Internal', value: 'secret note' },
      ]);
      const seenByDave = (await call('GET', `/time_entries/${entry.id}.json`, 'dlopper')).json<{ time_entry: Entry }>().time_entry;
      assert.deepEqual(seenByDave.custom_fields, [{ id: Number(open?.id), name: 'Billable', value: '1' }]);
      // A change of a custom value alone touches the entry's updated_on, as Redmine's save does.
      await sql("UPDATE time_entries SET updated_on = '2020-01-01' WHERE id = $1", [entry.id]);
      assert.equal((await call('PUT', `/time_entries/${entry.id}.json`, 'jsmith', { time_entry: { custom_field_values: { [String(open?.id)]: '0' } } })).statusCode, 204);
      const [touched] = await sql('SELECT updated_on > $2 AS moved FROM time_entries WHERE id = $1', [entry.id, '2020-01-02']);
      assert.equal(touched?.moved, true);
      const listed = (await listOf('spent_on=2024-02-01')).time_entries[0];
      assert.deepEqual(listed?.custom_fields?.[0 as never], { id: Number(open?.id), name: 'Billable', value: '0' });
      const bad = await call('POST', '/time_entries.json', 'jsmith', { time_entry: { project_id: 'ecookbook', hours: 1, activity_id: id('Design'), custom_fields: [{ id: Number(open?.id), value: 'maybe' }] } });
      assert.deepEqual(bad.json<{ errors: string[] }>().errors, ['Billable is not included in the list']);
      await call('DELETE', `/time_entries/${entry.id}.json`, 'jsmith');
      assert.equal(Number((await sql("SELECT count(*)::int AS n FROM custom_values WHERE customized_type = 'TimeEntry'"))[0]?.n), 0);
      await sql("DELETE FROM custom_fields WHERE type = 'TimeEntryCustomField'");
    });

    test('issues show spent_hours and total_spent_hours (floats) to who may view time entries', async () => {
      const parent = await showIssue(id('parent'));
      assert.match(parent.body, /"total_estimated_hours":null,"spent_hours":0\.0,"total_spent_hours":1\.0,/);
      const bug = (await showIssue(id('bug'))).json<{ issue: { spent_hours: number; total_spent_hours: number } }>().issue;
      const logged = await sql('SELECT coalesce(sum(hours), 0)::float8 AS h FROM time_entries WHERE issue_id = $1', [id('bug')]);
      assert.equal(bug.spent_hours, Number(logged[0]?.h));
      assert.equal(bug.total_spent_hours, bug.spent_hours);
      // Without time tracking in the project, the keys are absent.
      const noTime = (await showIssue(id('noTimeIssue'))).json<{ issue: Json }>().issue;
      assert.ok(!('spent_hours' in noTime) && !('total_spent_hours' in noTime));
      const xml = await call('GET', `/issues/${id('parent')}.xml`, 'jsmith');
      assert.match(xml.body, /<spent_hours>0\.0<\/spent_hours><total_spent_hours>1\.0<\/total_spent_hours>/);
      // List items carry them too, per issue.
      const listed = await call('GET', `/issues.json?issue_id=${id('parent')},${id('sub')},${id('noTimeIssue')}&status_id=*`, 'jsmith');
      const hours = listed.json<{ issues: (Json & { id: number })[] }>().issues.map((i) => [i.id, i.spent_hours, i.total_spent_hours]);
      assert.deepEqual(hours, [
        [id('noTimeIssue'), undefined, undefined],
        [id('sub'), 1, 1],
        [id('parent'), 0, 1],
      ]);
    });

    test('versions show the hours logged on their issues', async () => {
      const version = await call('POST', '/projects/ecookbook/versions.json', 'jsmith', { version: { name: 'Spent' } });
      const versionId = version.json<{ version: { id: number } }>().version.id;
      const issueId = await newIssue('ecookbook', 'In version', { fixed_version_id: versionId });
      await log({ issue_id: issueId, hours: 1.25, spent_on: '2024-03-01', activity_id: id('Design') });
      await log({ issue_id: issueId, hours: 2, spent_on: '2024-03-02', activity_id: id('Design') }, 'dlopper');
      const shown = (await call('GET', `/versions/${versionId}.json`, 'jsmith')).json<{ version: { spent_hours: number } }>().version;
      assert.equal(shown.spent_hours, 3.25);
      ids.versionIssue = issueId;
    });

    test('an issue moved to another project takes its time entries along', async () => {
      const issueId = await newIssue('ecookbook', 'Moving');
      const entry = await log({ issue_id: issueId, hours: 1, spent_on: '2024-03-05', activity_id: id('Design') });
      const moved = await call('PUT', `/issues/${issueId}.json`, 'admin', { issue: { project_id: id('other') } });
      assert.equal(moved.statusCode, 204, moved.body);
      assert.equal(Number((await sql('SELECT project_id FROM issues WHERE id = $1', [issueId]))[0]?.project_id), id('other'));
      assert.equal(Number((await sql('SELECT project_id FROM time_entries WHERE id = $1', [entry.id]))[0]?.project_id), id('other'));
    });

    test('deleting an issue: its entries go too, or are kept without issue (nullify), or move (reassign)', async () => {
      const logOn = async (issueId: number) => (await log({ issue_id: issueId, hours: 1, spent_on: '2024-04-01', activity_id: id('Design') })).id;
      const issueOf = async (entryId: number) => (await sql('SELECT issue_id FROM time_entries WHERE id = $1', [entryId]))[0];

      const plain = await newIssue('ecookbook', 'Plain delete');
      const gone = await logOn(plain);
      assert.equal((await call('DELETE', `/issues/${plain}.json`, 'admin')).statusCode, 204);
      assert.equal(await issueOf(gone), undefined);

      const nullified = await newIssue('ecookbook', 'Nullify');
      const kept = await logOn(nullified);
      await setting('timelog_required_fields', '["issue_id"]');
      const refusedNullify = await call('DELETE', `/issues/${nullified}.json?todo=nullify`, 'admin');
      assert.equal(refusedNullify.statusCode, 422);
      assert.deepEqual(refusedNullify.json<{ errors: string[] }>().errors, ['Issue cannot be blank']);
      await setting('timelog_required_fields', '[]');
      assert.equal((await call('DELETE', `/issues/${nullified}.json?todo=nullify`, 'admin')).statusCode, 204);
      assert.deepEqual(await issueOf(kept), { issue_id: null });

      const parent = await newIssue('ecookbook', 'Reassigned parent');
      const child = await newIssue('ecookbook', 'Reassigned child', { parent_issue_id: parent });
      const moved = await logOn(child);
      const intoTree = await call('DELETE', `/issues/${parent}.json?todo=reassign&reassign_to_id=${child}`, 'admin');
      assert.deepEqual(intoTree.json<{ errors: string[] }>().errors, ['Spent time cannot be reassigned to an issue that is about to be deleted']);
      const elsewhere = await call('DELETE', `/issues/${parent}.json?todo=reassign&reassign_to_id=${id('otherIssue')}`, 'admin');
      assert.deepEqual(elsewhere.json<{ errors: string[] }>().errors, ['The issue was not found or does not belong to this project']);
      assert.equal((await call('DELETE', `/issues/${parent}.json?todo=reassign&reassign_to_id=${id('bug')}`, 'admin')).statusCode, 204);
      assert.deepEqual(await issueOf(moved), { issue_id: id('bug') });
    });
  });
}
