/** All SQL on projects, their enabled modules and trackers, and the project tree. */
import { and, asc, count, desc, eq, ilike, inArray, notIlike, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { enabledModules, members, memberRoles, projects, projectsTrackers } from '#src/db/schema/core-tracker.ts';
import { roles, trackers } from '#src/db/schema/tracker-reference.ts';
import { users } from '#src/db/schema/accounts.ts';

export type ProjectRow = typeof projects.$inferSelect;

export interface ProjectListFilters {
  /** Statuses to list (1 active, 5 closed); archived ones are never listed. */
  statuses: number[];
  isPublic?: boolean | undefined;
  parentId?: number | undefined;
  ids?: number[] | undefined;
  nameContains?: string | undefined;
  /** The name must not contain this (the `!~` operator of the projects page). */
  nameLacks?: string | undefined;
  excludedIds?: number[] | undefined;
  /** Conditions over `projects` (the custom-field filters `cf_N`). */
  conditions?: SQL[] | undefined;
}

/** Sortable columns of the projects list page (Redmine's ProjectQuery), tree order being the default. */
export const PROJECT_SORT_COLUMNS = {
  name: projects.name,
  identifier: projects.identifier,
  created_on: projects.createdOn,
  is_public: projects.isPublic,
} as const;
export type ProjectSortColumn = keyof typeof PROJECT_SORT_COLUMNS;

/** `visible` is the caller's visibility condition (project.policy.ts); `sort` empty = tree order (lft). */
export async function selectProjects(
  orm: Orm,
  visible: SQL | undefined,
  filters: ProjectListFilters,
  page: { offset: number; limit: number },
  sort: readonly { column: ProjectSortColumn; desc: boolean }[] = [],
): Promise<{ rows: ProjectRow[]; total: number }> {
  const where = and(
    visible,
    inArray(projects.status, filters.statuses.length > 0 ? filters.statuses : [-1]),
    filters.isPublic === undefined ? undefined : eq(projects.isPublic, filters.isPublic),
    filters.parentId === undefined ? undefined : eq(projects.parentId, filters.parentId),
    filters.ids === undefined ? undefined : inArray(projects.id, filters.ids.length > 0 ? filters.ids : [-1]),
    filters.nameContains ? ilike(projects.name, `%${escapeLike(filters.nameContains)}%`) : undefined,
    filters.nameLacks ? notIlike(projects.name, `%${escapeLike(filters.nameLacks)}%`) : undefined,
    filters.excludedIds && filters.excludedIds.length > 0 ? notInArray(projects.id, filters.excludedIds) : undefined,
    ...(filters.conditions ?? []),
  );
  const [rows, totals] = await Promise.all([
    orm
      .select()
      .from(projects)
      .where(where)
      .orderBy(...sort.map((s) => (s.desc ? desc(PROJECT_SORT_COLUMNS[s.column]) : asc(PROJECT_SORT_COLUMNS[s.column]))), asc(projects.lft), asc(projects.id))
      .limit(page.limit)
      .offset(page.offset),
    orm.select({ n: count() }).from(projects).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** By numeric id or identifier, as Redmine routes accept both. */
export async function findProject(orm: Orm, idOrIdentifier: string): Promise<ProjectRow | undefined> {
  const byId = /^\d{1,9}$/.test(idOrIdentifier) ? eq(projects.id, Number(idOrIdentifier)) : undefined;
  const [row] = await orm
    .select()
    .from(projects)
    .where(byId ? or(byId, eq(projects.identifier, idOrIdentifier)) : eq(projects.identifier, idOrIdentifier))
    .orderBy(sql`${projects.identifier} = ${idOrIdentifier} DESC`)
    .limit(1);
  return row;
}

export async function findProjectsByIds(orm: Orm, ids: number[]): Promise<ProjectRow[]> {
  return ids.length === 0 ? [] : orm.select().from(projects).where(inArray(projects.id, ids));
}

export async function isIdentifierTaken(orm: Orm, identifier: string): Promise<boolean> {
  const rows = await orm.select({ id: projects.id }).from(projects).where(eq(projects.identifier, identifier)).limit(1);
  return rows.length > 0;
}

/** Enabled module names per project, for many projects in one query. */
export async function selectEnabledModules(orm: Orm, projectIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (projectIds.length === 0) {
    return out;
  }
  const rows = await orm
    .select({ id: enabledModules.id, projectId: enabledModules.projectId, name: enabledModules.name })
    .from(enabledModules)
    .where(inArray(enabledModules.projectId, projectIds))
    .orderBy(asc(enabledModules.id));
  for (const row of rows) {
    const list = out.get(row.projectId ?? 0) ?? [];
    list.push({ id: row.id, name: row.name });
    out.set(row.projectId ?? 0, list);
  }
  return out;
}

/** Trackers enabled per project, in tracker order. */
export async function selectProjectTrackers(orm: Orm, projectIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (projectIds.length === 0) {
    return out;
  }
  const rows = await orm
    .select({ projectId: projectsTrackers.projectId, id: trackers.id, name: trackers.name })
    .from(projectsTrackers)
    .innerJoin(trackers, eq(trackers.id, projectsTrackers.trackerId))
    .where(inArray(projectsTrackers.projectId, projectIds))
    .orderBy(asc(trackers.position), asc(trackers.id));
  for (const row of rows) {
    const list = out.get(row.projectId) ?? [];
    list.push({ id: row.id, name: row.name });
    out.set(row.projectId, list);
  }
  return out;
}

export async function selectAllTrackerIds(orm: Orm): Promise<number[]> {
  return (await orm.select({ id: trackers.id }).from(trackers).orderBy(asc(trackers.position))).map((r) => r.id);
}

export type NewProject = Omit<typeof projects.$inferInsert, 'id' | 'lft' | 'rgt'>;

export async function insertProject(orm: Orm, values: NewProject): Promise<number> {
  const [row] = await orm.insert(projects).values(values).returning({ id: projects.id });
  if (!row) {
    throw new Error('insert returned no project');
  }
  return row.id;
}

export async function updateProjectRow(orm: Orm, id: number, values: Partial<NewProject>): Promise<void> {
  await orm.update(projects).set(values).where(eq(projects.id, id));
}

export async function replaceEnabledModules(orm: Orm, projectId: number, names: string[]): Promise<void> {
  await orm.delete(enabledModules).where(eq(enabledModules.projectId, projectId));
  if (names.length > 0) {
    await orm.insert(enabledModules).values(names.map((name) => ({ projectId, name })));
  }
}

export async function replaceProjectTrackers(orm: Orm, projectId: number, trackerIds: number[]): Promise<void> {
  await orm.delete(projectsTrackers).where(eq(projectsTrackers.projectId, projectId));
  if (trackerIds.length > 0) {
    await orm.insert(projectsTrackers).values(trackerIds.map((trackerId) => ({ projectId, trackerId })));
  }
}

/** A membership with one role; nothing when the user is already a member (e.g. inherited from the parent). */
export async function insertMember(orm: Orm, projectId: number, userId: number, roleId: number, now: Date): Promise<void> {
  const [member] = await orm.insert(members).values({ projectId, userId, createdOn: now }).onConflictDoNothing().returning({ id: members.id });
  if (member) {
    await orm.insert(memberRoles).values({ memberId: member.id, roleId });
  }
}

/**
 * The role given to a non-administrator who creates a project (Redmine's Project.default_member_role):
 * the givable role `new_project_user_role_id` names, else the first givable role.
 */
export async function findDefaultMemberRole(orm: Orm, settingValue: string): Promise<{ id: number; permissions: readonly string[] } | undefined> {
  const id = Number.parseInt(settingValue, 10);
  const givable = await orm
    .select({ id: roles.id, permissions: roles.permissions })
    .from(roles)
    .where(eq(roles.builtin, 0))
    .orderBy(asc(roles.position), asc(roles.id));
  return givable.find((role) => role.id === id) ?? givable[0];
}

/** The project and every project below it (nested set). */
export async function selectSubtreeIds(orm: Orm, project: ProjectRow): Promise<number[]> {
  const rows = await orm
    .select({ id: projects.id })
    .from(projects)
    .where(and(sql`${projects.lft} >= ${project.lft ?? 0}`, sql`${projects.rgt} <= ${project.rgt ?? 0}`));
  return rows.map((r) => r.id);
}

export async function setProjectsStatus(orm: Orm, ids: number[], status: number, now: Date): Promise<void> {
  if (ids.length > 0) {
    await orm.update(projects).set({ status, updatedOn: now }).where(inArray(projects.id, ids));
  }
}

/**
 * Renumbers the nested set (lft/rgt) from parent_id, siblings by name as Redmine orders them. Whole
 * tree at once: a tenant's projects number in the hundreds, and this keeps the invariants simple.
 */
export async function rebuildProjectTree(orm: Orm): Promise<void> {
  const rows = await orm
    .select({ id: projects.id, parentId: projects.parentId, name: projects.name, lft: projects.lft, rgt: projects.rgt })
    .from(projects);
  const children = new Map<number | null, typeof rows>();
  for (const row of rows) {
    const list = children.get(row.parentId) ?? [];
    list.push(row);
    children.set(row.parentId, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }
  const numbering = new Map<number, [number, number]>();
  let next = 1;
  const visit = (id: number) => {
    const lft = next++;
    for (const child of children.get(id) ?? []) {
      visit(child.id);
    }
    numbering.set(id, [lft, next++]);
  };
  for (const root of children.get(null) ?? []) {
    visit(root.id);
  }
  for (const row of rows) {
    const [lft, rgt] = numbering.get(row.id) ?? [null, null];
    if (row.lft !== lft || row.rgt !== rgt) {
      await orm.update(projects).set({ lft, rgt }).where(eq(projects.id, row.id));
    }
  }
}

/** Is the principal (a user or a group) an active member of the project (what a default assignee must be)? */
export async function isActiveMember(orm: Orm, projectId: number, principalId: number): Promise<boolean> {
  const rows = await orm
    .select({ id: members.id })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.projectId, projectId), eq(members.userId, principalId), eq(users.status, 1)))
    .limit(1);
  return rows.length > 0;
}

/** A project and its enabled module names in one query (what the permission engine needs of it). */
export async function findProjectWithModules(orm: Orm, id: number): Promise<{ project: ProjectRow; modules: string[] } | undefined> {
  const [row] = await orm
    // The table named outright: Drizzle writes `${projects.id}` here as a bare "id", which the subquery reads as em.id.
    .select({ project: projects, modules: sql<string[]>`array(SELECT em.name::text FROM enabled_modules em WHERE em.project_id = "projects"."id")` })
    .from(projects)
    .where(eq(projects.id, id))
    .limit(1);
  return row;
}
