/**
 * The core tracker of a tenant: projects, members, groups, categories, versions, issues, journals,
 * watchers, relations, attachments and saved queries. Mirrors
 * `migrations/tenant/20261125000003_create_core_tracker.sql` (custom fields are in
 * `custom-fields.ts`); SQL names are Redmine's, TypeScript sees camelCase.
 */
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { enumerations, issueStatuses, roles, trackers } from './tracker-reference.ts';

/** Project.status. */
export const PROJECT_STATUS_ACTIVE = 1;
export const PROJECT_STATUS_CLOSED = 5;
export const PROJECT_STATUS_ARCHIVED = 9;
export const PROJECT_STATUS_SCHEDULED_FOR_DELETION = 10;

/** Query.visibility. */
export const QUERY_VISIBILITY_PRIVATE = 0;
export const QUERY_VISIBILITY_ROLES = 1;
export const QUERY_VISIBILITY_PUBLIC = 2;

export type VersionStatus = 'open' | 'locked' | 'closed';
export type VersionSharing = 'none' | 'descendants' | 'hierarchy' | 'tree' | 'system';

export type IssueRelationType =
  | 'relates' | 'duplicates' | 'duplicated' | 'blocks' | 'blocked'
  | 'precedes' | 'follows' | 'copied_to' | 'copied_from';

/** JournalDetail.property: a core attribute, a custom field (prop_key = its id), a file, a relation. */
export type JournalDetailProperty = 'attr' | 'cf' | 'attachment' | 'relation';

/** Discriminator values of `queries.type`. */
export type QueryType = 'IssueQuery' | 'ProjectQuery' | 'TimeEntryQuery' | 'UserQuery';

/** `queries.filters`: field → operator and values, e.g. { status_id: { operator: 'o', values: [''] } }. */
export type QueryFilters = Record<string, { operator: string; values: string[] }>;

/** `queries.sort_criteria`: e.g. [['priority', 'desc'], ['id', 'desc']]. */
export type QuerySortCriteria = [column: string, direction: 'asc' | 'desc'][];

/** `queries.options`: the keys Redmine uses; others pass through untouched. */
export interface QueryOptions {
  totalable_names?: string[];
  display_type?: string;
  draw_relations?: string;
  draw_progress_line?: string;
  draw_selected_columns?: string;
  [key: string]: unknown;
}

export const projects = pgTable(
  'projects',
  {
    id: serial('id').primaryKey(),
    name: varchar('name').notNull().default(''),
    description: text('description'),
    homepage: varchar('homepage').default(''),
    isPublic: boolean('is_public').notNull().default(true),
    /** Nested set over parent_id; moving a subtree renumbers lft/rgt in the service. */
    parentId: integer('parent_id'),
    createdOn: timestamp('created_on', { mode: 'date' }),
    updatedOn: timestamp('updated_on', { mode: 'date' }),
    identifier: varchar('identifier'),
    /** One of the PROJECT_STATUS_* values. */
    status: integer('status').notNull().default(PROJECT_STATUS_ACTIVE),
    lft: integer('lft'),
    rgt: integer('rgt'),
    inheritMembers: boolean('inherit_members').notNull().default(false),
    defaultVersionId: integer('default_version_id').references((): AnyPgColumn => versions.id, {
      onDelete: 'set null',
    }),
    defaultAssignedToId: integer('default_assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
    defaultIssueQueryId: integer('default_issue_query_id').references((): AnyPgColumn => queries.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    index('index_projects_on_lft').on(t.lft),
    index('index_projects_on_rgt').on(t.rgt),
    uniqueIndex('index_projects_on_identifier').on(t.identifier),
  ],
);

export const enabledModules = pgTable(
  'enabled_modules',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    /** A project module name, e.g. 'issue_tracking', 'time_tracking'. */
    name: varchar('name').notNull(),
  },
  (t) => [index('enabled_modules_project_id').on(t.projectId)],
);

export const projectsTrackers = pgTable(
  'projects_trackers',
  {
    projectId: integer('project_id')
      .notNull()
      .default(0)
      .references(() => projects.id, { onDelete: 'cascade' }),
    trackerId: integer('tracker_id')
      .notNull()
      .default(0)
      .references(() => trackers.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('projects_trackers_project_id').on(t.projectId),
    uniqueIndex('projects_trackers_unique').on(t.projectId, t.trackerId),
  ],
);

export const members = pgTable(
  'members',
  {
    id: serial('id').primaryKey(),
    /** A principal: user or group. */
    userId: integer('user_id')
      .notNull()
      .default(0)
      .references(() => users.id, { onDelete: 'cascade' }),
    projectId: integer('project_id')
      .notNull()
      .default(0)
      .references(() => projects.id, { onDelete: 'cascade' }),
    createdOn: timestamp('created_on', { mode: 'date' }),
    mailNotification: boolean('mail_notification').notNull().default(false),
  },
  (t) => [
    index('index_members_on_user_id').on(t.userId),
    index('index_members_on_project_id').on(t.projectId),
    uniqueIndex('index_members_on_user_id_and_project_id').on(t.userId, t.projectId),
  ],
);

export const memberRoles = pgTable(
  'member_roles',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    roleId: integer('role_id').notNull().references(() => roles.id),
    /** The member_roles row (group or parent-project membership) this one was inherited from. */
    inheritedFrom: integer('inherited_from').references((): AnyPgColumn => memberRoles.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('index_member_roles_on_member_id').on(t.memberId),
    index('index_member_roles_on_role_id').on(t.roleId),
    index('index_member_roles_on_inherited_from').on(t.inheritedFrom),
  ],
);

export const groupsUsers = pgTable(
  'groups_users',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('groups_users_ids').on(t.groupId, t.userId),
    index('index_groups_users_on_user_id').on(t.userId),
  ],
);

export const issueCategories = pgTable(
  'issue_categories',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .default(0)
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 60 }).notNull().default(''),
    assignedToId: integer('assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('issue_categories_project_id').on(t.projectId),
    index('index_issue_categories_on_assigned_to_id').on(t.assignedToId),
  ],
);

