/**
 * All SQL on issue relations, and the few facts about the related issues that validating a relation
 * needs (visibility, project, place in the subtask tree, the blocks/precedes graph). Issues are aliased
 * `i` and their projects `p`, so the visibility condition of issue.policy.ts applies as it is.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList, runSql } from '#src/db/sql.ts';
import type { StoredRelation } from './relation-type.ts';

/** A row of issue_relations. */
export interface RelationRow extends StoredRelation {
  readonly id: number;
}

/** What validating and authorizing a relation needs to know about one of its issues. */
export interface RelatedIssue {
  readonly id: number;
  readonly projectId: number;
  readonly parentId: number | null;
  readonly rootId: number | null;
  readonly lft: number | null;
  readonly rgt: number | null;
}

interface RelationRecord {
  id: number;
  issue_from_id: number;
  issue_to_id: number;
  relation_type: string;
  delay: number | null;
}

function relationOf(r: RelationRecord): RelationRow {
  return { id: r.id, issueFromId: r.issue_from_id, issueToId: r.issue_to_id, relationType: r.relation_type, delay: r.delay };
}

/**
 * The relations of each issue, in both directions, keeping those whose other issue satisfies
 * `visible` (a condition over `issues i JOIN projects p`). A relation between two of the issues is
 * listed under both.
 */
export async function selectRelationsOf(db: Queryable, issueIds: readonly number[], visible: SQL): Promise<{ issueId: number; relation: RelationRow }[]> {
  if (issueIds.length === 0) {
    return [];
  }
  const rows = await runSql<RelationRecord & { for_issue_id: number }>(
    db,
    sql`SELECT x.id AS for_issue_id, r.id, r.issue_from_id, r.issue_to_id, r.relation_type, r.delay
          FROM issues x
          JOIN issue_relations r ON r.issue_from_id = x.id OR r.issue_to_id = x.id
          JOIN issues i ON i.id = CASE WHEN r.issue_from_id = x.id THEN r.issue_to_id ELSE r.issue_from_id END
          JOIN projects p ON p.id = i.project_id
         WHERE x.id IN ${idList(issueIds)} AND ${visible}`,
  );
  return rows.map((row) => ({ issueId: row.for_issue_id, relation: relationOf(row) }));
}

export async function findRelation(db: Queryable, id: number): Promise<RelationRow | undefined> {
  const [row] = await db.query<RelationRecord>('SELECT id, issue_from_id, issue_to_id, relation_type, delay FROM issue_relations WHERE id = $1', [id]);
  return row ? relationOf(row) : undefined;
}

/** Is there a relation stored from the one issue to the other (this direction only)? */
export async function relationExists(db: Queryable, issueFromId: number, issueToId: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM issue_relations WHERE issue_from_id = $1 AND issue_to_id = $2', [issueFromId, issueToId])).length > 0;
}

/** Stores the relation; undefined when the pair is already stored (the unique index decides). */
export async function insertRelation(db: Queryable, relation: StoredRelation): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO issue_relations (issue_from_id, issue_to_id, relation_type, delay) VALUES ($1, $2, $3, $4)
     ON CONFLICT (issue_from_id, issue_to_id) DO NOTHING RETURNING id`,
    [relation.issueFromId, relation.issueToId, relation.relationType, relation.delay],
  );
  return row?.id;
}

/** Every relation from or to the issues (no journals: Redmine clears them without callbacks). */
export async function deleteRelationsOfIssues(db: Queryable, issueIds: readonly number[]): Promise<void> {
  await db.query('DELETE FROM issue_relations WHERE issue_from_id = ANY($1::int[]) OR issue_to_id = ANY($1::int[])', [issueIds]);
}

export async function deleteRelationRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM issue_relations WHERE id = $1', [id]);
}

interface RelatedIssueRecord {
  id: number;
  project_id: number;
  parent_id: number | null;
  root_id: number | null;
  lft: number | null;
  rgt: number | null;
}

/** The issue if it exists and satisfies `visible` (when given). */
export async function selectRelatedIssue(db: Queryable, id: number, visible?: SQL): Promise<RelatedIssue | undefined> {
  const [row] = await runSql<RelatedIssueRecord>(
    db,
    sql`SELECT i.id, i.project_id, i.parent_id, i.root_id, i.lft, i.rgt
          FROM issues i JOIN projects p ON p.id = i.project_id
         WHERE i.id = ${id} AND ${visible ?? sql`TRUE`}`,
  );
  return row
    ? { id: row.id, projectId: row.project_id, parentId: row.parent_id, rootId: row.root_id, lft: row.lft, rgt: row.rgt }
    : undefined;
}

/** The issues related from any of `issueIds` by a relation of this stored type. */
export async function selectRelatedFrom(db: Queryable, issueIds: readonly number[], relationType: string): Promise<number[]> {
  if (issueIds.length === 0) {
    return [];
  }
  const rows = await runSql<{ id: number }>(
    db,
    sql`SELECT DISTINCT issue_to_id AS id FROM issue_relations WHERE issue_from_id IN ${idList(issueIds)} AND relation_type = ${relationType}`,
  );
  return rows.map((r) => r.id);
}

/** The leaves (subtasks without subtasks) under each of the issues. */
export async function selectLeafIds(db: Queryable, issueIds: readonly number[]): Promise<number[]> {
  if (issueIds.length === 0) {
    return [];
  }
  const rows = await runSql<{ id: number }>(
    db,
    sql`SELECT DISTINCT d.id FROM issues a JOIN issues d ON d.root_id = a.root_id AND d.lft > a.lft AND d.rgt < a.rgt
         WHERE a.id IN ${idList(issueIds)} AND d.rgt - d.lft = 1`,
  );
  return rows.map((r) => r.id);
}

/** The ancestors of each of the issues. */
export async function selectAncestorIds(db: Queryable, issueIds: readonly number[]): Promise<number[]> {
  if (issueIds.length === 0) {
    return [];
  }
  const rows = await runSql<{ id: number }>(
    db,
    sql`SELECT DISTINCT a.id FROM issues d JOIN issues a ON a.root_id = d.root_id AND a.lft < d.lft AND a.rgt > d.rgt
         WHERE d.id IN ${idList(issueIds)}`,
  );
  return rows.map((r) => r.id);
}
