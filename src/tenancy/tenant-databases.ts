/**
 * Open handles on tenant databases, shared by every request of the process. PostgreSQL tenants get a
 * small pool each; PGlite tenants are whole PostgreSQL instances in this process (hundreds of MiB
 * each), so only a bounded number stay open: the least recently used idle one is closed to make room,
 * and any left idle for a while are closed by a sweep.
 *
 * A handle is leased: `acquire` counts the lease and `release` ends it; an instance is closed only
 * when nobody holds it. Opening a database whose schema is behind runs the migrations first.
 */
import type { Database } from '#src/db/database.ts';
import { latestVersion, migrate } from '#src/db/migrator.ts';
import type { Placement } from './placement.ts';
import type { Provisioner } from './provisioner.ts';

export interface TenantHandleKey {
  readonly id: number;
  readonly placement: Placement;
  readonly schemaVersion: string;
}

export interface Lease {
  readonly db: Database;
  readonly release: () => void;
}

interface Entry {
  readonly opening: Promise<Database>;
  readonly engine: Placement['engine'];
  leases: number;
  lastUsed: number;
}

export interface TenantDatabasesOptions {
  readonly provisioner: Provisioner;
  /** Most PGlite instances kept open when idle. */
  readonly maxOpenPglite: number;
  /** A handle unused this long is closed by the sweep. */
  readonly idleMillis?: number;
  /** Told when a tenant database was brought up to `version`, so the registry can record it. */
  readonly onMigrated?: (tenantId: number, version: string) => Promise<void>;
}

export class TenantDatabases {
  readonly #entries = new Map<number, Entry>();
  readonly #options: TenantDatabasesOptions;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(options: TenantDatabasesOptions) {
    this.#options = options;
    const idle = options.idleMillis ?? 5 * 60_000;
    this.#sweeper = setInterval(() => void this.closeIdle(idle), Math.max(1000, Math.min(idle, 60_000)));
    this.#sweeper.unref();
  }

  /** Opens (or reuses) the tenant's database and leases it to the caller until `release()`. */
  async acquire(tenant: TenantHandleKey): Promise<Lease> {
    if (this.#closed) {
      throw new Error('tenant databases are closed');
    }
    let entry = this.#entries.get(tenant.id);
    if (!entry) {
      entry = { opening: this.#open(tenant), engine: tenant.placement.engine, leases: 0, lastUsed: Date.now() };
      this.#entries.set(tenant.id, entry);
      entry.opening.catch(() => this.#entries.delete(tenant.id));
    }
    entry.leases++;
    entry.lastUsed = Date.now();
    let db: Database;
    try {
      db = await entry.opening;
    } catch (error) {
      entry.leases--;
      throw error;
    }
    const held = entry;
    let released = false;
    return {
      db,
      release: () => {
        if (released) {
          return;
        }
        released = true;
        held.leases--;
        held.lastUsed = Date.now();
        if (held.engine === 'pglite') {
          void this.#trimPglite();
        }
      },
    };
  }

  /** Leases the tenant's database for the duration of `fn`. */
  async use<T>(tenant: TenantHandleKey, fn: (db: Database) => Promise<T>): Promise<T> {
    const lease = await this.acquire(tenant);
    try {
      return await fn(lease.db);
    } finally {
      lease.release();
    }
  }

  /** Closes the handle of one tenant (before its database is dropped). Waits for no leases. */
  async evict(tenantId: number): Promise<void> {
    const entry = this.#entries.get(tenantId);
    if (entry) {
      this.#entries.delete(tenantId);
      await entry.opening.then((db) => db.close()).catch(() => {});
    }
  }

  get openCount(): number {
    return this.#entries.size;
  }

  /** Closes every handle nobody holds that has been idle for `idleMillis`. */
  async closeIdle(idleMillis: number): Promise<void> {
    const now = Date.now();
    const idle = [...this.#entries].filter(([, e]) => e.leases === 0 && now - e.lastUsed >= idleMillis);
    await Promise.all(idle.map(([id]) => this.evict(id)));
  }

  async closeAll(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.all([...this.#entries.keys()].map((id) => this.evict(id)));
  }

  async #open(tenant: TenantHandleKey): Promise<Database> {
    if (tenant.placement.engine === 'pglite') {
      await this.#trimPglite(1);
    }
    const db = await this.#options.provisioner.open(tenant.placement);
    try {
      const latest = await latestVersion('tenant');
      if (tenant.schemaVersion < latest) {
        await migrate(db, 'tenant');
        await this.#options.onMigrated?.(tenant.id, latest);
      }
      return db;
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  }

  /** Closes least recently used idle PGlite instances until `room` more fit under the bound. */
  async #trimPglite(room = 0): Promise<void> {
    const pglite = [...this.#entries].filter(([, e]) => e.engine === 'pglite');
    let excess = pglite.length + room - this.#options.maxOpenPglite;
    if (excess <= 0) {
      return;
    }
    const idle = pglite.filter(([, e]) => e.leases === 0).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    const victims: number[] = [];
    for (const [id] of idle) {
      if (excess-- <= 0) {
        break;
      }
      victims.push(id);
    }
    await Promise.all(victims.map((id) => this.evict(id)));
  }
}