export const versions = pgTable(
  'versions',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .default(0)
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: varchar('name').notNull().default(''),
    description: varchar('description').default(''),
    effectiveDate: date('effective_date', { mode: 'string' }),
    createdOn: timestamp('created_on', { mode: 'date' }),
    updatedOn: timestamp('updated_on', { mode: 'date' }),
    wikiPageTitle: varchar('wiki_page_title'),
    status: varchar('status').$type<VersionStatus>().default('open'),
    sharing: varchar('sharing').$type<VersionSharing>().notNull().default('none'),
  },
  (t) => [index('versions_project_id').on(t.projectId), index('index_versions_on_sharing').on(t.sharing)],
);

export const issues = pgTable(
  'issues',
  {
    id: serial('id').primaryKey(),
    trackerId: integer('tracker_id').notNull().references(() => trackers.id),
    projectId: integer('project_id').notNull().references(() => projects.id),
    subject: varchar('subject', { length: 255 }).notNull().default(''),
    description: text('description'),
    dueDate: date('due_date', { mode: 'string' }),
    categoryId: integer('category_id').references(() => issueCategories.id, { onDelete: 'set null' }),
    statusId: integer('status_id').notNull().references(() => issueStatuses.id),
    assignedToId: integer('assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
    priorityId: integer('priority_id').notNull().references(() => enumerations.id),
    fixedVersionId: integer('fixed_version_id').references(() => versions.id, { onDelete: 'set null' }),
    /** No FK: a deleted user's issues pass to the Anonymous user. */
    authorId: integer('author_id').notNull(),
    /** Optimistic locking: every update increments it and checks the old value. */
    lockVersion: integer('lock_version').notNull().default(0),
    createdOn: timestamp('created_on', { mode: 'date' }),
    updatedOn: timestamp('updated_on', { mode: 'date' }),
    startDate: date('start_date', { mode: 'string' }),
    doneRatio: integer('done_ratio').notNull().default(0),
    estimatedHours: doublePrecision('estimated_hours'),
    /** Nested set per tree: root_id names the tree, lft/rgt number it; maintained by the service. */
    parentId: integer('parent_id'),
    rootId: integer('root_id'),
    lft: integer('lft'),
    rgt: integer('rgt'),
    isPrivate: boolean('is_private').notNull().default(false),
    closedOn: timestamp('closed_on', { mode: 'date' }),
  },
  (t) => [
    index('issues_project_id').on(t.projectId),
    index('index_issues_on_status_id').on(t.statusId),
    index('index_issues_on_category_id').on(t.categoryId),
    index('index_issues_on_assigned_to_id').on(t.assignedToId),
    index('index_issues_on_fixed_version_id').on(t.fixedVersionId),
    index('index_issues_on_tracker_id').on(t.trackerId),
    index('index_issues_on_priority_id').on(t.priorityId),
    index('index_issues_on_author_id').on(t.authorId),
    index('index_issues_on_created_on').on(t.createdOn),
    index('index_issues_on_root_id_and_lft_and_rgt').on(t.rootId, t.lft, t.rgt),
    index('index_issues_on_parent_id').on(t.parentId),
    // The migration adds INCLUDE (is_private, author_id, assigned_to_id, tracker_id): index-only counts of issue lists.
    index('issues_visibility_cover').on(t.projectId, t.statusId),
    index('index_issues_on_project_id_and_status_id_and_id').on(t.projectId, t.statusId, t.id.desc()),
    index('index_issues_on_updated_on').on(t.updatedOn),
  ],
);

export const issueRelations = pgTable(
  'issue_relations',
  {
    id: serial('id').primaryKey(),
    issueFromId: integer('issue_from_id')
      .notNull()
      .references(() => issues.id, { onDelete: 'cascade' }),
    issueToId: integer('issue_to_id')
      .notNull()
      .references(() => issues.id, { onDelete: 'cascade' }),
    relationType: varchar('relation_type').$type<IssueRelationType | ''>().notNull().default(''),
    /** Days between the issues, for precedes/follows. */
    delay: integer('delay'),
  },
  (t) => [
    index('index_issue_relations_on_issue_from_id').on(t.issueFromId),
    index('index_issue_relations_on_issue_to_id').on(t.issueToId),
    uniqueIndex('index_issue_relations_on_issue_from_id_and_issue_to_id').on(t.issueFromId, t.issueToId),
  ],
);

export const journals = pgTable(
  'journals',
  {
    id: serial('id').primaryKey(),
    /** Polymorphic with journalized_type (in practice 'Issue'); no FK. */
    journalizedId: integer('journalized_id').notNull().default(0),
    journalizedType: varchar('journalized_type', { length: 30 }).notNull().default(''),
    userId: integer('user_id').notNull().default(0),
    notes: text('notes'),
    createdOn: timestamp('created_on', { mode: 'date' }).notNull(),
    privateNotes: boolean('private_notes').notNull().default(false),
    updatedOn: timestamp('updated_on', { mode: 'date' }),
    updatedById: integer('updated_by_id'),
  },
  (t) => [
    index('journals_journalized_id').on(t.journalizedId, t.journalizedType),
    index('index_journals_on_user_id').on(t.userId),
    index('index_journals_on_journalized_id').on(t.journalizedId),
    index('index_journals_on_created_on').on(t.createdOn),
  ],
);

export const journalDetails = pgTable(
  'journal_details',
  {
    id: serial('id').primaryKey(),
    journalId: integer('journal_id')
      .notNull()
      .default(0)
      .references(() => journals.id, { onDelete: 'cascade' }),
    property: varchar('property', { length: 30 }).$type<JournalDetailProperty | ''>().notNull().default(''),
    propKey: varchar('prop_key', { length: 30 }).notNull().default(''),
    oldValue: text('old_value'),
    value: text('value'),
  },
  (t) => [index('journal_details_journal_id').on(t.journalId)],
);

export const watchers = pgTable(
  'watchers',
  {
    id: serial('id').primaryKey(),
    /** Polymorphic with watchable_id; no FK. */
    watchableType: varchar('watchable_type').notNull().default(''),
    watchableId: integer('watchable_id').notNull().default(0),
    /** A principal: user or group. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('watchers_user_id_type').on(t.userId, t.watchableType),
    index('index_watchers_on_user_id').on(t.userId),
    index('index_watchers_on_watchable_id_and_watchable_type').on(t.watchableId, t.watchableType),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    /** Polymorphic with container_type; both NULL until the upload is attached. No FK. */
    containerId: integer('container_id'),
    containerType: varchar('container_type', { length: 30 }),
    filename: varchar('filename').notNull().default(''),
    diskFilename: varchar('disk_filename').notNull().default(''),
    filesize: bigint('filesize', { mode: 'number' }).notNull().default(0),
    contentType: varchar('content_type').default(''),
    /** SHA-256 of the content, hex. */
    digest: varchar('digest', { length: 64 }).notNull().default(''),
    downloads: integer('downloads').notNull().default(0),
    authorId: integer('author_id').notNull().default(0),
    createdOn: timestamp('created_on', { mode: 'date' }),
    description: varchar('description'),
    diskDirectory: varchar('disk_directory'),
  },
  (t) => [
    index('index_attachments_on_container_id_and_container_type').on(t.containerId, t.containerType),
    index('index_attachments_on_author_id').on(t.authorId),
    index('index_attachments_on_created_on').on(t.createdOn),
    index('index_attachments_on_disk_filename').on(t.diskFilename),
  ],
);

export const queries = pgTable(
  'queries',
  {
    id: serial('id').primaryKey(),
    /** NULL: a query for all projects. */
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    name: varchar('name').notNull().default(''),
    filters: jsonb('filters').$type<QueryFilters>(),
    userId: integer('user_id').notNull().default(0),
    columnNames: jsonb('column_names').$type<string[]>(),
    sortCriteria: jsonb('sort_criteria').$type<QuerySortCriteria>(),
    groupBy: varchar('group_by'),
    type: varchar('type').$type<QueryType>(),
    /** One of the QUERY_VISIBILITY_* values. */
    visibility: integer('visibility').default(QUERY_VISIBILITY_PRIVATE),
    options: jsonb('options').$type<QueryOptions>(),
    description: varchar('description'),
  },
  (t) => [index('index_queries_on_project_id').on(t.projectId), index('index_queries_on_user_id').on(t.userId)],
);

export const queriesRoles = pgTable(
  'queries_roles',
  {
    queryId: integer('query_id')
      .notNull()
      .references(() => queries.id, { onDelete: 'cascade' }),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('queries_roles_ids').on(t.queryId, t.roleId)],
);
