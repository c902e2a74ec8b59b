/** Drizzle table definitions of a tenant's users, tokens and settings (Redmine's names). */
import { boolean, integer, jsonb, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  login: varchar('login', { length: 255 }).notNull(),
  hashedPassword: varchar('hashed_password', { length: 255 }).notNull(),
  firstname: varchar('firstname', { length: 30 }).notNull(),
  lastname: varchar('lastname', { length: 255 }).notNull(),
  admin: boolean('admin').notNull(),
  status: integer('status').notNull(),
  lastLoginOn: timestamp('last_login_on', { mode: 'date' }),
  language: varchar('language', { length: 5 }),
  createdOn: timestamp('created_on', { mode: 'date' }),
  updatedOn: timestamp('updated_on', { mode: 'date' }),
  type: varchar('type', { length: 255 }),
  mailNotification: varchar('mail_notification', { length: 255 }).notNull(),
  salt: varchar('salt', { length: 64 }),
  mustChangePasswd: boolean('must_change_passwd').notNull(),
  passwdChangedOn: timestamp('passwd_changed_on', { mode: 'date' }),
  /** Kanri: until when a password someone else set works unused (null: the user's own). */
  tempPasswdExpiresOn: timestamp('temp_passwd_expires_on', { mode: 'date' }),
  twofaScheme: varchar('twofa_scheme', { length: 255 }),
  twofaRequired: boolean('twofa_required').notNull().default(false),
});

export const emailAddresses = pgTable('email_addresses', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  address: varchar('address', { length: 255 }).notNull(),
  isDefault: boolean('is_default').notNull(),
  notify: boolean('notify').notNull(),
  createdOn: timestamp('created_on', { mode: 'date' }).notNull(),
  updatedOn: timestamp('updated_on', { mode: 'date' }).notNull(),
});

export const userPreferences = pgTable('user_preferences', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  others: jsonb('others').notNull().$type<Record<string, unknown>>(),
  hideMail: boolean('hide_mail'),
  timeZone: varchar('time_zone', { length: 255 }),
});

export const tokens = pgTable('tokens', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  action: varchar('action', { length: 30 }).notNull(),
  value: varchar('value', { length: 64 }).notNull(),
  createdOn: timestamp('created_on', { mode: 'date' }).notNull(),
  updatedOn: timestamp('updated_on', { mode: 'date' }),
});

export const settings = pgTable('settings', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 255 }).notNull(),
  value: text('value'),
  updatedOn: timestamp('updated_on', { mode: 'date' }),
});
