/**
 * Writing an issue's history: one journal per change set, with a detail per changed attribute, custom
 * field, attachment or relation (Redmine's Journal and JournalDetail). Every feature that changes an
 * issue records its change here, so the history and the `journals` include read one shape.
 */
import type { Queryable } from '#src/db/database.ts';
import type { JournalDetailProperty } from '#src/db/schema/core-tracker.ts';
import { isoTimestamp } from '#src/db/sql.ts';

export interface JournalDetail {
  readonly property: JournalDetailProperty;
  /** The attribute name (`status_id`), custom field id, attachment id or relation type. */
  readonly propKey: string;
  readonly oldValue: string | null;
  readonly value: string | null;
}

export interface JournalEntry {
  readonly issueId: number;
  readonly userId: number;
  readonly notes: string | null;
  readonly privateNotes: boolean;
  readonly createdOn: Date;
  readonly details: readonly JournalDetail[];
}

/**
 * Records the entry and returns its id; an entry with neither notes nor details is not recorded (as
 * Redmine skips an empty journal) and gives undefined.
 */
export async function insertJournal(db: Queryable, entry: JournalEntry): Promise<number | undefined> {
  const notes = entry.notes ?? '';
  if (notes === '' && entry.details.length === 0) {
    return undefined;
  }
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO journals (journalized_id, journalized_type, user_id, notes, created_on, updated_on, private_notes)
     VALUES ($1, 'Issue', $2, $3, $4, $4, $5) RETURNING id`,
    // ISO text in UTC: a `timestamp` column drops the zone, and no driver applies the process's own.
    [entry.issueId, entry.userId, notes, entry.createdOn.toISOString(), entry.privateNotes],
  );
  const journalId = Number(row?.id);
  if (entry.details.length > 0) {
    const values: unknown[] = [];
    const tuples = entry.details.map((d, i) => {
      values.push(journalId, d.property, d.propKey, d.oldValue, d.value);
      const n = i * 5;
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`;
    });
    await db.query(`INSERT INTO journal_details (journal_id, property, prop_key, old_value, value) VALUES ${tuples.join(', ')}`, values);
  }
  return journalId;
}

export interface JournalRow {
  id: number;
  user_id: number;
  /** Null when the user was deleted. */
  user_name: string | null;
  notes: string | null;
  private_notes: boolean;
  created_on: string;
  updated_on: string | null;
  updated_by_id: number | null;
  updated_by_name: string | null;
  details: { id: number; property: string; prop_key: string; old_value: string | null; value: string | null }[];
}

const name = (alias: string) => `CASE WHEN ${alias}.type = 'Group' THEN ${alias}.lastname ELSE trim(${alias}.firstname || ' ' || ${alias}.lastname) END`;
const utc = isoTimestamp;

/** The issue's journals in order, each with its details, in one statement. */
export async function selectJournals(db: Queryable, issueId: number): Promise<JournalRow[]> {
  return db.query<JournalRow>(
    `SELECT j.id, j.user_id, ${name('u')} AS user_name, j.notes, j.private_notes, ${utc('j.created_on')} AS created_on,
            ${utc('j.updated_on')} AS updated_on, j.updated_by_id, ${name('ub')} AS updated_by_name,
            coalesce((SELECT json_agg(json_build_object('id', d.id, 'property', d.property, 'prop_key', d.prop_key, 'old_value', d.old_value, 'value', d.value) ORDER BY d.id)
                        FROM journal_details d WHERE d.journal_id = j.id), '[]'::json) AS details
       FROM journals j
       LEFT JOIN users u ON u.id = j.user_id
       LEFT JOIN users ub ON ub.id = j.updated_by_id
      WHERE j.journalized_type = 'Issue' AND j.journalized_id = $1
      ORDER BY j.created_on, j.id`,
    [issueId],
  );
}

export interface JournalRecord {
  id: number;
  issue_id: number;
  user_id: number;
  notes: string | null;
  private_notes: boolean;
  detail_count: number;
}

export async function selectJournalRecord(db: Queryable, id: number): Promise<JournalRecord | undefined> {
  const [row] = await db.query<JournalRecord>(
    `SELECT j.id, j.journalized_id AS issue_id, j.user_id, j.notes, j.private_notes,
            (SELECT count(*)::int FROM journal_details d WHERE d.journal_id = j.id) AS detail_count
       FROM journals j WHERE j.id = $1 AND j.journalized_type = 'Issue'`,
    [id],
  );
  return row;
}

export async function updateJournalNotes(db: Queryable, id: number, notes: string, privateNotes: boolean, userId: number, now: Date): Promise<void> {
  await db.query('UPDATE journals SET notes = $2, private_notes = $3, updated_by_id = $4, updated_on = $5 WHERE id = $1', [
    id,
    notes,
    privateNotes,
    userId,
    now.toISOString(),
  ]);
}

export async function deleteJournal(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM journals WHERE id = $1', [id]);
}

/** One journal detail with its journal's facts, for the diff page. */
export interface JournalDetailRecord {
  readonly id: number;
  readonly journal_id: number;
  readonly issue_id: number;
  readonly journal_user_id: number;
  readonly private_notes: boolean;
  readonly created_on: string;
  readonly property: string;
  readonly prop_key: string;
  readonly old_value: string | null;
  readonly value: string | null;
}

/** The detail of an issue journal (`detailId`), or its description change when no detail is named (Redmine's default). */
export async function selectJournalDetail(db: Queryable, journalId: number, detailId: number | undefined): Promise<JournalDetailRecord | undefined> {
  const [row] = await db.query<JournalDetailRecord>(
    `SELECT d.id, d.journal_id, j.journalized_id AS issue_id, j.user_id AS journal_user_id, j.private_notes,
            ${utc('j.created_on')} AS created_on, d.property, d.prop_key, d.old_value, d.value
       FROM journal_details d JOIN journals j ON j.id = d.journal_id AND j.journalized_type = 'Issue'
      WHERE d.journal_id = $1 AND ($2::int IS NULL OR d.id = $2::int)
        AND ($2::int IS NOT NULL OR (d.property = 'attr' AND d.prop_key = 'description'))
      ORDER BY d.id LIMIT 1`,
    [journalId, detailId ?? null],
  );
  return row;
}
