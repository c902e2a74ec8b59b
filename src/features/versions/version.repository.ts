/**
 * All SQL on versions: which versions a project shares (Redmine's Project#shared_versions), one
 * version with its project's name, what keeps a version from being deleted, and the writes.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import type { VersionSharing, VersionStatus } from '#src/db/schema/core-tracker.ts';
import { isoTimestamp, runSql } from '#src/db/sql.ts';

/** A version with what its representation shows. */
export interface VersionRow {
  id: number;
  project_id: number;
  project_name: string;
  name: string;
  description: string | null;
  status: string | null;
  /** `YYYY-MM-DD` or null (Redmine's effective_date). */
  effective_date: string | null;
  sharing: string;
  wiki_page_title: string | null;
  /** ISO-8601 UTC text. */
  created_on: string | null;
  updated_on: string | null;
}

/** The stored attributes a create or an update writes. */
export interface VersionValues {
  name: string;
  description: string | null;
  status: VersionStatus | null;
  effectiveDate: string | null;
  sharing: VersionSharing;
  wikiPageTitle: string | null;
}

const utc = isoTimestamp;

const COLUMNS = `v.id, v.project_id, vp.name AS project_name, v.name, v.description, v.status,
  v.effective_date::text AS effective_date, v.sharing, v.wiki_page_title,
  ${utc('v.created_on')} AS created_on, ${utc('v.updated_on')} AS updated_on`;

/**
 * Redmine's shared_versions condition over `versions v JOIN projects vp` (the owner) for the project
 * `p`, whose tree root is `r`: its own versions, and those of live projects shared system-wide, with
 * its tree, with it as a descendant (hierarchy, descendants) or as an ancestor (hierarchy). Projects
 * scheduled for deletion count as archived: they are gone for everyone.
 */
const SHARED_WITH_P = sql.raw(`(v.project_id = p.id OR (vp.status NOT IN (9, 10) AND (
      v.sharing = 'system'
   OR (v.sharing = 'tree' AND vp.lft >= r.lft AND vp.rgt <= r.rgt)
   OR (v.sharing IN ('hierarchy', 'descendants') AND vp.lft < p.lft AND vp.rgt > p.rgt)
   OR (v.sharing = 'hierarchy' AND vp.lft > p.lft AND vp.rgt < p.rgt))))`);

const ROOT_OF_P = sql.raw('LEFT JOIN projects r ON r.parent_id IS NULL AND r.lft <= p.lft AND r.rgt >= p.rgt');

/**
 * The versions the project uses: its own and those shared with it, optionally only open ones. By id:
 * Redmine's API lists them unordered, which in practice is the order they were made.
 */
export async function selectSharedVersions(db: Queryable, projectId: number, openOnly = false): Promise<VersionRow[]> {
  return runSql<VersionRow>(
    db,
    sql`SELECT ${sql.raw(COLUMNS)}
          FROM versions v
          JOIN projects vp ON vp.id = v.project_id
          JOIN projects p ON p.id = ${projectId}
          ${ROOT_OF_P}
         WHERE ${SHARED_WITH_P} ${openOnly ? sql`AND v.status = 'open'` : sql``}
         ORDER BY v.id`,
  );
}

export async function selectVersion(db: Queryable, id: number): Promise<VersionRow | undefined> {
  const [row] = await db.query<VersionRow>(`SELECT ${COLUMNS} FROM versions v JOIN projects vp ON vp.id = v.project_id WHERE v.id = $1`, [id]);
  return row;
}

/** Redmine's name uniqueness: per project, case-sensitive, the version itself excepted. */
export async function isVersionNameTaken(db: Queryable, projectId: number, name: string, exceptId: number | undefined): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM versions WHERE project_id = $1 AND name = $2 AND id <> $3 LIMIT 1', [projectId, name, exceptId ?? -1]);
  return rows.length > 0;
}

/** The root of the project's tree (the project itself when it has no parent). */
export async function selectRootProjectId(db: Queryable, projectId: number): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `SELECT coalesce((SELECT r.id FROM projects p JOIN projects r ON r.parent_id IS NULL AND r.lft <= p.lft AND r.rgt >= p.rgt
                       WHERE p.id = $1 LIMIT 1), $1::int) AS id`,
    [projectId],
  );
  return Number(row?.id ?? projectId);
}

