/**
 * `npm run bench`: three suites, each printing a table and, after it, one JSON line.
 *   tenants — what a tenant costs on each engine: the time to provision one, the disk and memory it
 *             takes while idle, and the time to open it again cold (tenants.suite.ts).
 *   issues  — the issue REST API under load: requests/s and p50/p99 latency of list, show, create
 *             and update against the real server, 10,000 issues in one project (issues.suite.ts).
 *   pages   — server-side render time of the issue list and an issue page with 50 journals, and the
 *             JavaScript a page ships (pages.suite.ts).
 * Numbers only: nothing here asserts a timing. PostgreSQL is the server at KANRI_BENCH_DATABASE_URL
 * (default postgres@127.0.0.1:5432) and is skipped, saying why, when it cannot be reached.
 *
 * Progress goes to stderr; stdout carries only the tables and the JSON lines. Options (after `--`):
 *   --suite=tenants|issues|pages   one suite only (default: all, in that order)
 *   --engine=pglite|postgres one engine only
 *   --duration=SECONDS       measured time per issue scenario (default 10)
 *   --warmup=SECONDS         unmeasured load before each issue scenario (default 2)
 *   --connections=N          concurrent keep-alive connections of the issue suite (default 16)
 *   --log-level=LEVEL        the issue suite server's LOG_LEVEL (default info, as in production)
 * KANRI_TENANT_POOL_MAX in the environment sets the tenant pool size of the issue suite's server.
 */
import { parseArgs } from 'node:util';
import type { Engine } from '#src/db/database.ts';
import { runIssuesSuite } from './issues.suite.ts';
import { runPagesSuite } from './pages.suite.ts';
import { cleanupAll, removeAllOnSignal, wasInterrupted } from './session.ts';
import { runTenantsSuite, type SuiteOutput } from './tenants.suite.ts';

const USAGE =
  'usage: npm run bench [-- --suite=tenants|issues|pages] [--engine=pglite|postgres] [--duration=S] [--warmup=S] ' +
  '[--connections=N] [--log-level=info|warn|…]\n';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return value;
}

let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    args: process.argv.slice(2),
    options: {
      suite: { type: 'string' },
      engine: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'log-level': { type: 'string' },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const suite = values.suite;
if (suite !== undefined && suite !== 'tenants' && suite !== 'issues' && suite !== 'pages') {
  fail(`unknown suite ${suite}`);
}
const only = values.engine;
if (only !== undefined && only !== 'pglite' && only !== 'postgres') {
  fail(`unknown engine ${only}`);
}
const logLevel = values['log-level'] ?? 'info';
if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
  fail(`unknown log level ${logLevel}`);
}
const engines: Engine[] = (['pglite', 'postgres'] as const).filter((e) => only === undefined || only === e);
const issueOptions = {
  durationSeconds: positive('duration', values.duration, 10),
  warmupSeconds: positive('warmup', values.warmup, 2, true),
  connections: Math.round(positive('connections', values.connections, 16)),
  sizes: { issues: 10_000, users: 50, showIssues: 1_000 },
  logLevel,
  countedRequests: 20,
};

removeAllOnSignal();
const outputs: SuiteOutput[] = [];
try {
  if (suite === undefined || suite === 'tenants') {
    const output = await runTenantsSuite(engines);
    outputs.push(output);
    if (!wasInterrupted()) {
      process.stdout.write(output.table + output.json);
    }
  }
  if ((suite === undefined || suite === 'issues') && !wasInterrupted()) {
    const output = await runIssuesSuite(engines, issueOptions);
    outputs.push(output);
    if (!wasInterrupted()) {
      process.stdout.write((outputs.length > 1 ? '\n' : '') + output.table + output.json);
    }
  }
  if ((suite === undefined || suite === 'pages') && !wasInterrupted()) {
    const output = await runPagesSuite(engines, { requests: 200 });
    outputs.push(output);
    if (!wasInterrupted()) {
      process.stdout.write((outputs.length > 1 ? '\n' : '') + output.table + output.json);
    }
  }
} finally {
  await cleanupAll();
}

if (wasInterrupted()) {
  // The signal handler removes what was made and exits; print nothing half measured.
  await new Promise(() => {});
}
if (outputs.some((o) => o.failed)) {
  process.exitCode = 1;
}
