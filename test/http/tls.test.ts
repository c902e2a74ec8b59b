/**
 * HTTPS (security requirements §1 "TLS" and "Headers", §9 no-store): the real `kanri serve` process
 * ending TLS with a self-signed certificate — protocol versions and cipher suites as `openssl
 * s_client` sees them, no renegotiation, HSTS and the security headers on an HTTPS answer, the
 * plain-HTTP listener's redirects; then, in process, X-Forwarded-Proto believed only from a trusted
 * proxy, KANRI_FORCE_HTTPS, and no-store on pages showing secrets and on API answers.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { HSTS } from '#src/http/security-headers.ts';
import { basicAuth, Browser, startAcme, startTestApp, type TestApp } from '../support/app.ts';
import { engineCases, type TestEnvironment } from '../support/engines.ts';
import { freePort, httpRequest, killServers, startServer, type ServerProcess } from '../support/server-process.ts';

const opensslMissing = spawnSync('openssl', ['version']).error ? 'openssl is not installed' : undefined;
if (opensslMissing) {
  process.stderr.write(`SKIPPED: TLS handshake tests: ${opensslMissing}\n`);
}

interface Handshake {
  /** s_client's exit code: 0 when the handshake succeeded. */
  readonly code: number | null;
  readonly output: string;
}

/** `openssl s_client` against the server; `input` is typed after the handshake (then end of input). */
function sClient(port: number, args: readonly string[], input = ''): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'acme.localhost', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    // Give the handshake a moment before typing (s_client reads commands such as `R` only after it).
    setTimeout(() => child.stdin.end(input), input ? 500 : 0);
  });
}

/** The protocol and suite s_client reports for a successful handshake. */
function negotiated(handshake: Handshake): string {
  return /New, (TLSv[\d.]+), Cipher is (\S+)/.exec(handshake.output)?.slice(1).join(' ') ?? '(no handshake)';
}

const cases = await engineCases();

