/**
 * The issue page's "« Previous | n of m | Next »" (Redmine's next-prev-links): the list a browser
 * viewed last — filtered, sorted, saved — gives the neighbours and the place, recomputed with the
 * viewer's visibility (a private issue the viewer cannot see is never linked nor counted); no list, an
 * issue outside it, or another user's remembered list give no links. And the description's Quote
 * without JavaScript: the edit page with the description quoted in the notes.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

interface Nav {
  readonly previous: number | undefined;
  readonly next: number | undefined;
  readonly position: string | undefined;
  readonly listHref: string | undefined;
}

const decode = (text: string) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The page's previous/next links, or undefined when it has none. */
function navOf(html: string): Nav | undefined {
  const box = /<div class="next-prev-links contextual">([\s\S]*?)<\/div>/.exec(html)?.[1];
  if (box === undefined) {
    return undefined;
  }
  const link = (cls: string) => new RegExp(`<li class="${cls} page"><a href="/issues/(\\d+)"`).exec(box)?.[1];
  const position = /<li class="page position"><a href="([^"]+)">([^<]+)<\/a>/.exec(box);
  const previous = link('previous');
  const next = link('next');
  return {
    previous: previous === undefined ? undefined : Number(previous),
    next: next === undefined ? undefined : Number(next),
    position: position?.[2],
    listHref: position?.[1] === undefined ? undefined : decode(position[1]),
  };
}

