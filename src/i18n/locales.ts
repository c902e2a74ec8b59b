/**
 * The message catalogs. Keys follow Redmine's prefixes (label_, field_, button_, notice_, error_,
 * text_, setting_, permission_); each area keeps its messages in `messages/<area>.ts`, where the
 * English catalog defines the keys and Japanese must have every one (the type says so). A key lives
 * in one file only (`locales.test.ts`).
 */
import * as admin from './messages/admin.ts';
import * as adminSetup from './messages/admin-setup.ts';
import * as common from './messages/common.ts';
import * as core from './messages/core.ts';
import * as formatting from './messages/formatting.ts';
import * as issueForm from './messages/issue-form.ts';
import * as issues from './messages/issues.ts';
import * as my from './messages/my.ts';
import * as projects from './messages/projects.ts';
import * as queries from './messages/queries.ts';

export const CATALOG_PARTS = { core, common, issues, issueForm, queries, projects, admin, adminSetup, my, formatting } as const;

export const en = {
  ...core.en,
  ...common.en,
  ...issues.en,
  ...issueForm.en,
  ...queries.en,
  ...projects.en,
  ...admin.en,
  ...adminSetup.en,
  ...my.en,
  ...formatting.en,
};

export type MessageKey = keyof typeof en;

export const ja: Record<MessageKey, string> = {
  ...core.ja,
  ...common.ja,
  ...issues.ja,
  ...issueForm.ja,
  ...queries.ja,
  ...projects.ja,
  ...admin.ja,
  ...adminSetup.ja,
  ...my.ja,
  ...formatting.ja,
};
