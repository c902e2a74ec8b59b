/**
 * Sudo mode (security.md §4): the password asked again before sensitive changes. A protected POST
 * without sudo mode gets the prompt and changes nothing; the prompt carries the original form, so the
 * right password replays it; sudo mode lasts 15 minutes after its last use, belongs to one session, and
 * a wrong password is a 422 and a throttle failure. GET pages (the API key) go through /sudo_mode;
 * uploads are refused with a message; KANRI_SUDO_MODE=0 turns it all off. Time moves by the app's clock.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { formFields } from '#src/features/sudo/sudo.guard.tsx';
import { encryptClientSecret, secretKeyOf } from '#src/features/oidc/oidc.settings.ts';
import { SUDO_ROUTES } from '#src/features/sudo/sudo.routes.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

const MINUTE = 60_000;
const PROMPT = 'Confirm your password to continue';

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The prompt's form: where it posts and its fields (hidden ones and the CSRF token), in order. */
function promptForm(answer: LightMyRequestResponse): { action: string; fields: Array<[string, string]> } {
  const form = /<form[^>]*id="sudo-form"[^>]*>([\s\S]*?)<\/form>/.exec(answer.body);
  assert.ok(form, `a password prompt (status ${answer.statusCode})`);
  const action = /action="([^"]*)"/.exec(form[0])?.[1];
  assert.ok(action !== undefined);
  const fields: Array<[string, string]> = [];
  for (const input of form[1]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)) {
    fields.push([decode(input[1]!), decode(input[2]!)]);
  }
  return { action: decode(action), fields };
}

/** Sends the prompt with `password`, as a browser would (all its fields, repeated names kept). */
async function answerPrompt(who: SignedIn, prompt: LightMyRequestResponse, password: string): Promise<LightMyRequestResponse> {
  const { action, fields } = promptForm(prompt);
  const form: Record<string, string | string[]> = { sudo_password: password };
  for (const [name, value] of fields) {
    const had = form[name];
    form[name] = had === undefined ? value : [had, value].flat();
  }
  return who.request('POST', action, form);
}

const isPrompt = (answer: LightMyRequestResponse) => answer.body.includes(PROMPT) && answer.body.includes('id="sudo-form"');

describe('sudo mode: carrying a form', () => {
  test('nested, repeated and empty fields become bracket names; the token and the password are not carried', () => {
    assert.deepEqual(
      formFields({
        authenticity_token: 'x',
        sudo_password: 'y',
        user: { firstname: 'A', pref: { hide_mail: '1' } },
        ids: ['1', '2'],
        rows: [{ a: '1' }],
        none: null,
      }),
      [
        ['user[firstname]', 'A'],
        ['user[pref][hide_mail]', '1'],
        ['ids[]', '1'],
        ['ids[]', '2'],
        ['rows[][a]', '1'],
        ['none', ''],
      ],
    );
  });
});

