/**
 * Tracker reference data of a tenant: issue statuses, trackers, enumerations, roles, workflows.
 * Mirrors `migrations/tenant/20261125000002_create_tracker_reference_data.sql`; SQL names are
 * Redmine's, TypeScript sees camelCase.
 */
import { boolean, index, integer, jsonb, pgTable, serial, varchar } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** Role.builtin: 0 for givable roles, these two for the system roles. */
export const ROLE_BUILTIN_NON_MEMBER = 1;
export const ROLE_BUILTIN_ANONYMOUS = 2;

/** Discriminator values of `enumerations.type`. */
export type EnumerationType = 'IssuePriority' | 'TimeEntryActivity' | 'DocumentCategory';

/** Discriminator values of `workflows.type`. */
export type WorkflowRuleType = 'WorkflowTransition' | 'WorkflowPermission';

/** Redmine's role settings store (per-tracker scoping of some permissions). */
export interface RoleSettings {
  /** permission → '1' (all trackers) or '0' (only permissions_tracker_ids). */
  permissions_all_trackers?: Record<string, string>;
  /** permission → tracker ids as strings. */
  permissions_tracker_ids?: Record<string, string[]>;
}

export const issueStatuses = pgTable(
  'issue_statuses',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 30 }).notNull().default(''),
    description: varchar('description'),
    isClosed: boolean('is_closed').notNull().default(false),
    position: integer('position'),
    defaultDoneRatio: integer('default_done_ratio'),
  },
  (t) => [
    index('index_issue_statuses_on_position').on(t.position),
    index('index_issue_statuses_on_is_closed').on(t.isClosed),
  ],
);

export const trackers = pgTable('trackers', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 30 }).notNull().default(''),
  description: varchar('description'),
  position: integer('position'),
  isInRoadmap: boolean('is_in_roadmap').notNull().default(true),
  /** Bit i set = core field i of Redmine's Tracker::CORE_FIELDS disabled; 0 = all enabled. */
  fieldsBits: integer('fields_bits').default(0),
  defaultStatusId: integer('default_status_id').references(() => issueStatuses.id),
  privateByDefault: boolean('private_by_default').notNull().default(false),
});

export const enumerations = pgTable(
  'enumerations',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 30 }).notNull().default(''),
    position: integer('position'),
    isDefault: boolean('is_default').notNull().default(false),
    type: varchar('type').$type<EnumerationType>(),
    active: boolean('active').notNull().default(true),
    projectId: integer('project_id'),
    parentId: integer('parent_id').references((): AnyPgColumn => enumerations.id, { onDelete: 'cascade' }),
    positionName: varchar('position_name', { length: 30 }),
  },
  (t) => [
    index('index_enumerations_on_project_id').on(t.projectId),
    index('index_enumerations_on_id_and_type').on(t.id, t.type),
  ],
);

export const roles = pgTable('roles', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 255 }).notNull().default(''),
  position: integer('position'),
  assignable: boolean('assignable').default(true),
  builtin: integer('builtin').notNull().default(0),
  /** Permission symbols, e.g. ['view_issues', 'add_issues']. */
  permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
  issuesVisibility: varchar('issues_visibility', { length: 30 }).notNull().default('default'),
  usersVisibility: varchar('users_visibility', { length: 30 }).notNull().default('members_of_visible_projects'),
  timeEntriesVisibility: varchar('time_entries_visibility', { length: 30 }).notNull().default('all'),
  allRolesManaged: boolean('all_roles_managed').notNull().default(true),
  settings: jsonb('settings').$type<RoleSettings>().notNull().default({}),
  defaultTimeEntryActivityId: integer('default_time_entry_activity_id').references(() => enumerations.id, {
    onDelete: 'set null',
  }),
});

export const workflows = pgTable(
  'workflows',
  {
    id: serial('id').primaryKey(),
    trackerId: integer('tracker_id')
      .notNull()
      .default(0)
      .references(() => trackers.id, { onDelete: 'cascade' }),
    /** 0 on a WorkflowTransition = the statuses allowed for a new issue. */
    oldStatusId: integer('old_status_id').notNull().default(0),
    /** 0 on a WorkflowPermission. */
    newStatusId: integer('new_status_id').notNull().default(0),
    roleId: integer('role_id')
      .notNull()
      .default(0)
      .references(() => roles.id, { onDelete: 'cascade' }),
    assignee: boolean('assignee').notNull().default(false),
    author: boolean('author').notNull().default(false),
    type: varchar('type', { length: 30 }).$type<WorkflowRuleType>(),
    fieldName: varchar('field_name', { length: 30 }),
    /** 'readonly' or 'required' on a WorkflowPermission. */
    rule: varchar('rule', { length: 30 }),
  },
  (t) => [
    index('wkfs_role_tracker_old_status').on(t.roleId, t.trackerId, t.oldStatusId),
    index('index_workflows_on_old_status_id').on(t.oldStatusId),
    index('index_workflows_on_role_id').on(t.roleId),
    index('index_workflows_on_new_status_id').on(t.newStatusId),
    index('index_workflows_on_tracker_id').on(t.trackerId),
  ],
);
