/**
 * The tenant's application log (security.md §11): every request to a tenant's host leaves one JSON line
 * (time, request id, client address, user, method, filtered path, status, duration, user agent) in that
 * tenant's own day file; a crafted login stays on its line; no password, code, API key, session id or
 * reset token reaches any log file or audit row. Administrators download a range of the last 5 months
 * from Administration → Audit trail (audited); older ranges are refused naming the allowed range; other
 * users are refused; another tenant's administrator gets their own tenant's lines only.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTenant } from '#src/platform/tenant.service.ts';
import { applicationLogDir, utcDay } from '#src/logging/application-log.ts';
import { allowedLogRange } from '#src/features/audit/application-log.service.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, Browser, tenantSql } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

const IP = '203.0.113.44';
const AGENT = 'KanriLogTest/1.0';
const FORGED_LOGIN = "x\r\nFailed login for 'admin'";
const DAY_MILLIS = 86_400_000;

interface LogLine {
  readonly time: string;
  readonly reqId: string;
  readonly ip: string;
  readonly userId: number | null;
  readonly login: string | null;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly responseTime: number;
  readonly userAgent: string;
  readonly msg: string;
}

/** Every line of a download; each must be a JSON object on its own. */
function linesOf(body: string): LogLine[] {
  assert.ok(body.endsWith('\n'), 'the download ends with a whole line');
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine);
}

