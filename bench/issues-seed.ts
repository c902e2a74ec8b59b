/**
 * Fills a freshly provisioned tenant with the issue benchmark's data, straight into its database with
 * a few set-based INSERTs (seconds, where creating 10,000 issues through the API would take minutes):
 * one public project, users who are its members with the Developer role and have API keys, issues
 * spread over trackers, statuses, priorities, authors and assignees, and, on the issues the show
 * scenario reads, journals (with a detail each), watchers and relations so its includes have work.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '#src/db/database.ts';

export interface SeedSizes {
  readonly issues: number;
  readonly users: number;
  /** Issues given journals, watchers and relations: the ones the show scenario reads. */
  readonly showIssues: number;
}

export interface BenchUser {
  readonly id: number;
  readonly login: string;
  readonly apiKey: string;
}

export interface SeededData {
  readonly projectId: number;
  readonly projectIdentifier: string;
  readonly trackerIds: readonly number[];
  readonly priorityIds: readonly number[];
  readonly users: readonly BenchUser[];
  /** Every seeded issue id, ascending. */
  readonly issueIds: readonly number[];
  readonly showIssueIds: readonly number[];
  readonly journals: number;
  readonly watchers: number;
  readonly relations: number;
}

export const PROJECT_IDENTIFIER = 'bench';

/** Redmine's default `default_projects_modules`: what a project made with the defaults has. */
const DEFAULT_MODULES = ['issue_tracking', 'time_tracking', 'news', 'documents', 'files', 'wiki', 'repository', 'boards', 'calendar', 'gantt'];

/** The time the rows are stamped against, in UTC like every Kanri timestamp column. */
const NOW = `timezone('UTC', now())`;

async function ids(db: Database, text: string, params: unknown[] = []): Promise<number[]> {
  return (await db.query<{ id: number }>(text, params)).map((r) => r.id);
}

async function one<Row>(db: Database, text: string, params: unknown[] = []): Promise<Row> {
  const [row] = await db.query<Row>(text, params);
  if (!row) {
    throw new Error(`seed: no row from ${text.slice(0, 80)}`);
  }
  return row;
}

