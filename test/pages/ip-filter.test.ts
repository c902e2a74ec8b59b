/**
 * The IP address filter (security.md §7) over the whole plugin stack: the administration page (a bad
 * list, or one that would lock out its saver, is refused whole; a saved one is audited and mailed to
 * every active administrator), enforcement before authentication on pages, sign-in, the REST API with
 * a valid key and files, the client address across trusted proxies only, the operator's support
 * addresses, and rejections audited once per address and window.
 *
 * Addresses: the office is 203.0.113.0/24 (TEST-NET-3) and 2001:db8:1::/48, outsiders come from
 * 198.51.100.0/24, trusted proxies from 10.0.0.0/8, the operator's support desk from 192.0.2.50.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { startInbox } from '../support/smtp.ts';

const inbox = await startInbox();
after(() => inbox.close());

const OFFICE_LIST = '203.0.113.0/24 # head office\r\n2001:db8:1::/48 # branch (IPv6)';
const STORED_LIST = '203.0.113.0/24 # head office\n2001:db8:1::/48 # branch (IPv6)';
const ADMIN_AT = '203.0.113.10';
const OUTSIDER = '198.51.100.7';
const SUPPORT = '192.0.2.50';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`IP address filter (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine, {
      extraEnv: { SMTP_URL: inbox.url, TRUSTED_PROXIES: '10.0.0.0/8', KANRI_SUPPORT_IPS: SUPPORT },
    });
    const { sql } = acme;
    let admin: Browser;
    let apiKey: string;
    const stored = async () => (await sql("SELECT value FROM settings WHERE name = 'allowed_ips'"))[0]?.value;
    const auditRows = (event: string) => sql('SELECT actor_name, ip, target_type, target_name, details FROM audit_events WHERE event = $1 ORDER BY id', [event]);
    /** One request from `remoteAddress`, with the headers a client (or a proxy) sends. */
    const from = (remoteAddress: string, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
      acme.server.app.inject({ method: 'GET', url, remoteAddress, headers: { host: 'acme.localhost', ...headers } });
    const refusal = (address: string) => `Your IP address ${address} is not allowed.`;

    before(async () => {
      await acme.users(['jsmith', 'boss', 'retired']);
      await sql("UPDATE users SET admin = true WHERE login IN ('boss', 'retired')");
      await acme.lock('retired');
      admin = new Browser(acme.server.app, 'acme.localhost', { remoteAddress: ADMIN_AT });
      assert.equal((await admin.signIn('admin', 'admin-password')).statusCode, 302);
      const me = await acme.call('GET', '/users/current.json', 'admin');
      apiKey = me.json<{ user: { api_key: string } }>().user.api_key;
      assert.match(apiKey, /^[0-9a-f]{40}$/);
    });

    test('with the list empty every address gets in; the page shows the reader its own address', async () => {
      assert.equal((await from(OUTSIDER, '/login')).statusCode, 200);
      const page = await admin.request('GET', '/admin/ip_filter');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<h2>IP address filter<\/h2>/);
      assert.match(page.body, /Your IP address: 203\.0\.113\.10/);
      assert.match(page.body, /The list is empty: every address may connect\./);
      assert.match(page.body, /<a href="\/admin\/ip_filter" class="[^"]*ip-filter selected"/, 'the admin menu marks the page');
      assert.match((await admin.request('GET', '/admin')).body, /href="\/admin\/ip_filter"/, 'the administration index lists it');
    });

    test('a list that would shut out its saver is refused, naming the address, and nothing changes', async () => {
      const refused = await admin.post('/admin/ip_filter', { allowed_ips: '198.51.100.0/24' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Your current IP address 203\.0\.113\.10 is not in the list: saving it would lock you out\./);
      assert.match(refused.body, /198\.51\.100\.0\/24<\/textarea>/, 'the text sent is shown again');
      assert.equal(await stored(), undefined);
      assert.deepEqual(await auditRows('ip_filter.update'), []);
    });

    test('each bad line is named with its number, and nothing changes', async () => {
      const refused = await admin.post('/admin/ip_filter', { allowed_ips: `1.2.3\r\n${ADMIN_AT}\r\n10.0.0.0/8\r\n1.2.3.4/255.0.255.0\r\n010.1.1.1` });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Line 1: &quot;1\.2\.3&quot; is not an IP address or address range\./);
      assert.match(refused.body, /Line 3: &quot;10\.0\.0\.0\/8&quot; overlaps the private range 10\.0\.0\.0\/8/);
      assert.match(refused.body, /Line 4: &quot;1\.2\.3\.4\/255\.0\.255\.0&quot; has a netmask whose bits are not contiguous\./);
      assert.match(refused.body, /Line 5: &quot;010\.1\.1\.1&quot; has a number with a leading zero/);
      assert.doesNotMatch(refused.body, /Line 2:/);
      assert.equal(await stored(), undefined);
    });

    test('anyone but an administrator gets 403 and changes nothing', async () => {
      const jsmith = new Browser(acme.server.app, 'acme.localhost', { remoteAddress: '203.0.113.20' });
      assert.equal((await jsmith.signIn('jsmith', 'jsmith-password')).statusCode, 302);
      assert.equal((await jsmith.request('GET', '/admin/ip_filter')).statusCode, 403);
      assert.equal((await jsmith.post('/admin/ip_filter', { allowed_ips: '198.51.100.0/24' })).statusCode, 403);
      assert.equal(await stored(), undefined);
    });

    test('saving stores the list, audits old → new and mails every active administrator', async () => {
      inbox.clear();
      const saved = await admin.post('/admin/ip_filter', { allowed_ips: OFFICE_LIST });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, '/admin/ip_filter');
      assert.equal(await stored(), STORED_LIST);
      assert.deepEqual(await auditRows('ip_filter.update'), [
        { actor_name: 'admin', ip: ADMIN_AT, target_type: 'Setting', target_name: 'allowed_ips', details: { from: '', to: STORED_LIST } },
      ]);
      const page = await admin.request('GET', '/admin/ip_filter');
      assert.match(page.body, /Successful update\./);
      assert.match(page.body, /<td>203\.0\.113\.0\/24<\/td><td>203\.0\.113\.0\/24<\/td><td>head office<\/td>/);
      assert.match(page.body, /<td>2001:db8:1::\/48<\/td><td>2001:db8:1::\/48<\/td><td>branch \(IPv6\)<\/td>/);

      await inbox.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(inbox.messages.map((m) => m.recipients.join()).sort(), ['admin@acme.test', 'boss@acme.test'], 'not the locked administrator, not jsmith');
      const mail = inbox.to('boss@acme.test')[0]!;
      assert.match(mail.subject, /Security notification/);
      assert.match(mail.text, /The IP address filter was changed\./);
      assert.match(mail.text, /User: admin/);
      assert.match(mail.text, /IP address: 203\.0\.113\.10/);
      assert.match(mail.text, /http:\/\/acme\.localhost\/admin\/ip_filter/);
      assert.match(mail.text, /Added:\n {2}203\.0\.113\.0\/24 # head office\n {2}2001:db8:1::\/48 # branch \(IPv6\)/);
    });

    test('a blocked address gets 403 on pages, on sign-in, and on the API even with a valid key', async () => {
      for (const url of ['/', '/projects', '/login', '/admin/ip_filter', '/attachments/download/1', '/no-such-page']) {
        const page = await from(OUTSIDER, url);
        assert.equal(page.statusCode, 403, url);
        assert.match(page.headers['content-type'] as string, /text\/html/);
        assert.match(page.body, new RegExp(refusal(OUTSIDER).replace(/\./g, '\\.')), url);
        assert.doesNotMatch(page.body, /loggedas|admin@acme|id="top-menu"/, 'a bare page: no frame, no user data');
      }
      const json = await from(OUTSIDER, '/issues.json', { 'x-redmine-api-key': apiKey });
      assert.equal(json.statusCode, 403);
      assert.match(json.headers['content-type'] as string, /application\/json/);
      assert.deepEqual(json.json(), { errors: [refusal(OUTSIDER)] });
      const xml = await from(OUTSIDER, `/users/current.xml?key=${apiKey}`);
      assert.equal(xml.statusCode, 403);
      assert.match(xml.body, /<errors type="array"><error>Your IP address 198\.51\.100\.7 is not allowed\.<\/error><\/errors>/);
      const basic = await acme.server.app.inject({ method: 'GET', url: '/projects.json', remoteAddress: OUTSIDER, headers: { host: 'acme.localhost', authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}` } });
      assert.equal(basic.statusCode, 403);

      // Signing in: the form cannot even be posted from outside (the token comes from an allowed address).
      const visitor = new Browser(acme.server.app, 'acme.localhost', { remoteAddress: '203.0.113.40' });
      const token = await visitor.formToken('/login');
      visitor.from = { remoteAddress: OUTSIDER };
      const signIn = await visitor.request('POST', '/login', { username: 'admin', password: 'admin-password', authenticity_token: token });
      assert.equal(signIn.statusCode, 403);
      assert.equal(signIn.cookies.length, 0, 'no session was started');

      // A session opened inside the office is no use outside it.
      const travelling = new Browser(acme.server.app, 'acme.localhost', { remoteAddress: '203.0.113.41' });
      assert.equal((await travelling.signIn('jsmith', 'jsmith-password')).statusCode, 302);
      travelling.from = { remoteAddress: OUTSIDER };
      assert.equal((await travelling.request('GET', '/my/page')).statusCode, 403);
    });

    test('routes without a tenant are not filtered: health checks and the built assets', async () => {
      assert.equal((await from(OUTSIDER, '/healthz')).statusCode, 200);
      assert.equal((await from(OUTSIDER, '/favicon.ico')).statusCode, 204);
      // The refusal page links the stylesheet, so a refused browser can still load it.
      assert.equal((await from(OUTSIDER, '/stylesheets/application.css')).statusCode, 200);
    });

    test('listed addresses get in: IPv4, IPv6, and IPv4 seen through a dual-stack socket', async () => {
      for (const address of ['203.0.113.77', '2001:db8:1:ff::5', '::ffff:203.0.113.77']) {
        assert.equal((await from(address, '/login')).statusCode, 200, address);
        const api = await from(address, '/issues.json', { 'x-redmine-api-key': apiKey });
        assert.equal(api.statusCode, 200, `${address}: ${api.body}`);
      }
    });

    test('X-Forwarded-For from an untrusted peer is ignored', async () => {
      const spoofed = await from(OUTSIDER, '/login', { 'x-forwarded-for': '203.0.113.77' });
      assert.equal(spoofed.statusCode, 403);
      assert.match(spoofed.body, /Your IP address 198\.51\.100\.7 is not allowed/);
      assert.equal((await from(OUTSIDER, '/login', { 'x-forwarded-for': '::ffff:203.0.113.77' })).statusCode, 403);
    });

    test('through trusted proxies the client address counts: right to left, a forged left-most hop unread', async () => {
      assert.equal((await from('10.0.0.5', '/login', { 'x-forwarded-for': '203.0.113.77' })).statusCode, 200);
      assert.equal((await from('::ffff:10.0.0.5', '/login', { 'x-forwarded-for': '::ffff:203.0.113.77' })).statusCode, 200, 'IPv4-mapped proxy and hop');
      assert.equal((await from('10.0.0.5', '/login', { 'x-forwarded-for': '198.51.100.1, 203.0.113.77, 10.0.0.9' })).statusCode, 200, 'two proxies, a forged hop on the left');
      const outside = await from('10.0.0.5', '/login', { 'x-forwarded-for': '203.0.113.77, 198.51.100.8' });
      assert.equal(outside.statusCode, 403, 'a forged allowed address left of the real client does not help');
      assert.match(outside.body, /Your IP address 198\.51\.100\.8 is not allowed/);
      const malformed = await from('10.0.0.5', '/login', { 'x-forwarded-for': 'not-an-address' });
      assert.equal(malformed.statusCode, 403, 'a malformed header: the proxy itself is the client');
      assert.match(malformed.body, /Your IP address 10\.0\.0\.5 is not allowed/);
    });

    test('rejections are audited once per address and window, with the request that opened it', async () => {
      const address = '198.51.100.99';
      for (let i = 0; i < 5; i++) {
        assert.equal((await from(address, `/projects?page=${i}`)).statusCode, 403);
      }
      const rows = (await auditRows('ip_filter.reject')).filter((row) => row.ip === address);
      assert.deepEqual(rows, [{ actor_name: 'anonymous', ip: address, target_type: null, target_name: '', details: { method: 'GET', path: '/projects', repeats: 0 } }]);

      // A dual-stack socket's IPv4 peer is recorded and named as the IPv4 address it is.
      const mapped = await from('::ffff:198.51.100.98', '/login');
      assert.match(mapped.body, /Your IP address 198\.51\.100\.98 is not allowed/);
      assert.equal((await auditRows('ip_filter.reject')).filter((row) => row.ip === '198.51.100.98').length, 1);
    });

    test("the operator's support address is let in, and its use audited", async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await from(SUPPORT, '/login')).statusCode, 200);
      }
      const rows = await auditRows('ip_filter.support_access');
      assert.deepEqual(rows.map((row) => [row.ip, (row.details as { path: string }).path]), [[SUPPORT, '/login']]);
      assert.deepEqual((await auditRows('ip_filter.reject')).filter((row) => row.ip === SUPPORT), []);
    });

    test('an administrator outside the list is refused like anyone; emptying the list lifts the restriction', async () => {
      admin.from = { remoteAddress: OUTSIDER };
      assert.equal((await admin.request('GET', '/admin/ip_filter')).statusCode, 403);
      admin.from = { remoteAddress: ADMIN_AT };
      inbox.clear();
      const cleared = await admin.post('/admin/ip_filter', { allowed_ips: '# nobody for now' });
      assert.equal(cleared.statusCode, 303, cleared.body);
      assert.equal(await stored(), '# nobody for now');
      assert.equal((await from(OUTSIDER, '/login')).statusCode, 200);
      const updates = await auditRows('ip_filter.update');
      assert.deepEqual(updates.at(-1)?.details, { from: STORED_LIST, to: '# nobody for now' });
      await inbox.waitFor(2);
      assert.match(inbox.to('admin@acme.test')[0]!.text, /Removed:\n {2}203\.0\.113\.0\/24 # head office/);
    });
  });
}
