/**
 * What an idle tenant costs in memory, and how long its database takes to open cold. Run in a fresh
 * child process (with --expose-gc) over an already provisioned deployment, so neither provisioning
 * nor the other engine has grown the process being measured.
 */
import { loadConfig } from '#src/config/config.ts';
import { openPlatform, type Platform } from '#src/platform/platform.ts';
import { listTenants, type Tenant } from '#src/platform/tenant.service.ts';
import type { DeploymentSpec } from './deployment.ts';
import { processMemory, rss, settle, summarize, timed, type Summary } from './measure.ts';

export interface IdleTenantInput {
  readonly deployment: DeploymentSpec;
  /** How many tenants to open one after another. */
  readonly open: number;
  /** Most seconds to wait for PostgreSQL pools to close their idle connections (0: don't wait). */
  readonly waitIdleCloseSeconds: number;
}

export interface PgliteIdleResult {
  readonly engine: 'pglite';
  /** RSS of the child before the control plane (itself a PGlite instance) was opened. */
  readonly rssBeforePlatformBytes: number;
  /** RSS with only the control plane open: the baseline for the tenants below. */
  readonly rssBaselineBytes: number;
  /** Per tenant opened (in order): the cold open time and the RSS after it. */
  readonly opens: readonly { readonly ms: number; readonly rssBytes: number }[];
  readonly coldOpenMs: Summary;
  readonly warmQueryMs: Summary;
  /** Mean RSS growth per tenant opened. */
  readonly rssGrowthPerTenantBytes: number;
  /** RSS once all of them were closed again. */
  readonly rssAfterCloseBytes: number;
  /** RSS after one of them was opened again. */
  readonly rssAfterReopenBytes: number;
  readonly reopenMs: number;
}

export interface PostgresIdleResult {
  readonly engine: 'postgres';
  readonly pools: number;
  readonly rssBaselineBytes: number;
  readonly rssAfterBytes: number;
  readonly rssGrowthPerPoolBytes: number;
  readonly heapGrowthPerPoolBytes: number;
  readonly coldOpenMs: Summary;
  readonly warmQueryMs: Summary;
  /** Server connections per tenant database right after its one query (all of them idle). */
  readonly connectionsPerTenant: Summary;
  readonly idleConnectionsPerTenant: Summary;
  /** Memory of one idle server backend (Linux, local server, readable /proc), else undefined. */
  readonly backendPssBytes: Summary | undefined;
  readonly backendPrivateBytes: Summary | undefined;
  /** When the pools had closed every idle connection; undefined when not waited for or not reached. */
  readonly idleConnectionsGoneAfterMs: number | undefined;
  readonly waitedMs: number;
}

export type IdleTenantResult = PgliteIdleResult | PostgresIdleResult;

/** Opens the deployment's platform and measures; meant for a fresh process (see phase.child.ts). */
export async function measureIdleTenant(input: IdleTenantInput): Promise<IdleTenantResult> {
  const { deployment } = input;
  await settle();
  const rssBeforePlatform = rss();
  const platform = await openPlatform(loadConfig(deployment.env, deployment.dataDir));
  try {
    const tenants = (await listTenants(platform)).slice(0, input.open);
    return deployment.engine === 'pglite'
      ? await measurePglite(platform, tenants, rssBeforePlatform)
      : await measurePostgres(platform, tenants, input.waitIdleCloseSeconds);
  } finally {
    await platform.close();
  }
}

const selectOne = (platform: Platform, tenant: Tenant) =>
  timed(() => platform.tenantDatabases.use(tenant, (db) => db.query('SELECT 1')));

async function warmQueries(platform: Platform, tenants: readonly Tenant[]): Promise<number[]> {
  const samples: number[] = [];
  for (const tenant of tenants) {
    samples.push((await selectOne(platform, tenant)).ms);
  }
  return samples;
}

