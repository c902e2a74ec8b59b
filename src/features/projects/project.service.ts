/**
 * Project use cases: create, update, schedule for deletion, archive, unarchive, close, reopen. Each
 * checks the permission engine, validates with Redmine's messages, and writes in one transaction.
 */
import type { Database, Orm, Queryable } from '#src/db/database.ts';
import { allowedTo, canViewProject, PROJECT_STATUS, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import type { Params } from '#src/api/params.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { customFieldVisibleTo, deleteCustomValues, planCustomValues, storeCustomValues, type CustomValuesPlan } from '#src/features/custom-fields/index.ts';
import { settingList, type Settings } from '#src/features/settings/index.ts';
import { allowedGlobally, canDeleteProject, projectAccess } from './project.policy.ts';
import { isDefaultVersionCandidate, replaceIssueCustomFields, selectIssueCustomFieldIds } from './project.sections.ts';
import {
  findDefaultMemberRole,
  findProject,
  findProjectWithModules,
  insertMember,
  isActiveMember,
  insertProject,
  isIdentifierTaken,
  rebuildProjectTree,
  replaceEnabledModules,
  replaceProjectTrackers,
  selectAllTrackerIds,
  selectEnabledModules,
  selectSubtreeIds,
  setProjectsStatus,
  updateProjectRow,
  type ProjectRow,
} from './project.repository.ts';

/** Writable project attributes (Redmine's safe_attributes); absent = unchanged. */
export interface ProjectInput {
  name?: string | undefined;
  identifier?: string | undefined;
  description?: string | null | undefined;
  homepage?: string | undefined;
  isPublic?: boolean | undefined;
  parentId?: number | null | undefined;
  inheritMembers?: boolean | undefined;
  trackerIds?: number[] | undefined;
  enabledModuleNames?: string[] | undefined;
  issueCustomFieldIds?: number[] | undefined;
  /** -1 when the value sent was not an id. */
  defaultVersionId?: number | null | undefined;
  defaultAssignedToId?: number | null | undefined;
  /** The `project` hash as sent, for its custom values (`custom_fields` / `custom_field_values`). */
  customValues?: Params | undefined;
}

/**
 * Re-computes the members a project inherits from its parent (memberships' syncInheritedMembers),
 * inside the caller's transaction. Handed in by the app rather than imported: memberships imports
 * projects (to find a visible project), so projects importing memberships would close a cycle.
 */
export type InheritedMembersSync = (tx: Orm, projectId: number, now: Date) => Promise<void>;

export interface ProjectContext {
  db: Database;
  actor: Actor;
  settings: Settings;
  now: Date;
}

const IDENTIFIER = /^(?!\d+$)[a-z0-9_-]*$/;

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/**
 * The project with this id or identifier, if the actor may see it. Private projects are invisible to
 * non-members: 404, as for a project that does not exist (Redmine answers 403/401 and so reveals
 * that it exists). Archived projects answer 403, as in Redmine.
 */
export async function getVisibleProject(ctx: ProjectContext, idOrIdentifier: string): Promise<ProjectRow> {
  const project = await findProject(ctx.db.orm, idOrIdentifier);
  if (!project || project.status === PROJECT_STATUS.scheduledForDeletion) {
    throw new NotFoundError(`no project ${idOrIdentifier}`);
  }
  if (project.status === PROJECT_STATUS.archived) {
    throw new ForbiddenError('project is archived');
  }
  if (!canViewProject(ctx.actor, await loadProjectAccess(ctx.db.orm, project))) {
    throw new NotFoundError(`no project ${idOrIdentifier}`);
  }
  return project;
}

/** Any existing project, archived ones included: for the administrator's archive/unarchive. */
export async function getProjectForAdmin(ctx: ProjectContext, idOrIdentifier: string): Promise<ProjectRow> {
  const project = await findProject(ctx.db.orm, idOrIdentifier);
  if (!project || project.status === PROJECT_STATUS.scheduledForDeletion) {
    throw new NotFoundError(`no project ${idOrIdentifier}`);
  }
  if (!ctx.actor.isAdmin) {
    return getVisibleProject(ctx, idOrIdentifier);
  }
  return project;
}

/**
 * Does the actor have the permission on the project? `orm` is the open transaction when there is one:
 * PGlite has a single connection, so a query outside it would wait for the transaction forever.
 */
async function allowedOn(ctx: ProjectContext, permission: string, project: ProjectRow, orm: Orm = ctx.db.orm): Promise<boolean> {
  return allowedTo(ctx.actor, permission, await loadProjectAccess(orm, project));
}

/** A project by id with its access facts, in one query, whatever the actor may see (callers decide). */
export async function findProjectAccess(orm: Orm, id: number): Promise<{ project: ProjectRow; access: ProjectAccess } | undefined> {
  const found = await findProjectWithModules(orm, id);
  return found && { project: found.project, access: projectAccess(found.project, found.modules.map((name) => ({ name }))) };
}

/** The permission engine's facts about many projects at once (status, publicity, enabled modules), by id. */
export async function projectAccessByIds(db: Queryable, projectIds: readonly number[]): Promise<Map<number, ProjectAccess>> {
  if (projectIds.length === 0) {
    return new Map();
  }
  const rows = await db.query<{ id: number; is_public: boolean; status: number; modules: string[] | null }>(
    `SELECT p.id, p.is_public, p.status, array(SELECT em.name::text FROM enabled_modules em WHERE em.project_id = p.id) AS modules
       FROM projects p WHERE p.id = ANY($1::int[])`,
    [projectIds],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, isPublic: r.is_public, status: r.status, enabledModules: new Set(r.modules ?? []) }]));
}

