/**
 * The `pages` suite: how long the server takes to render the two pages users open most, against the
 * real server (`kanri serve` in its own process) — the issue list (25 rows, 8 columns, of a project
 * with 10,000 issues) and an issue page with 50 journals — one request at a time over a keep-alive
 * connection as a signed-in administrator, so each number is one page's whole server time (session,
 * permissions, queries, render). Also the JavaScript each page ships, gzip-compressed.
 *
 * Numbers only: the issue's targets (median ≤ 15 ms and ≤ 25 ms on PostgreSQL; ≤ 60 KB of JS) are
 * printed beside them, never enforced.
 */
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from '#src/config/config.ts';
import type { Engine } from '#src/db/database.ts';
import { openPlatform } from '#src/platform/platform.ts';
import { getTenant } from '#src/platform/tenant.service.ts';
import { createBenchDeployment, postgresUnavailable } from './deployment.ts';
import { runKanri, startKanriServer, type KanriServer } from './kanri-process.ts';
import { median, percentile } from './measure.ts';
import { seedIssues, type SeededData } from './issues-seed.ts';
import { progress, reasonOf, track, wasInterrupted } from './session.ts';

const ACCOUNT = 'pages-bench';
const HOST = `${ACCOUNT}.localhost`;
const ADMIN_PASSWORD = 'bench-admin-password';
const JOURNALS = 50;
/** Redmine's default columns and two more: 8 columns. */
const LIST_COLUMNS = ['tracker', 'status', 'priority', 'subject', 'assigned_to', 'updated_on', 'author', 'due_date'];

export interface PagesBenchOptions {
  /** Requests measured per page (after 20 not counted). */
  readonly requests: number;
}

export interface PageResult {
  readonly name: 'issue-list' | 'issue-page';
  readonly path: string;
  readonly targetMedianMs: number;
  readonly medianMs: number | undefined;
  readonly p90Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly htmlBytes: number;
  /** The page's scripts, gzip-compressed, in bytes. */
  readonly scriptGzipBytes: number;
  readonly failures: number;
}

export type PagesEngineReport =
  | { readonly engine: Engine; readonly status: 'measured'; readonly pages: readonly PageResult[] }
  | { readonly engine: Engine; readonly status: 'skipped' | 'failed'; readonly reason: string };

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function fetchPage(port: number, agent: Agent, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { host: HOST, ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** name=value pairs of the Set-Cookie headers, merged into `jar`. */
function keepCookies(jar: Map<string, string>, answer: Answer): void {
  const set = answer.headers['set-cookie'] ?? [];
  for (const line of Array.isArray(set) ? set : [set]) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn(port: number, agent: Agent): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const form = await fetchPage(port, agent, 'GET', '/login', {});
  keepCookies(jar, form);
  const token = /name="authenticity_token" value="([^"]+)"/.exec(form.body)?.[1];
  if (!token) {
    throw new Error(`no sign-in form (status ${form.status})`);
  }
  const body = new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD, authenticity_token: token, back_url: '/' }).toString();
  const signed = await fetchPage(port, agent, 'POST', '/login', { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, body);
  keepCookies(jar, signed);
  if (signed.status !== 302 || !jar.has('kanri_sid')) {
    throw new Error(`sign-in failed (status ${signed.status})`);
  }
  return jar;
}

/** 50 journals on the issue: notes with a bit of formatting, each with two property changes. */
async function addJournals(data: SeededData, issueId: number, env: Record<string, string>, dataDir: string): Promise<void> {
  const platform = await openPlatform(loadConfig(env, dataDir));
  try {
    const tenant = await getTenant(platform, ACCOUNT);
    await platform.tenantDatabases.use(tenant, async (db) => {
      const [admin] = await db.query<{ id: number }>(`SELECT id FROM users WHERE login = 'admin'`);
      const authors = [admin!.id, ...data.users.map((u) => u.id)];
      const notes = Array.from({ length: JOURNALS }, (_, k) => `Update ${k + 1}: **checked** the logs, see #${issueId + k + 1}.\n\n- first point\n- second point with \`code\``);
      await db.query(
        `WITH made AS (
           INSERT INTO journals (journalized_id, journalized_type, user_id, notes, created_on, updated_on, private_notes)
           SELECT $1, 'Issue', ($2::int[])[1 + k % cardinality($2::int[])], ($3::text[])[k],
                  timezone('UTC', now()) - (60 - k) * interval '1 hour', timezone('UTC', now()) - (60 - k) * interval '1 hour', FALSE
             FROM generate_series(1, cardinality($3::text[])) k
           RETURNING id)
         INSERT INTO journal_details (journal_id, property, prop_key, old_value, value)
         SELECT id, 'attr', 'done_ratio', '10', '20' FROM made
         UNION ALL SELECT id, 'attr', 'status_id', '1', '2' FROM made`,
        [issueId, authors, notes],
      );
    });
  } finally {
    await platform.close();
  }
}

