/** `kanri tenant list|show|suspend|resume|delete|set|import-redmine-secrets` (create and the import have their own files). */
import { parseArgs } from 'node:util';
import {
  deleteTenant,
  getTenant,
  listTenants,
  resumeTenant,
  setTenantSetting,
  suspendTenant,
  type Tenant,
} from '#src/platform/tenant.service.ts';
import { describePlacement } from '#src/tenancy/placement.ts';
import { UsageError, type CliIo } from './output.ts';
import { runTenantCreate } from './tenant-create.ts';
import { runTenantImportRedmineSecrets } from './tenant-import-redmine-secrets.ts';
import { withPlatform } from './with-platform.ts';

export async function runTenant(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create':
      return runTenantCreate(rest, io);
    case 'list':
      return runList(rest, io);
    case 'show':
      return runShow(rest, io);
    case 'suspend':
    case 'resume':
      return runStatus(verb, rest, io);
    case 'delete':
      return runDelete(rest, io);
    case 'set':
      return runSet(rest, io);
    case 'import-redmine-secrets':
      return runTenantImportRedmineSecrets(rest, io);
    case undefined:
      throw new UsageError('tenant needs a command');
    default:
      throw new UsageError(`unknown tenant command "${verb}"`);
  }
}

function toJson(t: Tenant) {
  return {
    id: t.id,
    account: t.account,
    name: t.name,
    plan: t.plan,
    status: t.status,
    language: t.language,
    placement: t.placement,
    schema_version: t.schemaVersion,
    created_at: t.createdAt.toISOString(),
    cancelled_at: t.cancelledAt?.toISOString() ?? null,
  };
}

async function runList(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const tenants = await withPlatform(io, listTenants);
  if (values.json) {
    io.out(JSON.stringify(tenants.map(toJson)));
    return 0;
  }
  for (const t of tenants) {
    io.out([t.account.padEnd(24), t.status.padEnd(12), t.plan.padEnd(10), describePlacement(t.placement)].join(' '));
  }
  return 0;
}

function oneAccount(args: string[], extra: Record<string, { type: 'boolean'; default: boolean }> = {}) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: extra });
  if (positionals.length !== 1 || !positionals[0]) {
    throw new UsageError('expected one ACCOUNT');
  }
  return { account: positionals[0], values };
}

async function runShow(args: string[], io: CliIo): Promise<number> {
  const { account, values } = oneAccount(args, { json: { type: 'boolean', default: false } });
  const tenant = await withPlatform(io, (p) => getTenant(p, account));
  if (values.json) {
    io.out(JSON.stringify(toJson(tenant)));
    return 0;
  }
  for (const [key, value] of Object.entries({ ...toJson(tenant), placement: describePlacement(tenant.placement) })) {
    io.out(`${key.padEnd(15)} ${value ?? ''}`);
  }
  return 0;
}

async function runStatus(verb: 'suspend' | 'resume', args: string[], io: CliIo): Promise<number> {
  const { account } = oneAccount(args);
  const tenant = await withPlatform(io, (p) =>
    verb === 'suspend' ? suspendTenant(p, account, 'cli') : resumeTenant(p, account, 'cli'),
  );
  io.out(`Tenant ${tenant.account} is ${tenant.status}`);
  return 0;
}

async function runDelete(args: string[], io: CliIo): Promise<number> {
  const { account, values } = oneAccount(args, { yes: { type: 'boolean', default: false } });
  if (!values.yes) {
    throw new UsageError(`tenant delete removes ${account}'s database and files for good: add --yes to confirm`);
  }
  await withPlatform(io, (p) => deleteTenant(p, account, 'cli'));
  io.out(`Deleted tenant ${account}`);
  return 0;
}

async function runSet(args: string[], io: CliIo): Promise<number> {
  const [account, ...pairs] = args;
  if (!account || pairs.length === 0) {
    throw new UsageError('tenant set needs ACCOUNT and at least one NAME=VALUE');
  }
  const assignments = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      throw new UsageError(`"${pair}" is not NAME=VALUE`);
    }
    return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
  });
  await withPlatform(io, async (p) => {
    for (const [name, value] of assignments) {
      await setTenantSetting(p, account, name, value, 'cli');
    }
  });
  for (const [name, value] of assignments) {
    io.out(`${account}: ${name} = ${value}`);
  }
  return 0;
}
