/**
 * All SQL on attachments, and the few facts about their containers the policy needs. Every function
 * takes a Queryable, so the issue feature can call them inside its own transaction.
 */
import type { Queryable } from '#src/db/database.ts';
import { isoTimestamp } from '#src/db/sql.ts';

/** An attachment row as the rest of Kanri sees it (camelCase, timestamps as ISO text in UTC). */
export interface AttachmentRow {
  readonly id: number;
  /** Both null while the row is an upload nobody has attached yet. */
  readonly containerId: number | null;
  readonly containerType: string | null;
  readonly filename: string;
  readonly diskDirectory: string | null;
  readonly diskFilename: string;
  readonly filesize: number;
  readonly contentType: string | null;
  /** SHA-256 of the content, hex. */
  readonly digest: string;
  readonly downloads: number;
  /** 0 for an anonymous upload. */
  readonly authorId: number;
  /** Null when the author is no user (anonymous, or deleted). */
  readonly authorName: string | null;
  readonly description: string | null;
  readonly createdOn: string | null;
}

interface Row {
  id: number;
  container_id: number | null;
  container_type: string | null;
  filename: string;
  disk_directory: string | null;
  disk_filename: string;
  filesize: number;
  content_type: string | null;
  digest: string;
  downloads: number;
  author_id: number;
  author_name: string | null;
  description: string | null;
  created_on: string | null;
}

// Redmine's default user format (firstname lastname), as the other presenters show users.
const SELECT = `
  SELECT a.id, a.container_id, a.container_type, a.filename, a.disk_directory, a.disk_filename,
         a.filesize::bigint AS filesize, a.content_type, a.digest, a.downloads, a.author_id,
         CASE WHEN u.id IS NULL THEN NULL ELSE trim(u.firstname || ' ' || u.lastname) END AS author_name,
         a.description, ${isoTimestamp('a.created_on')} AS created_on
    FROM attachments a
    LEFT JOIN users u ON u.id = a.author_id AND u.type IS DISTINCT FROM 'Group'`;

function toAttachment(row: Row): AttachmentRow {
  return {
    id: Number(row.id),
    containerId: row.container_id === null ? null : Number(row.container_id),
    containerType: row.container_type === '' ? null : row.container_type,
    filename: row.filename,
    diskDirectory: row.disk_directory,
    diskFilename: row.disk_filename,
    filesize: Number(row.filesize),
    contentType: row.content_type,
    digest: row.digest,
    downloads: Number(row.downloads),
    authorId: Number(row.author_id),
    authorName: row.author_name,
    description: row.description,
    createdOn: row.created_on,
  };
}

export interface NewAttachment {
  readonly filename: string;
  readonly diskDirectory: string;
  readonly diskFilename: string;
  readonly filesize: number;
  readonly contentType: string | null;
  readonly digest: string;
  readonly authorId: number;
  readonly createdOn: Date;
}

/** Records an upload (no container yet) and returns its id. */
export async function insertAttachment(db: Queryable, a: NewAttachment): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO attachments (container_id, container_type, filename, disk_directory, disk_filename, filesize,
                              content_type, digest, downloads, author_id, created_on, description)
     VALUES (NULL, NULL, $1, $2, $3, $4, $5, $6, 0, $7, $8, NULL) RETURNING id`,
    // ISO text in UTC: a `timestamp` column drops the zone, and no driver applies the process's own.
    [a.filename, a.diskDirectory, a.diskFilename, a.filesize, a.contentType, a.digest, a.authorId, a.createdOn.toISOString()],
  );
  return Number(row?.id);
}

export async function selectAttachment(db: Queryable, id: number): Promise<AttachmentRow | undefined> {
  const [row] = await db.query<Row>(`${SELECT} WHERE a.id = $1`, [id]);
  return row && toAttachment(row);
}

/** Attachments with these ids, in id order (any container). */
export async function selectAttachmentsById(db: Queryable, ids: readonly number[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<Row>(`${SELECT} WHERE a.id = ANY($1::int[]) ORDER BY a.id`, [ids]);
  return rows.map(toAttachment);
}

/** The attachments of these containers, each container's in Redmine's order (created_on, then id). */
export async function selectContainerAttachments(db: Queryable, containerType: string, containerIds: readonly number[]): Promise<AttachmentRow[]> {
  if (containerIds.length === 0) {
    return [];
  }
  const rows = await db.query<Row>(
    `${SELECT} WHERE a.container_type = $1 AND a.container_id = ANY($2::int[]) ORDER BY a.created_on ASC, a.id ASC`,
    [containerType, containerIds],
  );
  return rows.map(toAttachment);
}

/**
 * Locks the uploads with these ids that nobody has attached yet (so two requests cannot attach the
 * same upload), returning their id, digest and author.
 */
export async function lockUnattached(db: Queryable, ids: readonly number[]): Promise<{ id: number; digest: string; authorId: number }[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<{ id: number; digest: string; author_id: number }>(
    `SELECT id, digest, author_id FROM attachments
      WHERE id = ANY($1::int[]) AND container_id IS NULL AND (container_type IS NULL OR container_type = '')
      ORDER BY id FOR UPDATE`,
    [ids],
  );
  return rows.map((r) => ({ id: Number(r.id), digest: r.digest, authorId: Number(r.author_id) }));
}

export interface AttachmentChanges {
  readonly filename?: string;
  readonly contentType?: string | null;
  readonly description?: string | null;
}

export async function updateAttachmentFields(db: Queryable, id: number, changes: AttachmentChanges): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (changes.filename !== undefined) {
    set('filename', changes.filename);
  }
  if (changes.contentType !== undefined) {
    set('content_type', changes.contentType);
  }
  if (changes.description !== undefined) {
    set('description', changes.description);
  }
  if (sets.length === 0) {
    return;
  }
  values.push(id);
  await db.query(`UPDATE attachments SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
}

