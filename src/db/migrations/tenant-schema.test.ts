import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '#src/db/database.ts';
import { openMigratedPglite } from '../../../test/support/engines.ts';
import { users } from '#src/db/schema/accounts.ts';
import * as coreTracker from '#src/db/schema/core-tracker.ts';
import * as customFields from '#src/db/schema/custom-fields.ts';
import * as rolesManagedRoles from '#src/db/schema/roles-managed-roles.ts';
import * as timeEntries from '#src/db/schema/time-entries.ts';
import { enumerations, issueStatuses, trackers } from '#src/db/schema/tracker-reference.ts';

// The SQL migrations and the Drizzle tables describe the same schema twice; this keeps them equal.
const TABLES = ([...Object.values(coreTracker), ...Object.values(customFields), ...Object.values(rolesManagedRoles), ...Object.values(timeEntries)] as unknown[]).filter(
  (value): value is PgTable => is(value, PgTable),
);

interface DbColumn {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

/** Drizzle's SQL type in information_schema's words, e.g. 'varchar(30)' → 'character varying(30)'. */
function expectedType(column: PgColumn): string {
  return column
    .getSQLType()
    .replace(/^serial$/, 'integer')
    .replace(/^varchar/, 'character varying')
    .replace(/^timestamp$/, 'timestamp without time zone');
}

/** A column default as text without its cast: `'open'::character varying` → `open`. */
function normalizeDefault(sql: string | null): string | undefined {
  if (sql === null || sql.startsWith('nextval(')) {
    return undefined;
  }
  const bare = sql.replace(/::[a-z ]+(\(\d+\))?$/, '');
  return /^'.*'$/.test(bare) ? bare.slice(1, -1).replaceAll("''", "'") : bare;
}

/** A Drizzle `.default(…)` as the same text: scalars as themselves, objects as JSON. */
function declaredDefault(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** pg_constraint.confdeltype → Drizzle's onDelete words. */
const ON_DELETE: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

interface DbForeignKey {
  columns: string[];
  foreign_table: string;
  foreign_columns: string[];
  on_delete: string;
}

const FOREIGN_KEYS_SQL = `
  SELECT array(SELECT attname FROM pg_attribute
                WHERE attrelid = c.conrelid AND attnum = ANY (c.conkey)) AS columns,
         c.confrelid::regclass::text AS foreign_table,
         array(SELECT attname FROM pg_attribute
                WHERE attrelid = c.confrelid AND attnum = ANY (c.confkey)) AS foreign_columns,
         c.confdeltype AS on_delete
    FROM pg_constraint c
   WHERE c.contype = 'f' AND c.conrelid = $1::regclass`;

function describeForeignKey(columns: string[], table: string, foreignColumns: string[], onDelete: string): string {
  return `(${columns.join(',')}) → ${table}(${foreignColumns.join(',')}) on delete ${onDelete}`;
}

describe('tenant schema: migrations and Drizzle tables agree', () => {
  let db: Database;

  before(async () => {
    db = await openMigratedPglite('tenant');
  });

  after(async () => {
    await db.close();
  });

  // Answers are remembered while the data version stands still (src/db/snapshot-memo.ts): a table
  // whose writes do not count would let a remembered answer outlive a change.
  test('every table counts its writes in the data version', async () => {
    const untracked = await db.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
          -- audit_events: read by no remembered answer, written by failed sign-ins (its migration says why).
          -- auth_throttles: the same; written by every failed password and invalid API key (its migration says why).
          -- kanri_session_details: the same; every signed-in browser moves its last-seen time once a minute (its migration says why).
          AND c.relname NOT IN ('kanri_data_version', 'schema_migrations', 'audit_events', 'auth_throttles', 'kanri_session_details')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'kanri_count_change')
        ORDER BY 1`,
    );
    assert.deepEqual(untracked.map((r) => r.table), [], "add SELECT kanri_track_changes('<table>') to the table's migration");
  });

  test('a committed write moves the data version once per transaction; a rolled back one does not', async () => {
    const version = async () => Number((await db.query<{ v: string }>('SELECT sum(changes)::text AS v FROM kanri_data_version'))[0]?.v);
    const start = await version();
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO settings (name, value, updated_on) VALUES ('kanri_test_a', '1', now())");
      await tx.query("UPDATE settings SET value = '2' WHERE name = 'kanri_test_a'");
    });
    assert.equal(await version(), start + 1);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("DELETE FROM settings WHERE name = 'kanri_test_a'");
        throw new Error('roll back');
      }),
    );
    assert.equal(await version(), start + 1);
    await db.query("DELETE FROM settings WHERE name = 'kanri_test_a'");
    assert.equal(await version(), start + 2);
  });

  test('the Drizzle twins cover every table of the core tracker migration', () => {
    assert.equal(TABLES.length, 24);
  });

  for (const table of TABLES) {
    const config = getTableConfig(table);

    test(`${config.name}: columns, types, NULL-ness and defaults`, async () => {
      const rows = await db.query<DbColumn>(
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1`,
        [config.name],
      );
      assert.ok(rows.length > 0, `table ${config.name} exists`);
      const inDb = new Map(rows.map((r) => [r.column_name, r]));
      assert.deepEqual(
        config.columns.map((c) => c.name).sort(),
        [...inDb.keys()].sort(),
        `${config.name}: same column names in SQL and Drizzle`,
      );
      for (const column of config.columns) {
        const row = inDb.get(column.name);
        assert.ok(row);
        const where = `${config.name}.${column.name}`;
        const length = row.character_maximum_length;
        const dbType = length === null ? row.data_type : `${row.data_type}(${length})`;
        assert.equal(dbType, expectedType(column), `${where}: type`);
        assert.equal(row.is_nullable === 'NO', column.notNull, `${where}: NOT NULL`);
        assert.equal(row.column_default !== null, column.hasDefault, `${where}: has a default`);
        assert.equal(normalizeDefault(row.column_default), declaredDefault(column.default), `${where}: default value`);
      }
    });

    test(`${config.name}: indexes`, async () => {
      const rows = await db.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> $2`,
        [config.name, `${config.name}_pkey`],
      );
      const inDb = new Map(rows.map((r) => [r.indexname, r.indexdef.startsWith('CREATE UNIQUE')]));
      const declared = new Map(config.indexes.map((i) => [i.config.name ?? '', i.config.unique]));
      assert.deepEqual([...declared.entries()].sort(), [...inDb.entries()].sort());
    });

    test(`${config.name}: foreign keys and their ON DELETE`, async () => {
      const rows = await db.query<DbForeignKey>(FOREIGN_KEYS_SQL, [config.name]);
      const inDb = rows.map((r) =>
        describeForeignKey(r.columns, r.foreign_table, r.foreign_columns, ON_DELETE[r.on_delete] ?? r.on_delete),
      );
      const declared = config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return describeForeignKey(
          ref.columns.map((c) => c.name),
          getTableConfig(ref.foreignTable).name,
          ref.foreignColumns.map((c) => c.name),
          fk.onDelete ?? 'no action',
        );
      });
      assert.deepEqual(declared.sort(), inDb.sort());
    });
  }
});

describe('tenant schema: rows', () => {
  let db: Database;

  before(async () => {
    db = await openMigratedPglite('tenant');
  });

  after(async () => {
    await db.close();
  });

  test('a project, an issue with a journal and a detail; deleting the journal deletes its details', async () => {
    const { projects, issues, journals, journalDetails } = coreTracker;
    const now = new Date('2026-11-25T09:00:00Z');
    const [author] = await db.orm
      .insert(users)
      .values({
        login: 'jsmith',
        hashedPassword: '',
        firstname: 'John',
        lastname: 'Smith',
        admin: false,
        status: 1,
        mailNotification: 'only_my_events',
        mustChangePasswd: false,
        type: 'User',
      })
      .returning();
    const [status] = await db.orm.insert(issueStatuses).values({ name: 'New', position: 1 }).returning();
    const [tracker] = await db.orm
      .insert(trackers)
      .values({ name: 'Bug', position: 1, defaultStatusId: status?.id })
      .returning();
    const [priority] = await db.orm
      .insert(enumerations)
      .values({ name: 'Normal', type: 'IssuePriority', position: 1 })
      .returning();
    const [project] = await db.orm
      .insert(projects)
      .values({ name: 'eCookbook', identifier: 'ecookbook', lft: 1, rgt: 2, createdOn: now, updatedOn: now })
      .returning();
    assert.ok(author && status && tracker && priority && project);
    assert.equal(project.status, coreTracker.PROJECT_STATUS_ACTIVE);
    assert.equal(project.isPublic, true);

    const [issue] = await db.orm
      .insert(issues)
      .values({
        trackerId: tracker.id,
        projectId: project.id,
        subject: 'Cannot print recipes',
        statusId: status.id,
        priorityId: priority.id,
        authorId: author.id,
        estimatedHours: 2.5,
        startDate: '2026-11-25',
        createdOn: now,
        updatedOn: now,
      })
      .returning();
    assert.ok(issue);
    assert.equal(issue.lockVersion, 0);
    assert.equal(issue.doneRatio, 0);
    assert.equal(issue.isPrivate, false);
    assert.equal(issue.estimatedHours, 2.5);
    assert.equal(issue.startDate, '2026-11-25');
    assert.deepEqual(issue.createdOn, now);

    const [journal] = await db.orm
      .insert(journals)
      .values({
        journalizedId: issue.id,
        journalizedType: 'Issue',
        userId: author.id,
        notes: 'Printed fine here',
        createdOn: now,
      })
      .returning();
    assert.ok(journal);
    await db.orm
      .insert(journalDetails)
      .values({ journalId: journal.id, property: 'attr', propKey: 'done_ratio', oldValue: '0', value: '50' });
    const detailsOfJournal = () => db.orm.select().from(journalDetails).where(eq(journalDetails.journalId, journal.id));
    assert.equal((await detailsOfJournal()).length, 1);

    await db.orm.delete(journals).where(eq(journals.id, journal.id));
    assert.deepEqual(await detailsOfJournal(), []);
    assert.equal((await db.orm.select().from(issues)).length, 1, 'the issue stays');

    // A project is deleted after its issues (their journals, attachments… have no FK to follow).
    await assert.rejects(
      db.orm.delete(projects).where(eq(projects.id, project.id)),
      (error: Error) => /issues_project_id_fkey/.test(String(error.cause)),
    );
  });

  test('query settings are stored as JSON', async () => {
    const { queries } = coreTracker;
    const [query] = await db.orm
      .insert(queries)
      .values({
        name: 'Open bugs',
        type: 'IssueQuery',
        filters: { status_id: { operator: 'o', values: [''] }, tracker_id: { operator: '=', values: ['1'] } },
        columnNames: ['tracker', 'status', 'subject'],
        sortCriteria: [['id', 'desc']],
        options: { totalable_names: ['estimated_hours'] },
      })
      .returning();
    assert.ok(query);
    const [row] = await db.query<{ kind: string; first_sort: string }>(
      "SELECT jsonb_typeof(filters) AS kind, sort_criteria -> 0 ->> 1 AS first_sort FROM queries WHERE id = $1",
      [query.id],
    );
    assert.deepEqual(row, { kind: 'object', first_sort: 'desc' });
    assert.equal(query.visibility, coreTracker.QUERY_VISIBILITY_PRIVATE);
  });
});
