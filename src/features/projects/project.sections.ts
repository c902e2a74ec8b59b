/**
 * The optional sections of a project's representation that come from other tables (§6.2):
 * `issue_categories`, `issue_custom_fields`, `time_entry_activities`, and the show-only
 * `default_version` / `default_assignee` names — each one query for a whole page of projects.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Orm, Queryable } from '#src/db/database.ts';
import { versions } from '#src/db/schema/core-tracker.ts';
import { customFields, customFieldsProjects } from '#src/db/schema/custom-fields.ts';

/** A type alias (not an interface) so it fits the presenters' `ref()`, which takes a string-keyed record. */
export type NamedRef = { id: number; name: string };

type ByProject = Map<number, NamedRef[]>;

function grouped(rows: readonly (NamedRef & { project_id: number })[], projectIds: readonly number[]): ByProject {
  const out: ByProject = new Map(projectIds.map((id) => [id, []]));
  for (const { project_id, id, name } of rows) {
    out.get(project_id)?.push({ id, name });
  }
  return out;
}

/** Each project's issue categories, by name. */
export async function selectCategoryRefs(db: Queryable, projectIds: readonly number[]): Promise<ByProject> {
  const rows = await db.query<NamedRef & { project_id: number }>(
    'SELECT project_id, id, name FROM issue_categories WHERE project_id = ANY($1::int[]) ORDER BY name, id',
    [projectIds],
  );
  return grouped(rows, projectIds);
}

/** Issue custom fields for all projects, plus those enabled on each project, by position. */
export async function selectIssueCustomFieldRefs(db: Queryable, projectIds: readonly number[]): Promise<ByProject> {
  const rows = await db.query<NamedRef & { project_id: number }>(
    `SELECT p.id AS project_id, cf.id, cf.name
       FROM projects p JOIN custom_fields cf ON cf.type = 'IssueCustomField'
      WHERE p.id = ANY($1::int[])
        AND (cf.is_for_all OR EXISTS (SELECT 1 FROM custom_fields_projects cp WHERE cp.custom_field_id = cf.id AND cp.project_id = p.id))
      ORDER BY cf.position, cf.id`,
    [projectIds],
  );
  return grouped(rows, projectIds);
}

/**
 * Each project's active time-entry activities (Project#activities): the shared ones, where a
 * project's own override (a row naming the shared one as parent) decides whether it is active.
 */
export async function selectActivityRefs(db: Queryable, projectIds: readonly number[]): Promise<ByProject> {
  const rows = await db.query<NamedRef & { project_id: number }>(
    `SELECT p.id AS project_id, coalesce(o.id, e.id) AS id, coalesce(o.name, e.name) AS name
       FROM projects p JOIN enumerations e ON e.type = 'TimeEntryActivity' AND e.project_id IS NULL
       LEFT JOIN enumerations o ON o.type = 'TimeEntryActivity' AND o.project_id = p.id AND o.parent_id = e.id
      WHERE p.id = ANY($1::int[]) AND coalesce(o.active, e.active)
      ORDER BY e.position, e.id`,
    [projectIds],
  );
  return grouped(rows, projectIds);
}

/** The names of the projects' default version and default assignee, where set. */
export async function selectDefaults(db: Queryable, projectIds: readonly number[]): Promise<Map<number, { version?: NamedRef; assignee?: NamedRef }>> {
  const rows = await db.query<{ project_id: number; version_id: number | null; version_name: string | null; assignee_id: number | null; assignee_name: string | null }>(
    `SELECT p.id AS project_id, v.id AS version_id, v.name AS version_name, u.id AS assignee_id,
            CASE WHEN u.type = 'Group' THEN u.lastname ELSE trim(u.firstname || ' ' || u.lastname) END AS assignee_name
       FROM projects p
       LEFT JOIN versions v ON v.id = p.default_version_id
       LEFT JOIN users u ON u.id = p.default_assigned_to_id
      WHERE p.id = ANY($1::int[])`,
    [projectIds],
  );
  return new Map(
    rows.map((r) => [
      r.project_id,
      {
        ...(r.version_id !== null ? { version: { id: r.version_id, name: r.version_name ?? '' } } : {}),
        ...(r.assignee_id !== null ? { assignee: { id: r.assignee_id, name: r.assignee_name ?? '' } } : {}),
      },
    ]),
  );
}

/** Makes exactly these issue custom fields enabled on the project (for-all fields need no row). */
export async function replaceIssueCustomFields(orm: Orm, projectId: number, fieldIds: readonly number[]): Promise<void> {
  await orm.delete(customFieldsProjects).where(eq(customFieldsProjects.projectId, projectId));
  const distinct = [...new Set(fieldIds)];
  if (distinct.length > 0) {
    await orm.insert(customFieldsProjects).values(distinct.map((customFieldId) => ({ customFieldId, projectId })));
  }
}

/** Which of these ids are issue custom fields. */
export async function selectIssueCustomFieldIds(orm: Orm, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) {
    return new Set();
  }
  const rows = await orm
    .select({ id: customFields.id })
    .from(customFields)
    .where(and(eq(customFields.type, 'IssueCustomField'), inArray(customFields.id, [...ids])));
  return new Set(rows.map((r) => r.id));
}

/** Is the version the project's own or one shared with every project (what a default version may be)? */
export async function isDefaultVersionCandidate(orm: Orm, projectId: number, versionId: number): Promise<boolean> {
  const rows = await orm
    .select({ id: versions.id })
    .from(versions)
    .where(and(eq(versions.id, versionId), or(eq(versions.projectId, projectId), eq(versions.sharing, 'system'))))
    .limit(1);
  return rows.length > 0;
}
