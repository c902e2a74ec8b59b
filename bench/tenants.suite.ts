/**
 * The `tenants` suite: what a tenant costs on each engine — the time to provision one, the disk and
 * memory it takes while idle, and the time to open it again cold. Each measurement runs in a fresh
 * child process (see child-process.ts).
 */
import type { Engine } from '#src/db/database.ts';
import { runPhase } from './child-process.ts';
import { createBenchDeployment, postgresUnavailable } from './deployment.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { formatJson, formatTable, type EngineReport } from './report.ts';
import { progress, reasonOf, track, wasInterrupted } from './session.ts';

/** Tenants provisioned after the first one, per engine. */
const NEXT_TENANTS: Record<Engine, number> = { pglite: 5, postgres: 20 };
/** Tenants opened one after another in the memory measurement. */
const OPENED: Record<Engine, number> = { pglite: 3, postgres: 21 };
/** Longest wait for PostgreSQL pools to drop idle connections (their idle timeout is 30 s). */
const WAIT_IDLE_CLOSE_SECONDS = 40;
/** A phase still running after this is killed, so the run always ends. */
const PHASE_TIMEOUT_MS = 150_000;

export interface SuiteOutput {
  /** The table with its heading and notes. */
  readonly table: string;
  /** One JSON line with every number. */
  readonly json: string;
  /** Something could not be measured (skipped engines do not count). */
  readonly failed: boolean;
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
  const untrack = track(deployment);
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
    const detail = !wasInterrupted() && error instanceof Error ? (error.stack ?? error.message) : reasonOf(error);
    progress(`${engine}: failed: ${detail}`);
    return { engine, status: 'failed', reason: reasonOf(error) };
  } finally {
    await deployment.cleanup().catch((error: unknown) => progress(`${engine}: cleanup failed: ${reasonOf(error)}`));
    untrack();
  }
}

export async function runTenantsSuite(engines: readonly Engine[]): Promise<SuiteOutput> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const reports: EngineReport[] = [];
  for (const engine of engines) {
    if (wasInterrupted()) {
      break;
    }
    reports.push(await benchEngine(engine));
  }
  const machine = await machineInfo(loadBefore);
  const heading =
    `Kanri tenant costs — Node ${machine.node}, ${machine.cpus} CPUs, ${machine.memoryMiB} MiB RAM, ` +
    `PGlite ${machine.pglite ?? '?'}, PostgreSQL ${machine.postgres ?? 'n/a'}.\n` +
    `Took ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${machine.load.map((l) => l.toFixed(1)).join(' → ')} ` +
    `(a busy machine slows the timings). Median / p90 where several were measured.`;
  return {
    table: formatTable(reports, heading),
    json: formatJson({
      benchmark: 'tenants',
      at: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine,
      engines: Object.fromEntries(reports.map((r) => [r.engine, r])),
    }),
    failed: reports.some((r) => r.status === 'failed' || (r.status === 'measured' && r.idleError)),
  };
}
