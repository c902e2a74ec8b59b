/**
 * Every state-changing page route refuses a post without the form's token, or with another one
 * (422), writes nothing, and signs the browser out — session and autologin token ended, cookies
 * cleared (security.md §9, Redmine). The routes are read from the app itself, so a page added later
 * is covered without being listed here; "nothing written" is the tenant's data version (one count per
 * committed write transaction, src/db/version-memo.ts) standing still, or moving by exactly the one
 * transaction of the sign-out.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Database } from '#src/db/database.ts';
import { startSession } from '#src/features/account/index.ts';
import { deriveKey, sealValue } from '#src/lib/keys.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

/** `METHOD path` of every page route (not `.json`/`.xml`) that changes state, from Fastify's route tree. */
function stateChangingPageRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) {
      continue;
    }
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && !/\.(json|xml)$/.test(path)) {
        routes.push(`${method} ${path}`);
      }
    }
  }
  return routes;
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`CSRF on page forms (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    let routes: string[] = [];

    before(async () => {
      await acme.users(['jsmith', 'rhill']);
      await acme.projects([['Alpha', 'alpha', true]]);
      routes = ['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) =>
        stateChangingPageRoutes(acme.server.app.printRoutes({ commonPrefix: false, method: method as 'POST' })),
      );
      routes = [...new Set(routes)];
    });

    const dataVersion = async () => Number((await acme.sql('SELECT sum(changes) AS v FROM kanri_data_version'))[0]?.v);
    const liveSessions = async (login: string) =>
      Number((await acme.sql("SELECT count(*) AS n FROM tokens WHERE action = 'session' AND user_id = $1", [acme.id(login)]))[0]?.n);

    /**
     * A session of `login` made straight in the store, and its cookie as the app seals it: the
     * refusal ends the session, so each request needs a new one, and a sign-in through the form
     * (a password hash each time) would make this file slow.
     */
    const sessionCookie = async (db: Database, login: string) => {
      const token = await startSession(db, acme.id(login), { client: { ip: '127.0.0.1', userAgent: '' }, method: 'password', policy: { lifetimeMinutes: 0, timeoutMinutes: 0, autologinDays: 0 } }, new Date());
      return `kanri_sid=${sealValue(deriveKey(acme.server.platform.secret, 'session', 'acme'), token)}`;
    };

    test('the route list is read from the app (sign-in and sign-out are in it)', () => {
      assert.ok(routes.includes('POST /login'), routes.join('\n'));
      assert.ok(routes.includes('POST /logout'), routes.join('\n'));
    });

    // One of the two refusals per user keeps the file fast; the anonymous test below sends both.
    for (const [who, token] of [['admin', undefined], ['jsmith', 'forged-token']] as const) {
      test(`${who}: ${token ? 'a forged token' : 'no token'} → 422 on every route, the session ended and nothing else written`, async () => {
        acme.ids.admin ??= Number((await acme.sql("SELECT id FROM users WHERE login = 'admin'"))[0]?.id);
        const visitor = new Browser(acme.server.app, 'acme.localhost');
        await visitor.formToken('/login');
        const csrfCookie = `_kanri_csrf=${visitor.cookies.get('_kanri_csrf')}`;
        let refused = 0;
        await acme.withDb(async (db) => {
          for (const route of routes) {
            const [method, path] = route.split(' ') as [string, string];
            // Parameters take a plausible value: the guard answers before any handler reads them.
            const url = path.replace(/:[a-z_]+/gi, (name) => (name === ':id' ? 'alpha' : '1'));
            const cookie = `${csrfCookie}; ${await sessionCookie(db, who)}`;
            const before = await dataVersion();
            const answer = await acme.server.app.inject({
              method: method as 'POST',
              url,
              headers: { host: 'acme.localhost', cookie, 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams({ ...(token ? { authenticity_token: token } : {}), 'issue[subject]': 'x', name: 'x' }).toString(),
            });
            const label = `${route} (${token ?? 'no token'})`;
            assert.equal(answer.statusCode, 422, `${label} answered ${answer.statusCode}`);
            assert.match(answer.body, /Invalid form authenticity token|フォームの認証トークンが無効です/);
            assert.doesNotMatch(answer.body, /id="loggedas"/, `${label}: the page is shown signed out`);
            assert.ok([answer.headers['set-cookie']].flat().some((line) => /^kanri_sid=;/.test(line ?? '')), `${label}: the session cookie is cleared`);
            // The one write is the sign-out (its session row and audit row, one transaction).
            assert.equal(await dataVersion(), before + 1, `${label}: nothing but the sign-out was written`);
            refused += 1;
          }
        });
        assert.equal(await liveSessions(who), 0, 'every session made here was ended');
        const logouts = await acme.sql("SELECT count(*) AS n FROM audit_events WHERE event = 'logout' AND target_id = $1 AND details->>'reason' = 'invalid_authenticity_token'", [acme.id(who)]);
        assert.equal(Number(logouts[0]?.n), refused, 'each sign-out is on the audit trail with its reason');
      });
    }

    test('an anonymous visitor: no token or a forged one → 422 on every route, and nothing is written', async () => {
      const visitor = new Browser(acme.server.app, 'acme.localhost');
      await visitor.formToken('/login');
      const before = await dataVersion();
      for (const route of routes) {
        const [method, path] = route.split(' ') as [string, string];
        const url = path.replace(/:[a-z_]+/gi, (name) => (name === ':id' ? 'alpha' : '1'));
        for (const token of [undefined, 'forged-token']) {
          const answer = await acme.server.app.inject({
            method: method as 'POST',
            url,
            headers: { host: 'acme.localhost', cookie: `_kanri_csrf=${visitor.cookies.get('_kanri_csrf')}`, 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ ...(token ? { authenticity_token: token } : {}), 'issue[subject]': 'x', name: 'x' }).toString(),
          });
          assert.equal(answer.statusCode, 422, `${route} (${token ?? 'no token'}) answered ${answer.statusCode}`);
          assert.equal(answer.headers['set-cookie'], undefined, `${route}: no cookie to clear`);
        }
      }
      assert.equal(await dataVersion(), before, 'nothing was written');
    });

    test('a browser that stays logged in: the forged post ends the session and the autologin token, clears both cookies', async () => {
      await acme.setting('autologin', '7');
      try {
        const browser = new Browser(acme.server.app, 'acme.localhost');
        const token = await browser.formToken('/login');
        assert.equal((await browser.request('POST', '/login', { username: 'rhill', password: 'rhill-password', authenticity_token: token, autologin: '1' })).statusCode, 302);
        assert.ok(browser.cookies.get('kanri_autologin'));
        const stolen = { sid: browser.cookies.get('kanri_sid') ?? '', autologin: browser.cookies.get('kanri_autologin') ?? '' };
        const forged = await browser.request('POST', '/my/account', { authenticity_token: 'forged-token', 'user[firstname]': 'Forged' });
        assert.equal(forged.statusCode, 422);
        assert.equal(browser.cookies.get('kanri_sid'), undefined, 'session cookie cleared');
        assert.equal(browser.cookies.get('kanri_autologin'), undefined, 'autologin cookie cleared');
        const rows = await acme.sql("SELECT action FROM tokens WHERE user_id = $1 AND action IN ('session', 'autologin')", [acme.id('rhill')]);
        assert.deepEqual(rows, [], 'the session and the autologin token are gone from the store');
        assert.equal((await acme.sql('SELECT firstname FROM users WHERE id = $1', [acme.id('rhill')]))[0]?.firstname, 'rhill');
        assert.equal(await browser.whoAmI(), undefined, 'signed out');
        // The cookies the forged post's browser held are worth nothing now.
        const replay = new Browser(acme.server.app, 'acme.localhost');
        replay.cookies.set('kanri_sid', stolen.sid);
        replay.cookies.set('kanri_autologin', stolen.autologin);
        assert.equal(await replay.whoAmI(), undefined);
      } finally {
        await acme.setting('autologin', '0');
      }
    });
  });
}
