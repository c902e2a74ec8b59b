/**
 * Provisioning through the real service, `createTenant`, as the CLI does it: registry row, database
 * copied from the migrated template, default data, first administrator (one argon2 hash). The first
 * tenant also pays for building the template. Then the disk each idle tenant takes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '#src/config/config.ts';
import { hashPassword } from '#src/features/account/password.ts';
import { openPlatform } from '#src/platform/platform.ts';
import { createTenant, listTenants, type Tenant } from '#src/platform/tenant.service.ts';
import type { DeploymentSpec } from './deployment.ts';
import { folderBytes, peakRss, summarize, timed, type Summary } from './measure.ts';

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

export interface ProvisioningResult {
  /** Opening (and migrating) an empty control plane. */
  readonly platformOpenMs: number;
  /** The first tenant, template build included. */
  readonly firstTenantMs: number;
  /** The tenants after the first, from the existing template. */
  readonly nextTenantsMs: Summary;
  /** One argon2id hash with the production parameters, alone: the share of it in each tenant above. */
  readonly argon2HashMs: Summary;
  readonly tenantDisk: TenantDisk;
  /** Peak RSS of this process while provisioning. */
  readonly peakRssBytes: number;
}

export interface TenantDisk {
  /** Bytes per idle tenant (PGlite: its folder; PostgreSQL: pg_database_size). */
  readonly perTenantBytes: Summary;
  /** The migrated template: the tarball on PGlite, the template database on PostgreSQL. */
  readonly templateBytes: number | undefined;
}

/** Creates `1 + next` tenants in the deployment and measures each; closes the platform afterwards. */
export async function measureProvisioning(deployment: DeploymentSpec, next: number): Promise<ProvisioningResult> {
  const config = loadConfig(deployment.env, deployment.dataDir);
  const opened = await timed(() => openPlatform(config));
  const platform = opened.value;
  const samples: number[] = [];
  let tenants: Tenant[];
  try {
    for (let i = 0; i <= next; i++) {
      const { ms } = await timed(() =>
        createTenant(platform, {
          account: `bench-${String(i).padStart(3, '0')}`,
          language: 'en',
          adminEmail: `admin${i}@bench.example.com`,
          adminPassword: BENCH_ADMIN_PASSWORD,
          actor: 'bench',
        }),
      );
      samples.push(ms);
    }
    tenants = await listTenants(platform);
  } finally {
    await platform.close();
  }
  const hashes: number[] = [];
  for (let i = 0; i < 5; i++) {
    hashes.push((await timed(() => hashPassword(BENCH_ADMIN_PASSWORD))).ms);
  }
  const [first = NaN, ...rest] = samples;
  return {
    platformOpenMs: opened.ms,
    firstTenantMs: first,
    nextTenantsMs: summarize(rest),
    argon2HashMs: summarize(hashes),
    // Measured with every handle closed, so PGlite has written everything out.
    tenantDisk: deployment.engine === 'pglite' ? await pgliteDisk(deployment, tenants) : await postgresDisk(deployment, tenants),
    peakRssBytes: peakRss(),
  };
}

async function pgliteDisk(deployment: DeploymentSpec, tenants: readonly Tenant[]): Promise<TenantDisk> {
  const sizes: number[] = [];
  for (const tenant of tenants) {
    if (tenant.placement.engine === 'pglite') {
      sizes.push(await folderBytes(join(deployment.dataDir, tenant.placement.dataPath)));
    }
  }
  const templates = join(deployment.dataDir, 'templates');
  return {
    perTenantBytes: summarize(sizes),
    templateBytes: existsSync(templates) ? await folderBytes(templates) : undefined,
  };
}

async function postgresDisk(deployment: DeploymentSpec, tenants: readonly Tenant[]): Promise<TenantDisk> {
  const names = tenants.flatMap((t) => (t.placement.engine === 'postgres' ? [t.placement.databaseName] : []));
  const client = new pg.Client({ connectionString: deployment.env.DATABASE_URL });
  await client.connect();
  try {
    const sizes = await client.query<{ bytes: string }>(
      'SELECT pg_database_size(datname)::text AS bytes FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    const template = await client.query<{ bytes: string }>(
      "SELECT pg_database_size(datname)::text AS bytes FROM pg_database WHERE starts_with(datname, $1) LIMIT 1",
      [`${deployment.prefix}_template_`],
    );
    return {
      perTenantBytes: summarize(sizes.rows.map((r) => Number(r.bytes))),
      templateBytes: template.rows[0] ? Number(template.rows[0].bytes) : undefined,
    };
  } finally {
    await client.end();
  }
}
