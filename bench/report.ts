/** Turns the measurements of both engines into the printed table, its notes and the JSON line. */
import type { IdleTenantResult, PgliteIdleResult, PostgresIdleResult } from './idle-tenant.bench.ts';
import { MIB, type Summary } from './measure.ts';
import type { ProvisioningResult } from './provisioning.bench.ts';

export type EngineReport =
  | {
      readonly engine: 'pglite' | 'postgres';
      readonly status: 'measured';
      readonly provisioning: ProvisioningResult;
      readonly idle: IdleTenantResult | undefined;
      /** Set when the idle-tenant part failed after provisioning worked. */
      readonly idleError?: string;
    }
  | { readonly engine: 'pglite' | 'postgres'; readonly status: 'skipped' | 'failed'; readonly reason: string };

const DASH = '—';

const seconds = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? DASH : `${(ms / 1000).toFixed(2)} s`);
const millis = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? DASH : `${ms.toFixed(1)} ms`);
const mib = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? DASH : `${(bytes / MIB).toFixed(1)} MiB`);
/** MiB, or KiB below one MiB (a pool costs kilobytes, a PGlite instance hundreds of MiB). */
const size = (bytes: number | undefined) =>
  bytes === undefined || Number.isNaN(bytes) ? DASH : Math.abs(bytes) < MIB ? `${(bytes / 1024).toFixed(0)} KiB` : mib(bytes);
const mb = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? DASH : `${(bytes / 1e6).toFixed(1)} MB`);
const spread = (s: Summary | undefined, unit: (v: number | undefined) => string) =>
  !s || s.n === 0 ? DASH : `${unit(s.median)} / ${unit(s.p90)} (n=${s.n})`;

type Row = readonly [label: string, pglite: string, postgres: string];

interface Columns {
  pglite: EngineReport | undefined;
  postgres: EngineReport | undefined;
}

function cell(report: EngineReport | undefined, pick: (r: Extract<EngineReport, { status: 'measured' }>) => string): string {
  if (!report) {
    return DASH;
  }
  if (report.status !== 'measured') {
    return report.status;
  }
  return pick(report);
}

function pgliteIdle(report: Extract<EngineReport, { status: 'measured' }>): PgliteIdleResult | undefined {
  return report.idle?.engine === 'pglite' ? report.idle : undefined;
}

function postgresIdle(report: Extract<EngineReport, { status: 'measured' }>): PostgresIdleResult | undefined {
  return report.idle?.engine === 'postgres' ? report.idle : undefined;
}

function rows({ pglite, postgres }: Columns): Row[] {
  const both = (label: string, pick: (r: Extract<EngineReport, { status: 'measured' }>) => string): Row => [
    label,
    cell(pglite, pick),
    cell(postgres, pick),
  ];
  const split = (
    label: string,
    left: (r: Extract<EngineReport, { status: 'measured' }>) => string,
    right: (r: Extract<EngineReport, { status: 'measured' }>) => string,
  ): Row => [label, cell(pglite, left), cell(postgres, right)];
  return [
    ['PROVISIONING (createTenant, argon2 included)', '', ''],
    both('control plane open + migrate (empty)', (r) => seconds(r.provisioning.platformOpenMs)),
    both('first tenant (builds the template)', (r) => seconds(r.provisioning.firstTenantMs)),
    both('next tenants median / p90', (r) => spread(r.provisioning.nextTenantsMs, seconds)),
    both('  of which one argon2id hash (alone)', (r) => spread(r.provisioning.argon2HashMs, millis)),
    both('peak RSS of the provisioning process', (r) => mib(r.provisioning.peakRssBytes)),
    ['DISK OF AN IDLE TENANT', '', ''],
    split(
      'per tenant median / p90',
      (r) => spread(r.provisioning.tenantDisk.perTenantBytes, mb),
      (r) => spread(r.provisioning.tenantDisk.perTenantBytes, mb),
    ),
    split(
      'migrated template',
      (r) => `${mb(r.provisioning.tenantDisk.templateBytes)} (folder)`,
      (r) => `${mb(r.provisioning.tenantDisk.templateBytes)} (database)`,
    ),
    ['MEMORY OF AN IDLE TENANT (fresh process)', '', ''],
    split(
      'RSS before / with control plane open',
      (r) => {
        const idle = pgliteIdle(r);
        return idle ? `${mib(idle.rssBeforePlatformBytes)} / ${mib(idle.rssBaselineBytes)}` : DASH;
      },
      (r) => mib(postgresIdle(r)?.rssBaselineBytes),
    ),
    split(
      'RSS growth per tenant opened (app side)',
      (r) => {
        const idle = pgliteIdle(r);
        return idle ? `${mib(idle.rssGrowthPerTenantBytes)} (${idle.opens.length} opened)` : DASH;
      },
      (r) => {
        const idle = postgresIdle(r);
        return idle ? `${size(idle.rssGrowthPerPoolBytes)} (${idle.pools} pools)` : DASH;
      },
    ),
    split(
      'RSS after opening / after closing them',
      (r) => {
        const idle = pgliteIdle(r);
        return idle ? `${mib(idle.opens.at(-1)?.rssBytes)} / ${mib(idle.rssAfterCloseBytes)}` : DASH;
      },
      (r) => {
        const idle = postgresIdle(r);
        return idle ? `${mib(idle.rssAfterBytes)} (pools kept)` : DASH;
      },
    ),
    split(
      'RSS after reopening one of them',
      (r) => mib(pgliteIdle(r)?.rssAfterReopenBytes),
      () => 'n/a',
    ),
    split(
      'JS heap growth per pool',
      () => 'n/a',
      (r) => {
        const idle = postgresIdle(r);
        return idle ? size(idle.heapGrowthPerPoolBytes) : DASH;
      },
    ),
    split(
      'server connections kept per idle pool',
      () => 'n/a (in process)',
      (r) => {
        const idle = postgresIdle(r);
        return idle
          ? `${idle.connectionsPerTenant.median ?? DASH} (max ${idle.connectionsPerTenant.max ?? DASH}), idle ${idle.idleConnectionsPerTenant.median ?? DASH}`
          : DASH;
      },
    ),
    split(
      'server memory per idle backend PSS / private',
      () => 'n/a',
      (r) => {
        const idle = postgresIdle(r);
        if (!idle) {
          return DASH;
        }
        return idle.backendPssBytes && idle.backendPrivateBytes
          ? `${mib(idle.backendPssBytes.median)} / ${mib(idle.backendPrivateBytes.median)}`
          : 'not readable (/proc)';
      },
    ),
    split(
      'idle connections closed by the pool after',
      () => 'n/a',
      (r) => {
        const idle = postgresIdle(r);
        if (!idle) {
          return DASH;
        }
        return idle.idleConnectionsGoneAfterMs !== undefined
          ? seconds(idle.idleConnectionsGoneAfterMs)
          : `not within ${seconds(idle.waitedMs)}`;
      },
    ),
    ['OPENING AN EXISTING TENANT COLD', '', ''],
    split(
      'first query, cold median / p90',
      (r) => spread(pgliteIdle(r)?.coldOpenMs, millis),
      (r) => spread(postgresIdle(r)?.coldOpenMs, millis),
    ),
    split(
      'reopen after close',
      (r) => millis(pgliteIdle(r)?.reopenMs),
      () => 'n/a',
    ),
    split(
      'same query, warm median',
      (r) => millis(pgliteIdle(r)?.warmQueryMs.median),
      (r) => millis(postgresIdle(r)?.warmQueryMs.median),
    ),
  ];
}

