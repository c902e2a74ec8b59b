/**
 * The projects pages through the whole app: the projects list (board and list) shows only visible
 * projects, the overview counts issues per tracker and lists members by role, the project form stores
 * modules and trackers and re-renders refusals with 422, settings tabs refuse users without their
 * permission (nothing written), close / reopen / delete.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`projects pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    let admin: SignedIn;
    let jsmith: SignedIn;
    let dlopper: SignedIn;
    let outsider: SignedIn;

    const createIssue = async (issue: Record<string, unknown>) => {
      const answer = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'ecookbook', subject: 'Something', tracker_id: id('Bug'), ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    /** The identifiers of the projects a list view shows. */
    const listed = (body: string) => [...body.matchAll(/<td class="identifier">([a-z0-9_-]+)<\/td>/g)].map((m) => m[1]);
    const projectRow = async (identifier: string) => (await sql('SELECT * FROM projects WHERE identifier = $1', [identifier]))[0];

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill'], 'outsider']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Recipes', 'recipes', true, 'ecookbook'],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
        ['recipes', 'jsmith', 'Manager'],
      ]);
      await sql("UPDATE projects SET description = 'Cooking *recipes* for everyone' WHERE identifier = 'ecookbook'");
      const closedBug = await createIssue({ subject: 'Closed bug' });
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('Closed'), closedBug]);
      await createIssue({ subject: 'Open bug' });
      await createIssue({ subject: 'A feature', tracker_id: id('Feature') });
      admin = await signedIn(acme.server.app, 'admin');
      jsmith = await signedIn(acme.server.app, 'jsmith');
      dlopper = await signedIn(acme.server.app, 'dlopper');
      outsider = await signedIn(acme.server.app, 'outsider');
    });

    test('the list shows only the projects the user may see, as a board and as a list', async () => {
      for (const display of ['board', 'list']) {
        const page = await outsider.request('GET', `/projects?display_type=${display}`);
        assert.equal(page.statusCode, 200, page.body);
        assert.match(page.body, /href="\/projects\/ecookbook"/);
        assert.match(page.body, /href="\/projects\/recipes"/);
        assert.doesNotMatch(page.body, /\/projects\/secret|Secret/, `private project hidden from a non-member (${display})`);
        const member = await jsmith.request('GET', `/projects?display_type=${display}`);
        assert.match(member.body, /href="\/projects\/secret"/, `a member sees the private project (${display})`);
        assert.match(member.body, /<a href="\/projects\/secret" class="project root leaf private my-project"/);
      }
      const board = await outsider.request('GET', '/projects');
      assert.match(board.body, /<div id="projects-index"><ul class="projects root"><li class="root" id="project-\d+"><div class="root"><a href="\/projects\/ecookbook"/);
      assert.match(board.body, /<ul class="projects"><li class="child"[^>]*><div class="child"><a href="\/projects\/recipes"/, 'the subproject is nested');
      assert.match(board.body, /Cooking <(em|strong)>recipes<\/(em|strong)>|Cooking \*recipes\*/, 'the description excerpt');
      const anonymous = await acme.server.app.inject({ method: 'GET', url: '/projects', headers: { host: 'acme.localhost' } });
      assert.equal(anonymous.statusCode, 200);
      assert.match(anonymous.body, /href="\/projects\/ecookbook"/);
      assert.doesNotMatch(anonymous.body, /href="\/projects\/secret"/);
      const api = await call('GET', '/projects/ecookbook.json', 'admin');
      assert.equal(api.statusCode, 200, 'the REST API keeps its .json routes beside the pages');
      assert.equal(api.json<{ project: { identifier: string } }>().project.identifier, 'ecookbook');
      const list = await outsider.request('GET', '/projects?display_type=list');
      assert.match(list.body, /<table class="list projects">/);
      assert.match(list.body, /<td class="identifier">ecookbook<\/td>/);
    });

    test('the list filters by name, membership and status, and sorts', async () => {
      const byName = await jsmith.request('GET', '/projects?set_filter=1&f[]=name&op[name]=~&v[name][]=cook&display_type=list');
      assert.deepEqual(listed(byName.body), ['ecookbook']);
      const notByName = await jsmith.request('GET', '/projects?set_filter=1&f[]=name&op[name]=!~&v[name][]=cook&display_type=list');
      assert.deepEqual(listed(notByName.body).sort(), ['recipes', 'secret']);
      const mine = await dlopper.request('GET', '/projects?set_filter=1&f[]=id&op[id]==&v[id][]=mine&display_type=list');
      assert.deepEqual(listed(mine.body), ['ecookbook']);
      const privateOnly = await jsmith.request('GET', '/projects?set_filter=1&f[]=is_public&op[is_public]==&v[is_public][]=0&display_type=list');
      assert.deepEqual(listed(privateOnly.body), ['secret']);
      const sorted = await admin.request('GET', '/projects?display_type=list&sort=identifier:desc');
      assert.deepEqual(listed(sorted.body), ['secret', 'recipes', 'ecookbook']);
      await sql("UPDATE projects SET status = 5 WHERE identifier = 'recipes'");
      try {
        const open = await outsider.request('GET', '/projects');
        assert.doesNotMatch(open.body, /href="\/projects\/recipes"/, 'closed projects are not listed by default');
        const all = await outsider.request('GET', '/projects?closed=1');
        assert.match(all.body, /href="\/projects\/recipes"/);
        const closedOnly = await outsider.request('GET', '/projects?set_filter=1&f[]=status&op[status]==&v[status][]=5&display_type=list');
        assert.deepEqual(listed(closedOnly.body), ['recipes']);
      } finally {
        await sql("UPDATE projects SET status = 1 WHERE identifier = 'recipes'");
      }
    });

    test('only who may add projects gets the "New project" link and form', async () => {
      assert.match((await admin.request('GET', '/projects')).body, /href="\/projects\/new"/);
      assert.doesNotMatch((await outsider.request('GET', '/projects')).body, /href="\/projects\/new"/);
      assert.equal((await outsider.request('GET', '/projects/new')).statusCode, 403);
      const refused = await outsider.post('/projects', { 'project[name]': 'Sneaky', 'project[identifier]': 'sneaky' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await projectRow('sneaky'), undefined);
    });

    test('a project custom field is a control of the form, and its value is stored', async () => {
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, multiple, is_required, is_for_all, is_filter, visible, position)
         VALUES ('ProjectCustomField', 'Budget line', 'list', '["Capex","Opex"]', FALSE, FALSE, TRUE, FALSE, TRUE, 1) RETURNING id`,
      );
      const fieldId = Number(field?.id);
      const form = await admin.request('GET', '/projects/new');
      assert.match(form.body, new RegExp(`<select id="project_custom_field_values_${fieldId}" name="project\\[custom_field_values\\]\\[${fieldId}\\]"[^>]*>.*<option value="Opex">Opex</option>`));
      const created = await admin.post('/projects', {
        'project[name]': 'Ledger',
        'project[identifier]': 'ledger',
        [`project[custom_field_values][${fieldId}]`]: 'Opex',
      });
      assert.equal(created.statusCode, 303, created.body);
      const stored = await sql("SELECT value FROM custom_values WHERE customized_type = 'Project' AND custom_field_id = $1", [fieldId]);
      assert.deepEqual(stored.map((r) => r.value), ['Opex']);
      await sql('DELETE FROM custom_fields WHERE id = $1', [fieldId]);
    });

    test('the overview counts issues per tracker and lists members by role', async () => {
      const page = await outsider.request('GET', '/projects/ecookbook');
      assert.equal(page.statusCode, 200, page.body);
      const bug = new RegExp(
        `<tr id="tracker-${id('Bug')}"><td class="name"><a href="/projects/ecookbook/issues\\?set_filter=1&amp;tracker_id=${id('Bug')}">Bug</a></td>` +
          `<td class="open"><a href="/projects/ecookbook/issues\\?set_filter=1&amp;tracker_id=${id('Bug')}&amp;status_id=o">1</a></td>` +
          `<td class="closed"><a [^>]*>1</a></td><td class="total"><a [^>]*>2</a></td></tr>`,
      );
      assert.match(page.body, bug);
      assert.match(page.body, new RegExp(`<tr id="tracker-${id('Feature')}">.*?<td class="open"><a [^>]*>1</a></td><td class="closed"><a [^>]*>0</a></td><td class="total"><a [^>]*>1</a></td>`));
      assert.match(page.body, /<span class="label">Manager:<\/span> John Smith<\/p>/);
      assert.match(page.body, /<span class="label">Developer:<\/span> Dave Lopper<\/p>/);
      assert.match(page.body, /<span class="label">Subprojects:<\/span> <a href="\/projects\/recipes">Recipes<\/a>/);
      assert.match(page.body, /class="spent_time box"/, 'spent time for those who may view time entries');
      assert.doesNotMatch(page.body, /action="\/projects\/ecookbook\/close"/, 'no close action for a non-member');
      assert.match((await jsmith.request('GET', '/projects/ecookbook')).body, /action="\/projects\/ecookbook\/close"/);
      assert.equal((await outsider.request('GET', '/projects/secret')).statusCode, 404, 'a private project is a 404 for non-members');
    });

    test('creating a project through the form stores its modules and trackers', async () => {
      const response = await admin.post('/projects', {
        'project[name]': 'Pastry',
        'project[identifier]': 'pastry',
        'project[description]': 'Cakes',
        'project[is_public]': ['0', '1'],
        'project[parent_id]': String(id('ecookbook')),
        'project[enabled_module_names][]': ['', 'issue_tracking', 'wiki'],
        'project[tracker_ids][]': ['', String(id('Feature'))],
      });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, '/projects/pastry/settings');
      const row = await projectRow('pastry');
      assert.ok(row);
      assert.equal(row.is_public, true);
      assert.equal(row.parent_id, id('ecookbook'));
      const modules = (await sql('SELECT name FROM enabled_modules WHERE project_id = $1 ORDER BY name', [row.id])).map((r) => r.name);
      assert.deepEqual(modules, ['issue_tracking', 'wiki']);
      const trackers = (await sql('SELECT tracker_id FROM projects_trackers WHERE project_id = $1', [row.id])).map((r) => Number(r.tracker_id));
      assert.deepEqual(trackers, [id('Feature')]);
      const next = await admin.post('/projects', { 'project[name]': 'Bread', 'project[identifier]': 'bread', 'project[parent_id]': String(id('ecookbook')), continue: '1' });
      assert.equal(next.statusCode, 303);
      assert.equal(next.headers.location, `/projects/new?parent_id=${id('ecookbook')}`);
      const form = await admin.request('GET', next.headers.location);
      assert.match(form.body, new RegExp(`<option value="${id('ecookbook')}" selected>eCookbook</option>`));
    });

    test('identifier errors re-render the form with 422 and store nothing', async () => {
      for (const identifier of ['Bad Id', '123', 'ecookbook', '']) {
        const response = await admin.post('/projects', { 'project[name]': 'Broken', 'project[identifier]': identifier });
        assert.equal(response.statusCode, 422, identifier);
        assert.match(response.body, /id="errorExplanation"/);
        assert.match(response.body, /Identifier (is invalid|has already been taken|cannot be blank)/);
        assert.match(response.body, /<input type="text" id="project_name" name="project\[name\]" value="Broken"/, 'the values come back');
      }
      assert.equal(Number((await sql("SELECT count(*)::int AS n FROM projects WHERE name = 'Broken'"))[0]?.n), 0);
    });

    test('settings tabs are shown and accepted only with their permission; nothing is written otherwise', async () => {
      const manager = await jsmith.request('GET', '/projects/ecookbook/settings');
      assert.equal(manager.statusCode, 200);
      for (const tab of ['info', 'modules', 'members', 'issues', 'versions', 'categories']) {
        assert.match(manager.body, new RegExp(`id="tab-${tab}"`), tab);
      }
      const developer = await dlopper.request('GET', '/projects/ecookbook/settings?tab=info');
      assert.equal(developer.statusCode, 200);
      assert.doesNotMatch(developer.body, /id="tab-info"|id="tab-members"|id="tab-modules"/);
      assert.match(developer.body, /id="tab-versions"[^>]*class="selected"|id="tab-versions" class="selected"/, 'falls back to the first allowed tab');
      assert.equal((await outsider.request('GET', '/projects/ecookbook/settings')).statusCode, 403);
      const before = await projectRow('ecookbook');
      const modulesBefore = await sql('SELECT name FROM enabled_modules WHERE project_id = $1 ORDER BY name', [id('ecookbook')]);
      assert.equal((await dlopper.post('/projects/ecookbook', { 'project[name]': 'Renamed' })).statusCode, 403);
      assert.equal((await dlopper.post('/projects/ecookbook/modules', { 'enabled_module_names[]': ['wiki'] })).statusCode, 403);
      assert.equal((await dlopper.post('/projects/ecookbook/memberships', { 'membership[user_ids][]': [String(id('outsider'))], 'membership[role_ids][]': [String(id('Manager'))] })).statusCode, 403);
      assert.equal((await outsider.post('/projects/ecookbook/versions', { 'version[name]': 'Nope' })).statusCode, 403);
      assert.equal((await outsider.post('/projects/ecookbook/issue_categories', { 'issue_category[name]': 'Nope' })).statusCode, 403);
      assert.equal((await projectRow('ecookbook'))?.name, before?.name);
      assert.deepEqual(await sql('SELECT name FROM enabled_modules WHERE project_id = $1 ORDER BY name', [id('ecookbook')]), modulesBefore);
      assert.equal((await sql('SELECT * FROM members WHERE project_id = $1 AND user_id = $2', [id('ecookbook'), id('outsider')])).length, 0);
      assert.equal((await sql("SELECT * FROM versions WHERE name = 'Nope'")).length, 0);
      assert.equal((await sql("SELECT * FROM issue_categories WHERE name = 'Nope'")).length, 0);
    });

    test('the information, modules and issue tracking tabs update the project', async () => {
      const info = await jsmith.post('/projects/recipes', { 'project[name]': 'Recipes!', 'project[homepage]': 'https://example.test', 'project[is_public]': '0' });
      assert.equal(info.statusCode, 303, info.body);
      assert.equal(info.headers.location, '/projects/recipes/settings?tab=info');
      const row = await projectRow('recipes');
      assert.equal(row?.name, 'Recipes!');
      assert.equal(row?.is_public, false);
      const blank = await jsmith.post('/projects/recipes', { 'project[name]': '' });
      assert.equal(blank.statusCode, 422);
      assert.match(blank.body, /Name cannot be blank/);
      assert.equal((await projectRow('recipes'))?.name, 'Recipes!');
      const modules = await jsmith.post('/projects/recipes/modules', { 'enabled_module_names[]': ['', 'issue_tracking', 'time_tracking', 'news'] });
      assert.equal(modules.statusCode, 303);
      assert.deepEqual((await sql('SELECT name FROM enabled_modules WHERE project_id = $1 ORDER BY name', [id('recipes')])).map((r) => r.name), ['issue_tracking', 'news', 'time_tracking']);
      const issues = await jsmith.post('/projects/recipes', { tab: 'issues', 'project[tracker_ids][]': ['', String(id('Bug'))], 'project[default_assigned_to_id]': '' });
      assert.equal(issues.statusCode, 303);
      assert.equal(issues.headers.location, '/projects/recipes/settings?tab=issues');
      assert.deepEqual((await sql('SELECT tracker_id FROM projects_trackers WHERE project_id = $1', [id('recipes')])).map((r) => Number(r.tracker_id)), [id('Bug')]);
      const tab = await jsmith.request('GET', '/projects/recipes/settings?tab=issues');
      assert.match(tab.body, new RegExp(`name="project\\[tracker_ids\\]\\[\\]" value="${id('Bug')}" id="project_tracker_ids_${id('Bug')}" checked`));
    });

    test('close, reopen and archive need their permission', async () => {
      assert.equal((await dlopper.post('/projects/ecookbook/close')).statusCode, 403, 'a developer may not close');
      assert.equal((await projectRow('ecookbook'))?.status, 1);
      const closed = await jsmith.post('/projects/recipes/close');
      assert.equal(closed.statusCode, 303);
      assert.equal((await projectRow('recipes'))?.status, 5);
      const page = await jsmith.request('GET', '/projects/recipes');
      assert.match(page.body, /id="project-closed-warning"/);
      assert.match(page.body, /action="\/projects\/recipes\/reopen"/);
      await jsmith.post('/projects/recipes/reopen');
      assert.equal((await projectRow('recipes'))?.status, 1);
      assert.equal((await jsmith.post('/projects/recipes/archive')).statusCode, 403, 'archive is for administrators');
      await admin.post('/projects/recipes/archive');
      assert.equal((await projectRow('recipes'))?.status, 9);
      await admin.post('/projects/recipes/unarchive');
      assert.equal((await projectRow('recipes'))?.status, 1);
    });

    test('deleting a project asks for its identifier', async () => {
      await acme.projects([['Doomed', 'doomed', true]]);
      assert.equal((await outsider.request('GET', '/projects/doomed/destroy')).statusCode, 403);
      const confirm = await admin.request('GET', '/projects/doomed/destroy');
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /name="confirm"/);
      const wrong = await admin.post('/projects/doomed/destroy', { confirm: 'nope' });
      assert.equal(wrong.statusCode, 422);
      assert.equal((await projectRow('doomed'))?.status, 1);
      const done = await admin.post('/projects/doomed/destroy', { confirm: 'doomed' });
      assert.equal(done.statusCode, 303);
      assert.equal((await projectRow('doomed'))?.status, 10);
      assert.equal((await admin.request('GET', '/projects/doomed')).statusCode, 404);
    });
  });
}
