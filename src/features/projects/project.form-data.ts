/**
 * What the project form offers and holds (Redmine's projects/_form): the parents the actor may
 * choose, trackers, modules, issue custom fields, the project custom fields the actor may edit, and
 * the form's values — from a saved project, from the tenant's defaults for a new one, or as sent
 * back by a refused form.
 */
import type { Params } from '#src/api/params.ts';
import { paramObject } from '#src/api/params.ts';
import { allowedTo, canViewProject, PROJECT_STATUS } from '#src/domain/authorization.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import { customFieldsOfKind, customFieldVisibleTo, customValueSheet, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { settingList } from '#src/features/settings/index.ts';
import { allowedGlobally } from './project.policy.ts';
import { selectEnabledModules, selectProjectTrackers, type ProjectRow } from './project.repository.ts';
import { selectEnabledIssueCustomFieldIds, selectIssueCustomFieldChoices, selectParentCandidates, selectTrackerChoices } from './project.form.repository.ts';
import { loadProjectAccess, projectAccessByIds, type ProjectContext, type ProjectInput } from './project.service.ts';

export interface NamedChoice {
  readonly id: number;
  readonly name: string;
}

export interface ProjectFormChoices {
  /** Parents the actor may choose, in tree order with their depth; `blank` when "no parent" is allowed. */
  readonly parents: readonly (NamedChoice & { depth: number })[];
  readonly blankParent: boolean;
  readonly trackers: readonly NamedChoice[];
  readonly modules: readonly string[];
  readonly issueCustomFields: readonly (NamedChoice & { isForAll: boolean })[];
  readonly customFields: readonly CustomFieldDef[];
  /** May the actor change `inherit_members` (manage_members, or creating a project)? */
  readonly canInheritMembers: boolean;
}

export interface ProjectFormValues {
  readonly name: string;
  readonly identifier: string;
  readonly description: string;
  readonly homepage: string;
  readonly isPublic: boolean;
  readonly parentId: number | null;
  readonly inheritMembers: boolean;
  readonly moduleNames: readonly string[];
  readonly trackerIds: readonly number[];
  readonly issueCustomFieldIds: readonly number[];
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

/** The choices of the form for a new project (`project` undefined) or for an existing one. */
export async function loadProjectFormChoices(ctx: ProjectContext, project: ProjectRow | undefined): Promise<ProjectFormChoices> {
  const { actor, db } = ctx;
  const [candidates, trackers, issueCustomFields, fields] = await Promise.all([
    selectParentCandidates(db),
    selectTrackerChoices(db),
    selectIssueCustomFieldChoices(db),
    customFieldsOfKind(db, 'Project'),
  ]);
  const access = await projectAccessByIds(db, candidates.map((c) => c.id));
  const inOwnSubtree = (c: { lft: number | null; rgt: number | null }) =>
    project !== undefined && (c.lft ?? 0) >= (project.lft ?? 0) && (c.rgt ?? 0) <= (project.rgt ?? 0);
  const depthOf = new Map<number, number>();
  const parents: (NamedChoice & { depth: number })[] = [];
  for (const c of candidates) {
    const depth = c.parent_id === null ? 0 : (depthOf.get(c.parent_id) ?? -1) + 1;
    depthOf.set(c.id, depth);
    const a = access.get(c.id);
    const allowed = a !== undefined && c.status === PROJECT_STATUS.active && allowedTo(actor, 'add_subprojects', a) && !inOwnSubtree(c);
    if (allowed || c.id === project?.parentId) {
      parents.push({ id: c.id, name: c.name, depth });
    }
  }
  const projectAccess = project ? await loadProjectAccess(db.orm, project) : undefined;
  const newAccess = { id: -1, isPublic: true, status: PROJECT_STATUS.active, enabledModules: new Set<string>() };
  return {
    parents,
    blankParent: allowedGlobally(actor, 'add_project') || (project !== undefined && project.parentId === null),
    trackers,
    modules: PROJECT_MODULES,
    issueCustomFields,
    customFields: fields.filter((field) => customFieldVisibleTo(field, actor, project?.id ?? -1, projectAccess ?? newAccess)),
    canInheritMembers: actor.isAdmin || (projectAccess ? allowedTo(actor, 'manage_members', projectAccess) && canViewProject(actor, projectAccess) : true),
  };
}

/** A new project's values: the tenant's defaults, under `parentId` when given. */
export async function newProjectFormValues(ctx: ProjectContext, parentId: number | null): Promise<ProjectFormValues> {
  const { settings } = ctx;
  const defaultTrackers = settingList(settings, 'default_projects_tracker_ids').map(Number);
  const fields = await customFieldsOfKind(ctx.db, 'Project');
  return {
    name: '',
    identifier: '',
    description: '',
    homepage: '',
    isPublic: settings.default_projects_public === '1',
    parentId,
    inheritMembers: false,
    moduleNames: settingList(settings, 'default_projects_modules'),
    trackerIds: defaultTrackers.length > 0 ? defaultTrackers : (await selectTrackerChoices(ctx.db)).map((t) => t.id),
    issueCustomFieldIds: [],
    customValues: new Map(fields.filter((f) => f.defaultValue).map((f) => [f.id, [f.defaultValue ?? '']])),
  };
}

/** A saved project's values. */
export async function savedProjectFormValues(ctx: ProjectContext, project: ProjectRow): Promise<ProjectFormValues> {
  const [modules, trackers, issueFields, sheet] = await Promise.all([
    selectEnabledModules(ctx.db.orm, [project.id]),
    selectProjectTrackers(ctx.db.orm, [project.id]),
    selectEnabledIssueCustomFieldIds(ctx.db, project.id),
    customValueSheet(ctx.db, 'Project', [project.id]),
  ]);
  return {
    name: project.name,
    identifier: project.identifier ?? '',
    description: project.description ?? '',
    homepage: project.homepage ?? '',
    isPublic: project.isPublic,
    parentId: project.parentId,
    inheritMembers: project.inheritMembers,
    moduleNames: (modules.get(project.id) ?? []).map((m) => m.name),
    trackerIds: (trackers.get(project.id) ?? []).map((t) => t.id),
    issueCustomFieldIds: issueFields,
    customValues: sheet.values.get(project.id) ?? new Map(),
  };
}

/** The values of a refused form: what was sent over what was there. */
export function submittedProjectFormValues(base: ProjectFormValues, input: ProjectInput, params: Params): ProjectFormValues {
  const sent = paramObject(paramObject(params.project)?.custom_field_values) ?? {};
  const customValues = new Map(base.customValues);
  for (const [key, value] of Object.entries(sent)) {
    if (/^\d+$/.test(key)) {
      customValues.set(Number(key), (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== ''));
    }
  }
  return {
    name: input.name ?? base.name,
    identifier: input.identifier ?? base.identifier,
    description: input.description === undefined ? base.description : (input.description ?? ''),
    homepage: input.homepage ?? base.homepage,
    isPublic: input.isPublic ?? base.isPublic,
    parentId: input.parentId === undefined || input.parentId === -1 ? base.parentId : input.parentId,
    inheritMembers: input.inheritMembers ?? base.inheritMembers,
    moduleNames: input.enabledModuleNames ?? base.moduleNames,
    trackerIds: input.trackerIds ?? base.trackerIds,
    issueCustomFieldIds: input.issueCustomFieldIds ?? base.issueCustomFieldIds,
    customValues,
  };
}
