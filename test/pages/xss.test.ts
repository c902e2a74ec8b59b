/**
 * Script and event-handler payloads placed everywhere a user can write — issue subject, description,
 * notes, custom field names and values, user names, project names, file names, and Redmine's link
 * syntax (`#id`, `##id`, `@login`, `[[Wiki]]`, `attachment:`) — render inert on every page that shows
 * them: no element the page did not make, no event handler, no `javascript:` URL; the text itself is
 * there, escaped.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

const SCRIPT = '<script>alert("xss")</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(2)>';

/** Entities decoded, as a browser reads an attribute value. */
function decoded(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What no page may contain, whatever users wrote: checked tag by tag, attribute by attribute. */
function assertInert(html: string, where: string): void {
  const tags = /<([a-z][a-z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi;
  for (const [tag, name = '', attributes = ''] of html.matchAll(tags)) {
    const lower = name.toLowerCase();
    assert.ok(!['svg', 'iframe', 'object', 'embed', 'math'].includes(lower), `${where}: an active element: ${tag}`);
    if (lower === 'script') {
      assert.match(tag, /^<script src="\/javascripts\/[a-z-]+-[0-9a-f]{12}\.js" defer(="")?>$/, `${where}: a script tag the page did not make: ${tag}`);
    }
    for (const [, attribute = '', value = ''] of attributes.matchAll(/\s([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      assert.ok(!/^on/i.test(attribute), `${where}: an event-handler attribute: ${tag.slice(0, 300)}`);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(attribute)) {
        const url = decoded(value.replace(/^["']|["']$/g, '')).replace(/[\s\x00-\x1f]/g, '');
        assert.doesNotMatch(url, /^(javascript|vbscript|data):/i, `${where}: a script URL: ${tag.slice(0, 300)}`);
      }
    }
  }
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`XSS payloads render inert (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, id } = acme;
    let admin: SignedIn;
    let issueId = 0;
    let otherId = 0;
    let fieldId = 0;

    before(async () => {
      await acme.setting('login_required', '0');
      await acme.users([['evil', SCRIPT, IMG], 'jsmith']);
      await acme.referenceIds();
      admin = await signedIn(acme.server.app, 'admin', 'admin-password');
      // A project whose name and description carry payloads.
      const project = await call('POST', '/projects.json', 'admin', {
        project: { name: `Shop ${SVG}`, identifier: 'shop', is_public: true, description: `About ${SCRIPT} [x](javascript:alert(3))` },
      });
      assert.equal(project.statusCode, 201, project.body);
      await acme.members([['shop', 'evil', 'Developer'], ['shop', 'jsmith', 'Developer']]);
      // An issue custom field with a payload for a name, made through Administration.
      const created = await admin.post('/custom_fields', {
        type: 'IssueCustomField',
        'custom_field[field_format]': 'string',
        'custom_field[name]': `CF ${IMG}`.slice(0, 30),
        'custom_field[is_for_all]': '1',
        'custom_field[is_filter]': '1',
        'custom_field[tracker_ids][]': [String(id('Bug')), String(id('Feature')), String(id('Support'))],
      });
      assert.equal(created.statusCode, 303, created.body);
      fieldId = Number((await acme.sql(`SELECT id FROM custom_fields WHERE type = 'IssueCustomField' ORDER BY id DESC LIMIT 1`))[0]?.id);
      const other = await call('POST', '/issues.json', 'admin', { issue: { project_id: 'shop', subject: `Other ${SCRIPT}` } });
      otherId = other.json<{ issue: { id: number } }>().issue.id;
      const upload = await call('POST', `/uploads.json?filename=${encodeURIComponent(`${IMG}.png`)}`, 'admin', 'png bytes', 'application/octet-stream');
      assert.equal(upload.statusCode, 201, upload.body);
      const token = upload.json<{ upload: { token: string } }>().upload.token;
      const issue = await call('POST', '/issues.json', 'admin', {
        issue: {
          project_id: 'shop',
          subject: `Subject ${SCRIPT}`,
          description: [
            `Markdown link [click](javascript:alert(4)) and raw ${IMG} and ${SVG}`,
            `See #${otherId} and ##${otherId}, ask @evil, read [[Wiki ${SCRIPT}]], attachment:"${IMG}.png"`,
            '{{collapse(<script>alert(5)</script>)\nhidden\n}}',
            '<a href="jav&#x61;script:alert(6)">encoded</a> <a href="#" onclick="alert(7)">click</a>',
          ].join('\n\n'),
          assigned_to_id: id('evil'),
          custom_fields: [{ id: fieldId, value: `"><script>alert(8)</script>` }],
          uploads: [{ token, filename: `${IMG}.png`, content_type: 'image/png', description: SCRIPT }],
        },
      });
      assert.equal(issue.statusCode, 201, issue.body);
      issueId = issue.json<{ issue: { id: number } }>().issue.id;
      const noted = await call('PUT', `/issues/${issueId}.json`, 'evil', { issue: { notes: `Note ${SCRIPT} ${IMG} [a](javascript:alert(9))`, status_id: id('In Progress') } });
      assert.equal(noted.statusCode, 204, noted.body);
    });

    test('every page showing the payloads renders them inert and as text', async () => {
      const pages = [
        `/issues/${issueId}`,
        `/issues/${issueId}?tab=notes`,
        `/issues/${issueId}/edit`,
        `/projects/shop/issues?set_filter=1&f[]=&c[]=subject&c[]=assigned_to&c[]=cf_${fieldId}&c[]=description`,
        `/issues?set_filter=1&f[]=&group_by=assigned_to`,
        '/projects/shop',
        '/projects',
        '/projects?display_type=list',
        '/projects/shop/settings?tab=members',
        '/projects/shop/roadmap',
        `/users/${id('evil')}`,
        '/users',
        '/my/page',
        '/search?q=Subject',
        `/issues/context_menu?ids[]=${issueId}`,
        `/issues/bulk_edit?ids[]=${issueId}&ids[]=${otherId}`,
        '/custom_fields',
        `/custom_fields/${fieldId}/edit`,
        '/admin/projects',
      ];
      for (const path of pages) {
        const page = await admin.request('GET', path);
        assert.equal(page.statusCode, 200, `${path}: ${page.statusCode}`);
        assertInert(page.body, path);
      }
      const show = (await admin.request('GET', `/issues/${issueId}`)).body;
      assert.match(show, /Subject &lt;script(&gt;|>)alert\((&quot;|")xss(&quot;|")\)&lt;\/script/, 'the subject shows as text');
      assert.match(show, /&lt;img src=x onerror=alert\(1\)(&gt;|>)/, 'the user name and the file name show as text');
    });

    test('the preview renders the same payloads inert', async () => {
      const preview = await admin.post('/preview/text', { text: `${SCRIPT} ${IMG} [a](javascript:alert(1)) ##${otherId} @evil`, project_id: 'shop' });
      assert.equal(preview.statusCode, 200);
      assertInert(preview.body, 'preview');
    });
  });
}
