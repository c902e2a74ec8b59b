/**
 * Every state-changing page route refuses a post without the form's token, or with another one, and
 * writes nothing. The routes are read from the app itself, so a page added later is covered without
 * being listed here; "nothing written" is the tenant's data version (one count per committed write
 * transaction, src/db/version-memo.ts) standing still.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
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
      await acme.users(['jsmith']);
      await acme.projects([['Alpha', 'alpha', true]]);
      routes = ['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) =>
        stateChangingPageRoutes(acme.server.app.printRoutes({ commonPrefix: false, method: method as 'POST' })),
      );
      routes = [...new Set(routes)];
    });

    const dataVersion = async () => String((await acme.sql('SELECT sum(changes) AS v FROM kanri_data_version'))[0]?.v);

    test('the route list is read from the app (sign-in and sign-out are in it)', () => {
      assert.ok(routes.includes('POST /login'), routes.join('\n'));
      assert.ok(routes.includes('POST /logout'), routes.join('\n'));
    });

    for (const who of ['admin', 'jsmith'] as const) {
      test(`${who}: no token or a forged one → 422, nothing written, on every route`, async () => {
        const browser = new Browser(acme.server.app, 'acme.localhost');
        assert.equal((await browser.signIn(who, `${who}-password`)).statusCode, 302);
        const before = await dataVersion();
        for (const route of routes) {
          const [method, path] = route.split(' ') as [string, string];
          // Parameters take a plausible value: the guard answers before any handler reads them.
          const url = path.replace(/:[a-z_]+/gi, (name) => (name === ':id' ? 'alpha' : '1'));
          for (const token of [undefined, 'forged-token']) {
            const answer = await acme.server.app.inject({
              method: method as 'POST',
              url,
              headers: {
                host: 'acme.localhost',
                cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
                'content-type': 'application/x-www-form-urlencoded',
              },
              payload: new URLSearchParams({ ...(token ? { authenticity_token: token } : {}), 'issue[subject]': 'x', name: 'x' }).toString(),
            });
            assert.equal(answer.statusCode, 422, `${route} (${token ?? 'no token'}) answered ${answer.statusCode}`);
            assert.match(answer.body, /Invalid form authenticity token|フォームの認証トークンが無効です/);
          }
        }
        assert.equal(await dataVersion(), before, 'nothing was written');
        assert.equal(await browser.whoAmI(), who, 'still signed in: the forged sign-out did nothing');
      });
    }
  });
}
