/**
 * Who sees which saved query (Redmine's Query.visible scope and Query#visible?), and the SQL form of
 * "projects where the actor has a permission" (Project.allowed_to_condition) that both this scope and
 * the issue filters on notes and watchers need.
 */
import { sql, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, PROJECT_STATUS, roleAllows, rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { permissionDefinition, type Permission } from '#src/domain/permissions.ts';

/** Redmine's Query::VISIBILITY_* values. */
export const QUERY_VISIBILITY = { private: 0, roles: 1, public: 2 } as const;

function idList(ids: readonly number[]): SQL {
  return ids.length === 0 ? sql`(-1)` : sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;
}

export interface AllowedOptions {
  /** Also require the project's status and module to allow the permission (Redmine's pre-condition);
   *  off where the caller's rows already passed the same test (issues an actor sees). */
  readonly checkProjectState?: boolean;
}

/**
 * Redmine's Project.allowed_to_condition as SQL over the projects table aliased `alias`: the actor
 * holds a role granting the permission there (member roles; the Non member / Anonymous role on public
 * projects they are no member of). Administrators pass everywhere.
 */
export function projectsAllowingCondition(actor: Actor, permission: Permission, alias: string, options: AllowedOptions = {}): SQL {
  const p = sql.raw(alias);
  const definition = permissionDefinition(permission);
  const state: SQL[] = [];
  if (options.checkProjectState) {
    state.push(definition.read ? sql`${p}.status IN (${PROJECT_STATUS.active}, ${PROJECT_STATUS.closed})` : sql`${p}.status = ${PROJECT_STATUS.active}`);
    if (definition.module) {
      state.push(sql`EXISTS (SELECT 1 FROM enabled_modules em WHERE em.project_id = ${p}.id AND em.name = ${definition.module})`);
    }
  }
  if (!actor.isAdmin) {
    const branches: SQL[] = [];
    const memberProjects = [...actor.memberRoles.keys()];
    const builtin = isLoggedIn(actor) ? actor.nonMemberRole : actor.anonymousRole;
    if (roleAllows(builtin, permission)) {
      branches.push(sql`(${p}.is_public AND ${p}.id NOT IN ${idList(memberProjects)})`);
    }
    const granted = [...actor.memberRoles].filter(([, roles]) => roles.some((role) => roleAllows(role, permission))).map(([id]) => id);
    if (granted.length > 0) {
      branches.push(sql`${p}.id IN ${idList(granted)}`);
    }
    state.push(branches.length === 0 ? sql`FALSE` : sql`(${sql.join(branches, sql` OR `)})`);
  }
  return state.length === 0 ? sql`TRUE` : sql`(${sql.join(state, sql` AND `)})`;
}

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
  const inProject = sql`(q.project_id IS NULL OR ${projectsAllowingCondition(actor, permission, 'p', { checkProjectState: true })})`;
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
