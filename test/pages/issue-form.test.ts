/**
 * The issue form pages: new (with custom fields and files, multipart), create and continue, the form
 * again for another tracker, edit through the workflow (offered statuses, read-only fields, forged
 * transitions), notes and private notes, time logged with the change, stale forms, quoting, copy with
 * subtasks and a link, delete with logged time, and refusals that write nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

type Json = Record<string, unknown>;
type Form = Readonly<Record<string, string | readonly string[]>>;

const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

/** The options of a select: `[value, label, selected]`. */
function optionsOf(html: string, id: string): { value: string; label: string; selected: boolean }[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value(?:="([^"]*)")?( selected)?[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1] ?? '', label: decode(m[3] ?? ''), selected: m[2] !== undefined }));
}

function textareaOf(html: string, id: string): string | undefined {
  const value = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];
  return value === undefined ? undefined : decode(value);
}

function errorsOf(html: string): string[] {
  const box = /<div id="errorExplanation"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...box.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decode(m[1] ?? ''));
}


for (const { engine, skip } of await pageEngineCases()) {
  describe(`issue form pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    const { as, forget } = signedInBrowsers(() => acme.server.app);
    const postMultipart = async (login: string, url: string, fields: Form, files: readonly (readonly [string, string, string])[] = [], withToken = true): Promise<LightMyRequestResponse> =>
      (await as(login)).postMultipart(url, fields, files, withToken);
    const newIssue = async (fields: Json, login = 'admin', project = 'ecookbook') => {
      const answer = await call('POST', `/projects/${project}/issues.json`, login, { issue: { tracker_id: id('Feature'), ...fields } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const count = async (table: string) => Number((await sql(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
    const issueRow = async (issueId: number) => (await sql('SELECT * FROM issues WHERE id = $1', [issueId]))[0];
    const snapshot = async () => ({ issues: await count('issues'), journals: await count('journals'), attachments: await count('attachments'), entries: await count('time_entries'), values: await count('custom_values') });

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], ['rhill', 'Robert', 'Hill'], ['viewer', 'Vera', 'Viewer']]);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', false], ['Other', 'other', false]]);
      const [viewerRole] = await sql(`INSERT INTO roles (name, position, builtin, permissions, assignable) VALUES ('Viewer', 90, 0, '["view_issues"]'::jsonb, false) RETURNING id`);
      acme.ids.Viewer = Number(viewerRole?.id);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['ecookbook', 'viewer', 'Viewer'],
        ['other', 'jsmith', 'Manager'],
      ]);
      const field = async (name: string, format: string, trackers: readonly string[], extra: Json = {}) => {
        const columns: Json = { type: 'IssueCustomField', name, field_format: format, is_for_all: true, position: 1, ...extra };
        const names = Object.keys(columns);
        const [row] = await sql(`INSERT INTO custom_fields (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, Object.values(columns));
        acme.ids[name] = Number(row?.id);
        for (const tracker of trackers) {
          await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [Number(row?.id), id(tracker)]);
        }
      };
      await sql("UPDATE enumerations SET is_default = (name = 'Development') WHERE type = 'TimeEntryActivity'");
      await field('Severity', 'list', ['Bug'], { possible_values: JSON.stringify(['Low', 'High']), is_required: true });
      await field('Build', 'string', ['Feature']);
    });

    test('new issue: the form of the project, its first tracker and that tracker\'s custom fields', async () => {
      const page = await (await as('jsmith')).request('GET', '/projects/ecookbook/issues/new');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<form id="issue-form" class="new_issue" method="post" action="\/projects\/ecookbook\/issues" enctype="multipart\/form-data"/);
      assert.deepEqual(optionsOf(page.body, 'issue_tracker_id').map((o) => o.label), ['Bug', 'Feature', 'Support']);
      assert.match(page.body, new RegExp(`name="issue\\[custom_field_values\\]\\[${id('Severity')}\\]"`));
      assert.doesNotMatch(page.body, new RegExp(`custom_field_values\\]\\[${id('Build')}\\]`));
      // The user may be assigned: "<< me >>" comes first after the blank.
      assert.deepEqual(optionsOf(page.body, 'issue_assigned_to_id').slice(0, 2).map((o) => o.label), ['', '<< me >>']);
      assert.match(page.body, /name="attachments\[1\]\[file\]"/);
      assert.match(page.body, /<script[^>]+issue-form-[0-9a-f]+\.js/);
    });

    test('the form endpoint answers the attributes of another tracker, and the no-script button the whole page', async () => {
      const browser = await as('jsmith');
      const fragment = await browser.post('/projects/ecookbook/issues/new/form', { 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': 'Kept' });
      assert.equal(fragment.statusCode, 200, fragment.body);
      assert.doesNotMatch(fragment.body, /<html/);
      assert.match(fragment.body, new RegExp(`name="issue\\[custom_field_values\\]\\[${id('Build')}\\]"`));
      assert.doesNotMatch(fragment.body, new RegExp(`custom_field_values\\]\\[${id('Severity')}\\]`));
      assert.match(fragment.body, /id="issue_subject" name="issue\[subject\]" value="Kept"/);
      const before = await snapshot();
      const page = await browser.post('/projects/ecookbook/issues', { 'issue[tracker_id]': String(id('Bug')), 'issue[subject]': 'Not yet', update_form: 'Update form' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`custom_field_values\\]\\[${id('Severity')}\\]`));
      assert.deepEqual(await snapshot(), before, 'nothing written');
    });

    test('create with a custom field and a file stores both, then shows the issue', async () => {
      const answer = await postMultipart(
        'jsmith',
        '/projects/ecookbook/issues',
        {
          'issue[tracker_id]': String(id('Bug')),
          'issue[subject]': 'Crash on save',
          'issue[description]': 'It crashes.',
          'issue[priority_id]': String(id('priority Normal')),
          [`issue[custom_field_values][${id('Severity')}]`]: 'High',
          'attachments[1][description]': 'The log',
          commit: 'Create',
        },
        [['attachments[1][file]', 'crash.log', 'line one\nline two\n']],
      );
      assert.equal(answer.statusCode, 303, answer.body);
      const issueId = Number(/^\/issues\/(\d+)$/.exec(answer.headers.location as string)?.[1]);
      const issue = await issueRow(issueId);
      assert.equal(issue?.subject, 'Crash on save');
      assert.equal(issue?.author_id, id('jsmith'));
      const values = await sql("SELECT value FROM custom_values WHERE customized_type = 'Issue' AND customized_id = $1 AND custom_field_id = $2", [issueId, id('Severity')]);
      assert.deepEqual(values.map((v) => v.value), ['High']);
      const files = await sql("SELECT filename, description, filesize FROM attachments WHERE container_type = 'Issue' AND container_id = $1", [issueId]);
      assert.deepEqual(files, [{ filename: 'crash.log', description: 'The log', filesize: 18 }]);
      const flash = (answer.cookies as { name: string; value: string }[]).find((c) => c.name === '_kanri_flash');
      assert.ok(flash);
      const jsmith = await as('jsmith');
      jsmith.cookies.set(flash.name, flash.value);
      const shown = await jsmith.request('GET', `/issues/${issueId}`);
      assert.match(shown.body, new RegExp(`id="flash_notice"[^>]*>Issue #${issueId} created\\.<`), 'the flash names the new issue');
    });

    test('a required custom field left blank: 422 with the message, the input kept, nothing stored', async () => {
      const before = await snapshot();
      const answer = await (await as('jsmith')).post('/projects/ecookbook/issues', {
        'issue[tracker_id]': String(id('Bug')),
        'issue[subject]': 'Missing severity',
        [`issue[custom_field_values][${id('Severity')}]`]: '',
      });
      assert.equal(answer.statusCode, 422, answer.body);
      assert.deepEqual(errorsOf(answer.body), ['Severity cannot be blank']);
      assert.match(answer.body, /name="issue\[subject\]" value="Missing severity"/);
      assert.deepEqual(await snapshot(), before);
    });

    test('a refused create keeps the uploaded file for the next post', async () => {
      const refused = await postMultipart('jsmith', '/projects/ecookbook/issues', { 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': '' }, [['attachments[1][file]', 'notes.txt', 'hello']]);
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(errorsOf(refused.body), ['Subject cannot be blank']);
      const token = /name="attachments\[p0\]\[token\]" value="([^"]+)"/.exec(refused.body)?.[1];
      assert.ok(token, 'the upload is carried by the form');
      const created = await (await as('jsmith')).post('/projects/ecookbook/issues', {
        'issue[tracker_id]': String(id('Feature')),
        'issue[subject]': 'Second try',
        'attachments[p0][token]': token,
      });
      assert.equal(created.statusCode, 303, created.body);
      const issueId = Number(/(\d+)$/.exec(created.headers.location as string)?.[1]);
      assert.deepEqual((await sql("SELECT filename FROM attachments WHERE container_type = 'Issue' AND container_id = $1", [issueId])).map((r) => r.filename), ['notes.txt']);
    });

    test('files over attachment_max_size or with a denied extension are refused, nothing stored', async () => {
      await acme.setting('attachment_max_size', '1');
      await acme.setting('attachment_extensions_denied', 'exe');
      try {
        const before = await snapshot();
        const answer = await postMultipart('jsmith', '/projects/ecookbook/issues', { 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': 'Files' }, [
          ['attachments[1][file]', 'big.txt', 'x'.repeat(2048)],
          ['attachments[2][file]', 'tool.exe', 'MZ'],
        ]);
        assert.equal(answer.statusCode, 422, answer.body);
        const errors = errorsOf(answer.body);
        assert.equal(errors.length, 2, errors.join('\n'));
        assert.match(errors[0] ?? '', /^big\.txt: This file cannot be uploaded because it is larger than the maximum allowed size \(1(\.0)? KB\)$/);
        assert.match(errors[1] ?? '', /^tool\.exe: .*exe/);
        assert.match(answer.body, /\(Maximum size: 1(\.0)? KB\)/);
        assert.deepEqual(await snapshot(), before);
      } finally {
        await acme.setting('attachment_max_size', '5120');
        await acme.setting('attachment_extensions_denied', '');
      }
    });

    test('create and continue: a new form with the same tracker and parent', async () => {
      const parent = await newIssue({ subject: 'Parent' });
      const answer = await (await as('jsmith')).post('/projects/ecookbook/issues', {
        'issue[tracker_id]': String(id('Feature')),
        'issue[subject]': 'Child one',
        'issue[parent_issue_id]': String(parent),
        continue: 'Create and continue',
      });
      assert.equal(answer.statusCode, 303, answer.body);
      assert.equal(answer.headers.location, `/projects/ecookbook/issues/new?issue%5Btracker_id%5D=${id('Feature')}&issue%5Bparent_issue_id%5D=${parent}`);
      assert.equal((await sql('SELECT count(*)::int AS n FROM issues WHERE parent_id = $1', [parent]))[0]?.n, 1);
      const next = await (await as('jsmith')).request('GET', answer.headers.location);
      assert.ok(optionsOf(next.body, 'issue_tracker_id').find((o) => o.selected)?.value === String(id('Feature')));
      assert.match(next.body, new RegExp(`name="issue\\[parent_issue_id\\]" value="${parent}"`));
    });

    test('without add_issues: 403 for the form and the post, nothing written; other projects stay invisible', async () => {
      const viewer = await as('viewer');
      assert.equal((await viewer.request('GET', '/projects/ecookbook/issues/new')).statusCode, 403);
      const before = await snapshot();
      const post = await postMultipart('viewer', '/projects/ecookbook/issues', { 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': 'Nope' }, [['attachments[1][file]', 'x.txt', 'x']]);
      assert.equal(post.statusCode, 403);
      assert.equal((await viewer.post('/projects/ecookbook/issues/new/form', { 'issue[tracker_id]': String(id('Feature')) })).statusCode, 403);
      assert.deepEqual(await snapshot(), before);
      assert.equal((await viewer.request('GET', '/projects/other/issues/new')).statusCode, 404);
      assert.equal((await viewer.request('GET', '/issues/new')).statusCode, 403);
      const forged = await postMultipart('jsmith', '/projects/ecookbook/issues', { 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': 'No token' }, [['attachments[1][file]', 'x.txt', 'x']], false);
      assert.equal(forged.statusCode, 422, 'a multipart post without the form token is refused');
      // It also signed jsmith's browser out (csrf.test.ts): the next test signs in anew.
      forget('jsmith');
      assert.deepEqual(await snapshot(), before);
    });

    test('/issues/new: the project is chosen in the form among those where the user may add issues', async () => {
      const page = await (await as('jsmith')).request('GET', '/issues/new');
      assert.equal(page.statusCode, 200, page.body);
      assert.deepEqual(optionsOf(page.body, 'issue_project_id').map((o) => o.label).sort(), ['Other', 'eCookbook']);
      const answer = await (await as('jsmith')).post('/issues', { 'issue[project_id]': String(id('other')), 'issue[tracker_id]': String(id('Feature')), 'issue[subject]': 'Elsewhere' });
      assert.equal(answer.statusCode, 303, answer.body);
      const issueId = Number(/(\d+)$/.exec(answer.headers.location as string)?.[1]);
      assert.equal((await issueRow(issueId))?.project_id, id('other'));
    });

    test('edit through the workflow: only allowed statuses are offered, a forged one is not stored', async () => {
      const issueId = await newIssue({ subject: 'Workflow', assigned_to_id: id('dlopper') });
      const page = await (await as('dlopper')).request('GET', `/issues/${issueId}/edit`);
      assert.equal(page.statusCode, 200, page.body);
      assert.deepEqual(optionsOf(page.body, 'issue_status_id').map((o) => o.label), ['New', 'In Progress', 'Resolved', 'Feedback', 'Closed']);
      const lock = /name="issue\[lock_version\]" id="issue_lock_version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
      const before = await issueRow(issueId);
      const forged = await (await as('dlopper')).post(`/issues/${issueId}`, { 'issue[status_id]': String(id('Rejected')), 'issue[lock_version]': lock });
      assert.ok([303, 422].includes(forged.statusCode), forged.body);
      assert.deepEqual(await issueRow(issueId), before, 'the forged transition changed nothing');
      assert.equal((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_id = $1 AND journalized_type = 'Issue'", [issueId]))[0]?.n, 0);
      const moved = await (await as('dlopper')).post(`/issues/${issueId}`, { 'issue[status_id]': String(id('In Progress')), 'issue[lock_version]': lock });
      assert.equal(moved.statusCode, 303, moved.body);
      assert.equal(moved.headers.location, `/issues/${issueId}`);
      assert.equal((await issueRow(issueId))?.status_id, id('In Progress'));
    });

    test('the workflow\'s field rules: read-only fields show as text, required ones are marked and enforced', async () => {
      const issueId = await newIssue({ subject: 'Rules', tracker_id: id('Support') });
      for (const [field, rule] of [['due_date', 'readonly'], ['start_date', 'required']] as const) {
        await sql("INSERT INTO workflows (type, tracker_id, role_id, old_status_id, new_status_id, field_name, rule) VALUES ('WorkflowPermission', $1, $2, $3, 0, $4, $5)", [
          id('Support'),
          id('Developer'),
          id('New'),
          field,
          rule,
        ]);
      }
      const page = await (await as('dlopper')).request('GET', `/issues/${issueId}/edit`);
      assert.doesNotMatch(page.body, /name="issue\[due_date\]"/);
      assert.match(page.body, /<p class="readonly due_date"><label>Due date<\/label>/);
      assert.match(page.body, /<label for="issue_start_date">Start date<span class="required"/);
      const answer = await (await as('dlopper')).post(`/issues/${issueId}`, { 'issue[start_date]': '', 'issue[due_date]': '2030-01-01', 'issue[notes]': 'dates' });
      assert.equal(answer.statusCode, 422);
      assert.deepEqual(errorsOf(answer.body), ['Start date cannot be blank']);
      const ok = await (await as('dlopper')).post(`/issues/${issueId}`, { 'issue[start_date]': '2029-05-01', 'issue[due_date]': '2030-01-01' });
      assert.equal(ok.statusCode, 303, ok.body);
      const row = await issueRow(issueId);
      assert.equal(row?.due_date, null, 'a read-only field is not written');
    });

    test('notes and private notes; a user who may only add notes gets no attributes', async () => {
      const issueId = await newIssue({ subject: 'Notes' });
      const answer = await (await as('jsmith')).post(`/issues/${issueId}`, { 'issue[notes]': 'Secret remark', 'issue[private_notes]': '1' });
      assert.equal(answer.statusCode, 303, answer.body);
      const reporter = await as('rhill');
      const page = await reporter.request('GET', `/issues/${issueId}/edit`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Change properties/);
      assert.doesNotMatch(page.body, /name="issue\[private_notes\]"/);
      const note = await reporter.post(`/issues/${issueId}`, { 'issue[notes]': 'Public remark', 'issue[private_notes]': '1', 'issue[subject]': 'Renamed' });
      assert.equal(note.statusCode, 303, note.body);
      const journals = await sql("SELECT notes, private_notes, user_id FROM journals WHERE journalized_id = $1 AND journalized_type = 'Issue' ORDER BY id", [issueId]);
      assert.deepEqual(journals, [
        { notes: 'Secret remark', private_notes: true, user_id: id('jsmith') },
        { notes: 'Public remark', private_notes: false, user_id: id('rhill') },
      ]);
      assert.equal((await issueRow(issueId))?.subject, 'Notes');
    });

    test('time logged from the edit form is stored with the change; invalid hours refuse both', async () => {
      const issueId = await newIssue({ subject: 'Timed' });
      const browser = await as('jsmith');
      const page = await browser.request('GET', `/issues/${issueId}/edit`);
      assert.match(page.body, /id="time_entry_hours"/);
      const before = await snapshot();
      const bad = await browser.post(`/issues/${issueId}`, { 'issue[notes]': 'worked', 'time_entry[hours]': 'lots', 'time_entry[activity_id]': '' });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(errorsOf(bad.body), ['Hours is invalid']);
      assert.equal(textareaOf(bad.body, 'issue_notes'), 'worked');
      assert.deepEqual(await snapshot(), before);
      const good = await browser.post(`/issues/${issueId}`, { 'issue[notes]': 'worked', 'time_entry[hours]': '1:30', 'time_entry[activity_id]': '', 'time_entry[comments]': 'Debugging' });
      assert.equal(good.statusCode, 303, good.body);
      const entries = await sql('SELECT hours, comments, user_id, project_id, activity_id FROM time_entries WHERE issue_id = $1', [issueId]);
      assert.equal(entries.length, 1);
      assert.equal(Number(entries[0]?.hours), 1.5);
      assert.equal(entries[0]?.comments, 'Debugging');
      assert.equal(entries[0]?.user_id, id('jsmith'));
      assert.equal(entries[0]?.project_id, id('ecookbook'));
      assert.ok(entries[0]?.activity_id, 'the default activity');
      assert.equal((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_id = $1 AND notes = 'worked'", [issueId]))[0]?.n, 1);
    });

    test('a stale form is refused with the input kept, then applied when the user says so', async () => {
      const issueId = await newIssue({ subject: 'Contested' });
      const page = await (await as('jsmith')).request('GET', `/issues/${issueId}/edit`);
      const lock = /id="issue_lock_version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
      const other = await call('PUT', `/issues/${issueId}.json`, 'admin', { issue: { subject: 'Changed meanwhile' } });
      assert.equal(other.statusCode, 204);
      const before = await snapshot();
      const stale = await (await as('jsmith')).post(`/issues/${issueId}`, { 'issue[subject]': 'Mine', 'issue[notes]': 'My thoughts', 'issue[lock_version]': lock });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Data has been updated by another user/);
      assert.match(stale.body, /name="issue\[subject\]" value="Mine"/);
      assert.equal(textareaOf(stale.body, 'issue_notes'), 'My thoughts');
      assert.deepEqual(await snapshot(), before);
      assert.equal((await issueRow(issueId))?.subject, 'Changed meanwhile');
      const notesOnly = await (await as('jsmith')).post(`/issues/${issueId}`, {
        'issue[subject]': 'Mine',
        'issue[notes]': 'My thoughts',
        'issue[lock_version]': lock,
        conflict_resolution: 'add_notes',
      });
      assert.equal(notesOnly.statusCode, 303, notesOnly.body);
      assert.equal((await issueRow(issueId))?.subject, 'Changed meanwhile');
      assert.equal((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_id = $1 AND notes = 'My thoughts'", [issueId]))[0]?.n, 1);
    });

    test('?quote_journal=N starts the notes with the quoted note', async () => {
      const issueId = await newIssue({ subject: 'Quoted' });
      assert.equal((await (await as('jsmith')).post(`/issues/${issueId}`, { 'issue[notes]': 'First line\nSecond line' })).statusCode, 303);
      const [journal] = await sql('SELECT id FROM journals WHERE journalized_id = $1', [issueId]);
      const page = await (await as('dlopper')).request('GET', `/issues/${issueId}/edit?quote_journal=${String(journal?.id)}`);
      assert.equal(textareaOf(page.body, 'issue_notes'), 'John Smith wrote:\n> First line\n> Second line\n\n');
    });

    test('copy: the form starts from the source; subtasks and a link are copied as asked', async () => {
      const source = await newIssue({ subject: 'Original', description: 'Body' });
      await newIssue({ subject: 'Sub', parent_issue_id: source });
      const browser = await as('jsmith');
      const page = await browser.request('GET', `/projects/ecookbook/issues/${source}/copy`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /name="issue\[subject\]" value="Original"/);
      assert.match(page.body, new RegExp(`name="copy_from" value="${source}"`));
      assert.match(page.body, /id="copy_subtasks" name="copy_subtasks" value="1" checked/);
      assert.match(page.body, /id="link_copy" name="link_copy" value="1" checked/);
      const answer = await browser.post('/issues', {
        copy_from: String(source),
        copy_subtasks: '1',
        link_copy: '1',
        'issue[project_id]': String(id('ecookbook')),
        'issue[tracker_id]': String(id('Feature')),
        'issue[subject]': 'Copy of original',
        'issue[description]': 'Body',
      });
      assert.equal(answer.statusCode, 303, answer.body);
      const copyId = Number(/(\d+)$/.exec(answer.headers.location as string)?.[1]);
      assert.equal((await issueRow(copyId))?.subject, 'Copy of original');
      assert.deepEqual((await sql('SELECT subject FROM issues WHERE parent_id = $1', [copyId])).map((r) => r.subject), ['Sub']);
      assert.deepEqual(await sql("SELECT relation_type FROM issue_relations WHERE issue_from_id = $1 AND issue_to_id = $2", [source, copyId]), [{ relation_type: 'copied_to' }]);
      assert.equal((await (await as('viewer')).request('GET', `/projects/ecookbook/issues/${source}/copy`)).statusCode, 403);
    });

    test('delete with time logged asks what to do, then honours todo; without delete_issues 403', async () => {
      const doomed = await newIssue({ subject: 'Doomed' });
      const keeper = await newIssue({ subject: 'Keeper' });
      const logged = await call('POST', '/time_entries.json', 'jsmith', { time_entry: { issue_id: doomed, hours: 2 } });
      assert.equal(logged.statusCode, 201, logged.body);
      assert.equal((await (await as('dlopper')).post(`/issues/${doomed}/delete`, {})).statusCode, 403);
      assert.ok(await issueRow(doomed));
      const browser = await as('jsmith');
      const asked = await browser.post(`/issues/${doomed}/delete`, {});
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /2 hours were logged/);
      assert.match(asked.body, /name="todo" value="reassign"/);
      assert.ok(await issueRow(doomed), 'not deleted before the answer');
      const wrong = await browser.post(`/issues/${doomed}/delete`, { todo: 'reassign', reassign_to_id: '999999' });
      assert.equal(wrong.statusCode, 422);
      assert.ok(await issueRow(doomed));
      const done = await browser.post(`/issues/${doomed}/delete`, { todo: 'reassign', reassign_to_id: String(keeper) });
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, '/projects/ecookbook/issues');
      assert.equal(await issueRow(doomed), undefined);
      assert.deepEqual((await sql('SELECT issue_id FROM time_entries WHERE id = $1', [logged.json<{ time_entry: { id: number } }>().time_entry.id])).map((r) => r.issue_id), [keeper]);
      const plain = await newIssue({ subject: 'No time' });
      const confirm = await browser.request('GET', `/issues/${plain}/delete`);
      assert.equal(confirm.statusCode, 200);
      assert.equal((await browser.post(`/issues/${plain}/delete`, { todo: 'destroy' })).statusCode, 303);
      assert.equal(await issueRow(plain), undefined);
    });
  });
}
