/** The `issues` suite: the issue API under load on each engine (see issues-api.bench.ts). */
import type { Engine } from '#src/db/database.ts';
import { benchIssuesEngine, type IssuesBenchOptions, type IssuesEngineReport } from './issues-api.bench.ts';
import { formatIssuesTable } from './issues-report.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { formatJson } from './report.ts';
import { wasInterrupted } from './session.ts';
import type { SuiteOutput } from './tenants.suite.ts';

export async function runIssuesSuite(engines: readonly Engine[], options: IssuesBenchOptions): Promise<SuiteOutput> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const reports: IssuesEngineReport[] = [];
  for (const engine of engines) {
    if (wasInterrupted()) {
      break;
    }
    reports.push(await benchIssuesEngine(engine, options));
  }
  const machine = await machineInfo(loadBefore);
  const { sizes } = options;
  const heading =
    `Kanri issue API — Node ${machine.node}, ${machine.cpus} CPUs, ${machine.memoryMiB} MiB RAM, ` +
    `PGlite ${machine.pglite ?? '?'}, PostgreSQL ${machine.postgres ?? 'n/a'}.\n` +
    `${sizes.issues} issues in one project, ${sizes.users} member users (Developer role) calling with their API keys; ` +
    `${options.connections} keep-alive connections, ${options.durationSeconds} s per scenario after ${options.warmupSeconds} s ` +
    `of warm-up; kanri serve in its own process, LOG_LEVEL ${options.logLevel}.\n` +
    `Took ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${machine.load.map((l) => l.toFixed(1)).join(' → ')} ` +
    `(a busy machine slows the timings). Targets are the issue's, for PostgreSQL on a 2-core machine: reported, not enforced.`;
  return {
    table: formatIssuesTable(reports, heading),
    json: formatJson({
      benchmark: 'issues',
      at: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine,
      options,
      engines: Object.fromEntries(reports.map((r) => [r.engine, r])),
    }),
    // Failed also when a scenario could not run or answered errors: its numbers would mislead.
    failed: reports.some(
      (r) =>
        r.status === 'failed' ||
        (r.status === 'measured' &&
          r.scenarios.some((s) => s.status === 'failed' || s.load.non2xx + s.load.socketErrors > 0)),
    ),
  };
}
