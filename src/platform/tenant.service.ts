/**
 * Operator use cases on tenants: create (database, default data, first administrator), list, show,
 * suspend, resume, delete, change a setting. The CLI and, later, the operator console call these.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '#src/errors.ts';
import { createUser, generatePassword } from '#src/features/account/index.ts';
import { loadDefaultData, type DefaultDataLanguage } from '#src/features/onboarding/default-data.ts';
import { isSettingName, loadSettings, updateSetting } from '#src/features/settings/index.ts';
import { changeSettings } from '#src/features/settings/settings.service.ts';
import { latestVersion } from '#src/db/migrator.ts';
import type { Placement } from '#src/tenancy/placement.ts';
import { accountNameProblem } from './account-name.ts';
import type { Platform } from './platform.ts';
import { tenantUrl } from './tenant-url.ts';
import {
  appendEvent,
  countTenantsByServer,
  deleteTenantRow,
  findTenantByAccount,
  insertTenant,
  listTenants as selectTenants,
  nextTenantId,
  updateTenantSchemaVersion,
  updateTenantStatus,
  type Tenant,
} from './tenant.repository.ts';

export type { Tenant } from './tenant.repository.ts';

export interface CreateTenantInput {
  account: string;
  name?: string | undefined;
  plan?: string | undefined;
  language: DefaultDataLanguage;
  adminEmail: string;
  adminLogin?: string | undefined;
  /** When absent a one-time password is generated and returned. */
  adminPassword?: string | undefined;
  restApi?: boolean | undefined;
  /** Who asks (an operator login, `cli`, `first-run`), for the event log. */
  actor: string;
}

export interface CreatedTenant {
  tenant: Tenant;
  adminLogin: string;
  /** The generated one-time password; undefined when the caller supplied one. */
  oneTimePassword: string | undefined;
}

const LANGUAGES: readonly string[] = ['en', 'ja'];

/**
 * Provisions a tenant: registry row, database copied from the migrated template, Redmine's default
 * data in the chosen language, the first administrator. Any failure removes everything it made.
 */
export async function createTenant(platform: Platform, input: CreateTenantInput): Promise<CreatedTenant> {
  const problem = accountNameProblem(input.account);
  const errors: string[] = [];
  if (problem) {
    errors.push(`Account name "${input.account}" ${problem}`);
  }
  if (!LANGUAGES.includes(input.language)) {
    errors.push(`Language must be one of ${LANGUAGES.join(', ')}`);
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const orm = platform.db.orm;
  if (await findTenantByAccount(orm, input.account)) {
    throw new ConflictError(`account "${input.account}" is already taken`);
  }
  const id = await nextTenantId(platform.db);
  const placement = await choosePlacement(platform, id, input.account);
  try {
    await insertTenant(orm, {
      id,
      account: input.account,
      name: input.name ?? input.account,
      plan: input.plan ?? 'standard',
      language: input.language,
      placement,
    });
  } catch (error) {
    // Two creations of one account racing: the unique index lets one win.
    if (await findTenantByAccount(orm, input.account)) {
      throw new ConflictError(`account "${input.account}" is already taken`);
    }
    throw error;
  }
  const adminLogin = input.adminLogin ?? 'admin';
  const oneTimePassword = input.adminPassword === undefined ? generatePassword() : undefined;
  try {
    await platform.provisioner.create(placement);
    const version = await latestVersion('tenant');
    await platform.tenantDatabases.use({ id, placement, schemaVersion: version }, (db) =>
      db.orm.transaction(async (tx) => {
        const now = new Date();
        await loadDefaultData(tx, input.language);
        await updateSetting(tx, 'default_language', input.language, now);
        await updateSetting(tx, 'login_required', '1', now);
        if (input.restApi) {
          await updateSetting(tx, 'rest_api_enabled', '1', now);
        }
        await createUser(
          tx,
          {
            login: adminLogin,
            password: input.adminPassword ?? oneTimePassword ?? '',
            firstname: 'Redmine',
            lastname: 'Admin',
            mail: input.adminEmail,
            admin: true,
            language: input.language,
            mustChangePasswd: oneTimePassword !== undefined,
            minPasswordLength: 8,
          },
          now,
        );
      }),
    );
    await updateTenantSchemaVersion(orm, id, version);
    await updateTenantStatus(orm, id, 'active');
    await appendEvent(orm, {
      actor: input.actor,
      kind: 'tenant.created',
      tenantId: id,
      account: input.account,
      detail: { placement, language: input.language, adminLogin },
    });
  } catch (error) {
    await platform.tenantDatabases.evict(id);
    await platform.provisioner.drop(placement).catch(() => {});
    await deleteTenantRow(orm, id).catch(() => {});
    throw error;
  }
  const tenant = await findTenantByAccount(orm, input.account);
  if (!tenant) {
    throw new Error('tenant vanished after creation');
  }
  return { tenant, adminLogin, oneTimePassword };
}

/** Puts a new tenant on the PostgreSQL server holding the fewest tenants, or in a new PGlite folder. */
async function choosePlacement(platform: Platform, id: number, account: string): Promise<Placement> {
  const { config } = platform;
  if (!config.databaseUrl) {
    return { engine: 'pglite', dataPath: `tenants/${account}-${randomBytes(3).toString('hex')}` };
  }
  const names = config.tenantServers.map((s) => s.name);
  const counts = await countTenantsByServer(platform.db.orm, names);
  const [serverName = 'main'] = [...names].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0));
  return { engine: 'postgres', serverName, databaseName: `${config.databasePrefix}_t${id}` };
}

