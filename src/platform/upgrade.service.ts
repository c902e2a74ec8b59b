/** Brings every tenant database up to the repository's newest migration (start-up and `kanri migrate`). */
import { latestVersion } from '#src/db/migrator.ts';
import type { Platform } from './platform.ts';
import { listTenants } from './tenant.repository.ts';

export interface UpgradeResult {
  readonly account: string;
  readonly from: string;
  readonly error?: string;
}

/**
 * Migrates the tenants whose recorded schema is behind, one at a time (each is opened, migrated
 * under its lock, and left to the handle cache). A tenant that fails is reported, not fatal.
 */
export async function upgradeTenants(platform: Platform): Promise<UpgradeResult[]> {
  const latest = await latestVersion('tenant');
  const results: UpgradeResult[] = [];
  for (const tenant of await listTenants(platform.db.orm)) {
    if (tenant.status === 'provisioning' || tenant.schemaVersion >= latest) {
      continue;
    }
    try {
      await platform.tenantDatabases.use(tenant, async () => {});
      results.push({ account: tenant.account, from: tenant.schemaVersion });
    } catch (error) {
      results.push({ account: tenant.account, from: tenant.schemaVersion, error: (error as Error).message });
    }
  }
  return results;
}
