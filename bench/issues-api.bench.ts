/**
 * The `issues` suite: throughput and latency of the issue REST API on each engine, against the real
 * server (`kanri serve` in a process of its own) over keep-alive HTTP, with a tenant holding one
 * project of 10,000 issues and 50 member users. Six scenarios, each warmed up and then run for a
 * fixed time with 16 concurrent connections: the list (a status filter and a sort), the show with
 * journals, relations and watchers, create, and update with a note. The list and the show run twice:
 * as clients send them (the same URLs again, which the answer memo serves while nothing commits, see
 * src/api/answer-memo.ts) and with a new URL each time, so that every answer is computed. Requests authenticate with the
 * users' API keys in turn. On PostgreSQL a second, short run counts the database round trips each
 * request makes, through a proxy that reads the wire protocol (src/ is not instrumented).
 *
 * Numbers only: the targets from the issue are printed beside them, met or missed, never enforced.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#src/config/config.ts';
import type { Engine } from '#src/db/database.ts';
import { openPlatform } from '#src/platform/platform.ts';
import { getTenant } from '#src/platform/tenant.service.ts';
import { backendCpu, backendCpuDelta } from './backend-cpu.ts';
import { BENCH_SERVER_URL, createBenchDeployment, postgresUnavailable, type BenchDeployment } from './deployment.ts';
import { runKanri, startKanriServer, type KanriServer } from './kanri-process.ts';
import { runLoad, send, type LoadResult, type RequestSpec } from './load.ts';
import { machineCpuTicks } from './machine.ts';
import { timed } from './measure.ts';
import { startWireCounter } from './pg-wire-counter.ts';
import { seedIssues, type SeededData, type SeedSizes } from './issues-seed.ts';
import { progress, reasonOf, track, wasInterrupted } from './session.ts';

const ACCOUNT = 'issues-bench';
const HOST = `${ACCOUNT}.localhost`;
const ADMIN_PASSWORD = 'bench-admin-password';

export interface IssuesBenchOptions {
  /** Measured seconds per scenario. */
  readonly durationSeconds: number;
  /** Seconds of the same load before each measurement, not counted. */
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly sizes: SeedSizes;
  /** The server's LOG_LEVEL (info, the default, logs every request as production does). */
  readonly logLevel: string;
  /** Sequential requests per scenario in the round-trip count. */
  readonly countedRequests: number;
}

export type ScenarioName = 'list' | 'list-computed' | 'show' | 'show-computed' | 'create' | 'update';

/** The issue's targets, for PostgreSQL on a 2-core machine. */
export interface Target {
  readonly minRequestsPerSecond: number;
  readonly maxP99Ms?: number;
}

interface Scenario {
  readonly name: ScenarioName;
  /** How the request reads in the report. */
  readonly label: string;
  readonly target: Target;
  readonly request: (i: number) => RequestSpec;
  /** What a correct answer holds; a problem here is reported (the numbers would mean less), not fatal. */
  readonly check: (status: number, body: string) => string | undefined;
}

export type Verdict = 'met' | 'missed' | 'errors' | 'n/a';

export type ScenarioResult =
  | {
      readonly name: ScenarioName;
      readonly label: string;
      readonly target: Target;
      readonly status: 'measured';
      readonly load: LoadResult;
      /** CPU of the server process during the measurement, in % of one core. */
      readonly serverCpuPercent: number | undefined;
      /** CPU of the PostgreSQL backends of the tenant database (local server only), in % of one core. */
      readonly databaseCpuPercent: number | undefined;
      /** CPU of the whole machine during the measurement, in % of one core (200 % = two cores busy). */
      readonly machineCpuPercent: number | undefined;
      readonly verdict: Verdict;
      /** What the first answer lacked, if anything. */
      readonly answerProblem: string | undefined;
    }
  | {
      readonly name: ScenarioName;
      readonly label: string;
      readonly target: Target;
      readonly status: 'failed';
      readonly reason: string;
    };

