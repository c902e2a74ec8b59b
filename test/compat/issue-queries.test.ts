/**
 * The issue list's query language (§5, §6.1.1) and saved queries (§5.6, §6.11): each operator family
 * returns exactly the expected issues, the long and the short form agree, invalid filters are 422
 * with Redmine's messages, values never become SQL, and `query_id` applies a visible saved query.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { addDays, relativeDays, utcToday } from '#src/features/issues/issue-filter.dates.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Key =
  | 'alpha'
  | 'sub'
  | 'beta'
  | 'admin'
  | 'dev'
  | 'other'
  | 'developer'
  | 'reporter'
  | 'devs'
  | 'new'
  | 'closed'
  | 'bug'
  | 'feature'
  | 'normal'
  | 'high'
  | 'ui'
  | 'v1'
  | 'v0'
  | 'a1'
  | 'a2'
  | 'a3'
  | 'a4'
  | 'a5'
  | 's1'
  | 'b1'
  | 'browser'
  | 'allBugs'
  | 'alphaBySubject'
  | 'firefox'
  | 'mineInAlpha'
  | 'roleQuery'
  | 'otherPrivate'
  | 'timeEntries';

/** A query string from pairs, every part percent-encoded. */
const qs = (pairs: [string, string | number][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

for (const { engine, skip } of await engineCases()) {
  describe(`issue queries over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql } = acme;
    const id = {} as Record<Key, number>;
    const today = utcToday();
    const one = async (text: string, params: unknown[] = []) => Number((await sql(text, params))[0]?.id);

    /** The issue keys (a1, b1…) a list answers, in its order; `as` '' is anonymous. */
    const keysOf = async (path: string, as = 'admin') => {
      const answer = await call('GET', path, as || undefined);
      assert.equal(answer.statusCode, 200, `${path}: ${answer.body}`);
      const byId = new Map((['a1', 'a2', 'a3', 'a4', 'a5', 's1', 'b1'] as const).map((key) => [id[key], key]));
      return answer.json<{ issues: Json[] }>().issues.map((i) => byId.get(Number(i.id)) ?? `#${String(i.id)}`);
    };
    const expectKeys = async (path: string, expected: string[], as = 'admin') => {
      assert.deepEqual(await keysOf(path, as), expected, `${as || 'anonymous'} ${decodeURIComponent(path)}`);
    };
    const errorsOf = async (path: string) => {
      const answer = await call('GET', path, 'admin');
      assert.equal(answer.statusCode, 422, `${path}: ${answer.body}`);
      return answer.json<{ errors: string[] }>().errors;
    };
    const list = (pairs: [string, string | number][]) => `/issues.json?${qs(pairs)}`;

    before(async () => {
      await acme.users(['dev', 'other']);
      await acme.setting('login_required', '0');
      const project = async (identifier: string, extra: Json = {}) => {
        const answer = await call('POST', '/projects.json', 'admin', { project: { name: identifier, identifier, ...extra } });
        assert.equal(answer.statusCode, 201, answer.body);
        return Number(answer.json<{ project: Json }>().project.id);
      };
      id.alpha = await project('alpha');
      id.sub = await project('alpha-sub', { parent_id: id.alpha });
      id.beta = await project('beta');
      for (const login of ['admin', 'dev', 'other'] as const) {
        id[login] = await one('SELECT id FROM users WHERE login = $1', [login]);
      }
      for (const [key, name] of [['developer', 'Developer'], ['reporter', 'Reporter']] as const) {
        id[key] = await one('SELECT id FROM roles WHERE name = $1', [name]);
      }
      const member = async (login: Key, projectId: number, roleId: number) => {
        const memberId = await one('INSERT INTO members (user_id, project_id, created_on) VALUES ($1, $2, now()) RETURNING id', [id[login], projectId]);
        await sql('INSERT INTO member_roles (member_id, role_id) VALUES ($1, $2)', [memberId, roleId]);
      };
      await member('dev', id.alpha, id.developer);
      await member('other', id.beta, id.reporter);
      id.devs = await one("INSERT INTO users (lastname, type, status, created_on) VALUES ('devs', 'Group', 1, now()) RETURNING id");
      await sql('INSERT INTO groups_users (group_id, user_id) VALUES ($1, $2)', [id.devs, id.dev]);
      for (const [key, table, name] of [
        ['new', 'issue_statuses', 'New'],
        ['closed', 'issue_statuses', 'Closed'],
        ['bug', 'trackers', 'Bug'],
        ['feature', 'trackers', 'Feature'],
      ] as const) {
        id[key] = await one(`SELECT id FROM ${table} WHERE name = $1`, [name]);
      }
      id.normal = await one("SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default");
      id.high = await one("SELECT id FROM enumerations WHERE type = 'IssuePriority' AND name = 'High'");
      id.ui = await one("INSERT INTO issue_categories (project_id, name) VALUES ($1, 'UI') RETURNING id", [id.alpha]);
      id.v1 = await one("INSERT INTO versions (project_id, name, effective_date, status) VALUES ($1, 'v1', '2024-03-01', 'open') RETURNING id", [id.alpha]);
      id.v0 = await one("INSERT INTO versions (project_id, name, effective_date, status) VALUES ($1, 'v0', '2023-12-01', 'closed') RETURNING id", [id.alpha]);

      const issue = async (
        key: Key,
        f: {
          project: number; subject: string; tracker?: number; status?: number; priority?: number; author?: number; assignee?: number;
          description?: string; start?: string; due?: string; created: string; updated?: string; closed?: string; est?: number;
          done?: number; isPrivate?: boolean; category?: number; version?: number;
        },
      ) => {
        id[key] = await one(
          `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, description, author_id, assigned_to_id, start_date, due_date,
                               created_on, updated_on, closed_on, estimated_hours, done_ratio, is_private, category_id, fixed_version_id, lft, rgt)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1, 2) RETURNING id`,
          [
            f.project, f.tracker ?? id.bug, f.status ?? id.new, f.priority ?? id.normal, f.subject, f.description ?? null, f.author ?? id.admin,
            f.assignee ?? null, f.start ?? null, f.due ?? null, f.created, f.updated ?? f.created, f.closed ?? null, f.est ?? null, f.done ?? 0,
            f.isPrivate ?? false, f.category ?? null, f.version ?? null,
          ],
        );
        await sql('UPDATE issues SET root_id = id WHERE id = $1', [id[key]]);
      };
      await issue('a1', {
        project: id.alpha, subject: 'Crash on start', description: 'Stack trace attached', priority: id.high, assignee: id.dev,
        start: '2024-01-10', due: '2024-01-20', created: '2024-01-05 10:00:00', est: 2, version: id.v1,
      });
      await issue('a2', {
        project: id.alpha, subject: 'Export to CSV', tracker: id.feature, author: id.dev, start: '2024-02-01',
        created: '2024-02-01 09:30:00', updated: '2024-02-03 12:00:00', est: 5.5, done: 50, category: id.ui,
      });
      await issue('a3', {
        project: id.alpha, subject: 'Login crash fixed', description: 'Was a null pointer', status: id.closed, author: id.dev, assignee: id.devs,
        created: '2024-02-05 00:00:00', updated: '2024-02-10 08:00:00', closed: '2024-02-10 08:00:00', done: 100, version: id.v0,
      });
      await issue('a4', { project: id.alpha, subject: 'Child task', created: '2024-01-06 00:00:00' });
      await issue('a5', { project: id.alpha, subject: "O'Reilly 50% _off_", description: '100%', created: '2024-03-01 00:00:00' });
      await issue('s1', {
        project: id.sub, subject: 'Subproject work', tracker: id.feature, assignee: id.other,
        created: `${addDays(today, -2)} 12:00:00`, due: addDays(today, 3),
      });
      await issue('b1', {
        project: id.beta, subject: '100% done in beta', tracker: id.feature, author: id.other, assignee: id.other,
        created: '2023-12-31 23:59:59', done: 100, est: 1, isPrivate: true,
      });
      // a4 is a1's subtask.
      await sql('UPDATE issues SET lft = 1, rgt = 4 WHERE id = $1', [id.a1]);
      await sql('UPDATE issues SET parent_id = $1, root_id = $1, lft = 2, rgt = 3 WHERE id = $2', [id.a1, id.a4]);
      // a1 blocks a2; a1 relates to s1.
      await sql("INSERT INTO issue_relations (issue_from_id, issue_to_id, relation_type) VALUES ($1, $2, 'blocks'), ($1, $3, 'relates')", [id.a1, id.a2, id.s1]);
      await sql("INSERT INTO watchers (watchable_type, watchable_id, user_id) VALUES ('Issue', $1, $2)", [id.a2, id.dev]);
      await sql(
        `INSERT INTO attachments (container_id, container_type, filename, disk_filename, author_id, created_on, description)
         VALUES ($1, 'Issue', 'trace.log', 'x_trace.log', $2, now(), 'full trace')`,
        [id.a1, id.admin],
      );
      const journal = async (issueKey: Key, user: Key, notes: string, privateNotes: boolean, created: string) =>
        one(
          `INSERT INTO journals (journalized_id, journalized_type, user_id, notes, created_on, private_notes)
           VALUES ($1, 'Issue', $2, $3, $4, $5) RETURNING id`,
          [id[issueKey], id[user], notes, created, privateNotes],
        );
      await journal('a2', 'dev', 'Customer asked again', false, '2024-02-03 12:00:00');
      const closing = await journal('a3', 'dev', '', false, '2024-02-10 08:00:00');
      await sql("INSERT INTO journal_details (journal_id, property, prop_key, old_value, value) VALUES ($1, 'attr', 'status_id', $2, $3)", [
        closing, String(id.new), String(id.closed),
      ]);
      const reassign = await journal('a1', 'admin', 'The secret word is banana', true, '2024-01-06 10:00:00');
      await sql("INSERT INTO journal_details (journal_id, property, prop_key, old_value, value) VALUES ($1, 'attr', 'assigned_to_id', $2, $3)", [
        reassign, String(id.other), String(id.dev),
      ]);
      // A custom field used as a filter: the saved-query test hands it to the custom-fields feature.
      id.browser = await one(
        "INSERT INTO custom_fields (type, name, field_format, is_for_all, is_filter, visible) VALUES ('IssueCustomField', 'Browser', 'string', true, true, true) RETURNING id",
      );
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [id.browser, id.bug]);
      await sql("INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ('Issue', $1, $2, 'Firefox')", [id.a1, id.browser]);

      const query = async (
        key: Key,
        f: { name: string; user: number; visibility: number; project?: number; filters: Json; sort?: [string, string][]; type?: string; roles?: number[] },
      ) => {
        id[key] = await one(
          `INSERT INTO queries (project_id, name, filters, user_id, sort_criteria, type, visibility)
           VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7) RETURNING id`,
          [f.project ?? null, f.name, JSON.stringify(f.filters), f.user, JSON.stringify(f.sort ?? []), f.type ?? 'IssueQuery', f.visibility],
        );
        for (const role of f.roles ?? []) {
          await sql('INSERT INTO queries_roles (query_id, role_id) VALUES ($1, $2)', [id[key], role]);
        }
      };
      await query('allBugs', {
        name: 'All bugs', user: id.admin, visibility: 2,
        filters: { status_id: { operator: '*', values: [''] }, tracker_id: { operator: '=', values: [String(id.bug)] } }, sort: [['id', 'asc']],
      });
      await query('alphaBySubject', {
        name: 'Alpha by subject', user: id.admin, visibility: 2, project: id.alpha, filters: { status_id: { operator: 'o', values: [''] } }, sort: [['subject', 'asc']],
      });
      await query('firefox', { name: 'Browser is Firefox', user: id.admin, visibility: 2, filters: { [`cf_${id.browser}`]: { operator: '=', values: ['Firefox'] } } });
      await query('mineInAlpha', {
        name: 'Mine in alpha', user: id.dev, visibility: 0, project: id.alpha, filters: { subject: { operator: '~', values: ['crash'] } }, sort: [['id', 'desc']],
      });
      await query('roleQuery', {
        name: 'Role query', user: id.admin, visibility: 1, roles: [id.developer], filters: { assigned_to_id: { operator: '=', values: ['me'] } },
      });
      await query('otherPrivate', { name: 'Zed private', user: id.other, visibility: 0, filters: {} });
      await query('timeEntries', { name: 'Time entries', user: id.admin, visibility: 2, filters: {}, type: 'TimeEntryQuery' });
    });

    test('status: open by default, closed, any, ids, the words open/closed', async () => {
      await expectKeys('/issues.json', ['b1', 's1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys('/issues.json?status_id=c', ['a3']);
      await expectKeys('/issues.json?status_id=closed', ['a3']);
      await expectKeys('/issues.json?status_id=open', ['b1', 's1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys('/issues.json?status_id=*', ['b1', 's1', 'a5', 'a4', 'a3', 'a2', 'a1']);
      await expectKeys(list([['status_id', `!${id.new}`]]), ['a3']);
      await expectKeys(list([['status_id', `${id.closed}|${id.new}`], ['tracker_id', id.feature]]), ['b1', 's1', 'a2']);
    });

    test('lists: =, !, none, any, me with groups, group and role of the assignee or author', async () => {
      await expectKeys(list([['tracker_id', id.feature]]), ['b1', 's1', 'a2']);
      await expectKeys(list([['tracker_id', `!${id.bug}`]]), ['b1', 's1', 'a2']);
      await expectKeys(list([['priority_id', id.high]]), ['a1']);
      await expectKeys('/issues.json?assigned_to_id=!*', ['a5', 'a4', 'a2']);
      await expectKeys('/issues.json?assigned_to_id=*&status_id=*', ['b1', 's1', 'a3', 'a1']);
      await expectKeys('/issues.json?assigned_to_id=me&status_id=*', ['a3', 'a1'], 'dev');
      await expectKeys('/issues.json?author_id=me&status_id=*', ['a3', 'a2'], 'dev');
      await expectKeys(list([['author_id', id.other]]), ['b1']);
      await expectKeys(list([['member_of_group', id.devs], ['status_id', '*']]), ['a3', 'a1']);
      await expectKeys(list([['member_of_group', '!*']]), ['b1', 's1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['assigned_to_role', id.developer], ['status_id', '*']]), ['a1']);
      await expectKeys(list([['assigned_to_role', '*'], ['status_id', '*']]), ['b1', 'a1']);
      await expectKeys(list([['author.group', id.devs], ['status_id', '*']]), ['a3', 'a2']);
      await expectKeys(list([['author.role', id.reporter]]), ['b1']);
      await expectKeys(list([['fixed_version_id', id.v1]]), ['a1']);
      await expectKeys(list([['fixed_version_id', '!*']]), ['b1', 's1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['fixed_version.status', 'closed'], ['status_id', '*']]), ['a3']);
      await expectKeys(list([['fixed_version.due_date', '<=2024-01-01'], ['status_id', '*']]), ['a3']);
      await expectKeys(list([['project.status', '1']]), ['b1', 's1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys('/issues.json?is_private=1', ['b1']);
      await expectKeys('/issues.json?is_private=0&status_id=c', ['a3']);
    });

    test('projects: mine, categories only within a project, subprojects', async () => {
      await expectKeys(list([['f[]', 'project_id'], ['op[project_id]', '='], ['v[project_id][]', 'mine']]), ['a5', 'a4', 'a3', 'a2', 'a1'], 'dev');
      await expectKeys(list([['f[]', 'project_id'], ['op[project_id]', '!'], ['v[project_id][]', id.alpha]]), ['b1', 's1']);
      await expectKeys(`/projects/alpha/issues.json?${qs([['category_id', id.ui]])}`, ['a2']);
      // Without a project Redmine offers no category filter: the parameter is ignored.
      await expectKeys(list([['category_id', id.ui]]), ['b1', 's1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys('/projects/alpha/issues.json', ['s1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys('/projects/alpha/issues.json?subproject_id=!*', ['a5', 'a4', 'a2', 'a1']);
      await expectKeys(`/projects/alpha/issues.json?subproject_id=${id.sub}`, ['s1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys(`/projects/alpha/issues.json?subproject_id=!${id.sub}`, ['a5', 'a4', 'a2', 'a1']);
      await expectKeys(`/issues.json?project_id=alpha&subproject_id=!*`, ['a5', 'a4', 'a2', 'a1']);
    });

    test('dates and timestamps: days, instants with zones, relative spans', async () => {
      await expectKeys(list([['created_on', '2024-02-01'], ['status_id', '*']]), ['a2']);
      await expectKeys(list([['created_on', '>=2024-02-01'], ['status_id', '*']]), ['s1', 'a5', 'a3', 'a2']);
      await expectKeys(list([['created_on', '<=2023-12-31'], ['status_id', '*']]), ['b1']);
      await expectKeys(list([['created_on', '><2024-01-05|2024-01-06'], ['status_id', '*']]), ['a4', 'a1']);
      await expectKeys(list([['created_on', '><2024-02-01T09:30:00Z|2024-02-01T09:30:00Z'], ['status_id', '*']]), ['a2']);
      await expectKeys(list([['created_on', '>=2024-02-01T09:30:01Z'], ['status_id', '*']]), ['s1', 'a5', 'a3']);
      await expectKeys(list([['created_on', '<=2024-02-01T18:30:00+09:00'], ['status_id', '*']]), ['b1', 'a4', 'a2', 'a1']);
      await expectKeys(list([['start_date', '>=2024-02-01']]), ['a2']);
      await expectKeys(list([['start_date', '!*']]), ['b1', 's1', 'a5', 'a4']);
      await expectKeys(list([['due_date', '<t+0']]), ['a1']);
      await expectKeys(list([['due_date', 't+3']]), ['s1']);
      await expectKeys(list([['due_date', '><t+5']]), ['s1']);
      await expectKeys(list([['due_date', '>t+4']]), []);
      await expectKeys(list([['created_on', '>t-3']]), ['s1']);
      await expectKeys(list([['created_on', 't-2']]), ['s1']);
      await expectKeys(list([['created_on', '><t-3']]), ['s1']);
      await expectKeys(list([['created_on', '<t-3'], ['status_id', '*']]), ['b1', 'a5', 'a4', 'a3', 'a2', 'a1']);
      const s1Day = addDays(today, -2);
      for (const operator of ['t', 'ld', 'w', 'lw', 'l2w', 'm', 'lm', 'y']) {
        const [from = '', to = ''] = relativeDays(operator, 0, today);
        await expectKeys(list([['created_on', operator]]), s1Day >= from && s1Day <= to ? ['s1'] : []);
      }
      await expectKeys(list([['updated_on', '*'], ['status_id', '*']]), ['a3', 'a2']);
      await expectKeys(list([['updated_on', '!*']]), ['b1', 's1', 'a5', 'a4', 'a1']);
      await expectKeys(list([['closed_on', '>=2024-02-10'], ['status_id', '*']]), ['a3']);
    });

    test('text: contains all / any words, not, starts, ends, blank; LIKE wildcards are literal', async () => {
      await expectKeys(list([['subject', '~crash'], ['status_id', '*']]), ['a3', 'a1']);
      await expectKeys(list([['subject', '!~crash']]), ['b1', 's1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['subject', '~start crash']]), ['a1']);
      await expectKeys(list([['subject', '*~start export']]), ['a2', 'a1']);
      await expectKeys(list([['subject', '^export']]), ['a2']);
      await expectKeys(list([['subject', '$FIXED'], ['status_id', '*']]), ['a3']);
      await expectKeys(list([['description', '!*'], ['status_id', '*']]), ['b1', 's1', 'a4', 'a2']);
      await expectKeys(list([['description', '*']]), ['a5', 'a1']);
      await expectKeys(list([['subject', '~50%']]), ['a5']);
      await expectKeys(list([['subject', '~_off_']]), ['a5']);
      await expectKeys(list([['subject', '~%']]), ['b1', 'a5']);
      await expectKeys(list([['subject', "~O'Reilly"]]), ['a5']);
      await expectKeys(list([['subject', '~"on start"']]), ['a1']);
    });

    test('numbers: hours (with Redmine durations), % done, issue ids', async () => {
      await expectKeys(list([['estimated_hours', '5.5'], ['status_id', '*']]), ['a2']);
      await expectKeys(list([['estimated_hours', '>=2']]), ['a2', 'a1']);
      await expectKeys(list([['estimated_hours', '>=1h30']]), ['a2', 'a1']);
      await expectKeys(list([['estimated_hours', '><1|2'], ['status_id', '*']]), ['b1', 'a1']);
      await expectKeys(list([['estimated_hours', '!*']]), ['s1', 'a5', 'a4']);
      await expectKeys(list([['done_ratio', '>=50'], ['status_id', '*']]), ['b1', 'a3', 'a2']);
      await expectKeys(list([['done_ratio', '100'], ['status_id', '*']]), ['b1', 'a3']);
      await expectKeys(list([['done_ratio', '><10|60']]), ['a2']);
      await expectKeys(list([['issue_id', `${id.a1},${id.a2}`]]), ['a2', 'a1']);
      await expectKeys(list([['issue_id', `>=${id.a4}`], ['status_id', '*']]), ['b1', 's1', 'a5', 'a4']);
    });

    test('tree and relations', async () => {
      await expectKeys(list([['parent_id', id.a1]]), ['a4']);
      await expectKeys(list([['parent_id', `~${id.a1}`]]), ['a4']);
      await expectKeys(list([['parent_id', '!*']]), ['b1', 's1', 'a5', 'a2', 'a1']);
      await expectKeys(list([['parent_id', '*']]), ['a4']);
      await expectKeys(list([['child_id', id.a4]]), ['a1']);
      await expectKeys(list([['child_id', `~${id.a4}`]]), ['a1']);
      await expectKeys(list([['child_id', '*']]), ['a1']);
      await expectKeys(list([['blocks', id.a2]]), ['a1']);
      await expectKeys(list([['blocked', id.a1]]), ['a2']);
      await expectKeys(list([['blocks', '*']]), ['a1']);
      await expectKeys(list([['blocked', '!*']]), ['b1', 's1', 'a5', 'a4', 'a1']);
      await expectKeys(list([['blocks', '*o']]), ['a1']);
      await expectKeys(list([['blocks', '!o']]), ['b1', 's1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['relates', id.s1]]), ['a1']);
      await expectKeys(list([['relates', id.a1]]), ['s1']);
      await expectKeys(list([['relates', '*']]), ['s1', 'a1']);
      await expectKeys(list([['relates', '!*']]), ['b1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['relates', `=p${id.sub}`]]), ['a1']);
      await expectKeys(list([['relates', `=!p${id.sub}`]]), ['s1']);
      await expectKeys(list([['relates', `!p${id.alpha}`]]), ['b1', 'a5', 'a4', 'a2', 'a1']);
    });

    test('journals, history, watchers, attachments, custom fields; private notes stay private', async () => {
      await expectKeys(list([['notes', '~customer'], ['status_id', '*']]), ['a2']);
      await expectKeys(list([['notes', '~banana']]), ['a1']);
      await expectKeys(list([['notes', '~banana']]), ['a1'], 'dev');
      await expectKeys(list([['notes', '~banana']]), [], 'other');
      await expectKeys(list([['updated_by', id.dev], ['status_id', '*']]), ['a3', 'a2']);
      await expectKeys(list([['last_updated_by', id.admin]]), ['a1']);
      await expectKeys(list([['last_updated_by', id.admin]]), [], 'other');
      await expectKeys(list([['status_id', `cf${id.new}`]]), ['a3']);
      await expectKeys(list([['status_id', `ev${id.new}`]]), ['b1', 's1', 'a5', 'a4', 'a3', 'a2', 'a1']);
      await expectKeys(list([['status_id', `!ev${id.closed}`]]), ['b1', 's1', 'a5', 'a4', 'a2', 'a1']);
      await expectKeys(list([['assigned_to_id', `cf${id.other}`]]), ['a1']);
      await expectKeys('/issues.json?watcher_id=me', ['a2'], 'dev');
      await expectKeys(list([['watcher_id', id.dev]]), ['a2']);
      // Non members of alpha may not view its watchers.
      await expectKeys(list([['watcher_id', id.dev]]), [], 'other');
      // Anonymous users have no watcher filter: the parameter is ignored.
      await expectKeys('/issues.json?watcher_id=me&project_id=alpha', ['s1', 'a5', 'a4', 'a2', 'a1'], '');
      await expectKeys(list([['attachment', '~trace']]), ['a1']);
      await expectKeys(list([['attachment', '!*']]), ['b1', 's1', 'a5', 'a4', 'a2']);
      await expectKeys(list([['attachment_description', '~FULL']]), ['a1']);
      await expectKeys(list([[`cf_${id.browser}`, 'Firefox']]), ['a1']);
      await expectKeys(list([['f[]', `cf_${id.browser}`], [`op[cf_${id.browser}]`, '~'], [`v[cf_${id.browser}][]`, 'fire']]), ['a1']);
    });

    test('the long form and the short form give the same lists', async () => {
      const pairs: [string, [string, string][]][] = [
        [`status_id=c`, [['f[]', 'status_id'], ['op[status_id]', 'c']]],
        [`tracker_id=!${id.bug}&status_id=*`, [['f[]', 'tracker_id'], ['op[tracker_id]', '!'], ['v[tracker_id][]', String(id.bug)]]],
        [qs([['created_on', '><2024-01-05|2024-02-01'], ['status_id', '*']]), [['f[]', 'created_on'], ['op[created_on]', '><'], ['v[created_on][]', '2024-01-05'], ['v[created_on][]', '2024-02-01']]],
        [qs([['subject', '~crash'], ['status_id', 'o']]), [['f[]', 'subject'], ['op[subject]', '~'], ['v[subject][]', 'crash'], ['f[]', 'status_id'], ['op[status_id]', 'o']]],
        [qs([['assigned_to_id', `${id.dev}|${id.other}`], ['status_id', '*']]), [['f[]', 'assigned_to_id'], ['op[assigned_to_id]', '='], ['v[assigned_to_id][]', String(id.dev)], ['v[assigned_to_id][]', String(id.other)]]],
      ];
      for (const [short, long] of pairs) {
        const expected = await keysOf(`/issues.json?${short}`);
        assert.ok(expected.length > 0, short);
        assert.deepEqual(await keysOf(`/issues.json?set_filter=1&${qs(long)}`), expected, short);
      }
    });

    test('invalid filters are 422 with Redmine messages', async () => {
      assert.deepEqual(await errorsOf(`/issues.json?${qs([['f[]', 'start_date'], ['op[start_date]', '=']])}`), ['Start date cannot be blank']);
      assert.deepEqual(await errorsOf(list([['start_date', '2024-13-01']])), ['Start date is invalid']);
      assert.deepEqual(await errorsOf(list([['due_date', '>t-soon']])), ['Due date is invalid']);
      assert.deepEqual(await errorsOf(list([['done_ratio', '>=abc']])), ['% Done is invalid']);
      assert.deepEqual(await errorsOf(list([['status_id', 'abc'], ['created_on', '>=yesterday']])), ['Status is invalid', 'Created is invalid']);
      assert.deepEqual(await errorsOf(`/issues.json?${qs([['f[]', 'subject'], ['op[subject]', '>=']])}`), ['Subject is invalid', 'Subject cannot be blank']);
      assert.deepEqual(await errorsOf(list([[`cf_${id.browser}`, '']])), ['Browser cannot be blank']);
      const xml = await call('GET', `/issues.xml?${qs([['start_date', 'never']])}`, 'admin');
      assert.equal(xml.statusCode, 422);
      assert.match(xml.body, /<error>Start date is invalid<\/error>/);
    });

    test('values that look like SQL stay values', async () => {
      await expectKeys(list([['subject', "~'; DROP TABLE issues; --"]]), []);
      await expectKeys(list([['f[]', 'subject'], ['op[subject]', '~'], ['v[subject][]', "x') OR 1=1 --"]]), []);
      assert.deepEqual(await errorsOf(list([['status_id', '1) OR (1=1']])), ['Status is invalid']);
      assert.deepEqual(await errorsOf(list([['created_on', "2024-01-01' OR '1'='1"]])), ['Created is invalid']);
      assert.deepEqual(await errorsOf(list([['issue_id', '1 OR 1=1']])), ['Issue is invalid']);
      await expectKeys(list([['parent_id', `${id.a1}) OR (1=1`]]), ['a4']);
      await expectKeys(list([['sort', 'id;DELETE FROM issues'], ['status_id', 'c']]), ['a3']);
      await expectKeys(list([['fixed_version.status', "open' OR '1'='1"]]), []);
      await expectKeys('/issues.json?status_id=*', ['b1', 's1', 'a5', 'a4', 'a3', 'a2', 'a1']);
    });

    test('GET /queries: the visible issue queries by name, paged; public includes role queries', async () => {
      const names = async (as: string | undefined, path = '/queries.json') => {
        const answer = await call('GET', path, as);
        assert.equal(answer.statusCode, 200, answer.body);
        return answer.json<{ queries: Json[] }>().queries.map((q) => q.name);
      };
      assert.deepEqual(await names('admin'), ['All bugs', 'Alpha by subject', 'Browser is Firefox', 'Role query']);
      assert.deepEqual(await names('dev'), ['All bugs', 'Alpha by subject', 'Browser is Firefox', 'Mine in alpha', 'Role query']);
      assert.deepEqual(await names('other'), ['All bugs', 'Alpha by subject', 'Browser is Firefox', 'Zed private']);
      assert.deepEqual(await names(undefined), ['All bugs', 'Alpha by subject', 'Browser is Firefox']);
      assert.deepEqual(await names('admin', '/queries.json?type=TimeEntryQuery'), ['Time entries']);
      const page = await call('GET', '/queries.json?limit=1&offset=1', 'admin');
      assert.deepEqual(page.json(), {
        queries: [{ id: id.alphaBySubject, name: 'Alpha by subject', is_public: true, project_id: id.alpha }],
        total_count: 4,
        offset: 1,
        limit: 1,
      });
      const roles = (await call('GET', '/queries.json', 'dev')).json<{ queries: Json[] }>().queries;
      assert.deepEqual(roles.find((q) => q.name === 'Role query'), { id: id.roleQuery, name: 'Role query', is_public: true, project_id: null });
      assert.deepEqual(roles.find((q) => q.name === 'Mine in alpha'), { id: id.mineInAlpha, name: 'Mine in alpha', is_public: false, project_id: id.alpha });
      const xml = await call('GET', '/queries.xml?limit=2', 'admin');
      assert.match(xml.body, /<queries type="array" total_count="4" offset="0" limit="2"><query><id>\d+<\/id><name>All bugs<\/name><is_public>true<\/is_public><project_id\/?>/);
    });

    test('query_id: the saved filters and sort apply, the request’s filters do not; sort overrides', async () => {
      await expectKeys(`/issues.json?query_id=${id.allBugs}`, ['a1', 'a3', 'a4', 'a5']);
      await expectKeys(`/issues.json?query_id=${id.allBugs}&sort=id:desc`, ['a5', 'a4', 'a3', 'a1']);
      await expectKeys(`/issues.json?query_id=${id.allBugs}&tracker_id=${id.feature}&status_id=c`, ['a1', 'a3', 'a4', 'a5']);
      await expectKeys(`/issues.json?query_id=${id.firefox}`, ['a1']);
      await expectKeys(`/projects/alpha/issues.json?query_id=${id.alphaBySubject}`, ['a4', 'a1', 'a2', 'a5', 's1']);
      await expectKeys(`/projects/alpha/issues.json?query_id=${id.allBugs}`, ['a1', 'a3', 'a4', 'a5']);
      await expectKeys(`/projects/alpha/issues.json?query_id=${id.mineInAlpha}`, ['a3', 'a1'], 'dev');
      await expectKeys(`/issues.json?query_id=${id.roleQuery}`, ['a3', 'a1'], 'dev');
      // Administrators may use any query; Query#visible? is true for them.
      await expectKeys(`/issues.json?query_id=${id.otherPrivate}`, ['b1', 's1', 'a5', 'a4', 'a3', 'a2', 'a1']);
      const paged = await call('GET', `/issues.json?query_id=${id.allBugs}&limit=2&offset=1`, 'admin');
      assert.deepEqual([paged.json<Json>().total_count, paged.json<Json>().offset, paged.json<Json>().limit], [4, 1, 2]);
    });

    test('query_id: unknown, of another project or kind → 404; not visible → 403 (401 anonymous)', async () => {
      const status = async (path: string, as: string | undefined) => (await call('GET', path, as)).statusCode;
      assert.equal(await status('/issues.json?query_id=999999', 'admin'), 404);
      assert.equal(await status('/issues.json?query_id=abc', 'admin'), 404);
      assert.equal(await status(`/issues.json?query_id=${id.timeEntries}`, 'admin'), 404);
      // A project's query exists only for that project's list.
      assert.equal(await status(`/issues.json?query_id=${id.alphaBySubject}`, 'admin'), 404);
      assert.equal(await status(`/projects/beta/issues.json?query_id=${id.alphaBySubject}`, 'admin'), 404);
      assert.equal(await status(`/issues.json?query_id=${id.otherPrivate}`, 'dev'), 403);
      assert.equal(await status(`/issues.json?query_id=${id.otherPrivate}`, undefined), 401);
      assert.equal(await status(`/issues.json?query_id=${id.roleQuery}`, 'other'), 403);
      assert.equal(await status(`/projects/alpha/issues.json?query_id=${id.mineInAlpha}`, 'other'), 403);
      assert.equal(await status(`/issues.json?query_id=${id.otherPrivate}`, 'other'), 200);
    });
  });
}