async function measurePglite(platform: Platform, tenants: readonly Tenant[], rssBeforePlatform: number): Promise<PgliteIdleResult> {
  await settle();
  const baseline = rss();
  const opens: { ms: number; rssBytes: number }[] = [];
  for (const tenant of tenants) {
    const { ms } = await selectOne(platform, tenant);
    await settle();
    opens.push({ ms, rssBytes: rss() });
  }
  if (platform.tenantDatabases.openCount !== tenants.length) {
    throw new Error(`expected ${tenants.length} open tenant databases, found ${platform.tenantDatabases.openCount}`);
  }
  const warm = await warmQueries(platform, tenants);
  for (const tenant of tenants) {
    await platform.tenantDatabases.evict(tenant.id);
  }
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await settle();
  const afterClose = rss();
  const [again] = tenants;
  const reopen = again ? await selectOne(platform, again) : { ms: NaN };
  await settle();
  const last = opens.at(-1)?.rssBytes ?? baseline;
  return {
    engine: 'pglite',
    rssBeforePlatformBytes: rssBeforePlatform,
    rssBaselineBytes: baseline,
    opens,
    coldOpenMs: summarize(opens.map((o) => o.ms)),
    warmQueryMs: summarize(warm),
    rssGrowthPerTenantBytes: opens.length > 0 ? (last - baseline) / opens.length : NaN,
    rssAfterCloseBytes: afterClose,
    rssAfterReopenBytes: rss(),
    reopenMs: reopen.ms,
  };
}

async function measurePostgres(platform: Platform, tenants: readonly Tenant[], waitSeconds: number): Promise<PostgresIdleResult> {
  const names = tenants.flatMap((t) => (t.placement.engine === 'postgres' ? [t.placement.databaseName] : []));
  // Warm the driver and the control plane's pool so the first tenant isn't charged for them.
  await platform.db.query('SELECT 1');
  await settle();
  const baseline = rss();
  const heapBaseline = process.memoryUsage().heapUsed;
  const cold: number[] = [];
  for (const tenant of tenants) {
    cold.push((await selectOne(platform, tenant)).ms);
  }
  await settle();
  const after = rss();
  const heapAfter = process.memoryUsage().heapUsed;
  const warm = await warmQueries(platform, tenants);

  const activity = await platform.db.query<{ datname: string; pid: number; state: string | null }>(
    'SELECT datname, pid, state FROM pg_stat_activity WHERE datname = ANY($1)',
    [names],
  );
  const perDb = (filter: (state: string | null) => boolean) =>
    names.map((name) => activity.filter((a) => a.datname === name && filter(a.state)).length);
  const memory = isLocalServer(platform)
    ? (await Promise.all(activity.map((a) => processMemory(a.pid)))).filter((m) => m !== undefined)
    : [];

  const start = Date.now();
  let goneAfter: number | undefined;
  while (Date.now() - start < waitSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [row] = await platform.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ANY($1)',
      [names],
    );
    if (row?.n === 0) {
      goneAfter = Date.now() - start;
      break;
    }
  }
  return {
    engine: 'postgres',
    pools: tenants.length,
    rssBaselineBytes: baseline,
    rssAfterBytes: after,
    rssGrowthPerPoolBytes: tenants.length > 0 ? (after - baseline) / tenants.length : NaN,
    heapGrowthPerPoolBytes: tenants.length > 0 ? (heapAfter - heapBaseline) / tenants.length : NaN,
    coldOpenMs: summarize(cold),
    warmQueryMs: summarize(warm),
    connectionsPerTenant: summarize(perDb(() => true)),
    idleConnectionsPerTenant: summarize(perDb((state) => state === 'idle')),
    backendPssBytes: memory.length > 0 ? summarize(memory.map((m) => m.pss)) : undefined,
    backendPrivateBytes: memory.length > 0 ? summarize(memory.map((m) => m.private)) : undefined,
    idleConnectionsGoneAfterMs: goneAfter,
    waitedMs: Date.now() - start,
  };
}

function isLocalServer(platform: Platform): boolean {
  const url = platform.config.databaseUrl;
  if (!url) {
    return false;
  }
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '';
}
