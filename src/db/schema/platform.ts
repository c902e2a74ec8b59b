/** Drizzle table definitions of the control plane (see db/migrations/platform/). */
import { bigserial, integer, jsonb, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';

export const platformSettings = pgTable('platform_settings', {
  name: varchar('name', { length: 255 }).primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tenants = pgTable('tenants', {
  id: serial('id').primaryKey(),
  account: varchar('account', { length: 40 }).notNull(),
  name: varchar('name', { length: 255 }).notNull(),
  plan: varchar('plan', { length: 30 }).notNull(),
  status: varchar('status', { length: 20 }).notNull().$type<TenantStatus>(),
  language: varchar('language', { length: 5 }).notNull(),
  engine: varchar('engine', { length: 10 }).notNull().$type<'pglite' | 'postgres'>(),
  serverName: varchar('server_name', { length: 100 }),
  databaseName: varchar('database_name', { length: 63 }),
  dataPath: varchar('data_path', { length: 255 }),
  schemaVersion: varchar('schema_version', { length: 14 }).notNull().default('0'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
});

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'cancelled';

export const operators = pgTable('operators', {
  id: serial('id').primaryKey(),
  login: varchar('login', { length: 255 }).notNull(),
  mail: varchar('mail', { length: 255 }).notNull(),
  hashedPassword: varchar('hashed_password', { length: 255 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const platformEvents = pgTable('platform_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  actor: varchar('actor', { length: 255 }).notNull(),
  tenantId: integer('tenant_id'),
  account: varchar('account', { length: 40 }),
  kind: varchar('kind', { length: 60 }).notNull(),
  detail: jsonb('detail').notNull().$type<Record<string, unknown>>(),
});