/** The text of every file under a tenant's log folder. */
async function logFilesText(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).join('');
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`application log (${engine})`, { skip }, () => {
    let now = new Date();
    const acme = acmeWorld(engine, { clock: () => now });
    const { sql } = acme;
    const userId = async (login: string) => Number((await sql('SELECT id FROM users WHERE login = $1', [login]))[0]?.id);
    const betaSql = tenantSql(() => acme.server, 'beta');
    const today = () => utcDay(now);
    const daysAgo = (days: number) => utcDay(new Date(now.getTime() - days * DAY_MILLIS));
    const browser = (host = 'acme.localhost') => new Browser(acme.server.app, host, { remoteAddress: IP, headers: { 'user-agent': AGENT } });
    const logDir = (account: string) => applicationLogDir(acme.server.platform.config.dataDir, account);
    const downloads = async () => (await sql("SELECT actor_name, ip, details FROM audit_events WHERE event = 'log.download' ORDER BY id")).map((row) => ({ ...row }));

    /** Secrets sent in this file's requests: none may reach a log file or an audit row. */
    const secrets: Record<string, string> = {
      password: 'admin-password',
      wrongPassword: `Wr0ng-${randomBytes(6).toString('hex')}`,
      totp: '918273',
      backupCode: 'zq7xk3m9p2w4',
      resetToken: randomBytes(32).toString('base64url'),
    };
    let admin: Browser;
    let jsmith: Browser;
    let betaAdmin: Browser;
    let acmeDownload: LightMyRequestResponse;

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith']]);
      await createTenant(acme.server.platform, { account: 'beta', language: 'en', adminEmail: 'admin@beta.test', adminPassword: 'admin-password', restApi: true, actor: 'cli' });

      admin = browser();
      assert.equal((await admin.signIn('admin', secrets.password!)).statusCode, 302);
      const sessionId = [...admin.cookies].find(([name]) => name.includes('kanri_sid'))?.[1];
      assert.ok(sessionId && sessionId.length >= 20, 'the session cookie');
      secrets.sessionId = sessionId;
      // A second browser of jsmith's signs out: its line still names who it was.
      const leaving = browser();
      assert.equal((await leaving.signIn('jsmith', 'jsmith-password')).statusCode, 302);
      assert.equal((await leaving.post('/logout')).statusCode, 302);
      jsmith = browser();
      assert.equal((await jsmith.signIn('jsmith', 'jsmith-password')).statusCode, 302);
      betaAdmin = browser('beta.localhost');
      assert.equal((await betaAdmin.signIn('admin', 'admin-password')).statusCode, 302);
      assert.equal((await betaAdmin.get('/my/page?marker=beta-only')).statusCode, 200);

      // A failed sign-in whose login tries to forge a line, carrying codes the way a 2FA form would.
      const stranger = browser();
      const token = await stranger.formToken('/login');
      const failed = await stranger.request('POST', '/login', {
        authenticity_token: token,
        username: FORGED_LOGIN,
        password: secrets.wrongPassword!,
        twofa_code: secrets.totp!,
        backup_code: secrets.backupCode!,
      });
      assert.equal(failed.statusCode, 200);
      // A reset link's token in the query string.
      await stranger.get(`/account/lost_password?token=${secrets.resetToken}`);

      // jsmith's API key, then requests authenticated by it (query string and header).
      const current = await acme.server.app.inject({ url: '/users/current.json', headers: { host: 'acme.localhost', authorization: basicAuth('jsmith') } });
      const apiKey = current.json<{ user: { api_key: string } }>().user.api_key;
      assert.match(apiKey, /^[0-9a-f]{40}$/);
      secrets.apiKey = apiKey;
      const byQuery = await acme.server.app.inject({ url: `/projects.json?key=${apiKey}&limit=1`, remoteAddress: IP, headers: { host: 'acme.localhost' } });
      assert.equal(byQuery.statusCode, 200);
      const byHeader = await acme.server.app.inject({ url: '/issues.json?marker=acme-only', headers: { host: 'acme.localhost', 'x-redmine-api-key': apiKey, 'x-request-id': 'trace-acme-1' } });
      assert.equal(byHeader.statusCode, 200);

      // HTTP Basic with a wrong password, and with something shaped like an API key.
      const wrongBasic = await acme.server.app.inject({ url: '/issues.json?marker=basic-login', headers: { host: 'acme.localhost', authorization: basicAuth('jsmith', 'not-it') } });
      assert.equal(wrongBasic.statusCode, 401);
      const keyShaped = await acme.server.app.inject({ url: '/issues.json?marker=basic-key', headers: { host: 'acme.localhost', authorization: basicAuth('ab'.repeat(20), 'x') } });
      assert.equal(keyShaped.statusCode, 401);

      acmeDownload = await admin.get(`/admin/application_log?from=${daysAgo(1)}&to=${today()}`);
    });

    test('the audit trail page offers the download of the last 7 days', async () => {
      const page = await admin.get('/admin/audit');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<form method="get" action="\/admin\/application_log" id="application-log">/);
      assert.ok(page.body.includes(`name="from" id="log_from" value="${daysAgo(6)}"`), 'from: 6 days ago');
      assert.ok(page.body.includes(`name="to" id="log_to" value="${today()}"`), 'to: today');
    });

    test("the download holds one JSON line per request of acme, with the fields, and acme's lines only", async () => {
      assert.equal(acmeDownload.statusCode, 200, acmeDownload.body);
      assert.equal(acmeDownload.headers['content-type'], 'application/x-ndjson; charset=utf-8');
      assert.equal(acmeDownload.headers['content-disposition'], `attachment; filename="application-log-acme-${daysAgo(1)}-${today()}.jsonl"`);
      assert.equal(acmeDownload.headers['cache-control'], 'no-store');
      const lines = linesOf(acmeDownload.body);
      assert.ok(lines.length >= 10, `every request is there (${lines.length})`);
      for (const line of lines) {
        assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC');
        assert.equal(typeof line.reqId, 'string');
        assert.equal(typeof line.responseTime, 'number');
        assert.equal(line.msg, 'request completed');
      }
      assert.ok(!acmeDownload.body.includes('beta-only'), "no line of beta's");

      const signIn = lines.find((line) => line.method === 'POST' && line.url === '/login' && line.login === 'admin');
      assert.ok(signIn, 'the sign-in, with the user it signed in');
      assert.equal(signIn.status, 302);
      assert.equal(signIn.userId, await userId('admin'));
      assert.equal(signIn.ip, IP);
      assert.equal(signIn.userAgent, AGENT);

      const failed = lines.find((line) => line.method === 'POST' && line.url === '/login' && line.userId === null);
      assert.ok(failed, 'the failed sign-in');
      assert.equal(failed.login, FORGED_LOGIN, 'the login it named, whole');
      assert.equal(failed.status, 200);
      const raw = acmeDownload.body.split('\n');
      assert.ok(!raw.some((line) => line.startsWith('Failed login')), 'the login forged no line');
      assert.ok(raw.some((line) => line.includes('"login":"x\\r\\nFailed login for \'admin\'"')), 'CR and LF are escaped');

      const logout = lines.find((line) => line.method === 'POST' && line.url === '/logout');
      assert.deepEqual([logout?.login, logout?.userId, logout?.status], ['jsmith', await userId('jsmith'), 302], 'the sign-out, with the user it signed out');

      const basicLine = (marker: string) => lines.find((line) => line.url === `/issues.json?marker=${marker}`);
      assert.deepEqual([basicLine('basic-login')?.login, basicLine('basic-login')?.userId, basicLine('basic-login')?.status], ['jsmith', null, 401], 'a failed Basic request names its login');
      assert.equal(basicLine('basic-key')?.login, null, 'but never something shaped like a key');

      const reset = lines.find((line) => line.url.startsWith('/account/lost_password?'));
      assert.equal(reset?.url, '/account/lost_password?token=[FILTERED]');
      const byQuery = lines.find((line) => line.url.startsWith('/projects.json'));
      assert.deepEqual([byQuery?.url, byQuery?.login, byQuery?.userId, byQuery?.status], ['/projects.json?key=[FILTERED]&limit=1', 'jsmith', await userId('jsmith'), 200]);
      const byHeader = lines.find((line) => line.reqId === 'trace-acme-1');
      assert.deepEqual([byHeader?.url, byHeader?.login, byHeader?.method, byHeader?.ip], ['/issues.json?marker=acme-only', 'jsmith', 'GET', '127.0.0.1']);
    });

    test('each download is audited with its range', async () => {
      const rows = await downloads();
      assert.equal(rows.length, 1);
      assert.deepEqual(rows[0], { actor_name: 'admin', ip: IP, details: { from: daysAgo(1), to: today() } });
    });

    test('a range reaching before the last 5 months is refused naming the allowed range, and not audited', async () => {
      const allowed = allowedLogRange(now);
      const sixMonthsAgo = new Date(now);
      sixMonthsAgo.setUTCMonth(sixMonthsAgo.getUTCMonth() - 6);
      const refused = await admin.get(`/admin/application_log?from=${utcDay(sixMonthsAgo)}&to=${today()}`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.headers['content-type'] ?? '', /text\/html/);
      assert.ok(refused.body.includes(`The application log can be downloaded for dates from ${allowed.from} to ${allowed.to} only`), refused.body);
      assert.ok(refused.body.includes(`name="from" id="log_from" value="${utcDay(sixMonthsAgo)}"`), 'the form keeps the range asked');
      const tooFarAhead = await admin.get(`/admin/application_log?from=${today()}&to=${utcDay(new Date(now.getTime() + DAY_MILLIS))}`);
      assert.equal(tooFarAhead.statusCode, 422);
      const reversed = await admin.get(`/admin/application_log?from=${today()}&to=${daysAgo(1)}`);
      assert.equal(reversed.statusCode, 422);
      assert.match(reversed.body, /The end date must not be before the start date/);
      const notADate = await admin.get('/admin/application_log?from=2026-02-30');
      assert.equal(notADate.statusCode, 422);
      assert.match(notADate.body, /From is not a valid date/);
      // The first day allowed is fine.
      assert.equal((await admin.get(`/admin/application_log?from=${allowed.from}&to=${allowed.from}`)).statusCode, 200);
      assert.deepEqual(
        (await downloads()).map((row) => (row.details as { from: string }).from),
        [daysAgo(1), allowed.from],
      );
    });

    test('the download is for administrators only', async () => {
      const before = (await downloads()).length;
      assert.equal((await jsmith.get(`/admin/application_log?from=${today()}&to=${today()}`)).statusCode, 403);
      const anonymous = await browser().get(`/admin/application_log?from=${today()}&to=${today()}`);
      assert.notEqual(anonymous.statusCode, 200);
      assert.ok(!anonymous.body.includes('request completed'));
      const api = await acme.server.app.inject({ url: `/admin/application_log?from=${today()}&to=${today()}`, headers: { host: 'acme.localhost', authorization: basicAuth('jsmith') } });
      assert.notEqual(api.statusCode, 200);
      assert.equal((await downloads()).length, before, 'nothing audited');
    });

    test("beta's administrator gets beta's lines only, and cannot reach acme's", async () => {
      const own = await betaAdmin.get(`/admin/application_log?from=${today()}&to=${today()}`);
      assert.equal(own.statusCode, 200);
      const lines = linesOf(own.body);
      assert.ok(lines.some((line) => line.url === '/my/page?marker=beta-only'));
      assert.ok(!own.body.includes('acme-only') && !own.body.includes(FORGED_LOGIN.slice(3)), "none of acme's lines");
      const betaAudit = await betaSql("SELECT details FROM audit_events WHERE event = 'log.download'");
      assert.equal(betaAudit.length, 1, "audited in beta's trail");

      // beta's session means nothing on acme's host.
      const intruder = browser();
      for (const [name, value] of betaAdmin.cookies) {
        intruder.cookies.set(name, value);
      }
      const stolen = await intruder.get(`/admin/application_log?from=${today()}&to=${today()}`);
      assert.notEqual(stolen.statusCode, 200);
      assert.ok(!stolen.body.includes('request completed'));
      assert.ok(!(await logFilesText(logDir('beta'))).includes('acme-only'), "beta's file holds none of acme's lines");
    });

    test('a line goes to the file of its UTC day; a range reads the days it covers', async () => {
      const real = now;
      now = new Date(real.getTime() - 20 * DAY_MILLIS);
      try {
        assert.equal((await browser().get('/login?marker=twenty-days-ago')).statusCode, 200);
      } finally {
        now = real;
      }
      await acme.server.app.applicationLog.flush('acme');
      assert.ok((await readdir(logDir('acme'))).includes(`${daysAgo(20)}.jsonl`));
      const covering = await admin.get(`/admin/application_log?from=${daysAgo(21)}&to=${daysAgo(19)}`);
      assert.deepEqual(linesOf(covering.body).map((line) => line.url), ['/login?marker=twenty-days-ago']);
      const notCovering = await admin.get(`/admin/application_log?from=${daysAgo(19)}&to=${today()}`);
      assert.ok(!notCovering.body.includes('twenty-days-ago'));
    });

    test('no password, code, API key, session id or reset token is in any log file or audit row', async () => {
      await acme.server.app.applicationLog.flush('acme');
      await acme.server.app.applicationLog.flush('beta');
      const files = (await logFilesText(logDir('acme'))) + (await logFilesText(logDir('beta')));
      assert.ok(files.includes('request completed'), 'the files were read');
      const audit = JSON.stringify([...(await sql('SELECT * FROM audit_events')), ...(await betaSql('SELECT * FROM audit_events'))]);
      assert.ok(audit.includes('log.download'), 'the trail was read');
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(!files.includes(secret), `${name} is not in the log files`);
        assert.ok(!audit.includes(secret), `${name} is not in the audit trail`);
      }
    });
  });
}
