/**
 * SQL of the issue page beyond the issue row itself (issue.repository.ts): the names that the history
 * and custom values point to by id, the project's facts the attributes depend on, the principals that
 * could watch, the visible ancestors and subtasks. Each is one statement.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { idList } from '#src/db/sql.ts';
import type { TrackerRow } from './issue.records.ts';
import { selectIssues, type IssueRow } from './issue.repository.ts';

/** The ancestors of the issue that `visible` admits (a condition over `issues i JOIN projects p`), root first. */
export function selectVisibleAncestors(db: Queryable, visible: SQL, issueId: number): Promise<IssueRow[]> {
  return selectIssues(
    db,
    sql`${visible} AND EXISTS (SELECT 1 FROM issues x WHERE x.id = ${issueId} AND i.root_id = x.root_id AND i.lft < x.lft AND i.rgt > x.rgt)`,
    sql`i.lft`,
  );
}

/** The subtasks of the issue, at any depth, that `visible` admits, in tree order. */
export function selectVisibleDescendants(db: Queryable, visible: SQL, issueId: number): Promise<IssueRow[]> {
  return selectIssues(
    db,
    sql`${visible} AND EXISTS (SELECT 1 FROM issues x WHERE x.id = ${issueId} AND i.root_id = x.root_id AND i.lft > x.lft AND i.rgt < x.rgt)`,
    sql`i.lft`,
  );
}

/** Those of the issues that `visible` admits, by id. */
export async function selectVisibleIssuesAmong(db: Queryable, visible: SQL, issueIds: readonly number[]): Promise<IssueRow[]> {
  const wanted = [...new Set(issueIds)];
  return wanted.length === 0 ? [] : selectIssues(db, sql`${visible} AND i.id IN ${idList(wanted)}`, sql`i.id`);
}

/** A user or group as a page names it (the tenant's user format needs all three name parts). */
export interface PrincipalName {
  readonly id: number;
  readonly type: string;
  readonly firstname: string;
  readonly lastname: string;
  readonly login: string;
}

/** Ids whose names a page shows, by what they name. */
export interface NameRequest {
  readonly principals: readonly number[];
  readonly statuses: readonly number[];
  readonly trackers: readonly number[];
  readonly priorities: readonly number[];
  readonly categories: readonly number[];
  readonly versions: readonly number[];
  readonly projects: readonly number[];
  /** custom_field_enumerations ids (values of enumeration custom fields). */
  readonly enumerations: readonly number[];
  /** attachment ids (values of file custom fields): their file names. */
  readonly attachments?: readonly number[];
}

export type NamedKind = Exclude<keyof NameRequest, 'principals'>;

export interface Names {
  readonly principals: ReadonlyMap<number, PrincipalName>;
  readonly named: ReadonlyMap<NamedKind, ReadonlyMap<number, string>>;
}

const TABLES: Readonly<Record<NamedKind, string>> = {
  statuses: 'issue_statuses',
  trackers: 'trackers',
  priorities: 'enumerations',
  categories: 'issue_categories',
  versions: 'versions',
  projects: 'projects',
  enumerations: 'custom_field_enumerations',
  attachments: '(SELECT id, filename AS name FROM attachments) AS attachment_names',
};

/** The names of every id asked for, whatever their visibility (Redmine's history names what it recorded), in one statement. */
export async function selectNames(db: Queryable, request: NameRequest): Promise<Names> {
  const kinds = Object.keys(TABLES) as NamedKind[];
  const parts = kinds.map((kind, i) => `SELECT '${kind}' AS kind, id, name, NULL AS type, NULL AS firstname, NULL AS lastname, NULL AS login FROM ${TABLES[kind]} WHERE id = ANY($${i + 1}::int[])`);
  parts.push(`SELECT 'principals', id, NULL, type, firstname, lastname, login FROM users WHERE id = ANY($${kinds.length + 1}::int[])`);
  const values = [...kinds.map((kind) => ids(request[kind] ?? [])), ids(request.principals)];
  const rows = values.every((list) => list.length === 0)
    ? []
    : await db.query<{ kind: string; id: number; name: string | null; type: string | null; firstname: string | null; lastname: string | null; login: string | null }>(
        parts.join(' UNION ALL '),
        values,
      );
  const principals = new Map<number, PrincipalName>();
  const named = new Map<NamedKind, Map<number, string>>(kinds.map((kind) => [kind, new Map()]));
  for (const row of rows) {
    if (row.kind === 'principals') {
      principals.set(row.id, { id: row.id, type: row.type ?? 'User', firstname: row.firstname ?? '', lastname: row.lastname ?? '', login: row.login ?? '' });
    } else {
      named.get(row.kind as NamedKind)?.set(row.id, row.name ?? '');
    }
  }
  return { principals, named };
}

/** Distinct safe integer ids. */
function ids(list: readonly number[]): number[] {
  return [...new Set(list.filter((id) => Number.isSafeInteger(id) && id > 0 && id < 2 ** 31))];
}

/** What the attributes of an issue of this project and tracker show or hide. */
export interface IssuePageFacts {
  readonly tracker: TrackerRow | undefined;
  /** Redmine hides an empty category when the project has none. */
  readonly hasCategories: boolean;
  /** … and an empty target version when the project has no open version. */
  readonly hasOpenVersions: boolean;
}

export async function selectIssuePageFacts(db: Queryable, projectId: number, trackerId: number): Promise<IssuePageFacts> {
  const [row] = await db.query<{ tracker: TrackerRow | null; has_categories: boolean; has_open_versions: boolean }>(
    `SELECT (SELECT json_build_object('id', t.id, 'name', t.name, 'default_status_id', t.default_status_id, 'fields_bits', t.fields_bits,
                                      'private_by_default', t.private_by_default)
               FROM trackers t WHERE t.id = $2) AS tracker,
            EXISTS (SELECT 1 FROM issue_categories c WHERE c.project_id = $1) AS has_categories,
            EXISTS (SELECT 1 FROM versions v WHERE v.project_id = $1 AND v.status = 'open') AS has_open_versions`,
    [projectId, trackerId],
  );
  return { tracker: row?.tracker ?? undefined, hasCategories: row?.has_categories ?? false, hasOpenVersions: row?.has_open_versions ?? false };
}

/**
 * Active users and groups that are members of the project and do not watch the issue yet, by name:
 * whom the "add watchers" form offers (Redmine's users_for_new_watcher, without its search).
 */
export async function selectWatcherChoices(db: Queryable, projectId: number, issueId: number): Promise<PrincipalName[]> {
  return db.query<PrincipalName>(
    `SELECT u.id, u.type, u.firstname, u.lastname, u.login
       FROM users u
      WHERE u.status = 1 AND u.type IN ('User', 'Group')
        AND EXISTS (SELECT 1 FROM members m WHERE m.user_id = u.id AND m.project_id = $1)
        AND NOT EXISTS (SELECT 1 FROM watchers w WHERE w.watchable_type = 'Issue' AND w.watchable_id = $2 AND w.user_id = u.id)
      ORDER BY u.type DESC, u.lastname, u.firstname, u.id
      LIMIT 100`,
    [projectId, issueId],
  );
}