export async function listTenants(platform: Platform): Promise<Tenant[]> {
  return selectTenants(platform.db.orm);
}

export async function getTenant(platform: Platform, account: string): Promise<Tenant> {
  const tenant = await findTenantByAccount(platform.db.orm, account);
  if (!tenant) {
    throw new NotFoundError(`no tenant "${account}"`);
  }
  return tenant;
}

export async function suspendTenant(platform: Platform, account: string, actor: string): Promise<Tenant> {
  return changeStatus(platform, account, actor, 'active', 'suspended');
}

export async function resumeTenant(platform: Platform, account: string, actor: string): Promise<Tenant> {
  return changeStatus(platform, account, actor, 'suspended', 'active');
}

async function changeStatus(
  platform: Platform,
  account: string,
  actor: string,
  from: 'active' | 'suspended',
  to: 'active' | 'suspended',
): Promise<Tenant> {
  const tenant = await getTenant(platform, account);
  if (tenant.status !== from) {
    throw new ConflictError(`tenant "${account}" is ${tenant.status}, not ${from}`);
  }
  await updateTenantStatus(platform.db.orm, tenant.id, to);
  await appendEvent(platform.db.orm, {
    actor,
    kind: to === 'suspended' ? 'tenant.suspended' : 'tenant.resumed',
    tenantId: tenant.id,
    account,
  });
  return getTenant(platform, account);
}

/** Drops the tenant's database and registry row; the event log keeps the record of it. */
export async function deleteTenant(platform: Platform, account: string, actor: string): Promise<void> {
  const tenant = await getTenant(platform, account);
  await platform.tenantDatabases.evict(tenant.id);
  await platform.provisioner.drop(tenant.placement);
  await deleteTenantRow(platform.db.orm, tenant.id);
  await appendEvent(platform.db.orm, {
    actor,
    kind: 'tenant.deleted',
    tenantId: tenant.id,
    account,
    detail: { placement: tenant.placement },
  });
}

/**
 * Changes one of the tenant's own settings (Redmine's names, e.g. `rest_api_enabled=1`) as the
 * administrators' settings page does, with what follows (settings.service.ts): audited, e-mailed to
 * the tenant's administrators when it is a security setting, 2FA unpaired when `twofa` turns to 0.
 */
export async function setTenantSetting(
  platform: Platform,
  account: string,
  name: string,
  value: string,
  actor: string,
): Promise<void> {
  if (!isSettingName(name)) {
    throw new ValidationError([`Setting ${name} is unknown`]);
  }
  const tenant = await getTenant(platform, account);
  await platform.tenantDatabases.use(tenant, async (db) => {
    const mail = { mailer: platform.mailer, tenant, settings: await loadSettings(db.orm), baseUrl: tenantUrl(platform.config, account).replace(/\/$/, '') };
    await changeSettings({ db, mail, source: { actorId: null, actorName: 'operator', ip: '', userAgent: actor }, now: new Date() }, { [name]: value });
  });
  await appendEvent(platform.db.orm, {
    actor,
    kind: 'tenant.setting_changed',
    tenantId: tenant.id,
    account,
    detail: { name, value },
  });
}
