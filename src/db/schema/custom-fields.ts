/**
 * Custom fields of a tenant, where they apply (projects, trackers, roles), the values of
 * enumeration fields and the values entered. Mirrors the custom-field tables of
 * `migrations/tenant/20261125000003_create_core_tracker.sql`; SQL names are Redmine's.
 */
import { boolean, index, integer, jsonb, pgTable, serial, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { projects } from './core-tracker.ts';
import { roles, trackers } from './tracker-reference.ts';

/** Discriminator values of `custom_fields.type`. */
export type CustomFieldType =
  | 'IssueCustomField'
  | 'ProjectCustomField'
  | 'VersionCustomField'
  | 'UserCustomField'
  | 'GroupCustomField'
  | 'TimeEntryCustomField'
  | 'TimeEntryActivityCustomField'
  | 'IssuePriorityCustomField'
  | 'DocumentCustomField'
  | 'DocumentCategoryCustomField';

/** `custom_fields.format_store`: the field format's settings (url_pattern, edit_tag_style, user_role…). */
export type CustomFieldFormatStore = Record<string, unknown>;

export const customFields = pgTable(
  'custom_fields',
  {
    id: serial('id').primaryKey(),
    type: varchar('type', { length: 30 }).$type<CustomFieldType | ''>().notNull().default(''),
    name: varchar('name', { length: 30 }).notNull().default(''),
    /** string, text, int, float, date, bool, list, enumeration, user, version, link, attachment. */
    fieldFormat: varchar('field_format', { length: 30 }).notNull().default(''),
    /** Choices of a 'list' field. */
    possibleValues: jsonb('possible_values').$type<string[]>(),
    regexp: varchar('regexp').default(''),
    minLength: integer('min_length'),
    maxLength: integer('max_length'),
    isRequired: boolean('is_required').notNull().default(false),
    isForAll: boolean('is_for_all').notNull().default(false),
    isFilter: boolean('is_filter').notNull().default(false),
    position: integer('position').default(1),
    searchable: boolean('searchable').default(false),
    defaultValue: text('default_value'),
    editable: boolean('editable').default(true),
    visible: boolean('visible').notNull().default(true),
    multiple: boolean('multiple').default(false),
    formatStore: jsonb('format_store').$type<CustomFieldFormatStore>(),
    description: text('description'),
  },
  (t) => [index('index_custom_fields_on_id_and_type').on(t.id, t.type)],
);

export const customFieldsProjects = pgTable(
  'custom_fields_projects',
  {
    customFieldId: integer('custom_field_id')
      .notNull()
      .default(0)
      .references(() => customFields.id, { onDelete: 'cascade' }),
    projectId: integer('project_id')
      .notNull()
      .default(0)
      .references(() => projects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('index_custom_fields_projects_on_custom_field_id_and_project_id').on(t.customFieldId, t.projectId),
  ],
);

export const customFieldsTrackers = pgTable(
  'custom_fields_trackers',
  {
    customFieldId: integer('custom_field_id')
      .notNull()
      .default(0)
      .references(() => customFields.id, { onDelete: 'cascade' }),
    trackerId: integer('tracker_id')
      .notNull()
      .default(0)
      .references(() => trackers.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('index_custom_fields_trackers_on_custom_field_id_and_tracker_id').on(t.customFieldId, t.trackerId),
  ],
);

export const customFieldsRoles = pgTable(
  'custom_fields_roles',
  {
    customFieldId: integer('custom_field_id')
      .notNull()
      .references(() => customFields.id, { onDelete: 'cascade' }),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('custom_fields_roles_ids').on(t.customFieldId, t.roleId)],
);

export const customFieldEnumerations = pgTable('custom_field_enumerations', {
  id: serial('id').primaryKey(),
  customFieldId: integer('custom_field_id')
    .notNull()
    .references(() => customFields.id, { onDelete: 'cascade' }),
  name: varchar('name').notNull(),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(1),
});

export const customValues = pgTable(
  'custom_values',
  {
    id: serial('id').primaryKey(),
    /** Polymorphic with customized_id ('Issue', 'Project', 'Principal', 'Version', 'TimeEntry'…); no FK. */
    customizedType: varchar('customized_type', { length: 30 }).notNull().default(''),
    customizedId: integer('customized_id').notNull().default(0),
    customFieldId: integer('custom_field_id')
      .notNull()
      .default(0)
      .references(() => customFields.id, { onDelete: 'cascade' }),
    /** One row per value; a multiple field has several rows. */
    value: text('value'),
  },
  (t) => [
    index('custom_values_customized_custom_field').on(t.customizedType, t.customizedId, t.customFieldId),
    index('index_custom_values_on_custom_field_id').on(t.customFieldId),
  ],
);
