/**
 * Saving queries from a list page (Redmine's QueriesController): the queries a list's sidebar offers,
 * and creating, editing and deleting one, with Redmine's rules on who may share a query and with whom.
 * The filters arrive already checked by the list that owns them (their messages in `filterErrors`).
 */
import type { Database } from '#src/db/database.ts';
import type { QueryFilters, QuerySortCriteria } from '#src/db/schema/core-tracker.ts';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { allowedGlobally, findProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { isQueryEditable, isQueryVisible, QUERY_VISIBILITY, queryRights, visibleQueriesCondition, type QueryRights } from './query.policy.ts';
import {
  deleteQueryRow,
  insertQuery,
  replaceQueryRoles,
  selectGivableRoles,
  selectProjectDefaultQueryId,
  selectQueriesOfProject,
  selectSavedQueryById,
  setProjectDefaultQuery,
  updateQueryRow,
  type SidebarQueryRow,
} from './query.repository.ts';
import { savedQueryOf, type ListQueryType, type QueryContext, type SavedQuery } from './query.service.ts';

/** What the query form sends besides the list's own parameters. */
export interface SavedQueryInput {
  readonly name: string;
  /** As asked; lowered to private for who may not share. */
  readonly visibility: number;
  readonly roleIds: readonly number[];
  /** "For all projects": the query belongs to no project. */
  readonly forAllProjects: boolean;
  /** "Default query" of the project (issue queries of a project, shared with everyone). */
  readonly isDefault: boolean;
  readonly filters: QueryFilters;
  /** null: the list's default columns. */
  readonly columnNames: readonly string[] | null;
  readonly sortCriteria: QuerySortCriteria;
  readonly groupBy: string | null;
  readonly totalableNames: readonly string[];
  /** Messages of the list's own check of the filters (Redmine's validate_query_filters). */
  readonly filterErrors: readonly string[];
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** The rights of the actor on queries of the project (undefined: of all projects). */
export async function savedQueryRights(ctx: QueryContext, project: ProjectRow | undefined): Promise<QueryRights> {
  const access = project ? await loadProjectAccess(ctx.db.orm, project) : undefined;
  return queryRights(ctx.actor, access, (permission) => allowedGlobally(ctx.actor, permission));
}

/** The saved queries of a kind a list's sidebar shows: global ones and those of the project, visible to the actor, by name. */
export function sidebarQueries(ctx: QueryContext, type: ListQueryType, project: ProjectRow | undefined): Promise<SidebarQueryRow[]> {
  return selectQueriesOfProject(ctx.db, visibleQueriesCondition(ctx.actor, type), project?.id);
}

/** Givable roles, for "visible to these roles". */
export function queryRoleChoices(db: Database): Promise<{ id: number; name: string }[]> {
  return selectGivableRoles(db);
}

export interface EditableQuery {
  readonly query: SavedQuery;
  readonly project: ProjectRow | undefined;
  readonly rights: QueryRights;
  /** It is its project's default query. */
  readonly isDefault: boolean;
}

/** A saved query the actor may edit (404 unknown or invisible, 403 visible but not editable). */
export async function getEditableQuery(ctx: QueryContext, type: ListQueryType, queryId: string): Promise<EditableQuery> {
  const id = /^\d{1,9}$/.test(queryId) ? Number(queryId) : undefined;
  const row = id === undefined ? undefined : await selectSavedQueryById(ctx.db, id, type);
  const project = row?.project_id ? await findProject(ctx.db.orm, String(row.project_id)) : undefined;
  const access = project ? await loadProjectAccess(ctx.db.orm, project) : undefined;
  if (!row || (row.project_id !== null && !access)) {
    throw new NotFoundError(`no query ${queryId}`);
  }
  const facts = { type, visibility: row.visibility, userId: row.user_id, roleIds: row.role_ids, project: access };
  if (!isQueryVisible(ctx.actor, facts)) {
    throw new NotFoundError(`no query ${queryId}`);
  }
  if (!isQueryEditable(ctx.actor, facts)) {
    refuse(ctx.actor);
  }
  const rights = queryRights(ctx.actor, access, (permission) => allowedGlobally(ctx.actor, permission));
  const isDefault = project ? (await selectProjectDefaultQueryId(ctx.db, project.id)) === row.id : false;
  return { query: savedQueryOf(row), project, rights, isDefault };
}

interface Placement {
  readonly project: ProjectRow | undefined;
  readonly access: ProjectAccess | undefined;
}

/** Redmine's update_query_from_params and validations: the values to store, or the refusal. */
function planSave(ctx: QueryContext, type: string, placement: Placement, input: SavedQueryInput) {
  const rights = queryRights(ctx.actor, placement.access, (permission) => allowedGlobally(ctx.actor, permission));
  const name = input.name.trim();
  const errors: string[] = [];
  if (name === '') {
    errors.push('Name cannot be blank');
  } else if ([...name].length > 255) {
    errors.push('Name is too long (maximum is 255 characters)');
  }
  const asked = Object.values(QUERY_VISIBILITY).includes(input.visibility as 0) ? input.visibility : QUERY_VISIBILITY.private;
  const visibility = rights.managePublic ? asked : QUERY_VISIBILITY.private;
  const roleIds = visibility === QUERY_VISIBILITY.roles ? [...new Set(input.roleIds)] : [];
  if (visibility === QUERY_VISIBILITY.roles && roleIds.length === 0) {
    errors.push('Roles cannot be blank');
  }
  errors.push(...input.filterErrors);
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const makeDefault =
    type === 'IssueQuery' && placement.project !== undefined && input.isDefault && rights.managePublic && visibility === QUERY_VISIBILITY.public;
  return {
    values: {
      type,
      name,
      projectId: placement.project?.id ?? null,
      userId: ctx.actor.userId ?? 0,
      visibility,
      filters: input.filters,
      columnNames: input.columnNames,
      sortCriteria: input.sortCriteria,
      groupBy: input.groupBy,
      options: { totalable_names: [...input.totalableNames] },
    },
    roleIds,
    makeDefault,
  };
}

async function placementOf(ctx: QueryContext, project: ProjectRow | undefined, forAllProjects: boolean): Promise<Placement> {
  if (!project || forAllProjects) {
    return { project: undefined, access: undefined };
  }
  return { project, access: await loadProjectAccess(ctx.db.orm, project) };
}

/**
 * Saves a new query of the list of `project` (undefined: of all projects). The actor needs
 * save_queries or manage_public_queries there (403 otherwise, 401 anonymous).
 */
export async function createSavedQuery(ctx: QueryContext, type: ListQueryType, project: ProjectRow | undefined, input: SavedQueryInput): Promise<number> {
  if (!(await savedQueryRights(ctx, project)).save) {
    refuse(ctx.actor);
  }
  const placement = await placementOf(ctx, project, input.forAllProjects);
  const { values, roleIds, makeDefault } = planSave(ctx, type, placement, input);
  return ctx.db.transaction(async (tx) => {
    const id = await insertQuery(tx, values);
    await replaceQueryRoles(tx, id, roleIds);
    if (makeDefault && placement.project) {
      await setProjectDefaultQuery(tx, placement.project.id, id);
    }
    return id;
  });
}

/**
 * Rewrites a saved query the actor may edit. A query shared beyond its owner stays in its project
 * unless an administrator moves it to all projects (Redmine disables the box otherwise).
 */
export async function updateSavedQuery(ctx: QueryContext, type: ListQueryType, queryId: string, input: SavedQueryInput): Promise<SavedQuery> {
  const editable = await getEditableQuery(ctx, type, queryId);
  const { query, project } = editable;
  const mayMove = project !== undefined && (query.visibility === QUERY_VISIBILITY.private || ctx.actor.isAdmin);
  const placement = await placementOf(ctx, project, mayMove && input.forAllProjects);
  const { values, roleIds, makeDefault } = planSave(ctx, type, placement, input);
  await ctx.db.transaction(async (tx) => {
    await updateQueryRow(tx, query.id, values);
    await replaceQueryRoles(tx, query.id, roleIds);
    if (project) {
      await setProjectDefaultQuery(tx, project.id, makeDefault && placement.project ? query.id : null, query.id);
    }
  });
  return { ...query, projectId: values.projectId };
}

/** Deletes a saved query the actor may edit; returns the project it was of (for the redirect). */
export async function deleteSavedQuery(ctx: QueryContext, type: ListQueryType, queryId: string): Promise<ProjectRow | undefined> {
  const { query, project } = await getEditableQuery(ctx, type, queryId);
  await deleteQueryRow(ctx.db, query.id);
  return project;
}

/** The project's default issue query, when the actor may see it (Redmine's IssueQuery.default). */
export async function projectDefaultQueryId(ctx: QueryContext, project: ProjectRow): Promise<number | undefined> {
  const id = await selectProjectDefaultQueryId(ctx.db, project.id);
  if (id === null) {
    return undefined;
  }
  const row = await selectSavedQueryById(ctx.db, id, 'IssueQuery');
  const access = await loadProjectAccess(ctx.db.orm, project);
  const visible =
    row !== undefined &&
    (row.project_id === null || row.project_id === project.id) &&
    isQueryVisible(ctx.actor, { type: 'IssueQuery', visibility: row.visibility, userId: row.user_id, roleIds: row.role_ids, project: row.project_id === null ? undefined : access });
  return visible ? id : undefined;
}
