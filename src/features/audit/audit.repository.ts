/** Rows of `audit_events`: appended, read back newest first; never changed. */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { isoTimestamp, runSql } from '#src/db/sql.ts';
import type { AuditEventName } from './audit-events.ts';

export interface AuditRow {
  readonly event: AuditEventName;
  readonly actorId: number | null;
  readonly actorName: string;
  readonly impersonatorId: number | null;
  readonly ip: string;
  readonly userAgent: string;
  readonly targetType: string | null;
  readonly targetId: number | null;
  readonly targetName: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export async function insertAuditRow(db: Queryable, row: AuditRow): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (event, actor_id, actor_name, impersonator_id, ip, user_agent, target_type, target_id, target_name, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.event,
      row.actorId,
      row.actorName,
      row.impersonatorId,
      row.ip,
      row.userAgent,
      row.targetType,
      row.targetId,
      row.targetName,
      JSON.stringify(row.details),
    ],
  );
}

/** Which events the trail shows: every condition given must hold; none given is the whole trail. */
export interface AuditFilter {
  readonly event?: AuditEventName | undefined;
  /** Part of the actor's login (case-insensitive). */
  readonly actor?: string | undefined;
  /** Part of the target's name, or its type (`User`, `Setting`…). */
  readonly target?: string | undefined;
  /** The start of the client address (`192.0.2.` matches the whole network). */
  readonly ip?: string | undefined;
  /** From this instant on (inclusive). */
  readonly since?: Date | undefined;
  /** Up to this instant (exclusive). */
  readonly until?: Date | undefined;
}

/** One event as the trail shows and exports it. */
export interface AuditEventRecord {
  readonly id: number;
  /** ISO 8601, UTC. */
  readonly createdOn: string;
  readonly event: string;
  readonly actorId: number | null;
  readonly actorName: string;
  readonly impersonatorId: number | null;
  /** The impersonating administrator's login while the account exists. */
  readonly impersonatorLogin: string | null;
  readonly ip: string;
  readonly userAgent: string;
  readonly targetType: string | null;
  readonly targetId: number | null;
  readonly targetName: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface StoredEvent {
  id: number;
  created_on: string;
  event: string;
  actor_id: number | null;
  actor_name: string;
  impersonator_id: number | null;
  impersonator_login: string | null;
  ip: string;
  user_agent: string;
  target_type: string | null;
  target_id: number | null;
  target_name: string;
  details: Record<string, unknown> | string | null;
}

/** `text` as a LIKE pattern matching itself literally (`%`, `_` and `\` escaped). */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** A UTC instant as the `timestamp` columns hold it (no zone; the process's zone must not apply). */
function utcTimestamp(instant: Date): string {
  return instant.toISOString().replace('T', ' ').replace('Z', '');
}

function whereOf(filter: AuditFilter): SQL {
  const conditions: SQL[] = [sql`TRUE`];
  if (filter.event) {
    conditions.push(sql`a.event = ${filter.event}`);
  }
  if (filter.actor) {
    conditions.push(sql`a.actor_name ILIKE ${`%${literal(filter.actor)}%`}`);
  }
  if (filter.target) {
    conditions.push(sql`(a.target_name ILIKE ${`%${literal(filter.target)}%`} OR lower(a.target_type) = ${filter.target.toLowerCase()})`);
  }
  if (filter.ip) {
    conditions.push(sql`a.ip LIKE ${`${literal(filter.ip)}%`}`);
  }
  if (filter.since) {
    conditions.push(sql`a.created_on >= ${utcTimestamp(filter.since)}::timestamp`);
  }
  if (filter.until) {
    conditions.push(sql`a.created_on < ${utcTimestamp(filter.until)}::timestamp`);
  }
  return sql.join(conditions, sql` AND `);
}

function recordOf(row: StoredEvent): AuditEventRecord {
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : (row.details ?? {});
  return {
    id: Number(row.id),
    createdOn: row.created_on,
    event: row.event,
    actorId: row.actor_id,
    actorName: row.actor_name,
    impersonatorId: row.impersonator_id,
    impersonatorLogin: row.impersonator_login,
    ip: row.ip,
    userAgent: row.user_agent,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    details,
  };
}

/** The events matching the filter, newest first, `limit` of them from `offset`. */
export async function selectAuditEvents(db: Queryable, filter: AuditFilter, page: { offset: number; limit: number }): Promise<AuditEventRecord[]> {
  const rows = await runSql<StoredEvent>(
    db,
    sql`SELECT a.id, ${sql.raw(isoTimestamp('a.created_on'))} AS created_on, a.event, a.actor_id, a.actor_name, a.impersonator_id,
               imp.login AS impersonator_login, a.ip, a.user_agent, a.target_type, a.target_id, a.target_name, a.details
        FROM audit_events a LEFT JOIN users imp ON imp.id = a.impersonator_id
        WHERE ${whereOf(filter)}
        ORDER BY a.created_on DESC, a.id DESC
        LIMIT ${page.limit} OFFSET ${page.offset}`,
  );
  return rows.map(recordOf);
}

/** How many events match the filter. */
export async function countAuditEvents(db: Queryable, filter: AuditFilter): Promise<number> {
  const [row] = await runSql<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_events a WHERE ${whereOf(filter)}`);
  return Number(row?.n ?? 0);
}
