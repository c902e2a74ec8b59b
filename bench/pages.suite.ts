/** The `pages` suite: server-side render time of the issue list and an issue page (pages.bench.ts). */
import type { Engine } from '#src/db/database.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { benchPagesEngine, type PagesBenchOptions, type PagesEngineReport } from './pages.bench.ts';
import { formatJson } from './report.ts';
import { wasInterrupted } from './session.ts';
import type { SuiteOutput } from './tenants.suite.ts';

const JS_BUDGET_BYTES = 60 * 1024;
const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));

function formatTable(reports: readonly PagesEngineReport[], heading: string): string {
  const lines = [heading, '', 'engine    page         median ms  p90 ms  p99 ms  target (median)  HTML KiB  JS gzip KiB (≤ 60)  non-200'];
  for (const report of reports) {
    if (report.status !== 'measured') {
      lines.push(`${report.engine.padEnd(9)} ${report.status}: ${report.reason}`);
      continue;
    }
    for (const page of report.pages) {
      const met = page.medianMs !== undefined && page.medianMs <= page.targetMedianMs ? 'met' : 'missed';
      lines.push(
        [
          report.engine.padEnd(9),
          page.name.padEnd(12),
          ms(page.medianMs).padStart(9),
          ms(page.p90Ms).padStart(7),
          ms(page.p99Ms).padStart(7),
          `≤ ${page.targetMedianMs} ms ${met}`.padEnd(16),
          (page.htmlBytes / 1024).toFixed(1).padStart(8),
          `${(page.scriptGzipBytes / 1024).toFixed(1)} ${page.scriptGzipBytes <= JS_BUDGET_BYTES ? 'met' : 'missed'}`.padStart(18),
          String(page.failures).padStart(8),
        ].join(' '),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runPagesSuite(engines: readonly Engine[], options: PagesBenchOptions): Promise<SuiteOutput> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const reports: PagesEngineReport[] = [];
  for (const engine of engines) {
    if (wasInterrupted()) {
      break;
    }
    reports.push(await benchPagesEngine(engine, options));
  }
  const machine = await machineInfo(loadBefore);
  const heading =
    `Kanri pages — Node ${machine.node}, ${machine.cpus} CPUs, PostgreSQL ${machine.postgres ?? 'n/a'}. ` +
    `Server time of whole pages as a signed-in administrator, one request at a time, ${options.requests} each after 20 unmeasured: ` +
    `the issue list (25 rows, 8 columns, open issues of 10,000, sorted by priority and date) and an issue page with 50 journals. ` +
    `Load average ${machine.load.map((l) => l.toFixed(1)).join(' → ')}. Targets are the issue's, for PostgreSQL: reported, not enforced.`;
  return {
    table: formatTable(reports, heading),
    json: formatJson({ benchmark: 'pages', at: new Date(started).toISOString(), durationMs: Date.now() - started, machine, options, engines: Object.fromEntries(reports.map((r) => [r.engine, r])) }),
    failed: reports.some((r) => r.status === 'failed' || (r.status === 'measured' && r.pages.some((p) => p.failures > 0))),
  };
}