for (const { engine, skip } of await pageEngineCases()) {
  describe(`sudo mode (${engine})`, { skip }, () => {
    let now = Date.now();
    const advance = (ms: number) => {
      now += ms;
    };
    const acme = acmeWorld(engine, { extraEnv: { KANRI_SUDO_MODE: '1' }, clock: () => new Date(now) });
    const { sql } = acme;

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'sso']);
    });

    const firstname = async (login: string) => (await sql('SELECT firstname FROM users WHERE login = $1', [login]))[0]?.firstname;
    const lastname = async (login: string) => (await sql('SELECT lastname FROM users WHERE login = $1', [login]))[0]?.lastname;
    const apiKey = async (login: string) =>
      (await sql("SELECT t.value FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.login = $1 AND t.action = 'api'", [login]))[0]?.value;
    const failures = async (login: string) =>
      Number((await sql("SELECT cardinality(failures) AS n FROM auth_throttles WHERE scope = 'login' AND subject = $1", [login]))[0]?.n ?? 0);
    const sudoFailureAudits = async (login: string) =>
      (await sql("SELECT details FROM audit_events WHERE event = 'login.failure' AND target_name = $1", [login])).filter(
        (row) => (typeof row.details === 'string' ? (JSON.parse(row.details) as { channel?: string }) : (row.details as { channel?: string } | null))?.channel === 'sudo',
      ).length;
    const editAccount = (who: SignedIn, first: string, last = 'User') =>
      who.post('/my/account', { 'user[firstname]': first, 'user[lastname]': last, 'user[mail]': 'jsmith@acme.test' });

    test('every protected route exists (a renamed route would silently lose its protection)', () => {
      for (const route of SUDO_ROUTES) {
        assert.ok(acme.server.app.hasRoute(route), `${route.method} ${route.url} is a route`);
      }
    });

    test('a protected POST is answered with the prompt; the right password replays it; then 15 minutes after the last use', async () => {
      const jsmith = await signedIn(acme.server.app, 'jsmith');
      const special = `O'Brien & "Co" <b>`;
      const prompt = await editAccount(jsmith, 'Johnny', special);
      assert.equal(prompt.statusCode, 200);
      assert.ok(isPrompt(prompt), 'the password prompt');
      assert.equal(prompt.headers['cache-control'], 'no-store');
      assert.equal(await firstname('jsmith'), 'jsmith', 'nothing changed yet');
      const { action, fields } = promptForm(prompt);
      assert.equal(action, '/my/account');
      assert.deepEqual(
        fields.filter(([name]) => name !== 'authenticity_token'),
        [
          ['user[firstname]', 'Johnny'],
          ['user[lastname]', special],
          ['user[mail]', 'jsmith@acme.test'],
        ],
      );

      const replayed = await answerPrompt(jsmith, prompt, 'jsmith-password');
      assert.equal(replayed.statusCode, 303, replayed.body);
      assert.equal(replayed.headers.location, '/my/account');
      assert.equal(await firstname('jsmith'), 'Johnny');
      assert.equal(await lastname('jsmith'), special);

      // Another protected action 14 minutes later: no prompt, and the time starts again from it.
      advance(14 * MINUTE);
      const keyBefore = await apiKey('jsmith');
      const reset = await jsmith.post('/my/api_key');
      assert.equal(reset.statusCode, 303, reset.body);
      assert.notEqual(await apiKey('jsmith'), keyBefore, 'the key was reset');
      advance(14 * MINUTE);
      assert.equal((await editAccount(jsmith, 'John')).statusCode, 303, '14 minutes after the last use: still in sudo mode');
      assert.equal(await firstname('jsmith'), 'John');

      // 15 minutes and a second after the last use: the prompt again.
      advance(15 * MINUTE + 1000);
      const again = await editAccount(jsmith, 'Jack');
      assert.ok(isPrompt(again), 'prompted again after 15 minutes');
      assert.equal(await firstname('jsmith'), 'John');
    });

    test('a wrong password is a 422 with "Invalid password", changes nothing and is a throttle failure', async () => {
      const dlopper = await signedIn(acme.server.app, 'dlopper');
      const failuresBefore = await failures('dlopper');
      const auditsBefore = await sudoFailureAudits('dlopper');
      const prompt = await dlopper.post('/my/account', { 'user[firstname]': 'Dave', 'user[lastname]': 'L', 'user[mail]': 'dlopper@acme.test' });
      assert.ok(isPrompt(prompt));
      const wrong = await answerPrompt(dlopper, prompt, 'not-the-password');
      assert.equal(wrong.statusCode, 422);
      assert.ok(isPrompt(wrong), 'prompted again');
      assert.ok(wrong.body.includes('Invalid password'));
      assert.equal(await firstname('dlopper'), 'dlopper');
      assert.equal(await failures('dlopper'), failuresBefore + 1, 'counted by the throttle');
      assert.equal(await sudoFailureAudits('dlopper'), auditsBefore + 1, 'audited with channel sudo');
      // The re-prompt still carries the form: the right password now replays it.
      const right = await answerPrompt(dlopper, wrong, 'dlopper-password');
      assert.equal(right.statusCode, 303, right.body);
      assert.equal(await firstname('dlopper'), 'Dave');
    });

    test('sudo mode belongs to the session: another sign-in of the same user starts without it', async () => {
      const first = await signedIn(acme.server.app, 'jsmith');
      assert.equal((await answerPrompt(first, await editAccount(first, 'One'), 'jsmith-password')).statusCode, 303);
      assert.equal((await editAccount(first, 'Two')).statusCode, 303, 'the first session is in sudo mode');
      const second = await signedIn(acme.server.app, 'jsmith');
      assert.ok(isPrompt(await editAccount(second, 'Three')), 'the second session is not');
      assert.equal(await firstname('jsmith'), 'Two');
    });

    test('a session signed in by single sign-on confirms at the provider; with single sign-on off, by password', async () => {
      const sso = await signedIn(acme.server.app, 'sso');
      // As after an OpenID Connect sign-in (the session's sign-in method is what tells).
      await sql("UPDATE kanri_session_details SET sign_in_method = 'oidc' WHERE token_id IN (SELECT t.id FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.login = 'sso' AND t.action = 'session')");
      const key = secretKeyOf(acme.server.platform.secret, 'acme');
      const oidc = { enabled: true, providerName: 'Acme ID', issuer: 'https://idp.example.com', clientId: 'kanri', encryptedSecret: encryptClientSecret(key, 'secret'), loginClaim: 'preferred_username', autoCreate: false, ssoOnly: false };
      await sql("INSERT INTO settings (name, value, updated_on) VALUES ('oidc', $1, now())", [JSON.stringify(oidc)]);
      try {
        const answer = await sso.post('/my/account', { 'user[firstname]': 'Single', 'user[lastname]': 'User', 'user[mail]': 'sso@acme.test', sudo_password: 'sso-password' });
        assert.equal(answer.statusCode, 200);
        assert.match(answer.body, /<form method="post" action="\/auth\/oidc\/sudo" id="sudo-oidc-form">/, 'the provider is asked');
        assert.match(answer.body, /Confirm with Acme ID/);
        assert.ok(!isPrompt(answer), 'no password prompt: even the right password does not count');
        assert.equal(await firstname('sso'), 'sso', 'nothing changed');
        const page = await sso.request('GET', '/my/api_key');
        assert.match(page.body, /<input type="hidden" name="back_url" value="\/my\/api_key"\/?>/, 'a page opens again after the provider');
      } finally {
        await sql("DELETE FROM settings WHERE name = 'oidc'");
      }
      // Single sign-on turned off since: the password the user has (if they know it) is asked.
      assert.ok(isPrompt(await sso.post('/my/account', { 'user[firstname]': 'Single', 'user[lastname]': 'User', 'user[mail]': 'sso@acme.test' })));
    });

    test('a user the route refuses gets its 403 or 404, not a password prompt', async () => {
      await acme.referenceIds();
      await acme.projects([['Sudo Project', 'sudoproj', false]]);
      await acme.members([['sudoproj', 'dlopper', 'Manager']]);
      const [row] = await sql('SELECT id FROM members WHERE project_id = $1 AND user_id = $2', [acme.id('sudoproj'), acme.id('dlopper')]);
      const member = Number(row?.id);
      const jsmith = await signedIn(acme.server.app, 'jsmith');
      for (const url of ['/settings/edit', '/users', `/users/${acme.id('dlopper')}/sign_in_lock/delete`, '/admin/oidc', '/roles']) {
        const answer = await jsmith.post(url, { x: '1' });
        assert.equal(answer.statusCode, 403, url);
        assert.ok(!isPrompt(answer), url);
      }
      for (const url of ['/projects/sudoproj/memberships', `/memberships/${member}`, `/memberships/${member}/delete`, '/projects/sudoproj/destroy']) {
        const answer = await jsmith.post(url, { confirm: 'sudoproj' });
        assert.equal(answer.statusCode, 404, `${url}: the private project is not jsmith's to see`);
        assert.ok(!isPrompt(answer), url);
      }
      // The project's manager may: prompted.
      const dlopper = await signedIn(acme.server.app, 'dlopper');
      assert.ok(isPrompt(await dlopper.post(`/memberships/${member}`, { 'membership[role_ids][]': String(acme.id('Developer')) })));
      assert.ok(isPrompt(await dlopper.post('/projects/sudoproj/memberships', {})));
      assert.equal((await sql('SELECT count(*)::int AS n FROM members WHERE project_id = $1', [acme.id('sudoproj')]))[0]?.n, 1);
    });

    test('a GET page (the API key) prompts, and /sudo_mode leads back to it', async () => {
      const jsmith = await signedIn(acme.server.app, 'jsmith');
      const prompt = await jsmith.request('GET', '/my/api_key');
      assert.equal(prompt.statusCode, 200);
      assert.ok(isPrompt(prompt));
      assert.equal(promptForm(prompt).action, '/sudo_mode');

      const wrong = await answerPrompt(jsmith, prompt, 'wrong');
      assert.equal(wrong.statusCode, 422);
      const back = await answerPrompt(jsmith, wrong, 'jsmith-password');
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, '/my/api_key');
      const shown = await jsmith.request('GET', '/my/api_key');
      assert.equal(shown.statusCode, 200);
      const key = String(await apiKey('jsmith'));
      assert.match(key, /^[0-9a-f]{40}$/);
      assert.ok(shown.body.includes(key), 'the key is shown in sudo mode');
      assert.ok(!prompt.body.includes(key) && !wrong.body.includes(key), 'and was not on the prompts');
    });

    test('an administrator page: the settings form is replayed after the password', async () => {
      const admin = await signedIn(acme.server.app, 'admin', 'admin-password');
      const prompt = await admin.post('/settings/edit?tab=general', { 'settings[app_title]': 'Sudo Title' });
      assert.ok(isPrompt(prompt));
      assert.equal((await sql("SELECT value FROM settings WHERE name = 'app_title'")).length, 0);
      const replayed = await answerPrompt(admin, prompt, 'admin-password');
      assert.equal(replayed.statusCode, 303, replayed.body);
      assert.equal((await sql("SELECT value FROM settings WHERE name = 'app_title'"))[0]?.value, 'Sudo Title');
      const started = await sql("SELECT actor_name, target_name, details FROM audit_events WHERE event = 'sudo.start' AND actor_name = 'admin'");
      assert.deepEqual(started, [{ actor_name: 'admin', target_name: 'admin', details: { method: 'password' } }], 'entering sudo mode is audited');
    });

    test('a file upload to a protected route is refused before anything runs', async () => {
      // Multipart bodies are parsed only by the issue form's scope, so every protected route refuses
      // them (415) before the guard; the guard's own refusal stands ready for a protected upload.
      const jsmith = await signedIn(acme.server.app, 'jsmith');
      const token = await jsmith.formToken('/my/account');
      const boundary = 'sudoboundary';
      const answer = await acme.server.app.inject({
        method: 'POST',
        url: '/my/account',
        headers: {
          host: 'acme.localhost',
          cookie: jsmith.cookieHeader(),
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'x-csrf-token': token,
        },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="user[firstname]"\r\n\r\nUpload\r\n--${boundary}--\r\n`,
      });
      assert.equal(answer.statusCode, 415);
      assert.notEqual(await firstname('jsmith'), 'Upload');
    });
  });

  describe(`sudo mode off (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine, { extraEnv: { KANRI_SUDO_MODE: '0' } });
    before(async () => {
      await acme.users(['jsmith']);
    });

    test('with KANRI_SUDO_MODE=0 a protected POST runs without a prompt', async () => {
      const jsmith = await signedIn(acme.server.app, 'jsmith');
      const answer = await jsmith.post('/my/account', { 'user[firstname]': 'Free', 'user[lastname]': 'User', 'user[mail]': 'jsmith@acme.test' });
      assert.equal(answer.statusCode, 303, answer.body);
      assert.equal((await acme.sql('SELECT firstname FROM users WHERE login = $1', ['jsmith']))[0]?.firstname, 'Free');
    });
  });
}
