/** All SQL on the control plane's tenant registry, its settings and its event log. */
import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Orm } from '#src/db/database.ts';
import { platformEvents, platformSettings, tenants, type TenantStatus } from '#src/db/schema/platform.ts';
import { placementOf, type Placement } from '#src/tenancy/placement.ts';

export interface Tenant {
  readonly id: number;
  readonly account: string;
  readonly name: string;
  readonly plan: string;
  readonly status: TenantStatus;
  readonly language: string;
  readonly placement: Placement;
  readonly schemaVersion: string;
  readonly createdAt: Date;
  readonly cancelledAt: Date | null;
}

type TenantRow = typeof tenants.$inferSelect;

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    account: row.account,
    name: row.name,
    plan: row.plan,
    status: row.status,
    language: row.language,
    placement: placementOf(row),
    schemaVersion: row.schemaVersion,
    createdAt: row.createdAt,
    cancelledAt: row.cancelledAt,
  };
}

export async function findTenantByAccount(orm: Orm, account: string): Promise<Tenant | undefined> {
  const [row] = await orm.select().from(tenants).where(eq(tenants.account, account)).limit(1);
  return row ? toTenant(row) : undefined;
}

export async function listTenants(orm: Orm): Promise<Tenant[]> {
  const rows = await orm.select().from(tenants).orderBy(asc(tenants.account));
  return rows.map(toTenant);
}

/** Reserves the next tenant id, so the placement can be named after it before the row exists. */
export async function nextTenantId(db: Database): Promise<number> {
  const [row] = await db.query<{ id: number }>("SELECT nextval('tenants_id_seq')::integer AS id");
  if (!row) {
    throw new Error('no tenant id');
  }
  return row.id;
}

export interface NewTenant {
  id: number;
  account: string;
  name: string;
  plan: string;
  language: string;
  placement: Placement;
}

export async function insertTenant(orm: Orm, t: NewTenant): Promise<void> {
  await orm.insert(tenants).values({
    id: t.id,
    account: t.account,
    name: t.name,
    plan: t.plan,
    status: 'provisioning',
    language: t.language,
    engine: t.placement.engine,
    dataPath: t.placement.engine === 'pglite' ? t.placement.dataPath : null,
    serverName: t.placement.engine === 'postgres' ? t.placement.serverName : null,
    databaseName: t.placement.engine === 'postgres' ? t.placement.databaseName : null,
  });
}

export async function updateTenantStatus(orm: Orm, id: number, status: TenantStatus): Promise<void> {
  await orm
    .update(tenants)
    .set({ status, cancelledAt: status === 'cancelled' ? sql`now()` : null })
    .where(eq(tenants.id, id));
}

export async function updateTenantSchemaVersion(orm: Orm, id: number, version: string): Promise<void> {
  await orm.update(tenants).set({ schemaVersion: version }).where(eq(tenants.id, id));
}

export async function deleteTenantRow(orm: Orm, id: number): Promise<void> {
  await orm.delete(tenants).where(eq(tenants.id, id));
}

/** How many tenants each of `serverNames` holds (servers without tenants are absent). */
export async function countTenantsByServer(orm: Orm, serverNames: string[]): Promise<Map<string, number>> {
  if (serverNames.length === 0) {
    return new Map();
  }
  const rows = await orm
    .select({ serverName: tenants.serverName, n: count() })
    .from(tenants)
    .where(inArray(tenants.serverName, serverNames))
    .groupBy(tenants.serverName);
  return new Map(rows.map((r) => [r.serverName ?? '', r.n]));
}

export interface PlatformEvent {
  actor: string;
  kind: string;
  tenantId?: number | undefined;
  account?: string | undefined;
  detail?: Record<string, unknown>;
}

export async function appendEvent(orm: Orm, event: PlatformEvent): Promise<void> {
  await orm.insert(platformEvents).values({
    actor: event.actor,
    kind: event.kind,
    tenantId: event.tenantId ?? null,
    account: event.account ?? null,
    detail: event.detail ?? {},
  });
}

export async function listEvents(orm: Orm, tenantId: number) {
  return orm
    .select()
    .from(platformEvents)
    .where(eq(platformEvents.tenantId, tenantId))
    .orderBy(asc(platformEvents.id));
}

export async function readPlatformSetting(orm: Orm, name: string): Promise<string | undefined> {
  const [row] = await orm.select().from(platformSettings).where(eq(platformSettings.name, name)).limit(1);
  return row?.value;
}

/** Stores `value` unless the setting exists; returns the value that is stored afterwards. */
export async function initPlatformSetting(orm: Orm, name: string, value: string): Promise<string> {
  await orm.insert(platformSettings).values({ name, value }).onConflictDoNothing();
  return (await readPlatformSetting(orm, name)) ?? value;
}
