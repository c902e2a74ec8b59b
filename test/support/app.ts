/** An app over a real platform (no listening socket), and a browser-like client for inject(). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '#src/app/build-app.ts';
import { loadConfig } from '#src/config/config.ts';
import { createLogger } from '#src/logging/logger.ts';
import { openPlatform, type Platform } from '#src/platform/platform.ts';
import { createTenant, getTenant } from '#src/platform/tenant.service.ts';
import type { Engine } from '#src/db/database.ts';
import type { Clock } from '#src/http/clock.ts';
import { createTestEnvironment, type TestEnvironment } from './engines.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly platform: Platform;
  close(): Promise<void>;
}

/** `clock`: the app's time (default the system's); a test moves it to make sessions and tokens expire. */
export async function startTestApp(env: Record<string, string>, options: { clock?: Clock } = {}): Promise<TestApp> {
  // Sudo mode off unless a test asks for it (KANRI_SUDO_MODE: '1'): the other tests post to protected
  // routes and test their own feature, not the password prompt (test/pages/sudo.test.ts does).
  const platform = await openPlatform(loadConfig({ KANRI_SUDO_MODE: '0', ...env }));
  const app = await buildApp({ platform, logger: createLogger('silent'), tenantCacheMillis: 0, ...(options.clock ? { clock: options.clock } : {}) });
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

type Form = Readonly<Record<string, string | readonly string[]>>;

/** Keeps cookies per host like a browser, and signs in through the login form. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly #app: FastifyInstance;
  readonly #host: string;
  /** Where the requests come from: the socket peer (inject's default 127.0.0.1) and headers a proxy adds. */
  from: { remoteAddress?: string; headers?: Readonly<Record<string, string>> };

  constructor(app: FastifyInstance, host: string, from: Browser['from'] = {}) {
    this.#app = app;
    this.#host = host;
    this.from = from;
  }

  /**
   * Posts a form as multipart, the way a browser sends one with file inputs: the fields (with this
   * browser's authenticity_token unless `withToken` is false), then the files as
   * `[field name, file name, content]`.
   */
  async postMultipart(url: string, fields: Form, files: readonly (readonly [string, string, string])[] = [], withToken = true): Promise<LightMyRequestResponse> {
    this.#token ??= await this.formToken('/login').catch(() => this.formToken('/'));
    const boundary = `----kanri${randomUUID()}`;
    const chunks: Buffer[] = [];
    for (const [name, value] of Object.entries(withToken ? { authenticity_token: this.#token, ...fields } : fields)) {
      for (const one of typeof value === 'string' ? [value] : value) {
        chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${one}\r\n`));
      }
    }
    for (const [name, filename, content] of files) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    const response = await this.#app.inject({
      method: 'POST',
      url,
      headers: { ...this.from.headers, host: this.#host, cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      ...(this.from.remoteAddress ? { remoteAddress: this.from.remoteAddress } : {}),
      payload: Buffer.concat(chunks),
    });
    this.#keepCookies(response);
    return response;
  }

  /** A form's fields: repeated names (`ids[]`, `f[]`) take a list. */
  async request(method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string | readonly string[]>>): Promise<LightMyRequestResponse> {
    const response = await this.#app.inject({
      method,
      url,
      headers: {
        ...this.from.headers,
        host: this.#host,
        cookie: this.cookieHeader(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(this.from.remoteAddress ? { remoteAddress: this.from.remoteAddress } : {}),
      ...(form ? { payload: formBody(form) } : {}),
    });
    this.#keepCookies(response);
    return response;
  }

  #keepCookies(response: LightMyRequestResponse): void {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) {
        this.cookies.delete(c.name);
      } else {
        this.cookies.set(c.name, c.value);
      }
    }
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request('GET', url);
  }

  /** The Cookie header this browser sends, for a request a test builds itself (multipart, XHR). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The authenticity_token of the form on `url`. */
  async formToken(url = '/login'): Promise<string> {
    const page = await this.request('GET', url);
    const match = /name="authenticity_token" value="([^"]+)"/.exec(page.body);
    if (!match?.[1]) {
      throw new Error(`no authenticity_token on ${url} (status ${page.statusCode})`);
    }
    return match[1];
  }

  async signIn(username: string, password: string): Promise<LightMyRequestResponse> {
    // The token is bound to the CSRF cookie, not to the session: later posts reuse it (a page such as
    // the forced password change may keep a signed-in browser from reaching any other form).
    this.#token = await this.formToken('/login');
    return this.request('POST', '/login', { username, password, authenticity_token: this.#token, back_url: '/' });
  }

  /** Posts a form the way a page would: with this browser's authenticity_token. */
  async post(url: string, form: Readonly<Record<string, string | readonly string[]>> = {}): Promise<LightMyRequestResponse> {
    // The token belongs to the browser's CSRF cookie, not to the session: any page's form has it.
    this.#token ??= await this.formToken('/login').catch(() => this.formToken('/'));
    return this.request('POST', url, { authenticity_token: this.#token, ...form });
  }

  #token: string | undefined;

  /** The signed-in user's name shown in the page header, or undefined when anonymous. */
  async whoAmI(): Promise<string | undefined> {
    const page = await this.request('GET', '/');
    return /id="loggedas">[^<]*<a [^>]*>([^<]+)<\/a>/.exec(page.body)?.[1];
  }
}

function formBody(form: Readonly<Record<string, string | readonly string[]>>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of typeof value === 'string' ? [value] : value) {
      body.append(name, one);
    }
  }
  return body.toString();
}

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** HTTP Basic credentials; test users' passwords are `<login>-password` unless said otherwise. */
export function basicAuth(login: string, password = `${login}-password`): string {
  return 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');
}

/**
 * A REST client on one tenant host: `call(method, url, as, body, contentType)` signs in as `as` (or
 * calls anonymously), sends objects as JSON and strings as they are. `server` is read at call time.
 */
export function apiCaller(server: () => TestApp, host = 'acme.localhost') {
  return (method: HttpVerb, url: string, as: string | undefined, body?: unknown, contentType = 'application/json') =>
    server().app.inject({
      method,
      url,
      headers: { host, ...(as ? { authorization: basicAuth(as) } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
}

/** Runs one statement in a tenant's database, for arranging data and checking what was stored. */
export function tenantSql(server: () => TestApp, account = 'acme') {
  return async (text: string, params: unknown[] = []) => {
    const { platform } = server();
    const tenant = await getTenant(platform, account);
    return platform.tenantDatabases.use(tenant, (db) => db.query<Record<string, unknown>>(text, params));
  };
}

/**
 * A fresh deployment on `engine` with tenant `acme` (administrator `admin`, password `admin-password`;
 * REST API on unless `restApi: false`), served by a test app. The tenant is provisioned in this
 * process by the same service `kanri tenant create` calls (the CLI has tests of its own), which
 * spares every test file a Node start-up.
 */
export async function startAcme(
  engine: Engine,
  /** `extraEnv`: more configuration for the app (TRUSTED_PROXIES, SMTP_URL…); `env.env` stays without it. */
  options: { restApi?: boolean; extraEnv?: Record<string, string>; clock?: Clock } = {},
): Promise<{ env: TestEnvironment; server: TestApp }> {
  const env = await createTestEnvironment(engine, { migratedPlatform: true });
  const server = await startTestApp({ ...env.env, ...options.extraEnv }, options.clock ? { clock: options.clock } : {});
  await createTenant(server.platform, {
    account: 'acme',
    language: 'en',
    adminEmail: 'admin@acme.test',
    adminPassword: 'admin-password',
    restApi: options.restApi !== false,
    actor: 'cli',
  });
  return { env, server };
}
