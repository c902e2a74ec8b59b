/**
 * The time-entry list's custom-field filters and saved queries (§5, §6.6; Redmine's TimeEntryQuery):
 * `cf_N` on the entry's own fields in the short and long form, the entry's issue's, project's and
 * user's fields (`issue.cf_N`, `project.cf_N`, `user.cf_N`), only for fields used as filters and
 * visible to the user; `hours` as typed durations; and `query_id` with a saved TimeEntryQuery — its
 * filters, sort and grouping, and who may use it (404 / 403 / 401 as Redmine's retrieve_query).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Entry = 'e1' | 'e2' | 'e3' | 'e4' | 'e5';

for (const { engine, skip } of await engineCases()) {
  describe(`time-entry queries over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const entries = {} as Record<Entry, number>;
    const one = async (text: string, params: unknown[] = []) => Number((await sql(text, params))[0]?.id);

    /** The entry keys a list answers, in its order; `as` undefined is anonymous. */
    const keysOf = async (path: string, as: string | undefined = 'jsmith') => {
      const answer = await call('GET', path, as);
      assert.equal(answer.statusCode, 200, `${path}: ${answer.body}`);
      const byId = new Map(Object.entries(entries).map(([key, entryId]) => [entryId, key]));
      return answer.json<{ time_entries: Json[] }>().time_entries.map((e) => byId.get(Number(e.id)) ?? `#${String(e.id)}`);
    };
    const expectKeys = async (path: string, expected: Entry[], as: string | undefined = 'jsmith') => {
      assert.deepEqual(await keysOf(path, as), expected, `${as ?? 'anonymous'} ${decodeURIComponent(path)}`);
    };
    const errorsOf = async (path: string) => {
      const answer = await call('GET', path, 'jsmith');
      assert.equal(answer.statusCode, 422, `${path}: ${answer.body}`);
      return answer.json<{ errors: string[] }>().errors;
    };
    const status = async (path: string, as: string | undefined) => (await call('GET', path, as)).statusCode;
    const field = async (name: string, type: string, format: string, extra: { visible?: boolean; isFilter?: boolean; forAll?: boolean } = {}) => {
      ids[name] = await one(
        'INSERT INTO custom_fields (type, name, field_format, visible, is_filter, is_for_all, position) VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id',
        [type, name, format, extra.visible ?? true, extra.isFilter ?? true, extra.forAll ?? false],
      );
    };
    const value = async (customizedType: string, customizedId: number, fieldName: string, text: string) => {
      await sql('INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ($1, $2, $3, $4)', [customizedType, customizedId, id(fieldName), text]);
    };
    const cf = (name: string) => `cf_${id(name)}`;
    const query = async (
      key: string,
      q: { name: string; user: string; visibility: number; project?: string; filters: Json; sort?: [string, string][]; groupBy?: string; type?: string; roles?: string[] },
    ) => {
      ids[key] = await one(
        `INSERT INTO queries (project_id, name, filters, user_id, sort_criteria, group_by, type, visibility)
         VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $8) RETURNING id`,
        [q.project ? id(q.project) : null, q.name, JSON.stringify(q.filters), id(q.user), JSON.stringify(q.sort ?? []), q.groupBy ?? null, q.type ?? 'TimeEntryQuery', q.visibility],
      );
      for (const role of q.roles ?? []) {
        await sql('INSERT INTO queries_roles (query_id, role_id) VALUES ($1, $2)', [id(key), id(role)]);
      }
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], 'outsider']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Child', 'child', true, 'ecookbook'],
        ['Other', 'other', true],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['child', 'jsmith', 'Manager'],
        ['other', 'jsmith', 'Manager'],
      ]);
      const [activity] = await sql("SELECT id FROM enumerations WHERE type = 'TimeEntryActivity' ORDER BY position LIMIT 1");
      const issue = async (subject: string, project: string, tracker: string) => {
        const answer = await call('POST', '/issues.json', 'admin', { issue: { project_id: project, subject, tracker_id: id(tracker) } });
        assert.equal(answer.statusCode, 201, answer.body);
        ids[subject] = answer.json<{ issue: { id: number } }>().issue.id;
      };
      await issue('bug', 'ecookbook', 'Bug');
      await issue('feature', 'ecookbook', 'Feature');
      await issue('elsewhere', 'other', 'Bug');

      await field('Billable', 'TimeEntryCustomField', 'bool');
      await field('Internal', 'TimeEntryCustomField', 'string', { visible: false });
      await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [id('Internal'), id('Manager')]);
      await field('Not a filter', 'TimeEntryCustomField', 'string', { isFilter: false });
      await field('Units', 'TimeEntryCustomField', 'int');
      await field('Browser', 'IssueCustomField', 'string', { forAll: true });
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [id('Browser'), id('Bug')]);
      await field('Region', 'ProjectCustomField', 'string');
      await field('Team', 'UserCustomField', 'string');
      await field('Band', 'UserCustomField', 'string', { visible: false });

      const log = async (key: Entry, entry: Json) => {
        const answer = await call('POST', '/time_entries.json', 'jsmith', { time_entry: { activity_id: Number(activity?.id), ...entry } });
        assert.equal(answer.statusCode, 201, answer.body);
        entries[key] = answer.json<{ time_entry: { id: number } }>().time_entry.id;
      };
      const values = (pairs: [string, string][]) => pairs.map(([name, text]) => ({ id: id(name), value: text }));
      await log('e1', { issue_id: id('bug'), hours: 2, spent_on: '2024-05-01', custom_fields: values([['Billable', '1'], ['Internal', 'alpha'], ['Units', '3'], ['Not a filter', 'x']]) });
      await log('e2', { issue_id: id('feature'), hours: '1:30', spent_on: '2024-05-02', custom_fields: values([['Billable', '0'], ['Internal', 'beta']]) });
      await log('e3', { project_id: 'ecookbook', user_id: id('dlopper'), hours: 1, spent_on: '2024-05-03', custom_fields: values([['Billable', '1']]) });
      await log('e4', { issue_id: id('elsewhere'), hours: 3, spent_on: '2024-05-04' });
      await log('e5', { project_id: 'child', hours: 0.5, spent_on: '2024-05-05', custom_fields: values([['Billable', '1']]) });

      await value('Issue', id('bug'), 'Browser', 'Firefox');
      // The feature's tracker has no Browser field: its value does not count.
      await value('Issue', id('feature'), 'Browser', 'Firefox');
      await value('Issue', id('elsewhere'), 'Browser', 'Chrome');
      await value('Project', id('ecookbook'), 'Region', 'EU');
      await value('Project', id('other'), 'Region', 'US');
      await value('Principal', id('jsmith'), 'Team', 'Core');
      await value('Principal', id('dlopper'), 'Team', 'Docs');
      await value('Principal', id('dlopper'), 'Band', 'B');

      await query('billableInMay', {
        name: 'Billable in May', user: 'admin', visibility: 2,
        filters: { [cf('Billable')]: { operator: '=', values: ['1'] }, spent_on: { operator: '><', values: ['2024-05-01', '2024-05-31'] } },
        sort: [['spent_on', 'asc']],
      });
      await query('mineInCookbook', { name: 'Mine in eCookbook', user: 'admin', visibility: 2, project: 'ecookbook', filters: { user_id: { operator: '=', values: ['me'] } } });
      await query('firefox', { name: 'Firefox issues', user: 'admin', visibility: 2, filters: { [`issue.${cf('Browser')}`]: { operator: '=', values: ['Firefox'] } } });
      await query('byUser', { name: 'By user', user: 'admin', visibility: 2, filters: {}, groupBy: 'user', sort: [['spent_on', 'desc']] });
      await query('davesPrivate', { name: 'Dave’s', user: 'dlopper', visibility: 0, filters: { hours: { operator: '>=', values: ['1h'] } } });
      await query('developers', { name: 'Developers', user: 'admin', visibility: 1, roles: ['Developer'], filters: {} });
      await query('badSaved', { name: 'Bad', user: 'admin', visibility: 2, filters: { spent_on: { operator: '=', values: ['2024-13-01'] } } });
      await query('issues', { name: 'An issue query', user: 'admin', visibility: 2, filters: {}, type: 'IssueQuery' });
    });

    test('cf_N, short form: equal, not equal (entries without a value too), none, any', async () => {
      await expectKeys(`/time_entries.json?${cf('Billable')}=1`, ['e5', 'e3', 'e1']);
      await expectKeys(`/time_entries.json?${cf('Billable')}=!1`, ['e4', 'e2']);
      await expectKeys(`/time_entries.json?${cf('Billable')}=!*`, ['e4']);
      await expectKeys(`/time_entries.json?${cf('Billable')}=*`, ['e5', 'e3', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?${cf('Units')}=>=2&${cf('Billable')}=1`, ['e1']);
      await expectKeys(`/projects/ecookbook/time_entries.json?${cf('Billable')}=1&subproject_id=!*`, ['e3', 'e1']);
    });

    test('cf_N, long form; a field hidden from the user, or not used as a filter, is ignored', async () => {
      const internal = cf('Internal');
      await expectKeys(`/time_entries.json?f[]=${internal}&op[${internal}]=~&v[${internal}][]=alp`, ['e1']);
      // With f[], the short parameters do not count.
      await expectKeys(`/time_entries.json?f[]=${internal}&op[${internal}]=~&v[${internal}][]=beta&${cf('Billable')}=1`, ['e2']);
      // Internal is for Managers: Dave's filter on it is dropped, as is any filter on a field not used as one.
      await expectKeys(`/time_entries.json?${internal}=~alp`, ['e5', 'e4', 'e3', 'e2', 'e1'], 'dlopper');
      await expectKeys(`/time_entries.json?${cf('Not a filter')}=x`, ['e5', 'e4', 'e3', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?cf_999999=x`, ['e5', 'e4', 'e3', 'e2', 'e1']);
    });

    test('the issue’s, project’s and user’s fields: issue.cf_N, project.cf_N, user.cf_N', async () => {
      const browser = `issue.${cf('Browser')}`;
      await expectKeys(`/time_entries.json?${browser}=Firefox`, ['e1']);
      await expectKeys(`/time_entries.json?${browser}=~chr`, ['e4']);
      // Not Firefox: entries on other issues and entries without an issue.
      await expectKeys(`/time_entries.json?${browser}=!Firefox`, ['e5', 'e4', 'e3', 'e2']);
      await expectKeys(`/time_entries.json?f[]=${browser}&op[${browser}]=*`, ['e4', 'e1']);
      await expectKeys(`/time_entries.json?project.${cf('Region')}=EU`, ['e3', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?project.${cf('Region')}=!*`, ['e5']);
      await expectKeys(`/time_entries.json?user.${cf('Team')}=Docs`, ['e3']);
      await expectKeys(`/time_entries.json?user.${cf('Team')}=Core&project.${cf('Region')}=US`, ['e4']);
      // A hidden user field filters for administrators only; a field of another class under a prefix is no filter.
      await expectKeys(`/time_entries.json?user.${cf('Band')}=B`, ['e3'], 'admin');
      await expectKeys(`/time_entries.json?user.${cf('Band')}=B`, ['e5', 'e4', 'e3', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?issue.${cf('Region')}=EU`, ['e5', 'e4', 'e3', 'e2', 'e1']);
      // The issue list knows no associations' fields.
      const issues = await call('GET', `/issues.json?project.${cf('Region')}=US&status_id=*`, 'jsmith');
      assert.equal(issues.json<{ issues: Json[] }>().issues.length, 3);
    });

    test('unusable custom-field filters: 422 with Redmine’s messages, association labels included', async () => {
      assert.deepEqual(await errorsOf(`/time_entries.json?${cf('Units')}=abc`), ['Units is invalid']);
      assert.deepEqual(await errorsOf(`/time_entries.json?f[]=issue.${cf('Browser')}&op[issue.${cf('Browser')}]==`), ["Issue's Browser cannot be blank"]);
      assert.deepEqual(await errorsOf(`/time_entries.json?user.${cf('Team')}=&project.${cf('Region')}=`), ["Project's Region cannot be blank", "User's Team cannot be blank"]);
    });

    test('hours: typed durations as Redmine reads them (String#to_hours)', async () => {
      await expectKeys('/time_entries.json?hours=1:30', ['e2']);
      await expectKeys('/time_entries.json?hours=><1h|2h', ['e3', 'e2', 'e1']);
      await expectKeys('/time_entries.json?hours=<=30m', ['e5']);
      assert.deepEqual(await errorsOf('/time_entries.json?hours=lots'), ['Hours is invalid']);
    });

    test('query_id: the saved filters and sort apply, the request’s filters and from/to do not; sort overrides', async () => {
      await expectKeys(`/time_entries.json?query_id=${id('billableInMay')}`, ['e1', 'e3', 'e5']);
      await expectKeys(`/time_entries.json?query_id=${id('billableInMay')}&${cf('Billable')}=0&from=2024-05-04&user_id=me`, ['e1', 'e3', 'e5']);
      await expectKeys(`/time_entries.json?query_id=${id('billableInMay')}&sort=spent_on:desc`, ['e5', 'e3', 'e1']);
      await expectKeys(`/time_entries.json?query_id=${id('firefox')}`, ['e1']);
      // A project's query on its list (with the subprojects); a global query on a project's list is limited to it.
      await expectKeys(`/projects/ecookbook/time_entries.json?query_id=${id('mineInCookbook')}`, ['e5', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?project_id=ecookbook&query_id=${id('mineInCookbook')}`, ['e5', 'e2', 'e1']);
      await expectKeys(`/projects/other/time_entries.json?query_id=${id('billableInMay')}`, []);
      // Grouped by user: the group's order first (Dave before John), then the sort.
      await expectKeys(`/time_entries.json?query_id=${id('byUser')}`, ['e3', 'e5', 'e4', 'e2', 'e1']);
      await expectKeys(`/time_entries.json?query_id=${id('byUser')}&sort=user:desc,spent_on`, ['e1', 'e2', 'e4', 'e5', 'e3']);
      const paged = await call('GET', `/time_entries.json?query_id=${id('billableInMay')}&limit=1&offset=1`, 'jsmith');
      assert.deepEqual([paged.json<Json>().total_count, paged.json<{ time_entries: Json[] }>().time_entries.length], [3, 1]);
      assert.deepEqual((await call('GET', `/time_entries.json?query_id=${id('badSaved')}`, 'jsmith')).json<Json>(), { errors: ['Date is invalid'] });
    });

    test('query_id: unknown, of another project or kind → 404; not visible → 403, or 401 anonymous', async () => {
      assert.equal(await status('/time_entries.json?query_id=999999', 'jsmith'), 404);
      assert.equal(await status('/time_entries.json?query_id=abc', 'jsmith'), 404);
      assert.equal(await status(`/time_entries.json?query_id=${id('issues')}`, 'admin'), 404);
      assert.equal(await status(`/time_entries.json?query_id=${id('mineInCookbook')}`, 'admin'), 404);
      assert.equal(await status(`/projects/other/time_entries.json?query_id=${id('mineInCookbook')}`, 'admin'), 404);
      assert.equal(await status(`/issues.json?query_id=${id('billableInMay')}`, 'admin'), 404);
      // Private: its owner (and administrators); role-restricted: who holds the role.
      await expectKeys(`/time_entries.json?query_id=${id('davesPrivate')}`, ['e4', 'e3', 'e2', 'e1'], 'dlopper');
      assert.equal(await status(`/time_entries.json?query_id=${id('davesPrivate')}`, 'admin'), 200);
      assert.equal(await status(`/time_entries.json?query_id=${id('davesPrivate')}`, 'jsmith'), 403);
      assert.equal(await status(`/time_entries.json?query_id=${id('davesPrivate')}`, undefined), 401);
      assert.equal(await status(`/time_entries.json?query_id=${id('developers')}`, 'dlopper'), 200);
      assert.equal(await status(`/time_entries.json?query_id=${id('developers')}`, 'jsmith'), 403);
      assert.equal(await status(`/time_entries.json?query_id=${id('billableInMay')}`, undefined), 200);
    });
  });
}
