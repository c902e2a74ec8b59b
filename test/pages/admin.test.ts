/** The administration pages: index, projects, information; only administrators get in. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`administration pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    let admin: Browser;
    let jsmith: Browser;

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith']]);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Recipes', 'recipes', false, 'ecookbook'], ['Onlinestore', 'onlinestore', false]]);
      admin = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await admin.signIn('admin', 'admin-password')).statusCode, 302);
      jsmith = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await jsmith.signIn('jsmith', 'jsmith-password')).statusCode, 302);
    });

    test('the index links every area in Redmine order, and the sidebar has the admin menu', async () => {
      const page = await admin.request('GET', '/admin');
      assert.equal(page.statusCode, 200, page.body);
      const links = [...page.body.matchAll(/<div id="admin-index">[\s\S]*?<\/div>/g)][0]?.[0] ?? '';
      const hrefs = [...links.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(hrefs, ['/admin/projects', '/users', '/groups', '/roles', '/trackers', '/issue_statuses', '/workflows', '/custom_fields', '/enumerations', '/settings', '/admin/ip_filter', '/admin/oidc', '/admin/audit', '/admin/info']);
      assert.match(page.body, /<nav id="admin-menu"/);
      assert.match(page.body, /<a href="\/admin"[^>]*aria-current="page"|class="administration"[^>]*aria-current="page"/);
    });

    test('projects: active ones by default, every status with status=, filtered by name', async () => {
      await acme.call('PUT', '/projects/onlinestore/archive.json', 'admin');
      const active = await admin.request('GET', '/admin/projects');
      assert.equal(active.statusCode, 200, active.body);
      assert.match(active.body, /eCookbook/);
      assert.match(active.body, /Recipes/);
      assert.doesNotMatch(active.body, /Onlinestore/);
      assert.match(active.body, /<tr id="project-\d+" class="project idnt idnt-1/, 'the subproject is indented');
      const all = await admin.request('GET', '/admin/projects?status=');
      assert.match(all.body, /Onlinestore/);
      assert.match(all.body, /action="\/projects\/onlinestore\/unarchive"/);
      assert.match(all.body, /action="\/projects\/ecookbook\/archive"/);
      const archived = await admin.request('GET', '/admin/projects?status=9');
      assert.doesNotMatch(archived.body, /eCookbook/);
      const named = await admin.request('GET', '/admin/projects?status=&name=recip');
      assert.match(named.body, /Recipes/);
      assert.doesNotMatch(named.body, /eCookbook/);
    });

    test('information: version, environment and checks', async () => {
      const page = await admin.request('GET', '/admin/info');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /Kanri \d+\.\d+\.\d+/);
      assert.match(page.body, new RegExp(process.version.replace(/\./g, '\\.')));
      assert.match(page.body, /PostgreSQL|PGlite/);
      assert.match(page.body, /class="ok"/);
    });

    test('anyone else is refused every admin page; anonymous visitors are sent to sign in', async () => {
      for (const url of ['/admin', '/admin/projects', '/admin/info']) {
        assert.equal((await jsmith.request('GET', url)).statusCode, 403, url);
        const anonymous = await new Browser(acme.server.app, 'acme.localhost').request('GET', url);
        assert.equal(anonymous.statusCode, 302, url);
        assert.match(String(anonymous.headers.location), /^\/login\?back_url=/);
      }
    });
  });
}
