/**
 * Version use cases: list a project's versions (its own and those shared with it), show, create,
 * update, delete. Reads need `view_issues` on the version's project, writes `manage_versions`; the
 * project must be visible (404 otherwise, as for projects).
 */
import type { Params } from '#src/api/params.ts';
import type { ListValue } from '#src/api/resource.ts';
import type { Queryable } from '#src/db/database.ts';
import type { VersionSharing } from '#src/db/schema/core-tracker.ts';
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import {
  customFieldVisibleTo,
  customValueSheet,
  deleteCustomValues,
  planCustomValues,
  presentedCustomFields,
  storeCustomValues,
  type CustomValuesPlan,
} from '#src/features/custom-fields/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { insertJournal } from '#src/features/issues/journal.repository.ts';
import { findProject, getVisibleProject, loadProjectAccess, projectAccessByIds, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { versionSpentHours } from '#src/features/time-entries/index.ts';
import {
  allowedSharings,
  canManageVersions,
  canViewVersions,
  isNarrowing,
  isVersionSharing,
  isVersionStatus,
  parseDueDate,
  versionErrors,
  type VersionDraft,
} from './version.policy.ts';
import type { VersionHours } from './version.presenter.ts';
import {
  clearIssuesFixedVersion,
  deleteVersionRow,
  insertVersion,
  isVersionInUse,
  isVersionNameTaken,
  selectIssuesNoLongerSharing,
  selectRootProjectId,
  selectSharedVersions,
  selectVersion,
  selectVisibleEstimatedHours,
  setProjectDefaultVersion,
  updateVersionRow,
  type VersionRow,
  type VersionValues,
} from './version.repository.ts';

export type VersionContext = ProjectContext;

/** Writable version attributes (Redmine's safe_attributes); absent = unchanged. */
export interface VersionInput {
  name?: string | null | undefined;
  description?: string | null | undefined;
  status?: string | null | undefined;
  /** `due_date` or its alias `effective_date`, as sent; blank clears it. */
  dueDate?: string | null | undefined;
  /** Dropped when the actor may not choose it (Redmine's allowed_sharings), as Redmine does. */
  sharing?: string | null | undefined;
  wikiPageTitle?: string | null | undefined;
  /** Makes the version its project's default version (never unsets it). */
  defaultProjectVersion?: boolean | undefined;
  /** The `version` hash as sent, for its custom values (`custom_fields` / `custom_field_values`). */
  customValues?: Params | undefined;
}

/** A version, its hours when the viewer may see time entries of its project, and its visible custom values. */
export interface VersionDetails {
  readonly version: VersionRow;
  readonly hours: VersionHours | undefined;
  readonly customFields?: ListValue | undefined;
}

/** Refusal to delete a version still in use: Redmine's bare 422 (`head :unprocessable_content`). */
class VersionInUseError extends ValidationError {
  constructor() {
    super([]);
  }
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

async function accessOf(ctx: VersionContext, project: ProjectRow): Promise<ProjectAccess> {
  return loadProjectAccess(ctx.db.orm, project);
}

/** The version and its (visible) project; unknown versions and invisible projects are 404. */
async function visibleVersion(ctx: VersionContext, id: number): Promise<{ version: VersionRow; access: ProjectAccess }> {
  const version = await selectVersion(ctx.db, id);
  if (!version) {
    throw new NotFoundError(`no version ${id}`);
  }
  const project = await getVisibleProject(ctx, String(version.project_id));
  return { version, access: await accessOf(ctx, project) };
}

/**
 * Redmine's show: estimated hours of the issues the viewer sees and spent hours, for those with
 * `view_time_entries` on the version's project; spent hours count every entry logged on its issues,
 * whoever may see it (Redmine's Version#spent_hours).
 */
async function detailsOf(ctx: VersionContext, version: VersionRow, access: ProjectAccess): Promise<VersionDetails> {
  const sheet = await customValueSheet(ctx.db, 'Version', [version.id]);
  const customFields = presentedCustomFields(sheet, version.id, (field) => customFieldVisibleTo(field, ctx.actor, version.project_id, access));
  if (!allowedTo(ctx.actor, 'view_time_entries', access)) {
    return { version, hours: undefined, customFields };
  }
  const estimated = await selectVisibleEstimatedHours(ctx.db, version.id, visibleIssuesCondition(ctx.actor));
  return { version, hours: { estimated, spent: await versionSpentHours(ctx.db, version.id) }, customFields };
}

/**
 * The `custom_fields` sections of versions, by id: the fields visible to the viewer in each version's
 * own project (Redmine's Version#visible_custom_field_values; shared versions come from other projects).
 */
export async function versionCustomFields(ctx: VersionContext, versions: readonly VersionRow[]): Promise<Map<number, ListValue | undefined>> {
  const sheet = await customValueSheet(ctx.db, 'Version', versions.map((v) => v.id));
  // Fields visible only to some roles need each project's facts (its Non member role counts on public ones).
  const access = sheet.fields.some((field) => !field.visible) ? await projectAccessByIds(ctx.db, [...new Set(versions.map((v) => v.project_id))]) : undefined;
  return new Map(
    versions.map((v) => [v.id, presentedCustomFields(sheet, v.id, (field) => customFieldVisibleTo(field, ctx.actor, v.project_id, access?.get(v.project_id)))]),
  );
}

/** The version custom values of the body the actor may set (those visible in the project; others dropped silently). */
function planVersionCustomValues(ctx: VersionContext, input: VersionInput, projectId: number, access: ProjectAccess, versionId: number | undefined): Promise<CustomValuesPlan> {
  return planCustomValues(ctx.db, 'Version', {
    body: input.customValues ?? {},
    recordId: versionId,
    projectId,
    editable: (field) => customFieldVisibleTo(field, ctx.actor, projectId, access),
  });
}

/** The sharings the actor may give a version of the project that is now shared as `current` (the form's choices). */
export async function sharingsFor(ctx: VersionContext, projectId: number, current: VersionSharing): Promise<VersionSharing[]> {
  const root = await findProject(ctx.db.orm, String(await selectRootProjectId(ctx.db, projectId)));
  const managesRoot = root !== undefined && canManageVersions(ctx.actor, await accessOf(ctx, root));
  return allowedSharings(ctx.actor, current, managesRoot);
}

function draftOf(version: VersionRow | undefined): VersionDraft {
  return {
    name: version?.name ?? null,
    description: version ? version.description : '',
    status: version ? version.status : 'open',
    effectiveDate: version?.effective_date ?? null,
    invalidDueDate: false,
    sharing: version?.sharing ?? 'none',
    wikiPageTitle: version?.wiki_page_title ?? null,
  };
}

function applyInput(draft: VersionDraft, input: VersionInput, sharings: readonly VersionSharing[]): VersionDraft {
  const next = { ...draft };
  if (input.name !== undefined) {
    next.name = input.name;
  }
  if (input.description !== undefined) {
    next.description = input.description;
  }
  if (input.status !== undefined) {
    next.status = input.status;
  }
  if (input.dueDate !== undefined) {
    const due = parseDueDate(input.dueDate);
    next.effectiveDate = 'date' in due ? due.date : null;
    next.invalidDueDate = 'invalid' in due;
  }
  if (input.wikiPageTitle !== undefined) {
    next.wikiPageTitle = input.wikiPageTitle;
  }
  if (isVersionSharing(input.sharing) && sharings.includes(input.sharing)) {
    next.sharing = input.sharing;
  }
  return next;
}

/** The draft's values once validated, or Redmine's validation errors (those of custom values first, as in Redmine). */
async function validated(db: Queryable, projectId: number, draft: VersionDraft, versionId: number | undefined, customErrors: readonly string[]): Promise<VersionValues> {
  const name = draft.name ?? '';
  const taken = name.trim() !== '' && (await isVersionNameTaken(db, projectId, name, versionId));
  const errors = [...customErrors, ...versionErrors(draft, taken)];
  if (errors.length > 0 || !isVersionStatus(draft.status) || !isVersionSharing(draft.sharing)) {
    throw new ValidationError(errors);
  }
  return {
    name,
    description: draft.description,
    status: draft.status,
    effectiveDate: draft.effectiveDate,
    sharing: draft.sharing,
    wikiPageTitle: draft.wikiPageTitle,
  };
}

function isUnchanged(version: VersionRow, values: VersionValues): boolean {
  return (
    version.name === values.name &&
    version.description === values.description &&
    version.status === values.status &&
    version.effective_date === values.effectiveDate &&
    version.sharing === values.sharing &&
    version.wiki_page_title === values.wikiPageTitle
  );
}

/** The project's versions and those other projects share with it (Redmine's shared_versions). */
export async function listProjectVersions(ctx: VersionContext, projectIdOrIdentifier: string): Promise<VersionRow[]> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!canViewVersions(ctx.actor, await accessOf(ctx, project))) {
    refuse(ctx.actor);
  }
  return selectSharedVersions(ctx.db, project.id);
}

