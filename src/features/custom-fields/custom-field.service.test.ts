/**
 * Custom fields against a real tenant database (both engines): which fields apply to an issue, the ids
 * user and version fields may hold, storing values with their journal changes, and the `cf_N` filters
 * run as SQL over issues.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql as sqlTag, type SQL } from 'drizzle-orm';
import { parseQueryString } from '#src/api/params.ts';
import { runSql } from '#src/db/sql.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { loadActor } from '#src/features/access/index.ts';
import { acmeWorld } from '../../../test/support/acme-world.ts';
import { engineCases } from '../../../test/support/engines.ts';
import {
  allowedRecordIdsFor,
  customFieldFilters,
  customValuesOf,
  issueCustomFieldsFor,
  issueCustomFieldsForMany,
  saveCustomValues,
  validateCustomValues,
} from './index.ts';

type Json = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`custom fields in a tenant database (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, ids, id, withDb } = acme;
    const actorOf = (login: string | undefined) =>
      withDb(async (db) => {
        const [user] = login === undefined ? [] : await db.query<{ id: number }>('SELECT id FROM users WHERE login = $1', [login]);
        // The actor needs only who the user is and whether they administer.
        return loadActor(db, user ? { id: user.id, admin: login === 'admin' } : undefined);
      });
    /** Subjects of the issues the filter params select, for the user (`anonymous`: nobody signed in). */
    const filtered = async (query: string, as = 'admin') => {
      const actor: Actor = await actorOf(as === 'anonymous' ? undefined : as);
      const params = parseQueryString(query);
      return withDb(async (db) => {
        const { conditions, errors } = await customFieldFilters(db, params, actor, { today: '2024-01-10' });
        if (errors.length > 0) {
          return errors;
        }
        const where: SQL = conditions.length === 0 ? sqlTag`TRUE` : sqlTag.join(conditions, sqlTag` AND `);
        const rows = await runSql<{ subject: string }>(db, sqlTag`SELECT i.subject FROM issues i WHERE ${where} ORDER BY i.id`);
        return rows.map((row) => row.subject);
      });
    };
    const insertField = async (name: string, format: string, extra: { multiple?: boolean; possible?: string[]; isForAll?: boolean; visible?: boolean; isFilter?: boolean; trackers?: string[]; position?: number; defaultValue?: string; formatStore?: Json } = {}) => {
      const [row] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_for_all, is_filter, visible, multiple, position, default_value, format_store)
         VALUES ('IssueCustomField', $1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10::jsonb) RETURNING id`,
        [name, format, JSON.stringify(extra.possible ?? []), extra.isForAll ?? true, extra.isFilter ?? true, extra.visible ?? true, extra.multiple ?? false, extra.position ?? 1, extra.defaultValue ?? null, JSON.stringify(extra.formatStore ?? {})],
      );
      ids[name] = Number(row?.id);
      for (const tracker of extra.trackers ?? ['Bug', 'Feature', 'Support']) {
        await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [id(name), id(tracker)]);
      }
      return id(name);
    };
    const issue = async (subject: string, project: string, tracker = 'Bug') => {
      const [row] = await sql(
        `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, is_private, created_on, updated_on, done_ratio)
         VALUES ($1, $2, (SELECT id FROM issue_statuses ORDER BY position LIMIT 1), (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default),
                 $3, $4, false, now(), now(), 0) RETURNING id`,
        [id(project), id(tracker), subject, id('admin')],
      );
      ids[subject] = Number(row?.id);
      return id(subject);
    };
    const setValues = (subject: string, values: Record<string, string | string[]>) =>
      withDb((db) => saveCustomValues(db, 'Issue', id(subject), new Map(Object.entries(values).map(([name, v]) => [id(name), Array.isArray(v) ? v : [v]])), new Map()));

    before(async () => {
      await acme.users(['dev', 'stranger', 'locked']);
      await acme.referenceIds();
      await acme.lock('locked');
      await acme.projects([['alpha', 'alpha'], ['beta', 'beta']]);
      await acme.members([
        ['alpha', 'dev', 'Developer'],
        ['alpha', 'locked', 'Developer'],
        ['alpha', 'stranger', 'Reporter'],
      ]);

      await insertField('Database', 'list', { possible: ['MySQL', 'PostgreSQL', 'Oracle'], trackers: ['Bug'], position: 2 });
      await insertField('Platforms', 'list', { multiple: true, possible: ['Linux', 'Windows', 'Mac'], position: 1 });
      await insertField('Build', 'int', { position: 3 });
      await insertField('Due', 'date', { position: 4 });
      await insertField('Secret', 'string', { visible: false, position: 5 });
      await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [id('Secret'), id('Developer')]);
      await insertField('Owner', 'user', { position: 6, formatStore: { user_role: [String(id('Developer')), ''] } });
      await insertField('Beta only', 'string', { isForAll: false, position: 7 });
      await sql('INSERT INTO custom_fields_projects (custom_field_id, project_id) VALUES ($1, $2)', [id('Beta only'), id('beta')]);
      await insertField('Unfiltered', 'string', { isFilter: false, position: 8 });
      await insertField('Score', 'float', { position: 9 });
      await insertField('Milestone', 'version', { position: 10, formatStore: { version_status: ['open'] } });

      await issue('one', 'alpha');
      await issue('two', 'alpha');
      await issue('three', 'alpha', 'Feature');
      await issue('four', 'beta');
      await setValues('one', { Database: 'MySQL', Platforms: ['Linux', 'Windows'], Build: '12', Due: '2024-01-05', Secret: 'needle in alpha', Owner: String(id('dev')), Score: '1.5' });
      await setValues('two', { Database: 'PostgreSQL', Platforms: ['Mac'], Build: '7', Due: '2024-02-01', Secret: '', Score: '2.25' });
      await setValues('three', { Platforms: ['Linux'], Build: ' 30 ', Due: '2023-12-31', Secret: 'needle elsewhere' });
      await setValues('four', { Database: 'MySQL', Build: 'not a number', 'Beta only': "x'); DROP TABLE issues;--" });
    });

    test('fields available to an issue: enabled on the tracker, for all projects or enabled on the project, by position', async () => {
      const names = (fields: Array<{ name: string }>) => fields.map((f) => f.name);
      await withDb(async (db) => {
        assert.deepEqual(names(await issueCustomFieldsFor(db, id('alpha'), id('Bug'))), ['Platforms', 'Database', 'Build', 'Due', 'Secret', 'Owner', 'Unfiltered', 'Score', 'Milestone']);
        assert.deepEqual(names(await issueCustomFieldsFor(db, id('alpha'), id('Feature'))), ['Platforms', 'Build', 'Due', 'Secret', 'Owner', 'Unfiltered', 'Score', 'Milestone']);
        assert.ok(names(await issueCustomFieldsFor(db, id('beta'), id('Bug'))).includes('Beta only'));
        const lookup = await issueCustomFieldsForMany(db, [
          { projectId: id('alpha'), trackerId: id('Bug') },
          { projectId: id('beta'), trackerId: id('Bug') },
          { projectId: id('alpha'), trackerId: id('Feature') },
        ]);
        for (const [project, tracker] of [['alpha', 'Bug'], ['beta', 'Bug'], ['alpha', 'Feature']] as const) {
          assert.deepEqual(lookup(id(project), id(tracker)), await issueCustomFieldsFor(db, id(project), id(tracker)), `${project}/${tracker}`);
        }
        assert.deepEqual(lookup(id('beta'), 999999), []);
        assert.deepEqual((await issueCustomFieldsForMany(db, []))(1, 1), []);
        const [database] = (await issueCustomFieldsFor(db, id('alpha'), id('Bug'))).filter((f) => f.name === 'Database');
        assert.deepEqual(database?.possibleValues, ['MySQL', 'PostgreSQL', 'Oracle']);
        assert.deepEqual(database?.trackerIds, [id('Bug')]);
      });
    });

    test('user and version fields: active members with the field\'s roles; shared versions in the field\'s statuses', async () => {
      await sql("INSERT INTO versions (project_id, name, status, sharing) VALUES ($1, 'v1', 'open', 'none'), ($1, 'v0', 'closed', 'none'), ($2, 'shared', 'open', 'system'), ($2, 'private', 'open', 'none')", [id('alpha'), id('beta')]);
      const versions = Object.fromEntries((await sql('SELECT id, name FROM versions')).map((v) => [String(v.name), Number(v.id)]));
      await withDb(async (db) => {
        const fields = await issueCustomFieldsFor(db, id('alpha'), id('Bug'));
        const allowed = await allowedRecordIdsFor(db, fields, id('alpha'));
        assert.deepEqual([...(allowed.get(id('Owner')) ?? [])], [id('dev')], 'Developer members only, and not the locked one');
        assert.deepEqual(new Set(allowed.get(id('Milestone'))), new Set([versions.v1, versions.shared]));
        assert.equal(allowed.has(id('Database')), false);
        const owner = fields.filter((f) => f.name === 'Owner');
        const context = { isNew: true, existing: new Map(), allowedIdsByField: allowed };
        assert.deepEqual(validateCustomValues(owner, new Map([[id('Owner'), String(id('dev'))]]), context).errors, []);
        assert.deepEqual(validateCustomValues(owner, new Map([[id('Owner'), String(id('stranger'))]]), context).errors, ['Owner is not included in the list']);
      });
    });

    test('saving values: rows per value, verbatim text, journal changes, unchanged fields untouched', async () => {
      const subject = await issue('saved', 'alpha');
      const hostile = "'); DELETE FROM custom_values;-- <img src=x onerror=alert(1)>";
      await withDb(async (db) => {
        const created = await saveCustomValues(db, 'Issue', subject, new Map([[id('Database'), ['MySQL']], [id('Platforms'), ['Linux', 'Windows']], [id('Secret'), [hostile]]]), new Map());
        assert.deepEqual(created, [
          { fieldId: id('Database'), oldValue: null, newValue: 'MySQL' },
          { fieldId: id('Platforms'), oldValue: null, newValue: 'Linux' },
          { fieldId: id('Platforms'), oldValue: null, newValue: 'Windows' },
          { fieldId: id('Secret'), oldValue: null, newValue: hostile },
        ]);
        const stored = (await customValuesOf(db, 'Issue', [subject, 999999])).get(subject) ?? new Map();
        assert.deepEqual(stored, new Map([[id('Database'), ['MySQL']], [id('Platforms'), ['Linux', 'Windows']], [id('Secret'), [hostile]]]));
        assert.deepEqual((await customValuesOf(db, 'Issue', [999999])).get(999999), new Map());
        const before = await db.query<{ id: number }>('SELECT id FROM custom_values WHERE customized_id = $1 AND custom_field_id = $2', [subject, id('Secret')]);

        const changes = await saveCustomValues(db, 'Issue', subject, new Map([[id('Database'), ['Oracle']], [id('Platforms'), ['Windows', 'Mac']], [id('Secret'), [hostile]]]), stored);
        assert.deepEqual(changes, [
          { fieldId: id('Database'), oldValue: 'MySQL', newValue: 'Oracle' },
          { fieldId: id('Platforms'), oldValue: 'Linux', newValue: null },
          { fieldId: id('Platforms'), oldValue: null, newValue: 'Mac' },
        ]);
        const after = await db.query<{ id: number }>('SELECT id FROM custom_values WHERE customized_id = $1 AND custom_field_id = $2', [subject, id('Secret')]);
        assert.deepEqual(after, before, 'an unchanged field keeps its row');
        const reread = (await customValuesOf(db, 'Issue', [subject])).get(subject) ?? new Map();
        assert.deepEqual(reread.get(id('Platforms')), ['Windows', 'Mac']);

        const cleared = await saveCustomValues(db, 'Issue', subject, new Map([[id('Platforms'), ['']], [id('Database'), ['']]]), reread);
        assert.deepEqual(cleared, [
          { fieldId: id('Platforms'), oldValue: 'Windows', newValue: null },
          { fieldId: id('Platforms'), oldValue: 'Mac', newValue: null },
          { fieldId: id('Database'), oldValue: 'Oracle', newValue: '' },
        ]);
        const rows = await db.query<{ value: string | null }>('SELECT value FROM custom_values WHERE customized_id = $1 AND custom_field_id = $2', [subject, id('Platforms')]);
        assert.deepEqual(rows, [{ value: '' }], 'an emptied multiple field keeps one blank row, as Redmine');
        assert.equal((await db.query('SELECT 1 FROM custom_values')).length > 0, true);
        assert.deepEqual(await saveCustomValues(db, 'Issue', subject, new Map(), reread), []);
      });
    });

    test('filters: list, multiple, none/any, negation, numbers, dates', async () => {
      assert.deepEqual(await filtered(`cf_${id('Database')}=MySQL`), ['one', 'four']);
      assert.deepEqual(await filtered(`cf_${id('Database')}=MySQL|PostgreSQL`), ['one', 'two', 'four']);
      assert.deepEqual(await filtered(`cf_${id('Database')}=!MySQL`), ['two', 'three', 'saved'], '! includes issues without the field (Feature tracker)');
      assert.deepEqual(await filtered(`cf_${id('Database')}=*`), ['one', 'two', 'four']);
      assert.deepEqual(await filtered(`cf_${id('Database')}=!*`), ['saved'], 'none: only issues the field applies to');
      assert.deepEqual(await filtered(`cf_${id('Platforms')}=Linux`), ['one', 'three']);
      assert.deepEqual(await filtered(`cf_${id('Platforms')}=!Linux`), ['two', 'four', 'saved']);
      assert.deepEqual(await filtered(`cf_${id('Build')}=>=10`), ['one', 'three'], 'numeric, blanks around the number allowed, junk ignored');
      assert.deepEqual(await filtered(`cf_${id('Build')}=7,30`), ['two', 'three']);
      assert.deepEqual(await filtered(`cf_${id('Build')}=><5|12`), ['one', 'two']);
      assert.deepEqual(await filtered(`cf_${id('Score')}=2.25`), ['two']);
      assert.deepEqual(await filtered(`cf_${id('Score')}=<=2`), ['one']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=>=2024-01-01`), ['one', 'two']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=2024-01-05`), ['one']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=><2023-12-01|2024-01-31`), ['one', 'three']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=>t-7`), ['one', 'two'], 'today is 2024-01-10');
      assert.deepEqual(await filtered(`cf_${id('Due')}=m`), ['one']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=lm`), ['three']);
      assert.deepEqual(await filtered(`cf_${id('Due')}=w`), [], 'week of Sunday 2024-01-07');
      assert.deepEqual(await filtered(`cf_${id('Database')}=MySQL&cf_${id('Platforms')}=Windows`), ['one'], 'filters combine with AND');
    });

    test('filters: text operators; values are data, never SQL', async () => {
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~NEEDLE`), ['one', 'three']);
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~needle alpha`), ['one'], 'all words');
      assert.deepEqual(await filtered(`cf_${id('Secret')}=*~alpha elsewhere`), ['one', 'three'], 'any word');
      assert.deepEqual(await filtered(`cf_${id('Secret')}=^needle e`), ['one', 'three']);
      assert.deepEqual(await filtered(`cf_${id('Secret')}=$where`), ['three']);
      assert.deepEqual(await filtered(`cf_${id('Secret')}=!~alpha`), ['two', 'three', 'saved'], 'issues with a value not containing it');
      assert.deepEqual(await filtered(`cf_${id('Beta only')}=x'); DROP TABLE issues;--`), ['four']);
      assert.deepEqual(await filtered(`cf_${id('Beta only')}=~%25`), [], 'a LIKE wildcard is a literal');
      assert.equal((await sql('SELECT count(*)::int AS n FROM issues'))[0]?.n, 5);
    });

    test('filters: who may use a field; user fields and "me"; long form; unknown and non-filter fields ignored', async () => {
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~needle`, 'dev'), ['one', 'three'], 'Developer in alpha sees the hidden field');
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~needle`, 'stranger'), ['one', 'two', 'three', 'four', 'saved'], 'not available: ignored');
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~needle`, 'anonymous'), ['one', 'two', 'three', 'four', 'saved']);
      await sql('UPDATE custom_fields SET visible = true WHERE id = $1', [id('Secret')]);
      assert.deepEqual(await filtered(`cf_${id('Secret')}=~needle`, 'anonymous'), ['one', 'three'], 'once visible, anyone may filter on it');
      await sql('UPDATE custom_fields SET visible = false WHERE id = $1', [id('Secret')]);
      assert.deepEqual(await filtered(`cf_${id('Owner')}=me`, 'dev'), ['one']);
      assert.deepEqual(await filtered(`cf_${id('Owner')}=me`, 'admin'), []);
      assert.deepEqual(await filtered(`cf_${id('Unfiltered')}=x&cf_999999=y`), ['one', 'two', 'three', 'four', 'saved']);
      assert.deepEqual(await filtered(`f=cf_${id('Database')}&op[cf_${id('Database')}]==&v[cf_${id('Database')}]=PostgreSQL`), ['two']);
      assert.deepEqual(await filtered(`f=status_id&cf_${id('Database')}=PostgreSQL`), ['one', 'two', 'three', 'four', 'saved'], 'with f[], short cf params are ignored');
    });

    test('filters: invalid values give Redmine\'s messages', async () => {
      assert.deepEqual(await filtered(`cf_${id('Build')}=>=abc&cf_${id('Due')}=2024-13-45&cf_${id('Database')}=`), [
        'Database cannot be blank',
        'Build is invalid',
        'Due is invalid',
      ]);
      assert.deepEqual(await filtered(`cf_${id('Score')}=1e3`), ['Score is invalid']);
    });
  });
}
