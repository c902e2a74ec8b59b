/**
 * Text formatting against a real tenant: references resolve only to what the actor may see, all texts
 * of a page load their records in a few statements, and the preview route (POST /preview/text) with
 * its CSRF guard, project and issue scoping.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadActor } from '#src/features/access/index.ts';
import { renderTexts } from '#src/features/formatting/index.ts';
import { loadSettings } from '#src/features/settings/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`text formatting (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id, withDb } = acme;
    const issues: Record<string, number> = {};
    let versionId = 0;
    let attachmentId = 0;

    const createIssue = async (project: string, subject: string, extra: Record<string, unknown> = {}) => {
      const answer = await call('POST', '/issues.json', 'admin', { issue: { project_id: id(project), subject, tracker_id: id('Bug'), ...extra } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };

    /** Renders as `login` (undefined: anonymous), counting the statements run. */
    const renderAs = async (login: string | undefined, texts: readonly string[], projectId?: number) =>
      withDb(async (db) => {
        const actor = await loadActor(db, login === undefined ? undefined : { id: id(login), admin: login === 'admin' });
        const settings = await loadSettings(db.orm);
        let statements = 0;
        const counting = new Proxy(db, {
          get(target, property, receiver) {
            if (property === 'query') {
              return (text: string, params?: unknown[]) => {
                statements += 1;
                return target.query(text, params);
              };
            }
            return Reflect.get(target, property, receiver) as unknown;
          },
        });
        const html = await renderTexts({ db: counting, actor, settings, projectId }, texts);
        return { html, statements };
      });

    /** A signed-in browser and its form token (read before signing in: /login redirects afterwards). */
    const signedIn = async (login: string) => {
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const token = await browser.formToken('/login');
      assert.equal((await browser.signIn(login, `${login}-password`)).statusCode, 302);
      return { browser, post: (url: string, form: Record<string, string>) => browser.request('POST', url, { authenticity_token: token, ...form }) };
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], 'outsider', ['mallory', '<b>Mal</b>', '<script>x</script>']]);
      await acme.referenceIds();
      await acme.setting('login_required', '0');
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Developer'],
        ['secret', 'jsmith', 'Developer'],
        ['ecookbook', 'mallory', 'Developer'],
      ]);
      issues.open = await createIssue('ecookbook', 'Open <b>issue</b>');
      issues.closed = await createIssue('ecookbook', 'Done issue');
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('Closed'), issues.closed]);
      issues.secret = await createIssue('secret', 'Secret issue');
      const version = await call('POST', '/projects/ecookbook/versions.json', 'admin', { version: { name: '1.0 beta' } });
      assert.equal(version.statusCode, 201, version.body);
      versionId = version.json<{ version: { id: number } }>().version.id;
      const upload = await acme.server.app.inject({
        method: 'POST',
        url: '/uploads.json?filename=diagram.png',
        headers: { host: 'acme.localhost', authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}`, 'content-type': 'application/octet-stream' },
        payload: Buffer.from('not really a png'),
      });
      assert.equal(upload.statusCode, 201, upload.body);
      const token = upload.json<{ upload: { token: string } }>().upload.token;
      issues.withFile = await createIssue('ecookbook', 'With a file', { uploads: [{ token, filename: 'diagram.png', content_type: 'image/png' }] });
      const [row] = await sql('SELECT id FROM attachments WHERE container_id = $1', [issues.withFile]);
      attachmentId = Number(row?.id);
    });

    test('issues link only when visible to the actor; closed ones are marked; subjects escaped', async () => {
      const text = `#${issues.open} #${issues.closed} #${issues.secret}`;
      const member = (await renderAs('jsmith', [text])).html[0]!;
      assert.match(member, new RegExp(`<a href="/issues/${issues.open}" class="issue [^"]*" title="Open &lt;b&gt;issue&lt;/b&gt; \\(New\\)">#${issues.open}</a>`));
      assert.match(member, new RegExp(`<a href="/issues/${issues.closed}" class="issue [^"]* closed" title="Done issue \\(Closed\\)">`));
      assert.match(member, new RegExp(`<a href="/issues/${issues.secret}" class="issue`));
      const stranger = (await renderAs('outsider', [text])).html[0]!;
      assert.match(stranger, new RegExp(`<a href="/issues/${issues.open}"`));
      assert.doesNotMatch(stranger, new RegExp(`/issues/${issues.secret}`));
      assert.match(stranger, new RegExp(` #${issues.secret}</p>`));
      const anonymous = (await renderAs(undefined, [text])).html[0]!;
      assert.match(anonymous, new RegExp(`<a href="/issues/${issues.open}"`));
      assert.doesNotMatch(anonymous, /Secret issue/);
      assert.match(anonymous, new RegExp(` #${issues.secret}</p>`));
    });

    test('versions, users and projects through their visibility; names escaped', async () => {
      const text = 'version:"1.0 beta", version#' + versionId + ', @jsmith, @mallory, user:outsider, project:secret, project:ecookbook';
      const [html] = (await renderAs('jsmith', [text], id('ecookbook'))).html;
      assert.match(html!, new RegExp(`<a href="/versions/${versionId}" class="version">1\\.0 beta</a>, <a href="/versions/${versionId}" class="version">1\\.0 beta</a>`));
      assert.match(html!, new RegExp(`<a href="/users/${id('jsmith')}" class="user active user-mention">@John Smith</a>`));
      assert.match(html!, /@&lt;b&gt;Mal&lt;\/b&gt; &lt;script&gt;x&lt;\/script&gt;<\/a>/);
      assert.match(html!, /<a href="\/projects\/secret" class="project">Secret<\/a>, <a href="\/projects\/ecookbook" class="project">eCookbook<\/a>/);
      // Someone without a membership does not see the private project.
      const [stranger] = (await renderAs('outsider', [text], id('ecookbook'))).html;
      assert.match(stranger!, /project:secret, <a href="\/projects\/ecookbook" class="project">eCookbook<\/a>/);
      // Locked users are no longer linked, even for administrators.
      await acme.lock('outsider');
      const [locked] = (await renderAs('admin', ['user:outsider'])).html;
      assert.equal(locked, '<p>user:outsider</p>\n');
      await sql('UPDATE users SET status = 1 WHERE id = $1', [id('outsider')]);
    });

    test('all texts of a page load their records together: one statement per kind', async () => {
      const texts = [`#${issues.open} @jsmith`, `#${issues.closed} version:"1.0 beta" project:ecookbook`, `##${issues.secret} user#${id('jsmith')} version#${versionId}`, 'plain text', ''];
      const { html, statements } = await renderAs('jsmith', texts, id('ecookbook'));
      assert.equal(html.length, 5);
      assert.equal(html[4], '');
      assert.match(html[2]!, new RegExp(`Bug #${issues.secret}</a>: Secret issue \\(New\\)`));
      // issues, projects, versions, users and the users' visibility.
      assert.ok(statements <= 5, `${statements} statements`);
      const none = await renderAs('jsmith', ['no references here', '**bold**']);
      assert.equal(none.statements, 0);
    });

    test('POST /preview/text renders a div.wiki fragment with the CSRF token', async () => {
      const browser = await signedIn('jsmith');
      // Without the token: refused, and the browser signed out (csrf.test.ts), so on a browser of its own.
      const refused = await (await signedIn('jsmith')).browser.request('POST', '/preview/text', { text: '**x**' });
      assert.equal(refused.statusCode, 422);
      const answer = await browser.post('/preview/text', { text: `**bold** #${issues.open} version:"1.0 beta" [[Start page]]\n\n<script>alert(1)</script>`, project_id: 'ecookbook' });
      assert.equal(answer.statusCode, 200, answer.body);
      assert.match(answer.headers['content-type'] as string, /^text\/html/);
      assert.match(answer.body, /^<div class="wiki"><p><strong>bold<\/strong> <a href="\/issues\/\d+" class="issue/);
      assert.match(answer.body, new RegExp(`<a href="/versions/${versionId}" class="version">`));
      assert.match(answer.body, /<a href="\/projects\/ecookbook\/wiki\/Start_page" class="wiki-page new">Start page<\/a>/);
      assert.doesNotMatch(answer.body, /<script/);
    });

    test('preview with issue_id: its attachments; projects and issues the actor cannot see are 404', async () => {
      const browser = await signedIn('outsider');
      const withFile = await browser.post('/preview/text', { text: 'attachment:diagram.png {{thumbnail(diagram.png)}}', issue_id: String(issues.withFile) });
      assert.equal(withFile.statusCode, 200, withFile.body);
      assert.match(withFile.body, new RegExp(`<a href="/attachments/download/${attachmentId}/diagram\\.png" class="attachment">diagram\\.png</a>`));
      assert.match(withFile.body, new RegExp(`<img src="/attachments/thumbnail/${attachmentId}"`));
      assert.equal((await browser.post('/preview/text', { text: 'x', project_id: 'secret' })).statusCode, 404);
      assert.equal((await browser.post('/preview/text', { text: 'x', issue_id: String(issues.secret) })).statusCode, 404);
      assert.equal((await browser.post('/preview/text', { text: 'x', issue_id: 'abc' })).statusCode, 422);
    });

    test('the tenant setting chooses the format', async () => {
      await acme.setting('text_formatting', 'textile');
      try {
        const [textile] = (await renderAs('jsmith', ['h2. Title\n\n*bold* and "link":https://example.com'])).html;
        assert.match(textile!, /<h2 id="Title">Title/);
        assert.match(textile!, /<strong>bold<\/strong> and <a href="https:\/\/example\.com" class="external" rel="noopener noreferrer">link<\/a>/);
        await acme.setting('text_formatting', '');
        const [plain] = (await renderAs('jsmith', ['*not bold*\nline'])).html;
        assert.equal(plain, '<p>*not bold*<br />\nline</p>');
      } finally {
        await acme.setting('text_formatting', 'common_mark');
      }
    });
  });
}