async function measurePage(
  port: number,
  agent: Agent,
  jar: Map<string, string>,
  name: PageResult['name'],
  path: string,
  targetMedianMs: number,
  options: PagesBenchOptions,
): Promise<PageResult> {
  const headers = { cookie: cookieHeader(jar), accept: 'text/html' };
  const first = await fetchPage(port, agent, 'GET', path, headers);
  if (first.status !== 200) {
    throw new Error(`${path} answered ${first.status}`);
  }
  // The list remembers its query (a cookie), so the issue page measured next computes its previous/next links, as a browser's would.
  keepCookies(jar, first);
  let scriptGzipBytes = 0;
  for (const [, src] of first.body.matchAll(/<script src="([^"]+)"/g)) {
    const script = await fetchPage(port, agent, 'GET', src!, {});
    scriptGzipBytes += gzipSync(script.body).length;
  }
  for (let i = 0; i < 20; i++) {
    await fetchPage(port, agent, 'GET', path, headers);
  }
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i < options.requests; i++) {
    const started = process.hrtime.bigint();
    const answer = await fetchPage(port, agent, 'GET', path, headers);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    failures += answer.status === 200 ? 0 : 1;
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    path,
    targetMedianMs,
    medianMs: median(samples),
    p90Ms: percentile(samples, 90),
    p99Ms: percentile(samples, 99),
    htmlBytes: Buffer.byteLength(first.body),
    scriptGzipBytes,
    failures,
  };
}

export async function benchPagesEngine(engine: Engine, options: PagesBenchOptions): Promise<PagesEngineReport> {
  if (engine === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      return { engine, status: 'skipped', reason: unavailable };
    }
  }
  const deployment = await createBenchDeployment(engine);
  const untrack = track(deployment);
  let server: KanriServer | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { env, dataDir } = deployment;
    progress(`${engine}: kanri tenant create ${ACCOUNT}`);
    const created = await runKanri(env, dataDir, ['tenant', 'create', ACCOUNT, '--admin-email', `admin@${ACCOUNT}.example.com`, '--admin-password-file', '-'], `${ADMIN_PASSWORD}\n`);
    if (created.code !== 0) {
      throw new Error(`kanri tenant create failed (exit ${created.code}): ${created.err || created.out}`);
    }
    progress(`${engine}: seeding 10,000 issues and an issue with ${JOURNALS} journals`);
    const platform = await openPlatform(loadConfig(env, dataDir));
    let data: SeededData;
    try {
      data = await platform.tenantDatabases.use(await getTenant(platform, ACCOUNT), (db) => seedIssues(db, { issues: 10_000, users: 50, showIssues: 10 }));
    } finally {
      await platform.close();
    }
    const issueId = data.showIssueIds[0]!;
    await addJournals(data, issueId, env, dataDir);
    server = await startKanriServer({ ...env, LOG_LEVEL: 'info' }, dataDir, join(dataDir, 'server.log'));
    const jar = await signIn(server.port, agent);
    const listPath = `/projects/${data.projectIdentifier}/issues?set_filter=1&f[]=status_id&op[status_id]=o&${LIST_COLUMNS.map((c) => `c[]=${c}`).join('&')}&sort=priority:desc,updated_on:desc&per_page=25`;
    const pages: PageResult[] = [];
    for (const [name, path, target] of [
      ['issue-list', listPath, 15],
      ['issue-page', `/issues/${issueId}`, 25],
    ] as const) {
      if (wasInterrupted()) {
        throw new Error('interrupted');
      }
      progress(`${engine}: ${name}: ${options.requests} requests one at a time`);
      pages.push(await measurePage(server.port, agent, jar, name, path, target, options));
    }
    return { engine, status: 'measured', pages };
  } catch (error) {
    progress(`${engine}: failed: ${reasonOf(error)}`);
    return { engine, status: 'failed', reason: reasonOf(error) };
  } finally {
    agent.destroy();
    await server?.stop().catch(() => {});
    await deployment.cleanup().catch((error: unknown) => progress(`${engine}: cleanup failed: ${reasonOf(error)}`));
    untrack();
  }
}
