/** The few statistics /admin/info shows about a tenant's database; each is one cheap query. */
import type { Queryable } from '#src/db/database.ts';

export interface DatabaseFacts {
  /** `server_version` as PostgreSQL reports it. */
  readonly serverVersion: string;
  /** Bytes the tenant's database takes on disk. */
  readonly databaseBytes: number;
  /** Bytes of the attachments the tenant stores. */
  readonly attachmentBytes: number;
  readonly attachmentCount: number;
}

export async function selectDatabaseFacts(db: Queryable): Promise<DatabaseFacts> {
  const [row] = await db.query<{ version: string; size: number; files: number; bytes: number }>(
    `SELECT current_setting('server_version') AS version,
            pg_database_size(current_database())::bigint AS size,
            (SELECT count(*) FROM attachments)::bigint AS files,
            (SELECT coalesce(sum(filesize), 0) FROM attachments)::bigint AS bytes`,
  );
  return {
    serverVersion: row?.version ?? '',
    databaseBytes: Number(row?.size ?? 0),
    attachmentBytes: Number(row?.bytes ?? 0),
    attachmentCount: Number(row?.files ?? 0),
  };
}
