/**
 * `npm run bench`: what a tenant costs on each engine — the time to provision one, the disk and memory
 * it takes while idle, and the time to open it again cold. Prints a table and, last, one JSON line.
 * Numbers only: nothing here asserts a timing. PostgreSQL is the server at KANRI_BENCH_DATABASE_URL
 * (default postgres@127.0.0.1:5432) and is skipped, saying why, when it cannot be reached.
 *
 * Progress goes to stderr; stdout carries only the table and the JSON line.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import pg from 'pg';
import type { Engine } from '#src/db/database.ts';
import { BENCH_SERVER_URL, createBenchDeployment, postgresUnavailable, type BenchDeployment } from './deployment.ts';
import { measureIdleTenantInChild } from './idle-tenant.bench.ts';
import { MIB } from './measure.ts';
import { measureProvisioning } from './provisioning.bench.ts';
import { formatJson, formatTable, type EngineReport } from './report.ts';

/** Tenants provisioned after the first one, per engine. */
const NEXT_TENANTS: Record<Engine, number> = { pglite: 5, postgres: 20 };
/** Tenants opened one after another in the memory measurement. */
const OPENED: Record<Engine, number> = { pglite: 3, postgres: 21 };
/** Longest wait for PostgreSQL pools to drop idle connections (their idle timeout is 30 s). */
const WAIT_IDLE_CLOSE_SECONDS = 40;
const CHILD_TIMEOUT_MS = 150_000;

const live = new Set<BenchDeployment>();

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
  try {
    progress(`${engine}: provisioning ${1 + NEXT_TENANTS[engine]} tenants in ${deployment.dataDir} (prefix ${deployment.prefix})`);
    const provisioning = await measureProvisioning(deployment, NEXT_TENANTS[engine]);
    progress(`${engine}: measuring idle tenants in a fresh process`);
    try {
      const idle = await measureIdleTenantInChild(
        {
          engine,
          // Room for every tenant opened, so none is closed to make space while memory is measured.
          env: { ...deployment.env, KANRI_MAX_OPEN_PGLITE: String(OPENED[engine] + 4) },
          dataDir: deployment.dataDir,
          open: OPENED[engine],
          waitIdleCloseSeconds: engine === 'postgres' ? WAIT_IDLE_CLOSE_SECONDS : 0,
        },
        CHILD_TIMEOUT_MS,
      );
      return { engine, status: 'measured', provisioning, idle };
    } catch (error) {
      progress(`${engine}: idle-tenant measurement failed: ${reasonOf(error)}`);
      return { engine, status: 'measured', provisioning, idle: undefined, idleError: reasonOf(error) };
    }
  } catch (error) {
    progress(`${engine}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
    void cleanupAll().finally(() => process.exit(130));
  });
}

const started = Date.now();
const reports: EngineReport[] = [];
try {
  for (const engine of ['pglite', 'postgres'] as const) {
    reports.push(await benchEngine(engine));
  }
} finally {
  await cleanupAll();
}

const machine = {
  node: process.version,
  cpus: availableParallelism(),
  memoryMiB: Math.round(totalmem() / MIB),
  pglite: pgliteVersion(),
  postgres: await postgresVersion(),
};
const heading =
  `Kanri tenant costs — Node ${machine.node}, ${machine.cpus} CPUs, ${machine.memoryMiB} MiB RAM, ` +
  `PGlite ${machine.pglite ?? '?'}, PostgreSQL ${machine.postgres ?? 'n/a'}; took ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
  'Median / p90 where several were measured.';
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