for (const { engine, skip } of cases) {
  describe(`kanri serve with TLS_CERT_FILE and HTTP_REDIRECT_PORT (${engine})`, { skip: skip ?? opensslMissing }, () => {
    let dir: string;
    let env: TestEnvironment;
    let server: ServerProcess;
    let cert: Buffer;
    let redirectPort: number;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kanri-tls-'));
      const made = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=acme.localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { encoding: 'utf8' },
      );
      assert.equal(made.status, 0, made.stderr);
      cert = await readFile(join(dir, 'cert.pem'));
      // Tenant acme made in process, then served by the real command.
      const acme = await startAcme(engine);
      await acme.server.close();
      env = acme.env;
      redirectPort = await freePort();
      server = await startServer({
        ...env.env,
        TLS_CERT_FILE: join(dir, 'cert.pem'),
        TLS_KEY_FILE: join(dir, 'key.pem'),
        HTTP_REDIRECT_PORT: String(redirectPort),
      });
    });

    after(async () => {
      await server?.stop();
      await killServers();
      await env?.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    test('it says it serves HTTPS, and where plain HTTP goes', () => {
      assert.match(server.output(), new RegExp(`Kanri is running on https://127\\.0\\.0\\.1:${server.port}/`));
      assert.match(server.output(), new RegExp(`Plain HTTP on port ${redirectPort} redirects to HTTPS`));
    });

    test('TLS 1.0 and 1.1 are refused by the server; TLS 1.2 and 1.3 are spoken', async () => {
      // SECLEVEL=0 lets this OpenSSL offer the old protocols at all: the refusal seen is the server's.
      for (const old of ['-tls1', '-tls1_1']) {
        const attempt = await sClient(server.port, [old, '-cipher', 'DEFAULT@SECLEVEL=0']);
        assert.notEqual(attempt.code, 0, `${old} must fail:\n${attempt.output}`);
        assert.match(attempt.output, /alert protocol version|alert number 70/, `${old}: the server's protocol_version alert:\n${attempt.output}`);
      }
      const tls12 = await sClient(server.port, ['-tls1_2']);
      assert.equal(tls12.code, 0, tls12.output);
      assert.match(negotiated(tls12), /^TLSv1\.2 ECDHE-ECDSA-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
      assert.match(tls12.output, /Compression: NONE/);
      const tls13 = await sClient(server.port, ['-tls1_3']);
      assert.equal(tls13.code, 0, tls13.output);
      assert.match(negotiated(tls13), /^TLSv1\.3 TLS_/);
      // A client offering both gets 1.3.
      assert.match(negotiated(await sClient(server.port, [])), /^TLSv1\.3 /);
    });

    test('TLS 1.2 suites without ECDHE or without AEAD are refused', async () => {
      // With this EC key, RSA key exchange (the first two) could never be agreed; the ECDHE-ECDSA CBC
      // suites could (OpenSSL's defaults have them), so they are what the cipher list keeps out.
      for (const weak of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384']) {
        const attempt = await sClient(server.port, ['-tls1_2', '-cipher', weak]);
        assert.notEqual(attempt.code, 0, `${weak} must be refused:\n${attempt.output}`);
        assert.match(attempt.output, /alert handshake failure|alert number 40/, `${weak}:\n${attempt.output}`);
      }
      const strong = await sClient(server.port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-CHACHA20-POLY1305']);
      assert.equal(negotiated(strong), 'TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305', strong.output);
    });

    test('a TLS 1.2 client asking to renegotiate is refused', async () => {
      const attempt = await sClient(server.port, ['-tls1_2'], 'R\n');
      assert.match(attempt.output, /RENEGOTIATING/, attempt.output);
      // The client reports the server's no_renegotiation alert, and the connection ends.
      assert.match(attempt.output, /:no renegotiation:/, attempt.output);
      assert.notEqual(attempt.code, 0);
    });

    test('an HTTPS answer carries HSTS and the security headers; the sign-in page is not stored', async () => {
      const page = await httpRequest(server.port, 'acme.localhost', '/login', { ca: cert });
      assert.equal(page.status, 200);
      assert.equal(page.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const csp = String(page.headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'"]) {
        assert.ok(csp.split('; ').includes(directive), `${directive} in ${csp}`);
      }
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['referrer-policy'], 'same-origin');
      assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(page.headers['cache-control'], 'no-store');
      // Every answer, a refusal too.
      const unknown = await httpRequest(server.port, 'initech.localhost', '/', { ca: cert, servername: 'acme.localhost' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers['strict-transport-security'], HSTS);
    });

    test('the plain-HTTP listener sends every request to HTTPS, same host and path; health answers directly', async () => {
      const named = await httpRequest(redirectPort, `acme.localhost:${redirectPort}`, '/projects/x/issues?set_filter=1&f[]=status_id');
      assert.equal(named.status, 301);
      assert.equal(named.headers.location, `https://acme.localhost:${server.port}/projects/x/issues?set_filter=1&f[]=status_id`);
      assert.equal(named.headers['strict-transport-security'], undefined, 'never HSTS over plain HTTP');
      // A client that reached the default port is sent to the default HTTPS port.
      const bare = await httpRequest(redirectPort, 'ACME.localhost.', '/login', { method: 'POST', body: 'username=admin&password=x' });
      assert.equal(bare.status, 301);
      assert.equal(bare.headers.location, 'https://acme.localhost/login');
      assert.doesNotMatch(bare.body, /acme|login/i, 'nothing of the page');
      const health = await httpRequest(redirectPort, 'acme.localhost', '/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
      assert.equal((await httpRequest(redirectPort, 'localhost', '/readyz')).status, 200);
      // Only a host name goes into the Location header.
      assert.equal((await httpRequest(redirectPort, 'acme.localhost/evil', '/')).status, 404);
      // And the HTTPS port speaks nothing but TLS.
      await assert.rejects(httpRequest(server.port, 'acme.localhost', '/login'));
    });
  });
}

for (const { engine, skip } of cases) {
  describe(`X-Forwarded-Proto, KANRI_FORCE_HTTPS and no-store, in process (${engine})`, { skip }, () => {
    const PROXY = '10.1.2.3';
    const STRANGER = '203.0.113.9';
    let env: TestEnvironment;
    let server: TestApp | undefined;
    const get = (app: FastifyInstance, url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, remoteAddress, headers: { host: 'acme.localhost', ...headers } });

    before(async () => {
      const acme = await startAcme(engine, { extraEnv: { TRUSTED_PROXIES: '10.0.0.0/8' } });
      env = acme.env;
      server = acme.server;
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    test('HSTS when a trusted proxy says https; a forged X-Forwarded-Proto from anyone else is ignored', async () => {
      const app = server!.app;
      const proxied = await get(app, '/login', PROXY, { 'x-forwarded-proto': 'https' });
      assert.equal(proxied.statusCode, 200);
      assert.equal(proxied.headers['strict-transport-security'], HSTS);
      const forged = await get(app, '/login', STRANGER, { 'x-forwarded-proto': 'https' });
      assert.equal(forged.statusCode, 200);
      assert.equal(forged.headers['strict-transport-security'], undefined);
      const plain = await get(app, '/login', PROXY, { 'x-forwarded-proto': 'http' });
      assert.equal(plain.statusCode, 200, 'KANRI_FORCE_HTTPS is off by default');
      assert.equal(plain.headers['strict-transport-security'], undefined);
      assert.equal((await get(app, '/login', PROXY)).headers['strict-transport-security'], undefined);
    });

    test('pages showing secrets and password forms, and every API answer, are not stored', async () => {
      const browser = new Browser(server!.app, 'acme.localhost');
      assert.equal((await browser.request('GET', '/login')).headers['cache-control'], 'no-store');
      assert.equal((await browser.signIn('admin', 'admin-password')).statusCode, 302);
      for (const url of ['/my/api_key', '/my/password', '/my/account']) {
        const page = await browser.request('GET', url);
        assert.ok(page.statusCode < 500, `${url}: ${page.statusCode}`);
        assert.equal(page.headers['cache-control'], 'no-store', url);
      }
      const api = server!.app;
      const answers = [
        await api.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', authorization: basicAuth('admin', 'admin-password') } }),
        await api.inject({ method: 'GET', url: '/users/current.xml?include=memberships', headers: { host: 'acme.localhost', authorization: basicAuth('admin', 'admin-password') } }),
        await api.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost' } }),
        await api.inject({ method: 'GET', url: '/issues/999999.json', headers: { host: 'acme.localhost', authorization: basicAuth('admin', 'admin-password') } }),
        await api.inject({ method: 'GET', url: '/projects.json', headers: { host: 'initech.localhost' } }),
      ];
      assert.deepEqual(answers.map((a) => a.statusCode), [200, 200, 401, 404, 404]);
      for (const answer of answers) {
        assert.equal(answer.headers['cache-control'], 'no-store', answer.body);
      }
      assert.match(answers[0]!.body, /"api_key"/, 'the answer that most needs it');
    });

    test('KANRI_FORCE_HTTPS=1: plain HTTP through the proxy, or straight from a client, is sent to HTTPS', async () => {
      await server!.close();
      server = undefined;
      server = await startTestApp({ ...env.env, TRUSTED_PROXIES: '10.0.0.0/8', KANRI_FORCE_HTTPS: '1' });
      const app = server.app;
      const viaProxy = await get(app, '/issues?page=2', PROXY, { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'acme.localhost' });
      assert.equal(viaProxy.statusCode, 301);
      assert.equal(viaProxy.headers.location, 'https://acme.localhost/issues?page=2');
      assert.equal(viaProxy.headers['strict-transport-security'], undefined);
      assert.equal(viaProxy.headers['x-content-type-options'], 'nosniff', 'the redirect has the headers too');
      // A forged "https" from a stranger is plain HTTP all the same.
      const forged = await get(app, '/login', STRANGER, { 'x-forwarded-proto': 'https' });
      assert.equal(forged.statusCode, 301);
      assert.equal(forged.headers.location, 'https://acme.localhost/login');
      const secure = await get(app, '/login', PROXY, { 'x-forwarded-proto': 'https' });
      assert.equal(secure.statusCode, 200);
      assert.equal(secure.headers['strict-transport-security'], HSTS);
      // Probes talk plain HTTP to the process.
      assert.equal((await get(app, '/healthz', STRANGER)).statusCode, 200);
      assert.equal((await get(app, '/readyz', PROXY, { 'x-forwarded-proto': 'http' })).statusCode, 200);
    });
  });
}
