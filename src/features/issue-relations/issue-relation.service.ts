/**
 * Issue relation use cases (§6.8): list an issue's relations, show, add, remove. Adding or removing
 * writes a journal on both issues (a `relation` detail with the type as seen from each issue), and a
 * new `precedes` relation reschedules the following issue and its own followers, all in one
 * transaction per relation.
 */
import type { SQL } from 'drizzle-orm';
import type { Database, Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { anonymousUserId } from '#src/features/account/index.ts';
import { projectAccessByIds } from '#src/features/projects/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { issueExists } from '#src/features/issues/issue.repository.ts';
import { insertJournal, type JournalDetail } from '#src/features/issues/journal.repository.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { canManageRelations } from './issue-relation.policy.ts';
import {
  deleteRelationRow,
  findRelation,
  insertRelation,
  selectRelatedIssue,
  selectRelationsOf,
  type RelatedIssue,
  type RelationRow,
} from './issue-relation.repository.ts';
import { relationErrors } from './issue-relation.validation.ts';
import { rescheduleOn, startScheduleRun, successorSoonestStart } from './issue-schedule.service.ts';
import { selectScheduledIssue } from './issue-schedule.repository.ts';
import { compareRelations, isRelationType, normalizeRelation, otherIssueId, relationTypeFor, type StoredRelation } from './relation-type.ts';

export interface RelationContext {
  readonly db: Database;
  readonly actor: Actor;
  readonly settings: Settings;
  readonly now: Date;
}

export interface NewRelationInput {
  /** One entry per relation to add (`issue_to_id` as sent: `7`, `#7`); `''` stands for a blank one. */
  readonly issueToIds: readonly string[];
  /** undefined when not given (a `relates` relation); null when given blank. */
  readonly relationType: string | null | undefined;
  /** Days, none, or something that is not a number. */
  readonly delay: number | null | 'invalid';
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** A path id: digits only (anything else names no record). */
function recordId(param: string): number | undefined {
  return /^\d{1,9}$/.test(param) ? Number(param) : undefined;
}

/** The issue if the actor sees it; 404 when it does not exist, 403/401 when it exists unseen (Redmine's find_issue). */
async function visibleIssue(ctx: RelationContext, param: string): Promise<RelatedIssue> {
  const id = recordId(param);
  const issue = id === undefined ? undefined : await selectRelatedIssue(ctx.db, id, visibleIssuesCondition(ctx.actor));
  if (issue) {
    return issue;
  }
  if (id !== undefined && (await issueExists(ctx.db, id))) {
    refuse(ctx.actor);
  }
  throw new NotFoundError(`no issue ${param}`);
}

async function mayManage(ctx: RelationContext, projectIds: readonly number[]): Promise<boolean> {
  const access = await projectAccessByIds(ctx.db, projectIds);
  return projectIds.some((id) => {
    const project = access.get(id);
    return project !== undefined && canManageRelations(ctx.actor, project);
  });
}

/**
 * The relations of each issue whose other issue satisfies `visible` (e.g. visibleIssuesCondition of
 * the actor), in Redmine's order (by type, then id). For the issue feature's `include=relations`.
 */
export async function relationsOf(db: Queryable, issueIds: readonly number[], visible: SQL): Promise<Map<number, RelationRow[]>> {
  const out = new Map<number, RelationRow[]>(issueIds.map((id) => [id, []]));
  for (const { issueId, relation } of await selectRelationsOf(db, issueIds, visible)) {
    out.get(issueId)?.push(relation);
  }
  for (const list of out.values()) {
    list.sort(compareRelations);
  }
  return out;
}

/** An issue's relations with issues the actor sees; needs `manage_issue_relations`, as in Redmine. */
export async function listIssueRelations(ctx: RelationContext, issueParam: string): Promise<RelationRow[]> {
  const issue = await visibleIssue(ctx, issueParam);
  if (!(await mayManage(ctx, [issue.projectId]))) {
    refuse(ctx.actor);
  }
  return (await relationsOf(ctx.db, [issue.id], visibleIssuesCondition(ctx.actor))).get(issue.id) ?? [];
}

/** The relation and both its issues, which must exist; a dangling one is unknown. */
async function relationWithIssues(ctx: RelationContext, param: string): Promise<{ relation: RelationRow; issues: RelatedIssue[]; visible: boolean }> {
  const id = recordId(param);
  const relation = id === undefined ? undefined : await findRelation(ctx.db, id);
  if (!relation) {
    throw new NotFoundError(`no relation ${param}`);
  }
  const condition = visibleIssuesCondition(ctx.actor);
  const seen = await Promise.all([relation.issueFromId, relation.issueToId].map((issueId) => selectRelatedIssue(ctx.db, issueId, condition)));
  const issues = seen.filter((issue): issue is RelatedIssue => issue !== undefined);
  return { relation, issues, visible: issues.length === 2 };
}

/** One relation, when the actor sees both its issues (Redmine asks nothing more). */
export async function getRelation(ctx: RelationContext, relationParam: string): Promise<RelationRow> {
  const { relation, visible } = await relationWithIssues(ctx, relationParam);
  if (!visible) {
    refuse(ctx.actor);
  }
  return relation;
}

function relationDetail(relation: StoredRelation, issueId: number, change: 'added' | 'removed'): JournalDetail {
  const other = String(otherIssueId(relation, issueId));
  return {
    property: 'relation',
    propKey: relationTypeFor(relation, issueId),
    oldValue: change === 'removed' ? other : null,
    value: change === 'added' ? other : null,
  };
}

async function journalUser(tx: Queryable, actor: Actor): Promise<number> {
  return actor.userId ?? (await anonymousUserId(tx));
}

type Outcome = { readonly relation: RelationRow } | { readonly errors: readonly string[] };

/** Validates and stores one relation, reschedules the follower, journalizes both issues. */
async function addRelation(ctx: RelationContext, tx: Queryable, from: RelatedIssue, issueToParam: string, input: NewRelationInput): Promise<Outcome> {
  const match = /^#?(\d{1,9})$/.exec(issueToParam.trim());
  const to = match ? await selectRelatedIssue(tx, Number(match[1]), visibleIssuesCondition(ctx.actor)) : undefined;
  const type = input.relationType === undefined ? 'relates' : (input.relationType ?? '');
  const errors = await relationErrors(tx, { from, to, type, delay: input.delay }, ctx.settings.cross_project_issue_relations === '1');
  if (!to || !isRelationType(type) || input.delay === 'invalid' || errors.length > 0) {
    return { errors };
  }
  const stored = normalizeRelation(from.id, to.id, type, input.delay);
  const id = await insertRelation(tx, stored);
  if (id === undefined) {
    // The normalized pair exists (say `follows` asked where `precedes` is stored): Redmine's
    // RecordNotUnique rescue, a base error without an attribute name.
    return { errors: ['has already been taken'] };
  }
  const userId = await journalUser(tx, ctx.actor);
  const toDetails = await rescheduleFollower(tx, stored, ctx.now, userId);
  const journal = (issueId: number, details: JournalDetail[]) =>
    insertJournal(tx, { issueId, userId, notes: null, privateNotes: false, createdOn: ctx.now, details });
  // The follower's journal (its new dates and the relation) is written first, as Redmine saves it
  // while rescheduling, before the relation's callbacks.
  if (toDetails.length > 0) {
    await journal(stored.issueToId, [...toDetails, relationDetail(stored, stored.issueToId, 'added')]);
    await journal(stored.issueFromId, [relationDetail(stored, stored.issueFromId, 'added')]);
  } else {
    await journal(stored.issueFromId, [relationDetail(stored, stored.issueFromId, 'added')]);
    await journal(stored.issueToId, [relationDetail(stored, stored.issueToId, 'added')]);
  }
  return { relation: { id, ...stored } };
}

/** A new `precedes` relation moves the following issue (its followers are journalized as the user). */
async function rescheduleFollower(tx: Queryable, relation: StoredRelation, now: Date, userId: number): Promise<JournalDetail[]> {
  if (relation.relationType !== 'precedes') {
    return [];
  }
  const run = await startScheduleRun(tx, now);
  const preceding = await selectScheduledIssue(tx, relation.issueFromId);
  const date = preceding ? successorSoonestStart(run.calendar, preceding, relation.delay) : undefined;
  return date === undefined ? [] : rescheduleOn(run, relation.issueToId, date, userId);
}

/**
 * Adds a relation from the issue to each `issue_to_id` (needs `manage_issue_relations` on the issue's
 * project). Each is saved or refused on its own, as in Redmine; the answer is about the last one: the
 * stored relation (reverse types turned around), or its validation errors.
 */
export async function createRelations(ctx: RelationContext, issueParam: string, input: NewRelationInput): Promise<RelationRow> {
  const from = await visibleIssue(ctx, issueParam);
  if (!(await mayManage(ctx, [from.projectId]))) {
    refuse(ctx.actor);
  }
  let last: Outcome = { errors: [] };
  for (const issueToParam of input.issueToIds.length > 0 ? input.issueToIds : ['']) {
    last = await ctx.db.transaction((tx) => addRelation(ctx, tx, from, issueToParam, input));
  }
  if ('errors' in last) {
    throw new ValidationError(last.errors);
  }
  return last.relation;
}

/**
 * Removes a relation the actor sees both ends of and may manage on either issue's project; both
 * issues get a journal with the removed relation.
 */
export async function deleteRelation(ctx: RelationContext, relationParam: string): Promise<void> {
  const { relation, issues, visible } = await relationWithIssues(ctx, relationParam);
  if (!visible || !(await mayManage(ctx, issues.map((issue) => issue.projectId)))) {
    refuse(ctx.actor);
  }
  await ctx.db.transaction(async (tx) => {
    await deleteRelationRow(tx, relation.id);
    const userId = await journalUser(tx, ctx.actor);
    for (const issueId of [relation.issueFromId, relation.issueToId]) {
      await insertJournal(tx, { issueId, userId, notes: null, privateNotes: false, createdOn: ctx.now, details: [relationDetail(relation, issueId, 'removed')] });
    }
  });
}

/** What linkCopiedIssue needs: the two issues, who copies, when, and the cross_project_issue_relations setting. */
export interface CopiedIssueLink {
  readonly sourceId: number;
  readonly copyId: number;
  readonly userId: number;
  readonly now: Date;
  readonly crossProjectAllowed: boolean;
}

/**
 * Adds the `copied_to` relation from an issue to its copy, inside the copy's transaction (Redmine's
 * Issue#after_create_from_copy), with the journal on both issues that any new relation writes. A
 * relation that would not be valid (across projects while cross-project relations are off, between an
 * issue and its subtask) is left out without an error, as Redmine only logs it. Returns whether it was added.
 */
export async function linkCopiedIssue(tx: Queryable, link: CopiedIssueLink): Promise<boolean> {
  const from = await selectRelatedIssue(tx, link.sourceId);
  const to = await selectRelatedIssue(tx, link.copyId);
  if (!from || !to || (await relationErrors(tx, { from, to, type: 'copied_to', delay: null }, link.crossProjectAllowed)).length > 0) {
    return false;
  }
  const stored = normalizeRelation(from.id, to.id, 'copied_to', null);
  if ((await insertRelation(tx, stored)) === undefined) {
    return false;
  }
  for (const issueId of [stored.issueFromId, stored.issueToId]) {
    await insertJournal(tx, { issueId, userId: link.userId, notes: null, privateNotes: false, createdOn: link.now, details: [relationDetail(stored, issueId, 'added')] });
  }
  return true;
}
