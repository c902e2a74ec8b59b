/** Turns the issue API measurements into the printed table, its notes and the JSON line. */
import type { IssuesEngineReport, ScenarioResult, Target } from './issues-api.bench.ts';

const DASH = '—';
const ENGINE_NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;

const number = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? DASH : v.toFixed(digits));
const millis = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? DASH : `${v.toFixed(1)} ms`);
const percent = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? DASH : `${v.toFixed(0)} %`);

export function targetText(target: Target): string {
  return `≥ ${target.minRequestsPerSecond} req/s${target.maxP99Ms === undefined ? '' : `, p99 ≤ ${target.maxP99Ms} ms`}`;
}

type Row = readonly string[];

const HEADER: Row = ['', 'req/s', 'p50', 'p99', 'max', 'non-2xx', 'server CPU', 'db CPU', 'machine CPU', 'target (PostgreSQL)', 'verdict'];

function scenarioRow(engine: 'pglite' | 'postgres', result: ScenarioResult | undefined, fallback: string): Row {
  const name = `  ${ENGINE_NAMES[engine]}`;
  if (!result) {
    return [name, fallback];
  }
  if (result.status === 'failed') {
    return [name, 'not measured (see below)'];
  }
  const { load } = result;
  const errors = load.non2xx + load.socketErrors;
  return [
    name,
    number(load.requestsPerSecond),
    millis(load.latencyMs.p50),
    millis(load.latencyMs.p99),
    millis(load.latencyMs.max),
    errors > 0 ? `${errors} of ${load.requests + load.socketErrors}` : '0',
    percent(result.serverCpuPercent),
    engine === 'pglite' ? 'in server' : percent(result.databaseCpuPercent),
    percent(result.machineCpuPercent),
    targetText(result.target),
    result.verdict === 'n/a' ? 'n/a (not PostgreSQL)' : result.verdict,
  ];
}

function table(rows: readonly Row[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    // A lone cell (a section title) spans the table; it does not widen the first column.
    if (row.length > 1) {
      row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    }
  }
  return rows.map((row) => row.map((cell, i) => (row.length > 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ').trimEnd());
}

export function formatIssuesTable(reports: readonly IssuesEngineReport[], heading: string): string {
  const byEngine = (engine: 'pglite' | 'postgres') => reports.find((r) => r.engine === engine);
  const engines = (['pglite', 'postgres'] as const).filter((e) => byEngine(e) !== undefined);
  const names = reports.flatMap((r) => (r.status === 'measured' ? r.scenarios : [])).map((s) => [s.name, s.label] as const);
  const scenarios = [...new Map(names).entries()];
  const rows: Row[] = [HEADER];
  for (const [name, label] of scenarios) {
    rows.push([`${name.toUpperCase()}  ${label}`]);
    for (const engine of engines) {
      const report = byEngine(engine);
      const result = report?.status === 'measured' ? report.scenarios.find((s) => s.name === name) : undefined;
      rows.push(scenarioRow(engine, result, report?.status ?? DASH));
    }
  }
  const out = [heading, '', ...table(rows), ''];
  const postgres = byEngine('postgres');
  if (postgres?.status === 'measured') {
    out.push('DATABASE ROUND TRIPS PER REQUEST (PostgreSQL, one request at a time, counted on the wire)');
    const trips = postgres.roundTrips;
    if (trips.status === 'counted') {
      out.push(
        ...table(
          trips.scenarios.map((t) => [
            `  ${t.name}`,
            `${number(t.tenantPerRequest, 1)} to the tenant database`,
            `${number(t.controlPlanePerRequest, 2)} to the control plane`,
            `(${t.requests} requests${t.connectionsOpened > 0 ? `, ${t.connectionsOpened} connections opened` : ''})`,
          ]),
        ),
      );
    } else {
      out.push(`  ${trips.status}: ${trips.reason}`);
    }
    out.push('');
  }
  out.push(...notes(reports));
  return out.join('\n') + '\n';
}

function notes(reports: readonly IssuesEngineReport[]): string[] {
  const out: string[] = [];
  for (const report of reports) {
    const name = ENGINE_NAMES[report.engine];
    if (report.status !== 'measured') {
      out.push(`${name} ${report.status}: ${report.reason}`);
      continue;
    }
    const s = report.seeded;
    out.push(
      `${name}: tenant provisioned by the CLI in ${(report.provisionMs / 1000).toFixed(1)} s, seeded in ` +
        `${(report.seedMs / 1000).toFixed(1)} s (${s.issues} issues, ${s.users} users, ${s.journals} journals, ` +
        `${s.watchers} watchers, ${s.relations} relations)` +
        (report.tenantPoolMax === undefined ? '.' : `; tenant pool max ${report.tenantPoolMax} (KANRI_TENANT_POOL_MAX).`),
    );
    for (const result of report.scenarios) {
      if (result.status === 'failed') {
        out.push(`${name} ${result.name}: not measured: ${result.reason}`);
        continue;
      }
      const { load } = result;
      if (load.non2xx + load.socketErrors > 0) {
        const statuses = Object.entries(load.statuses)
          .map(([status, n]) => `${status}×${n}`)
          .join(', ');
        out.push(
          `${name} ${result.name}: RUN HAD ERRORS — ${load.non2xx} non-2xx answers and ${load.socketErrors} failed ` +
            `requests (statuses ${statuses}); first: ${load.firstError ?? '?'}`,
        );
      }
      if (result.answerProblem) {
        out.push(`${name} ${result.name}: the first answer was not as expected: ${result.answerProblem}`);
      }
    }
  }
  out.push(
    'CPU in % of one core: server is the kanri process; db the PostgreSQL backends of the tenant database (PGlite runs ' +
      'inside the server); machine is every core together, including the load generator and anything else running.',
  );
  return out;
}
