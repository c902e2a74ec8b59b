/**
 * Deleting a user over the REST API (§6.4) does what Redmine's User#remove_references_before_destroy
 * and the user's associations do: what the user wrote goes to the Anonymous user, assignments and
 * watchers go, private queries go and public ones stay, values of user-format custom fields naming
 * the user go, memberships, tokens, addresses and preferences go — all or nothing. `lock` locks
 * instead; one's own account only with `unsubscribe` on and another active administrator.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Row = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`deleting a user (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    /** The one value of a one-row, one-column query. */
    const value = async (text: string, params: unknown[] = []) => {
      const rows = await sql(text, params);
      assert.equal(rows.length, 1, text);
      return Object.values(rows[0] ?? {})[0];
    };
    const count = async (text: string, params: unknown[] = []) => Number(await value(`SELECT count(*)::int FROM ${text}`, params));
    let anonymous = 0;

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], 'dlopper', 'rhill', 'admin2']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Child', 'child', true, 'ecookbook']]);
      await acme.group('Team', ['jsmith', 'dlopper']);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'Team', 'Developer'],
        ['child', 'dlopper', 'Reporter'],
      ]);
      // Give jsmith an API key and a session, as a signed-in user has.
      assert.equal((await call('GET', '/users/current.json', 'jsmith')).statusCode, 200);
      await sql("INSERT INTO tokens (user_id, action, value, created_on) VALUES ($1, 'session', 'jsmith-session', now())", [id('jsmith')]);

      const issue = async (name: string, author: string, assignee: string | null) => {
        const [row] = await sql(
          `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, assigned_to_id, created_on, updated_on, lft, rgt)
           VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses ORDER BY position LIMIT 1),
                   (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), $2, $3, $4, now(), now(), 1, 2) RETURNING id`,
          [id('ecookbook'), name, id(author), assignee === null ? null : id(assignee)],
        );
        ids[name] = Number(row?.id);
        await sql('UPDATE issues SET root_id = id WHERE id = $1', [ids[name]]);
      };
      await issue('by jsmith', 'jsmith', 'jsmith');
      await issue('by dlopper', 'dlopper', 'dlopper');

      const [journal] = await sql(
        "INSERT INTO journals (journalized_id, journalized_type, user_id, notes, created_on, updated_on, updated_by_id) VALUES ($1, 'Issue', $2, 'A note', now(), now(), $2) RETURNING id",
        [id('by dlopper'), id('jsmith')],
      );
      ids.journal = Number(journal?.id);
      const detail = async (name: string, propKey: string, oldValue: string | null, newValue: string | null, property = 'attr') => {
        const [row] = await sql('INSERT INTO journal_details (journal_id, property, prop_key, old_value, value) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
          id('journal'),
          property,
          propKey,
          oldValue,
          newValue,
        ]);
        ids[name] = Number(row?.id);
      };
      const jsmithId = String(id('jsmith'));
      await detail('from jsmith', 'assigned_to_id', jsmithId, String(id('dlopper')));
      await detail('to jsmith', 'assigned_to_id', null, jsmithId);
      await detail('other attribute', 'priority_id', jsmithId, jsmithId);
      await detail('custom field', '1', jsmithId, null, 'cf');

      const [attachment] = await sql(
        "INSERT INTO attachments (container_id, container_type, filename, disk_filename, filesize, digest, author_id, created_on) VALUES ($1, 'Issue', 'a.txt', 'a.txt', 1, '', $2, now()) RETURNING id",
        [id('by dlopper'), id('jsmith')],
      );
      ids.attachment = Number(attachment?.id);
      await sql("INSERT INTO watchers (watchable_type, watchable_id, user_id) VALUES ('Issue', $1, $2), ('Issue', $1, $3)", [id('by dlopper'), id('jsmith'), id('dlopper')]);
      for (const [name, visibility] of [['private query', 0], ['roles query', 1], ['public query', 2]] as const) {
        const [row] = await sql("INSERT INTO queries (name, user_id, type, visibility) VALUES ($1, $2, 'IssueQuery', $3) RETURNING id", [name, id('jsmith'), visibility]);
        ids[name] = Number(row?.id);
      }

      const field = async (name: string, type: string, format: string) => {
        const [row] = await sql('INSERT INTO custom_fields (type, name, field_format, is_for_all) VALUES ($1, $2, $3, true) RETURNING id', [type, name, format]);
        ids[name] = Number(row?.id);
      };
      await field('Reviewer', 'IssueCustomField', 'user');
      await field('Code', 'IssueCustomField', 'string');
      await field('Phone', 'UserCustomField', 'string');
      const customValue = async (type: string, customizedId: number, fieldName: string, text: string) =>
        sql('INSERT INTO custom_values (customized_type, customized_id, custom_field_id, value) VALUES ($1, $2, $3, $4)', [type, customizedId, id(fieldName), text]);
      await customValue('Issue', id('by dlopper'), 'Reviewer', jsmithId);
      await customValue('Issue', id('by dlopper'), 'Reviewer', String(id('dlopper')));
      await customValue('Issue', id('by dlopper'), 'Code', jsmithId);
      await customValue('Principal', id('jsmith'), 'Phone', '555');
      await customValue('Principal', id('dlopper'), 'Phone', '556');

      await sql('UPDATE projects SET default_assigned_to_id = $1 WHERE id = $2', [id('jsmith'), id('ecookbook')]);
      await sql("INSERT INTO issue_categories (project_id, name, assigned_to_id) VALUES ($1, 'Recipes', $2)", [id('ecookbook'), id('jsmith')]);

      await sql(
        `INSERT INTO time_entries (project_id, author_id, user_id, issue_id, hours, comments, activity_id, spent_on, tyear, tmonth, tweek, created_on, updated_on)
         VALUES ($1, $2, $2, $3, 1.5, '', (SELECT min(id) FROM enumerations WHERE type = 'TimeEntryActivity'), '2026-11-26', 2026, 11, 48, now(), now()),
                ($1, $2, $4, NULL, 2, '', (SELECT min(id) FROM enumerations WHERE type = 'TimeEntryActivity'), '2026-11-26', 2026, 11, 48, now(), now())`,
        [id('ecookbook'), id('jsmith'), id('by dlopper'), id('dlopper')],
      );
    });

    test('only administrators delete users: 403 for others, 401 for anonymous callers, 404 for unknown ids', async () => {
      assert.equal((await call('DELETE', `/users/${id('rhill')}.json`, 'dlopper')).statusCode, 403);
      assert.equal((await call('DELETE', `/users/${id('rhill')}.json`, undefined)).statusCode, 401);
      assert.equal((await call('DELETE', '/users/99999.json', 'admin')).statusCode, 404);
      assert.equal((await call('DELETE', `/users/${id('Team')}.json`, 'admin')).statusCode, 404, 'a group is no user');
      assert.equal(await count('users WHERE id = $1', [id('rhill')]), 1);
    });

    test('lock instead of delete: the user stays, locked, its sessions end and its API key stays', async () => {
      await sql("INSERT INTO tokens (user_id, action, value, created_on) VALUES ($1, 'session', 'rhill-session', now()), ($1, 'api', 'rhill-api-key-0000000000000000000000000', now())", [id('rhill')]);
      const locked = await call('DELETE', `/users/${id('rhill')}.json?lock=1`, 'admin');
      assert.equal(locked.statusCode, 204);
      assert.equal(locked.body, '');
      assert.equal(await value('SELECT status FROM users WHERE id = $1', [id('rhill')]), 3);
      assert.deepEqual((await sql('SELECT action FROM tokens WHERE user_id = $1', [id('rhill')])).map((r) => r.action), ['api']);
      // A JSON `false` is no lock in Rails: the user is deleted.
      assert.equal((await call('DELETE', `/users/${id('rhill')}.json`, 'admin', { lock: false })).statusCode, 204);
      assert.equal(await count('users WHERE id = $1', [id('rhill')]), 0);
    });

    test('delete: what the user wrote goes to the Anonymous user; assignments, watchers, private queries and user values go', async () => {
      const answer = await call('DELETE', `/users/${id('jsmith')}.json`, 'admin');
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      anonymous = Number(await value("SELECT id FROM users WHERE type = 'AnonymousUser'"));
      const jsmith = id('jsmith');

      assert.deepEqual(await sql('SELECT author_id, assigned_to_id FROM issues WHERE id = $1', [id('by jsmith')]), [{ author_id: anonymous, assigned_to_id: null }]);
      assert.deepEqual(await sql('SELECT author_id, assigned_to_id FROM issues WHERE id = $1', [id('by dlopper')]), [{ author_id: id('dlopper'), assigned_to_id: id('dlopper') }]);
      assert.deepEqual(await sql('SELECT user_id, updated_by_id FROM journals WHERE id = $1', [id('journal')]), [{ user_id: anonymous, updated_by_id: anonymous }]);
      const details = new Map((await sql('SELECT id, old_value, value FROM journal_details')).map((r) => [r.id, [r.old_value, r.value]]));
      assert.deepEqual(details.get(id('from jsmith')), [String(anonymous), String(id('dlopper'))]);
      assert.deepEqual(details.get(id('to jsmith')), [null, String(anonymous)]);
      assert.deepEqual(details.get(id('other attribute')), [String(jsmith), String(jsmith)], 'only assignee details are rewritten');
      assert.deepEqual(details.get(id('custom field')), [String(jsmith), null]);
      assert.equal(await value('SELECT author_id FROM attachments WHERE id = $1', [id('attachment')]), anonymous);
      assert.deepEqual((await sql('SELECT user_id FROM watchers ORDER BY id')).map((r) => r.user_id), [id('dlopper')]);
      assert.deepEqual(await sql('SELECT name, user_id FROM queries ORDER BY id'), [
        { name: 'roles query', user_id: anonymous },
        { name: 'public query', user_id: anonymous },
      ]);
      assert.deepEqual(await sql('SELECT customized_type, custom_field_id, value FROM custom_values ORDER BY id'), [
        { customized_type: 'Issue', custom_field_id: id('Reviewer'), value: String(id('dlopper')) },
        { customized_type: 'Issue', custom_field_id: id('Code'), value: String(jsmith) },
        { customized_type: 'Principal', custom_field_id: id('Phone'), value: '556' },
      ]);
      // Redmine moves user_id; Kanri moves author_id too rather than leave it naming no one.
      assert.deepEqual(await sql('SELECT user_id, author_id FROM time_entries ORDER BY id'), [
        { user_id: anonymous, author_id: anonymous },
        { user_id: id('dlopper'), author_id: anonymous },
      ]);

      // The API shows the Anonymous user as the author.
      const shown = (await call('GET', `/issues/${id('by jsmith')}.json`, 'admin')).json<{ issue: Row }>().issue;
      assert.deepEqual(shown.author, { id: anonymous, name: 'Anonymous' });
      assert.equal(shown.assigned_to, undefined);
    });

    test('delete: the user’s own rows go — memberships, group links, tokens, addresses, preferences; default assignments are cleared', async () => {
      const jsmith = id('jsmith');
      assert.equal(await count('users WHERE id = $1', [jsmith]), 0);
      for (const table of ['members', 'groups_users', 'tokens', 'email_addresses', 'user_preferences']) {
        assert.equal(await count(`${table} WHERE user_id = $1`, [jsmith]), 0, table);
      }
      assert.equal(await count('member_roles mr WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = mr.member_id)'), 0);
      assert.equal(await value('SELECT default_assigned_to_id FROM projects WHERE id = $1', [id('ecookbook')]), null);
      assert.equal(await value("SELECT assigned_to_id FROM issue_categories WHERE name = 'Recipes'"), null);
      // Others keep theirs: the group and its other user's inherited membership, dlopper's own.
      const members = (await call('GET', '/projects/ecookbook/memberships.json', 'admin')).json<{ memberships: { user?: Row; group?: Row }[] }>().memberships;
      assert.deepEqual(members.map((m) => (m.user ?? m.group)?.id), [id('Team'), id('dlopper')]);
      assert.equal((await call('GET', `/users/${jsmith}.json`, 'admin')).statusCode, 404);
      assert.equal((await call('GET', '/users/current.json', 'jsmith')).statusCode, 401, 'the password no longer signs in');
    });

    test('a failure half-way leaves everything as it was (one transaction)', async () => {
      const [issue] = await sql('SELECT author_id FROM issues WHERE id = $1', [id('by dlopper')]);
      // A trigger that refuses the final delete stands in for any failure after the reassignments.
      await sql(`CREATE FUNCTION refuse_user_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
      await sql('CREATE TRIGGER refuse_user_delete BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION refuse_user_delete()');
      try {
        const answer = await call('DELETE', `/users/${id('dlopper')}.json`, 'admin');
        assert.equal(answer.statusCode, 500);
      } finally {
        await sql('DROP TRIGGER refuse_user_delete ON users');
        await sql('DROP FUNCTION refuse_user_delete()');
      }
      assert.deepEqual(await sql('SELECT author_id FROM issues WHERE id = $1', [id('by dlopper')]), [issue]);
      assert.equal(await count('watchers WHERE user_id = $1', [id('dlopper')]), 1);
      assert.equal(await count('members WHERE user_id = $1', [id('dlopper')]), 2);
    });

    test('one’s own account: a bare 422 unless unsubscribe is on and another active administrator remains', async () => {
      const alone = await call('DELETE', `/users/${id('admin')}.json`, 'admin');
      assert.equal(alone.statusCode, 422);
      assert.equal(alone.body, '');
      assert.equal((await call('DELETE', `/users/${id('admin')}.json?lock=1`, 'admin')).statusCode, 422, 'nor lock it');
      await sql('UPDATE users SET admin = true WHERE id = $1', [id('admin2')]);
      await acme.setting('unsubscribe', '0');
      assert.equal((await call('DELETE', `/users/${id('admin2')}.xml`, 'admin2')).statusCode, 422);
      await acme.setting('unsubscribe', '1');
      assert.equal((await call('DELETE', `/users/${id('admin2')}.json`, 'admin2')).statusCode, 204);
      assert.equal(await count('users WHERE id = $1', [id('admin2')]), 0);
      assert.equal(await value('SELECT status FROM users WHERE id = $1', [id('admin')]), 1);
    });
  });
}
