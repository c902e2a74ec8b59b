/**
 * The roles a role may give when it does not manage all roles (Redmine's roles_managed_roles).
 * Mirrors `migrations/tenant/20261126000002_create_roles_managed_roles.sql`; SQL names are Redmine's.
 */
import { integer, pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { roles } from './tracker-reference.ts';

export const rolesManagedRoles = pgTable(
  'roles_managed_roles',
  {
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    managedRoleId: integer('managed_role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('index_roles_managed_roles_on_role_id_and_managed_role_id').on(t.roleId, t.managedRoleId)],
);