/** Gives an unattached upload its container (and the overrides sent with its token). */
export async function attachToContainer(
  db: Queryable,
  id: number,
  container: { type: string; id: number },
  changes: AttachmentChanges,
): Promise<void> {
  await updateAttachmentFields(db, id, changes);
  await db.query('UPDATE attachments SET container_type = $1, container_id = $2 WHERE id = $3 AND container_id IS NULL', [
    container.type,
    container.id,
    id,
  ]);
}

/** Deletes the rows; the files are the caller's to remove once the deletion is committed. */
export async function deleteAttachmentRows(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await db.query('DELETE FROM attachments WHERE id = ANY($1::int[])', [ids]);
  }
}

/** Does any attachment row still name this stored file (Redmine's copies share theirs)? */
export async function isDiskFileReferenced(db: Queryable, diskDirectory: string | null, diskFilename: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM attachments WHERE disk_filename = $1 AND coalesce(disk_directory, '') = $2 LIMIT 1`,
    [diskFilename, diskDirectory ?? ''],
  );
  return rows.length > 0;
}

export async function incrementDownloads(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE attachments SET downloads = downloads + 1 WHERE id = $1', [id]);
}

/** What issue visibility and edit rights are decided on. */
export interface IssueFactsRow {
  readonly projectId: number;
  readonly trackerId: number;
  readonly authorId: number | null;
  readonly assignedToId: number | null;
  readonly isPrivate: boolean;
}

export async function selectIssueFacts(db: Queryable, issueId: number): Promise<IssueFactsRow | undefined> {
  const [row] = await db.query<{ project_id: number; tracker_id: number; author_id: number | null; assigned_to_id: number | null; is_private: boolean }>(
    'SELECT project_id, tracker_id, author_id, assigned_to_id, is_private FROM issues WHERE id = $1',
    [issueId],
  );
  return (
    row && {
      projectId: Number(row.project_id),
      trackerId: Number(row.tracker_id),
      authorId: row.author_id === null ? null : Number(row.author_id),
      assignedToId: row.assigned_to_id === null ? null : Number(row.assigned_to_id),
      isPrivate: row.is_private,
    }
  );
}

export async function selectVersionProjectId(db: Queryable, versionId: number): Promise<number | undefined> {
  const [row] = await db.query<{ project_id: number }>('SELECT project_id FROM versions WHERE id = $1', [versionId]);
  return row ? Number(row.project_id) : undefined;
}

/** Of these projects, those that are not archived (Redmine's User#roles leaves archived ones out). */
export async function selectUnarchivedProjectIds(db: Queryable, projectIds: readonly number[]): Promise<Set<number>> {
  if (projectIds.length === 0) {
    return new Set();
  }
  const rows = await db.query<{ id: number }>('SELECT id FROM projects WHERE id = ANY($1::int[]) AND status <> 9', [projectIds]);
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * Copies the attachments of one container to another, oldest first (Redmine's Attachment#copy): the
 * same name, description, author, creation time and stored file, no downloads. The source rows are
 * locked FOR SHARE, so a deletion of one of them waits for this transaction, and the file check after
 * that deletion (isDiskFileReferenced) sees the copy. Returns the new ids.
 */
export async function insertAttachmentCopies(
  db: Queryable,
  from: { type: string; id: number },
  to: { type: string; id: number },
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `WITH source AS (
       SELECT id, filename, disk_directory, disk_filename, filesize, content_type, digest, author_id, created_on, description
         FROM attachments WHERE container_type = $1 AND container_id = $2 ORDER BY created_on, id FOR SHARE
     )
     INSERT INTO attachments (container_id, container_type, filename, disk_directory, disk_filename, filesize,
                              content_type, digest, downloads, author_id, created_on, description)
     SELECT $4::int, $3::varchar, filename, disk_directory, disk_filename, filesize, content_type, digest, 0, author_id, created_on, description
       FROM source ORDER BY created_on, id
     RETURNING id`,
    [from.type, from.id, to.type, to.id],
  );
  return rows.map((r) => Number(r.id));
}