/** One version, for those who may view issues of its project. */
export async function getVersion(ctx: VersionContext, id: number): Promise<VersionDetails> {
  const { version, access } = await visibleVersion(ctx, id);
  if (!canViewVersions(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  return detailsOf(ctx, version, access);
}

/** Creates a version in the project (`manage_versions`); a sharing the actor may not choose is ignored. */
export async function createVersion(ctx: VersionContext, projectIdOrIdentifier: string, input: VersionInput): Promise<VersionDetails> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  const access = await accessOf(ctx, project);
  if (!canManageVersions(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  const sharings = await sharingsFor(ctx, project.id, 'none');
  const custom = await planVersionCustomValues(ctx, input, project.id, access, undefined);
  const id = await ctx.db.transaction(async (tx) => {
    const values = await validated(tx, project.id, applyInput(draftOf(undefined), input, sharings), undefined, custom.errors);
    const created = await insertVersion(tx, project.id, values, ctx.now);
    await storeCustomValues(tx, custom, created);
    if (input.defaultProjectVersion === true) {
      await setProjectDefaultVersion(tx, project.id, created);
    }
    return created;
  });
  const version = await selectVersion(ctx.db, id);
  if (!version) {
    throw new Error('version vanished after creation');
  }
  return detailsOf(ctx, version, access);
}

/**
 * Updates a version (`manage_versions` on its project); without a `version` in the request nothing
 * changes. When its sharing narrows, issues of projects that lose it are taken off it, each with a
 * journal entry, as Redmine's Version#after_update does.
 */
export async function updateVersion(ctx: VersionContext, id: number, input: VersionInput | undefined): Promise<void> {
  const { version, access } = await visibleVersion(ctx, id);
  if (!canManageVersions(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  if (input === undefined) {
    return;
  }
  const before: VersionSharing = isVersionSharing(version.sharing) ? version.sharing : 'none';
  const sharings = await sharingsFor(ctx, version.project_id, before);
  const custom = await planVersionCustomValues(ctx, input, version.project_id, access, version.id);
  await ctx.db.transaction(async (tx) => {
    const values = await validated(tx, version.project_id, applyInput(draftOf(version), input, sharings), version.id, custom.errors);
    // A change of custom values alone touches updated_on, as Redmine does.
    const customChanged = await storeCustomValues(tx, custom, version.id);
    if (customChanged || !isUnchanged(version, values)) {
      await updateVersionRow(tx, version.id, values, ctx.now);
    }
    if (isNarrowing(before, values.sharing)) {
      const losing = (await selectIssuesNoLongerSharing(tx, version.id)).map((issue) => issue.id);
      await clearIssuesFixedVersion(tx, losing, ctx.now);
      for (const issueId of losing) {
        await insertJournal(tx, {
          issueId,
          userId: ctx.actor.userId ?? 0,
          notes: '',
          privateNotes: false,
          createdOn: ctx.now,
          details: [{ property: 'attr', propKey: 'fixed_version_id', oldValue: String(version.id), value: null }],
        });
      }
    }
    if (input.defaultProjectVersion === true) {
      await setProjectDefaultVersion(tx, version.project_id, version.id);
    }
  });
}

/** Deletes a version (`manage_versions`) unless issues, version custom values or files still use it. */
export async function deleteVersion(ctx: VersionContext, id: number): Promise<void> {
  const { version, access } = await visibleVersion(ctx, id);
  if (!canManageVersions(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  await ctx.db.transaction(async (tx) => {
    if (await isVersionInUse(tx, version.id)) {
      throw new VersionInUseError();
    }
    await deleteCustomValues(tx, 'Version', [version.id]);
    await deleteVersionRow(tx, version.id);
  });
}
