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
import * as twofa from './messages/twofa.ts';
import * as sessions from './messages/sessions.ts';
import * as passwords from './messages/passwords.ts';
import * as throttle from './messages/throttle.ts';
import * as ipFilter from './messages/ip-filter.ts';
import * as audit from './messages/audit.ts';
import * as mail from './messages/mail.ts';
import * as oidc from './messages/oidc.ts';
import * as sudo from './messages/sudo.ts';

export const CATALOG_PARTS = { core, common, issues, issueForm, queries, projects, admin, adminSetup, my, formatting, twofa, sessions, passwords, throttle, ipFilter, audit, mail, sudo, oidc } as const;

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
  ...twofa.en,
  ...sessions.en,
  ...passwords.en,
  ...throttle.en,
  ...ipFilter.en,
  ...audit.en,
  ...mail.en,
  ...sudo.en,
  ...oidc.en,
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
  ...twofa.ja,
  ...sessions.ja,
  ...passwords.ja,
  ...throttle.ja,
  ...ipFilter.ja,
  ...audit.ja,
  ...mail.ja,
  ...sudo.ja,
  ...oidc.ja,
};