/**
 * Sum of the estimated hours of the version's issues that `visible` (a condition over `issues i JOIN
 * projects p`) lets the viewer see; 0 when there are none, as Redmine's `sum(...).to_f`.
 */
export async function selectVisibleEstimatedHours(db: Queryable, versionId: number, visible: SQL): Promise<number> {
  const [row] = await runSql<{ hours: number }>(
    db,
    sql`SELECT coalesce(sum(i.estimated_hours), 0)::float8 AS hours
          FROM issues i JOIN projects p ON p.id = i.project_id
         WHERE i.fixed_version_id = ${versionId} AND ${visible}`,
  );
  return Number(row?.hours ?? 0);
}

/**
 * Redmine's Version#deletable?: no issue targets it, no custom value of a version-format field names
 * it, and no file is attached to it.
 */
export async function isVersionInUse(db: Queryable, id: number): Promise<boolean> {
  const [row] = await db.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM issues WHERE fixed_version_id = $1)
         OR EXISTS (SELECT 1 FROM custom_values cv JOIN custom_fields cf ON cf.id = cv.custom_field_id
                     WHERE cf.field_format = 'version' AND cv.value = $1::text)
         OR EXISTS (SELECT 1 FROM attachments WHERE container_type = 'Version' AND container_id = $1) AS used`,
    [id],
  );
  return row?.used ?? true;
}

export async function insertVersion(db: Queryable, projectId: number, values: VersionValues, now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO versions (project_id, name, description, status, effective_date, sharing, wiki_page_title, created_on, updated_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
    // ISO text in UTC: a `timestamp` column drops the zone, and no driver applies the process's own.
    [projectId, values.name, values.description, values.status, values.effectiveDate, values.sharing, values.wikiPageTitle, now.toISOString()],
  );
  if (!row) {
    throw new Error('insert returned no version');
  }
  return Number(row.id);
}

export async function updateVersionRow(db: Queryable, id: number, values: VersionValues, now: Date): Promise<void> {
  await db.query(
    `UPDATE versions SET name = $2, description = $3, status = $4, effective_date = $5, sharing = $6, wiki_page_title = $7, updated_on = $8
      WHERE id = $1`,
    [id, values.name, values.description, values.status, values.effectiveDate, values.sharing, values.wikiPageTitle, now.toISOString()],
  );
}

/** Deletes the version and its own custom values (projects' default_version_id is cleared by the FK). */
export async function deleteVersionRow(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM custom_values WHERE customized_type = 'Version' AND customized_id = $1", [id]);
  await db.query('DELETE FROM versions WHERE id = $1', [id]);
}

export async function setProjectDefaultVersion(db: Queryable, projectId: number, versionId: number): Promise<void> {
  await db.query('UPDATE projects SET default_version_id = $2 WHERE id = $1', [projectId, versionId]);
}

/**
 * Issues of other projects that target the version although their project no longer shares it
 * (after its sharing narrowed). System-wide versions are shared with everyone, so never listed.
 */
export async function selectIssuesNoLongerSharing(db: Queryable, versionId: number): Promise<{ id: number }[]> {
  return runSql<{ id: number }>(
    db,
    sql`SELECT i.id FROM issues i
          JOIN versions v ON v.id = i.fixed_version_id
          JOIN projects vp ON vp.id = v.project_id
          JOIN projects p ON p.id = i.project_id
          ${ROOT_OF_P}
         WHERE v.id = ${versionId} AND i.project_id <> v.project_id AND v.sharing <> 'system' AND NOT coalesce(${SHARED_WITH_P}, false)
         ORDER BY i.id`,
  );
}

/** Takes the issues off their target version, as a change of the issue (updated_on, lock_version). */
export async function clearIssuesFixedVersion(db: Queryable, issueIds: readonly number[], now: Date): Promise<void> {
  if (issueIds.length > 0) {
    const ids = sql.join(issueIds.map((id) => sql`${id}`), sql`, `);
    await runSql(db, sql`UPDATE issues SET fixed_version_id = NULL, updated_on = ${now.toISOString()}, lock_version = lock_version + 1 WHERE id IN (${ids})`);
  }
}
