/**
 * The control plane of a running process: its database (PGlite under the data directory, or
 * DATABASE_URL), the master secret, and the handles on tenant databases. The web server and every
 * CLI command open one, use it, and close it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '#src/config/config.ts';
import { openPglite, openPostgres, type Database } from '#src/db/database.ts';
import { migrate } from '#src/db/migrator.ts';
import { assertReachable, ensureDatabase } from '#src/db/postgres-server.ts';
import { UnavailableError } from '#src/errors.ts';
import type { Logger } from '#src/logging/logger.ts';
import { createMailer, type Mailer } from '#src/mail/mailer.ts';
import { setHashCost } from '#src/features/account/password.ts';
import { lockDataDir, type DataDirLock } from '#src/tenancy/data-dir-lock.ts';
import { Provisioner } from '#src/tenancy/provisioner.ts';
import { TenantDatabases } from '#src/tenancy/tenant-databases.ts';
import { initPlatformSetting, readPlatformSetting, updateTenantSchemaVersion } from './tenant.repository.ts';

export interface Platform {
  readonly config: Config;
  readonly db: Database;
  /** Master secret: keys for cookies and tokens are derived from it. */
  readonly secret: string;
  readonly provisioner: Provisioner;
  readonly tenantDatabases: TenantDatabases;
  /** Outgoing mail (SMTP_URL, or files under the data directory). */
  readonly mailer: Mailer;
  /** The tenant for hosts that name none: DEFAULT_TENANT, or what the embedded first run chose. */
  readonly defaultTenant: string | undefined;
  /** Records the default tenant chosen by the embedded first run (DEFAULT_TENANT still wins). */
  rememberDefaultTenant(account: string): Promise<void>;
  /** True when this open created the control plane (an empty data directory or database). */
  readonly isFirstRun: boolean;
  close(): Promise<void>;
}

export async function openPlatform(config: Config, logger?: Logger): Promise<Platform> {
  setHashCost(config.passwordHashCost);
  let lock: DataDirLock | undefined;
  let db: Database | undefined;
  try {
    if (config.databaseUrl) {
      await ensureDatabase(config.databaseUrl);
      db = openPostgres({ url: config.databaseUrl, max: 5, applicationName: 'kanri-platform' });
      await assertReachable(db, config.databaseUrl);
    } else {
      lock = await lockDataDir(config.dataDir);
      db = await openPglite({ dataDir: join(config.dataDir, 'platform') }).catch((error: unknown) => {
        throw new UnavailableError(`cannot open the embedded database in ${config.dataDir}: ${String(error)}`);
      });
    }
    const applied = await migrate(db, 'platform');
    if (applied.length > 0) {
      logger?.info({ category: 'migration', applied }, 'control plane migrated');
    }
    const isFirstRun = applied.includes('20261125000001');
    const secret = config.secret ?? (await initPlatformSetting(db.orm, 'secret_key_base', randomBytes(48).toString('base64url')));
    let defaultTenant = config.defaultTenant ?? (await readPlatformSetting(db.orm, 'default_tenant'));
    const platformDb = db;
    const provisioner = new Provisioner(config);
    const tenantDatabases = new TenantDatabases({
      provisioner,
      maxOpenPglite: config.maxOpenPglite,
      onMigrated: (tenantId, version) => updateTenantSchemaVersion(platformDb.orm, tenantId, version),
    });
    const heldLock = lock;
    const mailer = createMailer({ smtpUrl: config.smtpUrl, fileDir: join(config.dataDir, 'mail'), logger });
    return {
      config,
      db,
      secret,
      provisioner,
      tenantDatabases,
      mailer,
      get defaultTenant() {
        return defaultTenant;
      },
      async rememberDefaultTenant(account) {
        await initPlatformSetting(platformDb.orm, 'default_tenant', account);
        defaultTenant = config.defaultTenant ?? account;
      },
      isFirstRun,
      async close() {
        mailer.close();
        await tenantDatabases.closeAll();
        await provisioner.close();
        await platformDb.close();
        await heldLock?.release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}
