/**
 * The roadmap (Redmine's VersionsController#index), a version's page (#show) and "close completed
 * versions" (ProjectsController#close_completed_versions). Progress and counts are over the issues
 * the viewer sees, as Redmine's visible_fixed_issues.
 */
import { allowedTo, canViewProject, type ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, UnauthenticatedError } from '#src/errors.ts';
import { customFieldVisibleTo, customValueSheet } from '#src/features/custom-fields/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { findProject, getVisibleProject, loadProjectAccess, projectAccessByIds, type ProjectRow } from '#src/features/projects/index.ts';
import { canManageVersions, canViewVersions } from './version.policy.ts';
import { compareVersions, isVersionCompleted, versionProgress, type VersionProgress } from './version.progress.ts';
import { selectSharedVersions, type VersionRow } from './version.repository.ts';
import {
  closeVersions,
  selectOpenIssueCounts,
  selectProjectTrackers,
  selectSubtreeProjectIds,
  selectVersionIssues,
  selectVersionsOfProjects,
  type RoadmapTrackerRow,
  type VersionIssueRow,
} from './version.roadmap.repository.ts';
import { getVersion, type VersionContext, type VersionDetails } from './version.service.ts';

export type { VersionIssueRow } from './version.roadmap.repository.ts';
export type { VersionProgress } from './version.progress.ts';

export interface RoadmapOptions {
  /** `tracker_ids[]` as sent; undefined: the trackers shown on the roadmap by default. */
  readonly trackerIds: readonly number[] | undefined;
  /** `completed=1`: completed versions too. */
  readonly completed: boolean;
  /** `with_subprojects`; undefined: the `display_subprojects_issues` setting. */
  readonly withSubprojects: boolean | undefined;
  /** The viewer's date, `YYYY-MM-DD`. */
  readonly today: string;
}

export interface RoadmapVersion {
  readonly version: VersionRow;
  readonly progress: VersionProgress;
  readonly completed: boolean;
  /** The visible issues of the selected trackers in the listed projects. */
  readonly issues: readonly VersionIssueRow[];
}

export interface Roadmap {
  readonly project: ProjectRow;
  readonly trackers: readonly RoadmapTrackerRow[];
  readonly selectedTrackerIds: readonly number[];
  readonly withSubprojects: boolean;
  readonly completed: boolean;
  readonly versions: readonly RoadmapVersion[];
  /** Completed versions left out (without `completed=1`), latest first. */
  readonly completedVersions: readonly VersionRow[];
}

function refuse(ctx: VersionContext): never {
  throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** The viewer's calendar date in a time zone (UTC when unknown). */
export function todayIn(timeZone: string, now: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Progress and completion of each version from its visible issues and its open issues (all of them). */
async function progressOf(ctx: VersionContext, versions: readonly VersionRow[], issues: readonly VersionIssueRow[], today: string) {
  const open = await selectOpenIssueCounts(ctx.db, versions.map((v) => v.id));
  return new Map(
    versions.map((v) => {
      const own = issues.filter((i) => i.fixed_version_id === v.id);
      const progress = versionProgress(own.map((i) => ({ closed: i.is_closed, doneRatio: i.done_ratio, estimated: Number(i.total_estimated) })));
      return [v.id, { progress, completed: isVersionCompleted(v, open.get(v.id) ?? 0, today) }];
    }),
  );
}

export async function loadRoadmap(ctx: VersionContext, projectIdOrIdentifier: string, options: RoadmapOptions): Promise<Roadmap> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!canViewVersions(ctx.actor, await loadProjectAccess(ctx.db.orm, project))) {
    refuse(ctx);
  }
  const trackers = await selectProjectTrackers(ctx.db, project.id);
  const selectedTrackerIds =
    options.trackerIds === undefined ? trackers.filter((t) => t.is_in_roadmap).map((t) => t.id) : trackers.filter((t) => options.trackerIds?.includes(t.id)).map((t) => t.id);
  const withSubprojects = options.withSubprojects ?? ctx.settings.display_subprojects_issues === '1';
  const projectIds = withSubprojects ? await selectSubtreeProjectIds(ctx.db, project) : [project.id];
  let versions = await selectSharedVersions(ctx.db, project.id);
  if (withSubprojects) {
    const rolledUp = await selectVersionsOfProjects(ctx.db, projectIds.filter((id) => id !== project.id));
    const access = await projectAccessByIds(ctx.db, [...new Set(rolledUp.map((v) => v.project_id))]);
    const visible = (a: ProjectAccess | undefined) => a !== undefined && canViewProject(ctx.actor, a) && canViewVersions(ctx.actor, a);
    const known = new Set(versions.map((v) => v.id));
    versions = [...versions, ...rolledUp.filter((v) => !known.has(v.id) && visible(access.get(v.project_id)))];
  }
  versions.sort(compareVersions);
  const issues = await selectVersionIssues(ctx.db, versions.map((v) => v.id), visibleIssuesCondition(ctx.actor));
  const progress = await progressOf(ctx, versions, issues, options.today);
  const listed = versions.filter((v) => options.completed || !progress.get(v.id)?.completed);
  const completedVersions = options.completed ? [] : versions.filter((v) => progress.get(v.id)?.completed).reverse();
  const shown = listed
    .map((version) => ({
      version,
      progress: progress.get(version.id)!.progress,
      completed: progress.get(version.id)!.completed,
      issues: issues.filter((i) => i.fixed_version_id === version.id && selectedTrackerIds.includes(i.tracker_id) && projectIds.includes(i.project_id)),
    }))
    // A version of another project stays only when it holds issues of the listed projects (Redmine's reject!).
    .filter((entry) => projectIds.includes(entry.version.project_id) || entry.issues.length > 0);
  return { project, trackers, selectedTrackerIds, withSubprojects, completed: options.completed, versions: shown, completedVersions };
}