/** The facts about a project the permission engine needs (status, publicity, enabled modules). */
export async function loadProjectAccess(orm: Orm, project: ProjectRow): Promise<ProjectAccess> {
  const modules = (await selectEnabledModules(orm, [project.id])).get(project.id) ?? [];
  return projectAccess(project, modules);
}

async function validate(orm: Orm, input: ProjectInput, existing: ProjectRow | undefined, ctx: ProjectContext): Promise<string[]> {
  const errors: string[] = [];
  const name = input.name ?? existing?.name ?? '';
  if (!name.trim()) {
    errors.push('Name cannot be blank');
  } else if (name.length > 255) {
    errors.push('Name is too long (maximum is 255 characters)');
  }
  if (!existing) {
    const identifier = input.identifier ?? '';
    if (!identifier) {
      errors.push('Identifier cannot be blank');
    } else if (identifier.length > 100) {
      errors.push('Identifier is too long (maximum is 100 characters)');
    } else if (!IDENTIFIER.test(identifier)) {
      errors.push('Identifier is invalid');
    } else if (identifier === 'new') {
      errors.push('Identifier is reserved');
    } else if (await isIdentifierTaken(orm, identifier)) {
      errors.push('Identifier has already been taken');
    }
  }
  if ((input.homepage?.length ?? 0) > 255) {
    errors.push('Homepage is too long (maximum is 255 characters)');
  }
  if (input.parentId !== undefined && input.parentId !== null) {
    const parent = await findProject(orm, String(input.parentId));
    const inOwnSubtree =
      existing && parent && (parent.lft ?? 0) >= (existing.lft ?? 0) && (parent.rgt ?? 0) <= (existing.rgt ?? 0);
    if (!parent || inOwnSubtree || parent.status !== PROJECT_STATUS.active || !(await allowedOn(ctx, 'add_subprojects', parent, orm))) {
      errors.push('Subproject of is invalid');
    }
  }
  if (input.issueCustomFieldIds !== undefined) {
    const known = await selectIssueCustomFieldIds(orm, input.issueCustomFieldIds);
    if (input.issueCustomFieldIds.some((id) => !known.has(id))) {
      errors.push('Issue custom fields is invalid');
    }
  }
  if (input.defaultVersionId !== undefined && input.defaultVersionId !== null) {
    if (!existing || !(await isDefaultVersionCandidate(orm, existing.id, input.defaultVersionId))) {
      errors.push('Default version is not included in the list');
    }
  }
  if (input.defaultAssignedToId !== undefined && input.defaultAssignedToId !== null) {
    if (!existing || !(await isActiveMember(orm, existing.id, input.defaultAssignedToId))) {
      errors.push('Default assignee is invalid');
    }
  }
  for (const name of input.enabledModuleNames ?? []) {
    if (!(PROJECT_MODULES as readonly string[]).includes(name)) {
      errors.push('Enabled modules is invalid');
      break;
    }
  }
  return errors;
}

