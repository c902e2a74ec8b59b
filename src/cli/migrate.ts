/** `kanri migrate`: the control plane (on open) and then every tenant that is behind. */
import { upgradeTenants } from '#src/platform/upgrade.service.ts';
import { UsageError, type CliIo } from './output.ts';
import { withPlatform } from './with-platform.ts';

export async function runMigrate(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    throw new UsageError('migrate takes no arguments');
  }
  const results = await withPlatform(io, upgradeTenants);
  let failed = 0;
  for (const r of results) {
    if (r.error) {
      failed++;
      io.err(`kanri: tenant ${r.account}: ${r.error}`);
    } else {
      io.out(`Migrated tenant ${r.account}`);
    }
  }
  io.out(`Migrations done: ${results.length - failed} tenant(s) upgraded, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
