/**
 * Who sees which saved query (Redmine's Query.visible scope and Query#visible?).
 */
import { sql, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, PROJECT_STATUS, rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { Permission } from '#src/domain/permissions.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';

/** Redmine's Query::VISIBILITY_* values. */
export const QUERY_VISIBILITY = { private: 0, roles: 1, public: 2 } as const;

/** The permission a kind of query needs in its project, or 'admin' for the administrator-only kinds. */
export const QUERY_TYPES: Readonly<Record<string, Permission | 'admin'>> = {
  IssueQuery: 'view_issues',
  TimeEntryQuery: 'view_time_entries',
  ProjectQuery: 'search_project',
  UserQuery: 'admin',
  ProjectAdminQuery: 'admin',
};

/**
 * Redmine's `Query.visible` scope as SQL over `queries q LEFT JOIN projects p`: global queries and
 * those of projects where the actor has the view permission; of these, public ones, the actor's own,
 * and role-restricted ones for a role the actor holds (in the query's project, or anywhere for a
 * global query). Administrators see all but other users' private queries.
 */
export function visibleQueriesCondition(actor: Actor, type: string): SQL {
  const permission = QUERY_TYPES[type];
  if (permission === undefined) {
    return sql`FALSE`;
  }
  if (permission === 'admin') {
    return actor.isAdmin ? sql`q.type = ${type}` : sql`FALSE`;
  }
  const inProject = sql`(q.project_id IS NULL OR ${allowedProjectsCondition(actor, permission, 'p', { checkProjectState: true })})`;
  const me = actor.userId ?? -1;
  let shown: SQL;
  if (actor.isAdmin) {
    shown = sql`(q.visibility <> ${QUERY_VISIBILITY.private} OR q.user_id = ${me})`;
  } else if (!isLoggedIn(actor)) {
    shown = sql`q.visibility = ${QUERY_VISIBILITY.public}`;
  } else {
    const memberships = [...actor.memberRoles].flatMap(([projectId, roles]) => roles.map((role) => sql`(${projectId}::int, ${role.id}::int)`));
    const byRole =
      memberships.length === 0
        ? sql`FALSE`
        : sql`EXISTS (SELECT 1 FROM queries_roles qr
             JOIN (VALUES ${sql.join(memberships, sql`, `)}) AS m (project_id, role_id) ON m.role_id = qr.role_id
             JOIN projects mp ON mp.id = m.project_id AND mp.status <> ${PROJECT_STATUS.archived}
            WHERE qr.query_id = q.id AND (q.project_id IS NULL OR q.project_id = m.project_id))`;
    shown = sql`(q.visibility = ${QUERY_VISIBILITY.public} OR (q.visibility = ${QUERY_VISIBILITY.roles} AND ${byRole}) OR q.user_id = ${me})`;
  }
  return sql`(q.type = ${type} AND ${inProject} AND ${shown})`;
}

/** What Query#visible? needs to know about one saved query. */
export interface QueryFacts {
  readonly type: string;
  readonly visibility: number;
  readonly userId: number;
  readonly roleIds: readonly number[];
  /** The query's project, or undefined for a query of all projects. */
  readonly project: ProjectAccess | undefined;
}

/**
 * Redmine's Query#visible?: administrators see every query; otherwise the view permission in the
 * query's project, and then public, role-restricted with a role the actor holds (in that project, or
 * anywhere for a global query), or the actor's own.
 */
export function isQueryVisible(actor: Actor, query: QueryFacts): boolean {
  const permission = QUERY_TYPES[query.type];
  if (permission === undefined) {
    return false;
  }
  if (actor.isAdmin) {
    return true;
  }
  if (permission === 'admin' || (query.project && !allowedTo(actor, permission, query.project))) {
    return false;
  }
  switch (query.visibility) {
    case QUERY_VISIBILITY.public:
      return true;
    case QUERY_VISIBILITY.roles: {
      const held = query.project ? rolesInProject(actor, query.project) : [...actor.memberRoles.values()].flat();
      return held.some((role) => query.roleIds.includes(role.id));
    }
    default:
      return actor.userId !== undefined && actor.userId === query.userId;
  }
}

/** What the actor may do with saved queries in a project (undefined: queries for all projects). */
export interface QueryRights {
  /** May save queries at all (save_queries, or manage_public_queries; Redmine's QueriesController authorize). */
  readonly save: boolean;
  /** May make them visible to others (manage_public_queries in the project; only administrators for all projects). */
  readonly managePublic: boolean;
}

/** Redmine's permission checks of QueriesController and update_query_from_params. */
export function queryRights(actor: Actor, project: ProjectAccess | undefined, allowedAnywhere: (permission: Permission) => boolean): QueryRights {
  if (actor.isAdmin) {
    return { save: true, managePublic: true };
  }
  if (!isLoggedIn(actor)) {
    return { save: false, managePublic: false };
  }
  const allowed = (permission: Permission) => (project ? allowedTo(actor, permission, project) : allowedAnywhere(permission));
  const managePublic = project ? allowedTo(actor, 'manage_public_queries', project) : false;
  return { save: allowed('save_queries') || allowed('manage_public_queries'), managePublic };
}

/**
 * Redmine's Query#editable_by?: administrators edit every query, users their own private ones, and
 * members with manage_public_queries the shared queries of their project (never the global ones).
 */
export function isQueryEditable(actor: Actor, query: Omit<QueryFacts, 'roleIds' | 'type'>): boolean {
  if (actor.isAdmin) {
    return true;
  }
  if (actor.userId === undefined) {
    return false;
  }
  if (query.visibility === QUERY_VISIBILITY.private) {
    return query.userId === actor.userId;
  }
  return query.project !== undefined && allowedTo(actor, 'manage_public_queries', query.project);
}