export interface VersionPage {
  readonly project: ProjectRow;
  readonly details: VersionDetails;
  readonly progress: VersionProgress;
  readonly completed: boolean;
  readonly issues: readonly VersionIssueRow[];
  /** Issue counts per tracker (open and closed), in tracker order. */
  readonly byTracker: readonly { id: number; name: string; open: number; closed: number }[];
  readonly customFields: readonly { name: string; values: readonly string[] }[];
  readonly canManage: boolean;
}

export async function loadVersionPage(ctx: VersionContext, id: number, today: string): Promise<VersionPage> {
  const details = await getVersion(ctx, id);
  const { version } = details;
  const project = await findProject(ctx.db.orm, String(version.project_id));
  if (!project) {
    throw new Error('version without a project');
  }
  const access = await loadProjectAccess(ctx.db.orm, project);
  const [issues, sheet] = await Promise.all([
    selectVersionIssues(ctx.db, [version.id], visibleIssuesCondition(ctx.actor)),
    customValueSheet(ctx.db, 'Version', [version.id]),
  ]);
  const { progress, completed } = (await progressOf(ctx, [version], issues, today)).get(version.id)!;
  const byTracker = new Map<number, { id: number; name: string; open: number; closed: number }>();
  for (const issue of issues) {
    const entry = byTracker.get(issue.tracker_id) ?? { id: issue.tracker_id, name: issue.tracker_name, open: 0, closed: 0 };
    entry[issue.is_closed ? 'closed' : 'open'] += 1;
    byTracker.set(issue.tracker_id, entry);
  }
  const customFields = sheet.fields
    .filter((field) => customFieldVisibleTo(field, ctx.actor, project.id, access))
    .map((field) => ({ name: field.name, values: (sheet.values.get(version.id)?.get(field.id) ?? []).filter((v) => v.trim() !== '') }))
    .filter((field) => field.values.length > 0);
  // Issues come in tracker order, so the map keeps it.
  return { project, details, progress, completed, issues, byTracker: [...byTracker.values()], customFields, canManage: canManageVersions(ctx.actor, access) };
}

/** Closes the project's own versions that are completed (`manage_versions`); returns how many. */
export async function closeCompletedVersions(ctx: VersionContext, projectIdOrIdentifier: string, today: string): Promise<number> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!allowedTo(ctx.actor, 'manage_versions', await loadProjectAccess(ctx.db.orm, project))) {
    refuse(ctx);
  }
  const own = (await selectVersionsOfProjects(ctx.db, [project.id])).filter((v) => v.status !== 'closed');
  const open = await selectOpenIssueCounts(ctx.db, own.map((v) => v.id));
  const done = own.filter((v) => isVersionCompleted(v, open.get(v.id) ?? 0, today)).map((v) => v.id);
  await ctx.db.transaction((tx) => closeVersions(tx, done, ctx.now));
  return done.length;
}