export async function seedIssues(db: Database, sizes: SeedSizes): Promise<SeededData> {
  if (sizes.issues < 3 * sizes.showIssues) {
    throw new Error('seed: the issues must be at least three times the shown ones (relations point past them)');
  }
  // Redmine's default data, as `tenant create` loaded it.
  const developerRoleId = (
    await one<{ id: number }>(db, `SELECT id FROM roles WHERE builtin = 0 ORDER BY position OFFSET 1 LIMIT 1`)
  ).id;
  const trackerIds = await ids(db, `SELECT id FROM trackers ORDER BY position`);
  const priorityIds = await ids(db, `SELECT id FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL ORDER BY position`);
  const statuses = await db.query<{ id: number; is_closed: boolean }>(`SELECT id, is_closed FROM issue_statuses ORDER BY position`);
  // Each open status twice, each closed one once: about 80 % of the issues open, as in a live tracker.
  const statusPlan = statuses.flatMap((s) => (s.is_closed ? [s.id] : [s.id, s.id]));
  const closedStatusIds = statuses.filter((s) => s.is_closed).map((s) => s.id);
  if (trackerIds.length === 0 || priorityIds.length === 0 || statusPlan.length === 0) {
    throw new Error('seed: the tenant has no default data (trackers, priorities, statuses)');
  }
  // Developers do not see watchers in Redmine's defaults; the show scenario asks for them.
  await db.query(
    `UPDATE roles SET permissions = permissions || '["view_issue_watchers"]'::jsonb
      WHERE id = $1 AND NOT permissions @> '["view_issue_watchers"]'::jsonb`,
    [developerRoleId],
  );

  const projectId = (
    await one<{ id: number }>(
      db,
      `INSERT INTO projects (name, identifier, description, homepage, is_public, status, lft, rgt, created_on, updated_on)
       SELECT 'Benchmark', $1, 'Issues for the API benchmark', '', TRUE, 1,
              coalesce(max(rgt), 0) + 1, coalesce(max(rgt), 0) + 2, ${NOW}, ${NOW} FROM projects
       RETURNING id`,
      [PROJECT_IDENTIFIER],
    )
  ).id;
  await db.query(`INSERT INTO enabled_modules (project_id, name) SELECT $1, unnest($2::varchar[])`, [projectId, DEFAULT_MODULES]);
  await db.query(`INSERT INTO projects_trackers (project_id, tracker_id) SELECT $1, unnest($2::int[])`, [projectId, trackerIds]);

  const userRows = await db.query<{ id: number; login: string }>(
    `INSERT INTO users (login, hashed_password, firstname, lastname, admin, status, language, type, mail_notification, created_on, updated_on)
     SELECT 'dev' || lpad(g::text, 3, '0'), '', 'Dev', 'Number ' || g, FALSE, 1, 'en', 'User', 'only_my_events', ${NOW}, ${NOW}
       FROM generate_series(1, $1::int) g
     RETURNING id, login`,
    [sizes.users],
  );
  const users = userRows.map((u) => ({ ...u, apiKey: randomBytes(20).toString('hex') }));
  const userIds = users.map((u) => u.id);
  await db.query(
    `INSERT INTO email_addresses (user_id, address, is_default, notify, created_on, updated_on)
     SELECT u.id, u.login || '@bench.example.com', TRUE, TRUE, ${NOW}, ${NOW} FROM users u WHERE u.id = ANY($1::int[])`,
    [userIds],
  );
  await db.query(
    `INSERT INTO tokens (user_id, action, value, created_on, updated_on)
     SELECT k.user_id, 'api', k.value, ${NOW}, ${NOW} FROM unnest($1::int[], $2::varchar[]) AS k(user_id, value)`,
    [userIds, users.map((u) => u.apiKey)],
  );
  await db.query(
    `WITH m AS (
       INSERT INTO members (user_id, project_id, created_on, mail_notification)
       SELECT unnest($1::int[]), $2, ${NOW}, FALSE RETURNING id
     )
     INSERT INTO member_roles (member_id, role_id) SELECT m.id, $3 FROM m`,
    [userIds, projectId, developerRoleId],
  );

  // Issue g was created (n - g + 1) × 47 minutes ago (the newest about now, the oldest ~11 months
  // back) and last updated up to 10 hours later; the arrays spread the rest by g.
  await db.query(
    `INSERT INTO issues (tracker_id, project_id, subject, description, status_id, assigned_to_id, priority_id, author_id,
                         created_on, updated_on, start_date, due_date, done_ratio, estimated_hours, is_private, closed_on, lft, rgt)
     SELECT tracker_id, $1, subject, description, status_id, assigned_to_id, priority_id, author_id,
            created_on, updated_on, created_on::date, CASE WHEN g % 3 = 0 THEN created_on::date + 14 END,
            (g % 11) * 10, CASE WHEN g % 2 = 0 THEN (g % 16) * 0.5 END, FALSE,
            CASE WHEN status_id = ANY($6::int[]) THEN updated_on END, 1, 2
       FROM (
         SELECT g,
                ($2::int[])[1 + g % cardinality($2::int[])] AS tracker_id,
                'Bench issue ' || g || ': ' ||
                  (ARRAY['crash when saving', 'slow page', 'typo in a label', 'export to CSV', 'sync times out', 'broken link'])[1 + g % 6]
                  AS subject,
                repeat('Steps to reproduce problem ' || g || ', then what was expected and what happened instead. ', 1 + g % 5)
                  AS description,
                ($3::int[])[1 + (g * 7) % cardinality($3::int[])] AS status_id,
                CASE WHEN g % 4 = 0 THEN NULL ELSE ($5::int[])[1 + (g * 13) % cardinality($5::int[])] END AS assigned_to_id,
                ($4::int[])[1 + (g * 3) % cardinality($4::int[])] AS priority_id,
                ($5::int[])[1 + g % cardinality($5::int[])] AS author_id,
                c.created_on,
                least(c.created_on + ((g * 37) % 600) * interval '1 minute', ${NOW}) AS updated_on
           FROM generate_series(1, $7::int) g
           CROSS JOIN LATERAL (SELECT ${NOW} - ($7::int - g + 1) * interval '47 minutes' AS created_on) c
       ) s
      ORDER BY g`,
    [projectId, trackerIds, statusPlan, priorityIds, userIds, closedStatusIds, sizes.issues],
  );
  // Root issues are their own tree: root_id = id, lft 1, rgt 2 (set once the ids exist).
  await db.query(`UPDATE issues SET root_id = id WHERE project_id = $1 AND root_id IS NULL`, [projectId]);
  const issueIds = await ids(db, `SELECT id FROM issues WHERE project_id = $1 ORDER BY id`, [projectId]);
  const showIssueIds = issueIds.slice(0, sizes.showIssues);

  // Three journals per shown issue: two comments and a change without a comment, each with one detail.
  const journalIds = await ids(
    db,
    `INSERT INTO journals (journalized_id, journalized_type, user_id, notes, created_on, updated_on, private_notes)
     SELECT i.id, 'Issue', ($2::int[])[1 + (i.id + k) % cardinality($2::int[])],
            CASE WHEN k = 3 THEN '' ELSE 'Comment ' || k || ' on issue ' || i.id || ': looked into it, details follow.' END,
            i.created_on + k * interval '1 hour', i.created_on + k * interval '1 hour', FALSE
       FROM issues i CROSS JOIN generate_series(1, 3) k
      WHERE i.id = ANY($1::int[])
     RETURNING id`,
    [showIssueIds, userIds],
  );
  await db.query(
    `INSERT INTO journal_details (journal_id, property, prop_key, old_value, value)
     SELECT j.id, 'attr', 'done_ratio', '0', '30' FROM journals j WHERE j.id = ANY($1::int[])`,
    [journalIds],
  );
  const watchers = await ids(
    db,
    `INSERT INTO watchers (watchable_type, watchable_id, user_id)
     SELECT 'Issue', i.id, ($2::int[])[1 + (i.id * 5 + w) % cardinality($2::int[])]
       FROM unnest($1::int[]) AS i(id) CROSS JOIN generate_series(0, 1) w
     RETURNING id`,
    [showIssueIds, userIds],
  );
  // Each shown issue relates to one issue past the shown ones; every other one also precedes another.
  const relatesTo = issueIds.slice(sizes.showIssues, 2 * sizes.showIssues);
  const precedes = issueIds.slice(2 * sizes.showIssues, 3 * sizes.showIssues);
  const relations = await ids(
    db,
    `INSERT INTO issue_relations (issue_from_id, issue_to_id, relation_type, delay)
     SELECT f, t, 'relates', NULL FROM unnest($1::int[], $2::int[]) AS r(f, t)
     UNION ALL
     SELECT f, t, 'precedes', 0 FROM unnest($1::int[], $3::int[]) WITH ORDINALITY AS r(f, t, n) WHERE n % 2 = 0
     RETURNING id`,
    [showIssueIds, relatesTo, precedes],
  );
  // The state autovacuum leaves a tenant with this much data in: fresh statistics, and a visibility
  // map that lets counts read the covering index alone (fresh rows are not yet known all-visible, and
  // every count would read the table's pages instead).
  await db.exec('VACUUM ANALYZE');
  return {
    projectId,
    projectIdentifier: PROJECT_IDENTIFIER,
    trackerIds,
    priorityIds,
    users,
    issueIds,
    showIssueIds,
    journals: journalIds.length,
    watchers: watchers.length,
    relations: relations.length,
  };
}