function textareaOf(html: string, id: string): string | undefined {
  const value = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];
  return value === undefined ? undefined : decode(value);
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`issue page: previous and next in the last list, quoting the description (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const browsers = new Map<string, Browser>();

    const as = async (login: string, fresh = false): Promise<Browser> => {
      let browser = fresh ? undefined : browsers.get(login);
      if (!browser) {
        browser = new Browser(acme.server.app, 'acme.localhost');
        const signed = await browser.signIn(login, `${login}-password`);
        assert.equal(signed.statusCode, 302, signed.body);
        if (!fresh) {
          browsers.set(login, browser);
        }
      }
      return browser;
    };
    const okPage = async (browser: Browser, url: string): Promise<string> => {
      const answer = await browser.request('GET', url);
      assert.equal(answer.statusCode, 200, `${url}: ${answer.body.slice(0, 300)}`);
      return answer.body;
    };
    /** Views the list, then the issue, in the same browser. */
    const navAfter = async (login: string, listUrl: string, issue: string): Promise<Nav | undefined> => {
      const browser = await as(login);
      await okPage(browser, listUrl);
      return navOf(await okPage(browser, `/issues/${id(issue)}`));
    };
    const createIssue = async (name: string, issue: Record<string, unknown>) => {
      const answer = await call('POST', '/projects/ecookbook/issues.json', 'jsmith', { issue: { tracker_id: id('Bug'), ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      ids[name] = answer.json<{ issue: { id: number } }>().issue.id;
    };
    const openBySubject = '/projects/ecookbook/issues?set_filter=1&f[]=status_id&op[status_id]=o&f[]=&c[]=subject&sort=subject';

    before(async () => {
      await acme.users([
        ['jsmith', 'John', 'Smith'],
        ['dlopper', 'Dave', 'Lopper'],
      ]);
      await acme.referenceIds();
      await acme.setting('per_page_options', '2,25');
      await acme.projects([['eCookbook', 'ecookbook', true]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
      ]);
      // Developers see the issues they may see (not others' private ones), managers all.
      await sql("UPDATE roles SET issues_visibility = 'default' WHERE id = $1", [id('Developer')]);
      await sql("UPDATE roles SET issues_visibility = 'all' WHERE id = $1", [id('Manager')]);
      await createIssue('alpha', { subject: 'A alpha', description: 'First line\r\nSecond line\n' });
      await createIssue('bravo', { subject: 'B bravo' });
      await createIssue('charlie', { subject: 'C charlie', is_private: true });
      await createIssue('delta', { subject: 'D delta' });
      await createIssue('echo', { subject: 'E echo' });
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('Closed'), id('echo')]);
      const [query] = await sql(
        `INSERT INTO queries (project_id, name, filters, user_id, column_names, sort_criteria, type, visibility)
         VALUES ($1, 'Everything', '{"status_id": {"operator": "*", "values": [""]}}', $2, '["subject"]', '[["subject", "desc"]]', 'IssueQuery', 2) RETURNING id`,
        [id('ecookbook'), id('jsmith')],
      );
      ids.query = Number(query?.id);
    });

    test('a filtered list sorted by subject: neighbours, place and the way back to the list', async () => {
      assert.deepEqual(await navAfter('jsmith', openBySubject, 'bravo'), {
        previous: id('alpha'),
        next: id('charlie'),
        position: '2 of 4',
        listHref: '/projects/ecookbook/issues?set_filter=1&f[]=status_id&op[status_id]=o&v[status_id][]=&f[]=&c[]=subject&sort=subject&per_page=2',
      });
      // The first has no previous link, only its label; the fourth is on the list's second page.
      const first = await okPage(await as('jsmith'), `/issues/${id('alpha')}`);
      assert.match(first, /<li class="previous"><span>« Previous<\/span><\/li>/);
      assert.deepEqual(navOf(first), { previous: undefined, next: id('bravo'), position: '1 of 4', listHref: navOf(first)?.listHref });
      const last = navOf(await okPage(await as('jsmith'), `/issues/${id('delta')}`));
      assert.equal(last?.next, undefined);
      assert.equal(last?.position, '4 of 4');
      assert.match(last?.listHref ?? '', /&per_page=2&page=2$/);
    });

    test('the sort of the list viewed last decides the order', async () => {
      assert.deepEqual(await navAfter('jsmith', `${openBySubject}:desc`, 'bravo'), {
        previous: id('charlie'),
        next: id('alpha'),
        position: '3 of 4',
        listHref: navOf(await okPage(await as('jsmith'), `/issues/${id('bravo')}`))?.listHref,
      });
    });

    test('a private issue the viewer cannot see is neither linked nor counted', async () => {
      const nav = await navAfter('dlopper', openBySubject, 'bravo');
      assert.deepEqual({ ...nav, listHref: undefined }, { previous: id('alpha'), next: id('delta'), position: '2 of 3', listHref: undefined });
      const around = navOf(await okPage(await as('dlopper'), `/issues/${id('delta')}`));
      assert.equal(around?.previous, id('bravo'));
      assert.equal(around?.position, '3 of 3');
      const page = await okPage(await as('dlopper'), `/issues/${id('alpha')}`);
      assert.doesNotMatch(page, new RegExp(`href="/issues/${id('charlie')}"`));
    });

    test('a saved query: its filters and sort, and a link back to it', async () => {
      const nav = await navAfter('jsmith', `/projects/ecookbook/issues?query_id=${id('query')}`, 'delta');
      assert.deepEqual(nav, {
        previous: id('echo'),
        next: id('charlie'),
        position: '2 of 5',
        listHref: `/projects/ecookbook/issues?query_id=${id('query')}&sort=subject%3Adesc&per_page=2`,
      });
    });

    test('no links: an issue not in the list, no list viewed, another user’s list, a tampered cookie', async () => {
      assert.equal(await navAfter('jsmith', openBySubject, 'echo'), undefined);
      const fresh = await as('jsmith', true);
      const page = await okPage(fresh, `/issues/${id('bravo')}`);
      assert.equal(navOf(page), undefined);
      assert.doesNotMatch(page, /next-prev-links/);

      // dlopper's remembered list, carried into jsmith's browser, is not jsmith's.
      const dlopper = await as('dlopper');
      await okPage(dlopper, openBySubject);
      const remembered = dlopper.cookies.get('kanri_issue_query');
      assert.ok(remembered, 'the list page remembers its query in a cookie');
      fresh.cookies.set('kanri_issue_query', remembered);
      assert.equal(navOf(await okPage(fresh, `/issues/${id('bravo')}`)), undefined);
      // A cookie changed by hand is ignored.
      dlopper.cookies.set('kanri_issue_query', `x${remembered}`);
      assert.equal(navOf(await okPage(dlopper, `/issues/${id('bravo')}`)), undefined);
    });

    test('Quote on the description: the edit page starts the notes with the quoted description', async () => {
      const browser = await as('jsmith');
      const show = await okPage(browser, `/issues/${id('alpha')}`);
      assert.match(show, new RegExp(`href="/issues/${id('alpha')}/edit\\?quote_description=1"`));
      const edit = await okPage(browser, `/issues/${id('alpha')}/edit?quote_description=1`);
      assert.equal(textareaOf(edit, 'issue_notes'), 'John Smith wrote:\n> First line\n> Second line\n\n');
      // Without a description there is nothing to quote.
      assert.equal(textareaOf(await okPage(browser, `/issues/${id('bravo')}/edit?quote_description=1`), 'issue_notes'), '');
    });

    test('a change to the list’s issues shows at once (nothing stale is remembered)', async () => {
      assert.equal((await navAfter('jsmith', openBySubject, 'alpha'))?.next, id('bravo'));
      const closed = await call('PUT', `/issues/${id('bravo')}.json`, 'jsmith', { issue: { status_id: id('Closed') } });
      assert.equal(closed.statusCode, 204, closed.body);
      const nav = navOf(await okPage(await as('jsmith'), `/issues/${id('alpha')}`));
      assert.deepEqual([nav?.next, nav?.position], [id('charlie'), '1 of 3']);
    });

    test('in Japanese', async () => {
      await sql("UPDATE users SET language = 'ja' WHERE id = $1", [id('jsmith')]);
      const browser = await as('jsmith');
      await okPage(browser, openBySubject);
      const page = await okPage(browser, `/issues/${id('charlie')}`);
      assert.equal(navOf(page)?.position, '2/3');
      assert.match(page, />« 前<\/a>[\s\S]*?>次 »<\/a>/);
    });
  });
}