/**
 * The project custom values of the body, keeping the fields the actor may see in the project
 * (Redmine's Project#editable_custom_field_values; others are dropped silently). A new project is
 * seen as Redmine sees an unsaved one: no members, the Non member role when it will be public.
 */
async function planProjectCustomValues(ctx: ProjectContext, input: ProjectInput, existing: ProjectRow | undefined): Promise<CustomValuesPlan> {
  const access = existing
    ? await loadProjectAccess(ctx.db.orm, existing)
    : { id: -1, isPublic: input.isPublic ?? ctx.settings.default_projects_public === '1', status: PROJECT_STATUS.active, enabledModules: new Set<string>() };
  return planCustomValues(ctx.db, 'Project', {
    body: input.customValues ?? {},
    recordId: existing?.id,
    projectId: existing?.id,
    editable: (field) => customFieldVisibleTo(field, ctx.actor, access.id, access),
  });
}

/**
 * Redmine's safe attribute `inherit_members`: turning it on hands the project to the parent's
 * members, so it is only for who may manage members (in the project; for a new one, through the role
 * its creator gets) under a parent they can see. Otherwise the value is ignored, as Redmine does.
 */
async function mayChangeInheritMembers(ctx: ProjectContext, existing: ProjectRow | undefined, creatorRole: { permissions: readonly string[] } | undefined): Promise<boolean> {
  if (!existing) {
    return ctx.actor.isAdmin || (creatorRole?.permissions.includes('manage_members') ?? false);
  }
  const parent = existing.parentId === null ? undefined : await findProject(ctx.db.orm, String(existing.parentId));
  if (parent && !canViewProject(ctx.actor, await loadProjectAccess(ctx.db.orm, parent))) {
    return false;
  }
  return allowedOn(ctx, 'manage_members', existing);
}

/**
 * Creates a project (admin, or `add_project`; a subproject needs `add_subprojects` on its parent). A
 * subproject that inherits members gets its parent's at once; then a creator who is not an
 * administrator becomes a member with the default role, unless already one through the parent.
 */
export async function createProject(ctx: ProjectContext, input: ProjectInput, syncInheritedMembers: InheritedMembersSync): Promise<ProjectRow> {
  const { actor, settings, now } = ctx;
  if (!allowedGlobally(actor, 'add_project') && !(input.parentId && actor.userId !== undefined)) {
    refuse(actor);
  }
  const creatorRole = actor.isAdmin || actor.userId === undefined ? undefined : await findDefaultMemberRole(ctx.db.orm, settings.new_project_user_role_id);
  const inheritMembers = (await mayChangeInheritMembers(ctx, undefined, creatorRole)) ? (input.inheritMembers ?? false) : false;
  const custom = await planProjectCustomValues(ctx, input, undefined);
  const id = await ctx.db.orm.transaction(async (tx) => {
    const errors = [...custom.errors, ...(await validate(tx, input, undefined, ctx))];
    if (errors.length > 0) {
      throw new ValidationError(errors);
    }
    const projectId = await insertProject(tx, {
      name: input.name ?? '',
      identifier: input.identifier ?? '',
      description: input.description ?? null,
      homepage: input.homepage ?? '',
      isPublic: input.isPublic ?? settings.default_projects_public === '1',
      parentId: input.parentId ?? null,
      inheritMembers,
      status: PROJECT_STATUS.active,
      createdOn: now,
      updatedOn: now,
    });
    await storeCustomValues(tx, custom, projectId);
    const defaultTrackers = settingList(settings, 'default_projects_tracker_ids').map(Number);
    await replaceProjectTrackers(tx, projectId, input.trackerIds ?? (defaultTrackers.length > 0 ? defaultTrackers : await selectAllTrackerIds(tx)));
    await replaceEnabledModules(tx, projectId, input.enabledModuleNames ?? settingList(settings, 'default_projects_modules'));
    if (input.issueCustomFieldIds !== undefined) {
      await replaceIssueCustomFields(tx, projectId, input.issueCustomFieldIds);
    }
    await rebuildProjectTree(tx);
    if (inheritMembers && input.parentId) {
      await syncInheritedMembers(tx, projectId, now);
    }
    if (creatorRole && actor.userId !== undefined) {
      await insertMember(tx, projectId, actor.userId, creatorRole.id, now);
    }
    return projectId;
  });
  const created = await findProject(ctx.db.orm, String(id));
  if (!created) {
    throw new Error('project vanished after creation');
  }
  return created;
}