/** The human-readable part: a three-column table and the notes under it. */
export function formatTable(reports: readonly EngineReport[], heading: string): string {
  const columns: Columns = {
    pglite: reports.find((r) => r.engine === 'pglite'),
    postgres: reports.find((r) => r.engine === 'postgres'),
  };
  const all: Row[] = [['', 'PGlite (embedded)', 'PostgreSQL'], ...rows(columns)];
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((row) => row[i as 0 | 1 | 2].length)));
  const line = (row: Row) =>
    row[1] === '' && row[2] === '' && row[0] !== ''
      ? `\n${row[0]}`
      : row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [heading, '', ...all.map(line), '', ...notes(reports)];
  return out.join('\n') + '\n';
}

function notes(reports: readonly EngineReport[]): string[] {
  const out: string[] = [];
  for (const report of reports) {
    const name = report.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
    if (report.status !== 'measured') {
      out.push(`${name} ${report.status}: ${report.reason}`);
      continue;
    }
    if (report.idleError) {
      out.push(`${name}: idle-tenant measurement failed: ${report.idleError}`);
    }
    const idle = report.idle;
    if (idle?.engine === 'pglite') {
      const steps = idle.opens.map((o, i) => `#${i + 1} ${millis(o.ms)} → RSS ${mib(o.rssBytes)}`).join(', ');
      out.push(`PGlite opens one after another (RSS baseline ${mib(idle.rssBaselineBytes)}): ${steps}.`);
      const kept = idle.rssAfterCloseBytes - idle.rssBaselineBytes;
      out.push(
        'PGlite: each open tenant is a whole PostgreSQL instance in the process. ' +
          (kept > idle.rssGrowthPerTenantBytes / 2
            ? `Closing them kept ${mib(kept)} above the baseline (WASM memory not handed back); `
            : `In this run closing them brought RSS back to ${mib(idle.rssAfterCloseBytes)} (baseline ` +
              `${mib(idle.rssBaselineBytes)}), so their WASM memory was freed, but the high-water mark is what the host must have; `) +
          'the bound KANRI_MAX_OPEN_PGLITE sets it.',
      );
    }
    if (idle?.engine === 'postgres') {
      out.push(
        'PostgreSQL: a tenant pool keeps the connection its query used until idleTimeoutMillis (30 s) passes, and the ' +
          'handle itself is closed after 5 idle minutes; once its pool has closed its idle connections, an idle tenant ' +
          'costs the server only its disk, and the app only the small pool object.',
      );
    }
  }
  return out;
}

/** One JSON line with every number (fractions rounded to 0.1; NaN becomes null). */
export function formatJson(summary: Record<string, unknown>): string {
  return (
    JSON.stringify(summary, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isInteger(value)) {
        return Math.round(value * 10) / 10;
      }
      return value;
    }) + '\n'
  );
}
