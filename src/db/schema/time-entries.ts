/**
 * Time entries (Redmine's TimeEntry). Mirrors `migrations/tenant/20261126000001_create_time_entries.sql`;
 * SQL names are Redmine's. The time-entries feature reads and writes them with SQL of its own.
 */
import { date, doublePrecision, index, integer, pgTable, serial, timestamp, varchar } from 'drizzle-orm/pg-core';
import { issues, projects } from './core-tracker.ts';
import { enumerations } from './tracker-reference.ts';

export const timeEntries = pgTable(
  'time_entries',
  {
    id: serial('id').primaryKey(),
    /** No ON DELETE: a project's or issue's deletion removes (or moves) its entries first. */
    projectId: integer('project_id').notNull().references(() => projects.id),
    /** No FK: a deleted user's entries pass to the Anonymous user. */
    authorId: integer('author_id'),
    userId: integer('user_id').notNull(),
    issueId: integer('issue_id').references(() => issues.id),
    hours: doublePrecision('hours').notNull(),
    comments: varchar('comments', { length: 1024 }),
    /** A TimeEntryActivity: shared, or a project's override of one. */
    activityId: integer('activity_id').notNull().references(() => enumerations.id),
    spentOn: date('spent_on', { mode: 'string' }).notNull(),
    /** spent_on's year, month and ISO week. */
    tyear: integer('tyear').notNull(),
    tmonth: integer('tmonth').notNull(),
    tweek: integer('tweek').notNull(),
    createdOn: timestamp('created_on', { mode: 'date' }).notNull(),
    updatedOn: timestamp('updated_on', { mode: 'date' }).notNull(),
  },
  (t) => [
    index('time_entries_project_id').on(t.projectId),
    index('time_entries_issue_id').on(t.issueId),
    index('index_time_entries_on_activity_id').on(t.activityId),
    index('index_time_entries_on_user_id').on(t.userId),
    index('index_time_entries_on_created_on').on(t.createdOn),
    index('index_time_entries_on_spent_on_and_created_on').on(t.spentOn, t.createdOn),
  ],
);
