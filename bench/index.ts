/**
 * `npm run bench`: what a tenant costs on each engine — the time to provision one, the disk and memory
 * it takes while idle, and the time to open it again cold. Prints a table and, last, one JSON line.
 * Numbers only: nothing here asserts a timing. PostgreSQL is the server at KANRI_BENCH_DATABASE_URL
 * (default postgres@127.0.0.1:5432) and is skipped, saying why, when it cannot be reached.
 *
 * Progress goes to stderr; stdout carries only the table and the JSON line. `npm run bench --
 * --engine=pglite` (or `postgres`) measures one engine only.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import type { Engine } from '#src/db/database.ts';
import { killPhases, runPhase } from './child-process.ts';
import { BENCH_SERVER_URL, createBenchDeployment, postgresUnavailable, type BenchDeployment } from './deployment.ts';
import { MIB } from './measure.ts';
import { formatJson, formatTable, type EngineReport } from './report.ts';

/** Tenants provisioned after the first one, per engine. */
const NEXT_TENANTS: Record<Engine, number> = { pglite: 5, postgres: 20 };
/** Tenants opened one after another in the memory measurement. */
const OPENED: Record<Engine, number> = { pglite: 3, postgres: 21 };
/** Longest wait for PostgreSQL pools to drop idle connections (their idle timeout is 30 s). */
const WAIT_IDLE_CLOSE_SECONDS = 40;
/** A phase still running after this is killed, so the run always ends. */
const PHASE_TIMEOUT_MS = 150_000;

const live = new Set<BenchDeployment>();
let interrupted = false;

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function benchEngine(engine: Engine): Promise<EngineReport> {
  if (engine === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      progress(`PostgreSQL skipped: ${unavailable}`);
      return { engine, status: 'skipped', reason: unavailable };
    }
  }
  const deployment = await createBenchDeployment(engine);
  live.add(deployment);
  const spec = { engine, env: deployment.env, dataDir: deployment.dataDir, prefix: deployment.prefix };
  try {
    progress(`${engine}: provisioning ${1 + NEXT_TENANTS[engine]} tenants in ${deployment.dataDir} (prefix ${deployment.prefix})`);
    const provisioning = await runPhase(
      { phase: 'provisioning', deployment: spec, next: NEXT_TENANTS[engine] },
      PHASE_TIMEOUT_MS,
    );
    progress(`${engine}: measuring idle tenants in a fresh process`);
    try {
      const idle = await runPhase(
        {
          phase: 'idle-tenant',
          // Room for every tenant opened, so none is closed to make space while memory is measured.
          deployment: { ...spec, env: { ...spec.env, KANRI_MAX_OPEN_PGLITE: String(OPENED[engine] + 4) } },
          open: OPENED[engine],
          waitIdleCloseSeconds: engine === 'postgres' ? WAIT_IDLE_CLOSE_SECONDS : 0,
        },
        PHASE_TIMEOUT_MS,
      );
      return { engine, status: 'measured', provisioning, idle };
    } catch (error) {
      progress(`${engine}: idle-tenant measurement failed: ${reasonOf(error)}`);
      return { engine, status: 'measured', provisioning, idle: undefined, idleError: reasonOf(error) };
    }
  } catch (error) {
    const detail = !interrupted && error instanceof Error ? (error.stack ?? error.message) : reasonOf(error);
    progress(`${engine}: failed: ${detail}`);
    return { engine, status: 'failed', reason: reasonOf(error) };
  } finally {
    await deployment.cleanup().catch((error: unknown) => progress(`${engine}: cleanup failed: ${reasonOf(error)}`));
    live.delete(deployment);
  }
}

async function cleanupAll(): Promise<void> {
  await Promise.all([...live].map((d) => d.cleanup().catch(() => {})));
}

async function postgresVersion(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

function pgliteVersion(): string | undefined {
  try {
    const url = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: removing the benchmark's databases and folders`);
    interrupted = true;
    killPhases();
    void cleanupAll().finally(() => process.exit(130));
  });
}

const only = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
if (only !== undefined && only !== 'pglite' && only !== 'postgres') {
  process.stderr.write('usage: npm run bench [-- --engine=pglite|postgres]\n');
  process.exit(2);
}

const started = Date.now();
const loadBefore = loadavg()[0] ?? NaN;
const reports: EngineReport[] = [];
try {
  for (const engine of ['pglite', 'postgres'] as const) {
    if (interrupted) {
      break;
    }
    if (only && only !== engine) {
      continue;
    }
    reports.push(await benchEngine(engine));
  }
} finally {
  await cleanupAll();
}

if (interrupted) {
  // The signal handler removes what was made and exits; print nothing half measured.
  await new Promise(() => {});
}
const machine = {
  node: process.version,
  cpus: availableParallelism(),
  memoryMiB: Math.round(totalmem() / MIB),
  pglite: pgliteVersion(),
  postgres: await postgresVersion(),
  /** 1-minute load average before and after: other work on the machine moves the timings. */
  load: [loadBefore, loadavg()[0] ?? NaN],
};
const heading =
  `Kanri tenant costs — Node ${machine.node}, ${machine.cpus} CPUs, ${machine.memoryMiB} MiB RAM, ` +
  `PGlite ${machine.pglite ?? '?'}, PostgreSQL ${machine.postgres ?? 'n/a'}.\n` +
  `Took ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${machine.load.map((l) => l.toFixed(1)).join(' → ')} ` +
  `(a busy machine slows the timings). Median / p90 where several were measured.`;
process.stdout.write(formatTable(reports, heading));
process.stdout.write(
  formatJson({
    benchmark: 'tenants',
    at: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine,
    engines: Object.fromEntries(reports.map((r) => [r.engine, r])),
  }),
);
if (reports.some((r) => r.status === 'failed' || (r.status === 'measured' && r.idleError))) {
  process.exitCode = 1;
}