/**
 * Updates a project (`edit_project`); the identifier is frozen once saved. A change of parent or of
 * `inherit_members` re-computes the members inherited from the parent (Redmine's after_save
 * update_inherited_members, remove_inherited_member_roles, add_inherited_member_roles).
 */
export async function updateProject(ctx: ProjectContext, project: ProjectRow, given: ProjectInput, syncInheritedMembers: InheritedMembersSync): Promise<void> {
  if (!(await allowedOn(ctx, 'edit_project', project))) {
    refuse(ctx.actor);
  }
  const input = given.inheritMembers !== undefined && !(await mayChangeInheritMembers(ctx, project, undefined)) ? { ...given, inheritMembers: undefined } : given;
  const custom = await planProjectCustomValues(ctx, input, project);
  await ctx.db.orm.transaction(async (tx) => {
    const errors = [...custom.errors, ...(await validate(tx, input, project, ctx))];
    if (errors.length > 0) {
      throw new ValidationError(errors);
    }
    await updateProjectRow(tx, project.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.homepage !== undefined ? { homepage: input.homepage } : {}),
      ...(input.isPublic !== undefined ? { isPublic: input.isPublic } : {}),
      ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
      ...(input.inheritMembers !== undefined ? { inheritMembers: input.inheritMembers } : {}),
      ...(input.defaultVersionId !== undefined ? { defaultVersionId: input.defaultVersionId } : {}),
      ...(input.defaultAssignedToId !== undefined ? { defaultAssignedToId: input.defaultAssignedToId } : {}),
      updatedOn: ctx.now,
    });
    await storeCustomValues(tx, custom, project.id);
    if (input.issueCustomFieldIds !== undefined) {
      await replaceIssueCustomFields(tx, project.id, input.issueCustomFieldIds);
    }
    if (input.trackerIds !== undefined) {
      await replaceProjectTrackers(tx, project.id, input.trackerIds);
    }
    if (input.enabledModuleNames !== undefined) {
      await replaceEnabledModules(tx, project.id, input.enabledModuleNames);
    }
    if (input.parentId !== undefined || input.name !== undefined) {
      await rebuildProjectTree(tx);
    }
    const moved = input.parentId !== undefined && input.parentId !== project.parentId;
    if (moved || (input.inheritMembers !== undefined && input.inheritMembers !== project.inheritMembers)) {
      await syncInheritedMembers(tx, project.id, ctx.now);
    }
  });
}

/** Archive / unarchive (administrators), close / reopen (`close_project`), applied to the subtree. */
export async function changeProjectStatus(
  ctx: ProjectContext,
  project: ProjectRow,
  action: 'archive' | 'unarchive' | 'close' | 'reopen',
): Promise<void> {
  const adminOnly = action === 'archive' || action === 'unarchive';
  if (adminOnly ? !ctx.actor.isAdmin : !(await allowedOn(ctx, 'close_project', project))) {
    refuse(ctx.actor);
  }
  const target = { archive: PROJECT_STATUS.archived, unarchive: PROJECT_STATUS.active, close: PROJECT_STATUS.closed, reopen: PROJECT_STATUS.active }[action];
  if (action === 'unarchive' && project.status !== PROJECT_STATUS.archived) {
    return;
  }
  const ids = await selectSubtreeIds(ctx.db.orm, project);
  await setProjectsStatus(ctx.db.orm, ids, target, ctx.now);
}

/**
 * Deletion (admin, or `delete_project` on a project without subprojects): the project is scheduled
 * for deletion at once and disappears from every list, as in Redmine. Its custom values go now: no
 * job destroys scheduled projects yet, and nothing can bring one back.
 */
export async function scheduleProjectDeletion(ctx: ProjectContext, project: ProjectRow): Promise<void> {
  if (!canDeleteProject(ctx.actor, project, await loadProjectAccess(ctx.db.orm, project))) {
    refuse(ctx.actor);
  }
  const ids = await selectSubtreeIds(ctx.db.orm, project);
  await ctx.db.orm.transaction(async (tx) => {
    await setProjectsStatus(tx, ids, PROJECT_STATUS.scheduledForDeletion, ctx.now);
    await deleteCustomValues(tx, 'Project', ids);
  });
}

