/**
 * Watchers of issues (Redmine's acts_as_watchable on Issue): who watches, adding and removing them
 * over the API, and adding the watchers named when an issue is created. A watcher is an active user
 * who can see the issue, or a group; anyone else is skipped without an error, as Redmine does.
 */
import type { Database, Queryable } from '#src/db/database.ts';
import { allowedTo, type Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { loadActor, visiblePrincipalIds } from '#src/features/access/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { findProject, loadProjectAccess } from '#src/features/projects/index.ts';
import {
  deleteWatcher,
  insertWatcher,
  isIssueVisible,
  principalExists,
  selectWatchableIssue,
  selectWatcherCandidates,
  selectWatcherIds,
  selectWatchersOf,
  type WatcherCandidate,
  type WatcherRow,
} from './watcher.repository.ts';

export interface WatcherContext {
  readonly db: Database;
  readonly actor: Actor;
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** The watchers of each issue, users and groups, in the order they were added (for `include=watchers`). */
export async function watchersOf(db: Queryable, issueIds: readonly number[]): Promise<Map<number, WatcherRow[]>> {
  const out = new Map<number, WatcherRow[]>(issueIds.map((id) => [id, []]));
  for (const { issueId, watcher } of await selectWatchersOf(db, issueIds)) {
    out.get(issueId)?.push(watcher);
  }
  return out;
}

/** Redmine's valid_watcher?: a group always; a user only if they can see the issue. */
async function canWatch(db: Queryable, issueId: number, candidate: WatcherCandidate): Promise<boolean> {
  if (candidate.type === 'Group') {
    return true;
  }
  const actor = await loadActor(db, { id: candidate.id, admin: candidate.admin });
  return isIssueVisible(db, issueId, visibleIssuesCondition(actor));
}

/**
 * Makes the principals watch the issue, skipping those that cannot (unknown, locked, a user who cannot
 * see the issue) and those already watching; returns the ids added. No permission check: the caller
 * decides who may add watchers (the issue feature uses it for `watcher_user_ids` on create).
 */
export async function addWatchers(db: Queryable, issueId: number, principalIds: readonly number[]): Promise<number[]> {
  const watching = await selectWatcherIds(db, issueId);
  const added: number[] = [];
  for (const candidate of await selectWatcherCandidates(db, [...new Set(principalIds)])) {
    if (!watching.has(candidate.id) && (await canWatch(db, issueId, candidate))) {
      await insertWatcher(db, issueId, candidate.id);
      watching.add(candidate.id);
      added.push(candidate.id);
    }
  }
  return added;
}

/**
 * The issue whose watchers are changed, when the actor sees it and holds the permission. Redmine
 * refuses an unknown issue the same way (its watchers controller finds no project to authorize on),
 * so unknown and invisible issues are both 403 (401 for anonymous), never 404.
 */
async function watchableIssue(ctx: WatcherContext, issueParam: string, permission: 'add_issue_watchers' | 'delete_issue_watchers'): Promise<number> {
  const id = /^\d{1,9}$/.test(issueParam) ? Number(issueParam) : undefined;
  const issue = id === undefined ? undefined : await selectWatchableIssue(ctx.db, id, visibleIssuesCondition(ctx.actor));
  const project = issue?.visible ? await findProject(ctx.db.orm, String(issue.projectId)) : undefined;
  if (!issue || !project || !allowedTo(ctx.actor, permission, await loadProjectAccess(ctx.db.orm, project))) {
    refuse(ctx.actor);
  }
  return issue.id;
}

/**
 * Adds watchers to an issue (needs `add_issue_watchers`). Only principals the actor may see are
 * considered (Redmine's Principal.assignable_watchers), and of those only valid watchers are added.
 */
export async function addIssueWatchers(ctx: WatcherContext, issueParam: string, principalIds: readonly number[]): Promise<void> {
  const issueId = await watchableIssue(ctx, issueParam, 'add_issue_watchers');
  const { actor } = ctx;
  const visible = await visiblePrincipalIds(ctx.db, principalIds, actor);
  await ctx.db.transaction((tx) => addWatchers(tx, issueId, visible));
}

/** Removes a watcher (needs `delete_issue_watchers`); an unknown principal is 404, a non-watcher a no-op. */
export async function removeIssueWatcher(ctx: WatcherContext, issueParam: string, principalParam: string): Promise<void> {
  const issueId = await watchableIssue(ctx, issueParam, 'delete_issue_watchers');
  const principalId = /^\d{1,9}$/.test(principalParam) ? Number(principalParam) : undefined;
  if (principalId === undefined || !(await principalExists(ctx.db, principalId))) {
    throw new NotFoundError(`no principal ${principalParam}`);
  }
  await deleteWatcher(ctx.db, issueId, principalId);
}

/**
 * The actor starts or stops watching the issues (Redmine's WatchersController#watch/#unwatch): any
 * signed-in user who sees every one of them; an issue they do not see is a 404 for all.
 */
export async function setIssuesWatched(ctx: WatcherContext, issueIds: readonly number[], watching: boolean): Promise<void> {
  const userId = ctx.actor.userId;
  if (userId === undefined) {
    refuse(ctx.actor);
  }
  const visible = visibleIssuesCondition(ctx.actor);
  for (const id of issueIds) {
    if (!(await isIssueVisible(ctx.db, id, visible))) {
      throw new NotFoundError(`no issue ${id}`);
    }
  }
  await ctx.db.transaction(async (tx) => {
    for (const id of issueIds) {
      const current = await selectWatcherIds(tx, id);
      if (watching && !current.has(userId)) {
        await insertWatcher(tx, id, userId);
      } else if (!watching && current.has(userId)) {
        await deleteWatcher(tx, id, userId);
      }
    }
  });
}
