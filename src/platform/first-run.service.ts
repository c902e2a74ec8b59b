/**
 * The embedded default's first run: with no DATABASE_URL and no tenant yet, make tenant `demo` (REST
 * API on, so an integrator can try it at once) and serve it on hosts that name no tenant.
 */
import type { Platform } from './platform.ts';
import { listTenants } from './tenant.repository.ts';
import { createTenant, type CreatedTenant } from './tenant.service.ts';

export const DEMO_ACCOUNT = 'demo';

export async function bootstrapFirstRun(platform: Platform): Promise<CreatedTenant | undefined> {
  if (platform.config.databaseUrl || (await listTenants(platform.db.orm)).length > 0) {
    return undefined;
  }
  const created = await createTenant(platform, {
    account: DEMO_ACCOUNT,
    name: 'Demo',
    language: 'en',
    adminEmail: 'admin@example.com',
    restApi: true,
    actor: 'first-run',
  });
  await platform.rememberDefaultTenant(DEMO_ACCOUNT);
  return created;
}
