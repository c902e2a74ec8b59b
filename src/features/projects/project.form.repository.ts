/** SQL of the project form's choices: parent candidates, trackers, issue custom fields. */
import type { Queryable } from '#src/db/database.ts';

export interface ParentCandidateRow {
  id: number;
  name: string;
  parent_id: number | null;
  lft: number | null;
  rgt: number | null;
  status: number;
}

/** Every project that is not archived nor being deleted, in tree order (the caller keeps those allowed). */
export async function selectParentCandidates(db: Queryable): Promise<ParentCandidateRow[]> {
  return db.query<ParentCandidateRow>('SELECT id, name, parent_id, lft, rgt, status FROM projects WHERE status IN (1, 5) ORDER BY lft, id');
}

export async function selectTrackerChoices(db: Queryable): Promise<{ id: number; name: string }[]> {
  return db.query<{ id: number; name: string }>('SELECT id, name FROM trackers ORDER BY position, id');
}

export async function selectIssueCustomFieldChoices(db: Queryable): Promise<{ id: number; name: string; isForAll: boolean }[]> {
  const rows = await db.query<{ id: number; name: string; is_for_all: boolean }>(
    "SELECT id, name, is_for_all FROM custom_fields WHERE type = 'IssueCustomField' ORDER BY position, id",
  );
  return rows.map((r) => ({ id: r.id, name: r.name, isForAll: r.is_for_all }));
}

/** The issue custom fields enabled on the project itself (for-all fields need no row). */
export async function selectEnabledIssueCustomFieldIds(db: Queryable, projectId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    "SELECT cf.id FROM custom_fields cf JOIN custom_fields_projects cp ON cp.custom_field_id = cf.id WHERE cp.project_id = $1 AND cf.type = 'IssueCustomField'",
    [projectId],
  );
  return rows.map((r) => Number(r.id));
}