export interface RoundTrips {
  readonly name: ScenarioName;
  readonly requests: number;
  /** Round trips per request to the tenant database. */
  readonly tenantPerRequest: number;
  /** Round trips per request to the control plane (tenant lookups; cached for 5 s). */
  readonly controlPlanePerRequest: number;
  /** Server connections the tenant pool opened during the count. */
  readonly connectionsOpened: number;
}

export type RoundTripReport =
  | { readonly status: 'counted'; readonly scenarios: readonly RoundTrips[] }
  | { readonly status: 'skipped' | 'failed'; readonly reason: string };

export type IssuesEngineReport =
  | {
      readonly engine: Engine;
      readonly status: 'measured';
      readonly provisionMs: number;
      readonly seedMs: number;
      readonly seeded: { issues: number; users: number; journals: number; watchers: number; relations: number };
      /** KANRI_TENANT_POOL_MAX of the server (PostgreSQL only). */
      readonly tenantPoolMax: number | undefined;
      readonly scenarios: readonly ScenarioResult[];
      readonly roundTrips: RoundTripReport;
    }
  | { readonly engine: Engine; readonly status: 'skipped' | 'failed'; readonly reason: string };

function headersFor(data: SeededData, i: number, json: boolean): Record<string, string> {
  const user = data.users[i % data.users.length];
  return {
    host: HOST,
    'x-redmine-api-key': user?.apiKey ?? '',
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

const pick = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
};

function parsed(body: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const lengthOf = (value: unknown) => (Array.isArray(value) ? value.length : undefined);

function scenarios(data: SeededData): Scenario[] {
  const listPath = '/issues.json?status_id=open&sort=updated_on:desc&limit=25';
  return [
    {
      name: 'list',
      label: `GET ${listPath}`,
      target: { minRequestsPerSecond: 1500, maxP99Ms: 30 },
      request: (i) => ({ method: 'GET', path: listPath, headers: headersFor(data, i, false) }),
      check: (status, body) => {
        const answer = parsed(body);
        const count = lengthOf(answer?.issues);
        return status === 200 && count === 25 && typeof answer?.total_count === 'number'
          ? undefined
          : `expected 200 with 25 issues and total_count, got ${status} with ${count ?? 'no'} issues`;
      },
    },
    {
      // A parameter the API ignores makes every URL new, so no answer comes from the answer memo and
      // each page is read and written out (settings, caller, roles and the count are still remembered).
      name: 'list-computed',
      label: `GET ${listPath}&_=<n> (a new URL each time: every answer computed)`,
      target: { minRequestsPerSecond: 1500, maxP99Ms: 30 },
      request: (i) => ({ method: 'GET', path: `${listPath}&_=${i}`, headers: headersFor(data, i, false) }),
      check: (status, body) => (status === 200 && lengthOf(parsed(body)?.issues) === 25 ? undefined : `expected 200 with 25 issues, got ${status}`),
    },
    {
      name: 'show',
      label: 'GET /issues/:id.json?include=journals,relations,watchers',
      target: { minRequestsPerSecond: 2500 },
      request: (i) => ({
        method: 'GET',
        path: `/issues/${pick(data.showIssueIds, i)}.json?include=journals,relations,watchers`,
        headers: headersFor(data, i, false),
      }),
      check: (status, body) => {
        const issue = parsed(body)?.issue as Record<string, unknown> | undefined;
        const found = {
          journals: lengthOf(issue?.journals),
          relations: lengthOf(issue?.relations),
          watchers: lengthOf(issue?.watchers),
        };
        return status === 200 && found.journals === 3 && (found.relations ?? 0) >= 1 && found.watchers === 2
          ? undefined
          : `expected 200 with 3 journals, relations and 2 watchers, got ${status} with ${JSON.stringify(found)}`;
      },
    },
    {
      name: 'show-computed',
      label: 'GET /issues/:id.json?include=journals,relations,watchers&_=<n> (every answer computed)',
      target: { minRequestsPerSecond: 2500 },
      request: (i) => ({
        method: 'GET',
        path: `/issues/${pick(data.showIssueIds, i)}.json?include=journals,relations,watchers&_=${i}`,
        headers: headersFor(data, i, false),
      }),
      check: (status, body) => (status === 200 && lengthOf((parsed(body)?.issue as Record<string, unknown> | undefined)?.journals) === 3 ? undefined : `expected 200 with 3 journals, got ${status}`),
    },
    {
      name: 'create',
      label: 'POST /issues.json',
      target: { minRequestsPerSecond: 500 },
      request: (i) => ({
        method: 'POST',
        path: '/issues.json',
        headers: headersFor(data, i, true),
        body: JSON.stringify({
          issue: {
            project_id: data.projectId,
            tracker_id: pick(data.trackerIds, i),
            priority_id: pick(data.priorityIds, i),
            subject: `Created by the benchmark, request ${i}`,
            description: 'A new issue with a short description, as a form or a client would send it.',
            assigned_to_id: pick(data.users, i * 7).id,
          },
        }),
      }),
      check: (status, body) => {
        const id = (parsed(body)?.issue as Record<string, unknown> | undefined)?.id;
        return status === 201 && typeof id === 'number' ? undefined : `expected 201 with the issue, got ${status}`;
      },
    },
    {
      name: 'update',
      label: 'PUT /issues/:id.json (a note)',
      target: { minRequestsPerSecond: 500 },
      request: (i) => ({
        method: 'PUT',
        // i × 7919 (a prime) visits every issue before it repeats one (unless the count is a multiple
        // of 7919), so requests in flight together never update the same issue and race on its lock.
        path: `/issues/${pick(data.issueIds, i * 7919)}.json`,
        headers: headersFor(data, i, true),
        body: JSON.stringify({ issue: { notes: `Note ${i} from the benchmark: checked again, still happens.` } }),
      }),
      check: (status) => (status === 204 || status === 200 ? undefined : `expected 204, got ${status}`),
    },
  ];
}

function verdictOf(engine: Engine, target: Target, load: LoadResult): Verdict {
  if (engine !== 'postgres') {
    return 'n/a';
  }
  if (load.non2xx > 0 || load.socketErrors > 0) {
    return 'errors';
  }
  const fastEnough = load.requestsPerSecond >= target.minRequestsPerSecond;
  const steadyEnough = target.maxP99Ms === undefined || load.latencyMs.p99 <= target.maxP99Ms;
  return fastEnough && steadyEnough ? 'met' : 'missed';
}

async function runScenario(
  engine: Engine,
  server: KanriServer,
  scenario: Scenario,
  options: IssuesBenchOptions,
  tenantDatabase: string | undefined,
): Promise<ScenarioResult> {
  const { name, label, target } = scenario;
  const probe = scenario.request(0);
  let answerProblem: string | undefined;
  try {
    const answer = await send(server.port, probe);
    if (answer.status < 200 || answer.status > 299) {
      const reason = `${probe.method} ${probe.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`;
      progress(`${engine}: ${name}: not measured, ${reason}`);
      return { name, label, target, status: 'failed', reason };
    }
    answerProblem = scenario.check(answer.status, answer.body);
    if (answerProblem) {
      progress(`${engine}: ${name}: the answer is not what it should be: ${answerProblem}`);
    }
  } catch (error) {
    return { name, label, target, status: 'failed', reason: reasonOf(error) };
  }
  // The probe was request 0; warm-up and run go on from there, so no update follows another of the
  // same issue closely.
  let sent = 1;
  const next = () => scenario.request(sent++);
  if (options.warmupSeconds > 0) {
    progress(`${engine}: ${name}: warming up ${options.warmupSeconds} s`);
    await runLoad({ port: server.port, connections: options.connections, durationMs: options.warmupSeconds * 1000, next });
  }
  progress(`${engine}: ${name}: ${options.connections} connections for ${options.durationSeconds} s`);
  const databaseBefore = tenantDatabase === undefined ? undefined : await backendCpu(tenantDatabase);
  const cpuBefore = await server.cpuSeconds();
  const machineBefore = await machineCpuTicks();
  const load = await runLoad({ port: server.port, connections: options.connections, durationMs: options.durationSeconds * 1000, next });
  const cpuAfter = await server.cpuSeconds();
  const machineAfter = await machineCpuTicks();
  const databaseAfter = tenantDatabase === undefined ? undefined : await backendCpu(tenantDatabase);
  const seconds = load.elapsedMs / 1000;
  const serverCpuPercent =
    cpuBefore !== undefined && cpuAfter !== undefined && seconds > 0 ? ((cpuAfter - cpuBefore) / seconds) * 100 : undefined;
  const databaseSeconds = backendCpuDelta(databaseBefore, databaseAfter);
  const databaseCpuPercent = databaseSeconds !== undefined && seconds > 0 ? (databaseSeconds / seconds) * 100 : undefined;
  const machineCpuPercent =
    machineBefore && machineAfter && machineAfter.total > machineBefore.total
      ? ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100 * availableParallelism()
      : undefined;
  progress(
    `${engine}: ${name}: ${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.latencyMs.p50.toFixed(1)} ms, ` +
      `p99 ${load.latencyMs.p99.toFixed(1)} ms${load.non2xx + load.socketErrors > 0 ? `, ${load.non2xx + load.socketErrors} errors: ${load.firstError ?? ''}` : ''}`,
  );
  return {
    name,
    label,
    target,
    status: 'measured',
    load,
    serverCpuPercent,
    databaseCpuPercent,
    machineCpuPercent,
    verdict: verdictOf(engine, target, load),
    answerProblem,
  };
}

/** Provisions the tenant through the CLI and seeds it in this process (the server is not running yet). */
async function prepare(
  deployment: BenchDeployment,
  sizes: SeedSizes,
): Promise<{ provisionMs: number; seedMs: number; data: SeededData; tenantDatabase: string | undefined }> {
  const { engine, env, dataDir } = deployment;
  progress(`${engine}: kanri tenant create ${ACCOUNT} --rest-api (in ${dataDir})`);
  const created = await timed(() =>
    runKanri(
      env,
      dataDir,
      ['tenant', 'create', ACCOUNT, '--admin-email', `admin@${ACCOUNT}.example.com`, '--rest-api', '--admin-password-file', '-'],
      `${ADMIN_PASSWORD}\n`,
    ),
  );
  if (created.value.code !== 0) {
    throw new Error(`kanri tenant create failed (exit ${created.value.code}): ${created.value.err || created.value.out}`);
  }
  progress(`${engine}: seeding ${sizes.issues} issues and ${sizes.users} users`);
  const platform = await openPlatform(loadConfig(env, dataDir));
  try {
    const tenant = await getTenant(platform, ACCOUNT);
    const seeded = await timed(() => platform.tenantDatabases.use(tenant, (db) => seedIssues(db, sizes)));
    const tenantDatabase = tenant.placement.engine === 'postgres' ? tenant.placement.databaseName : undefined;
    return { provisionMs: created.ms, seedMs: seeded.ms, data: seeded.value, tenantDatabase };
  } finally {
    await platform.close();
  }
}

/**
 * Serves the deployment once more, its database connections through the counting proxy, and sends a
 * few requests of each scenario one at a time.
 */
async function countRoundTrips(deployment: BenchDeployment, data: SeededData, options: IssuesBenchOptions): Promise<RoundTripReport> {
  const upstream = new URL(BENCH_SERVER_URL);
  if (!upstream.hostname) {
    return { status: 'skipped', reason: 'the PostgreSQL server is reached through a socket, not TCP' };
  }
  const counter = await startWireCounter({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  let server: KanriServer | undefined;
  try {
    const proxied = new URL(deployment.env.DATABASE_URL ?? BENCH_SERVER_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(counter.port);
    server = await startKanriServer(
      { ...deployment.env, DATABASE_URL: proxied.toString(), LOG_LEVEL: 'warn' },
      deployment.dataDir,
      join(deployment.dataDir, 'server-counting.log'),
    );
    const platformDb = `${deployment.prefix}_platform`;
    const counted: RoundTrips[] = [];
    let i = 1_000_000_000; // Far from the timed runs' request numbers, so creates and updates stay distinct.
    for (const scenario of scenarios(data)) {
      // Warm the pool and the tenant cache first, so the count is the steady state's.
      for (let w = 0; w < 3; w++) {
        await send(server.port, scenario.request(i++));
      }
      counter.reset();
      let ok = 0;
      for (let n = 0; n < options.countedRequests; n++) {
        const answer = await send(server.port, scenario.request(i++));
        ok += answer.status >= 200 && answer.status <= 299 ? 1 : 0;
      }
      if (ok < options.countedRequests) {
        progress(`postgres: round trips of ${scenario.name}: ${options.countedRequests - ok} answers were not 2xx`);
      }
      let tenant = 0;
      let control = 0;
      let connections = 0;
      for (const [database, traffic] of counter.traffic()) {
        if (database === platformDb) {
          control += traffic.roundTrips;
        } else {
          tenant += traffic.roundTrips;
          connections += traffic.connections;
        }
      }
      counted.push({
        name: scenario.name,
        requests: options.countedRequests,
        tenantPerRequest: tenant / options.countedRequests,
        controlPlanePerRequest: control / options.countedRequests,
        connectionsOpened: connections,
      });
    }
    return { status: 'counted', scenarios: counted };
  } catch (error) {
    progress(`postgres: counting round trips failed: ${reasonOf(error)}`);
    return { status: 'failed', reason: reasonOf(error) };
  } finally {
    await server?.stop();
    await counter.close();
  }
}

export async function benchIssuesEngine(engine: Engine, options: IssuesBenchOptions): Promise<IssuesEngineReport> {
  if (engine === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      progress(`PostgreSQL skipped: ${unavailable}`);
      return { engine, status: 'skipped', reason: unavailable };
    }
  }
  const deployment = await createBenchDeployment(engine);
  const untrack = track(deployment);
  let server: KanriServer | undefined;
  try {
    const { provisionMs, seedMs, data, tenantDatabase } = await prepare(deployment, options.sizes);
    progress(`${engine}: seeded in ${(seedMs / 1000).toFixed(1)} s; starting kanri serve`);
    server = await startKanriServer(
      { ...deployment.env, LOG_LEVEL: options.logLevel },
      deployment.dataDir,
      join(deployment.dataDir, 'server.log'),
    );
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios(data)) {
      if (wasInterrupted()) {
        throw new Error('interrupted');
      }
      results.push(await runScenario(engine, server, scenario, options, tenantDatabase));
    }
    await server.stop();
    server = undefined;
    let roundTrips: RoundTripReport;
    if (engine === 'postgres') {
      progress(`${engine}: counting database round trips per request (${options.countedRequests} requests each, one at a time)`);
      roundTrips = await countRoundTrips(deployment, data, options);
    } else {
      roundTrips = { status: 'skipped', reason: 'PGlite runs inside the server process: there is no wire to count on' };
    }
    return {
      engine,
      status: 'measured',
      provisionMs,
      seedMs,
      seeded: {
        issues: data.issueIds.length,
        users: data.users.length,
        journals: data.journals,
        watchers: data.watchers,
        relations: data.relations,
      },
      tenantPoolMax:
        engine === 'postgres'
          ? loadConfig({ KANRI_TENANT_POOL_MAX: process.env.KANRI_TENANT_POOL_MAX }, deployment.dataDir).tenantPoolMax
          : undefined,
      scenarios: results,
      roundTrips,
    };
  } catch (error) {
    const detail = !wasInterrupted() && error instanceof Error ? (error.stack ?? error.message) : reasonOf(error);
    progress(`${engine}: failed: ${detail}`);
    return { engine, status: 'failed', reason: reasonOf(error) };
  } finally {
    await server?.stop().catch(() => {});
    await deployment.cleanup().catch((error: unknown) => progress(`${engine}: cleanup failed: ${reasonOf(error)}`));
    untrack();
  }
}
