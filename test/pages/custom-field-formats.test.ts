/**
 * Key/value lists and file custom fields through the whole app: the administration form and the
 * values page (add, rename, deactivate, reorder, delete or reassign), the issue form, page, list,
 * filter and CSV, the REST API (`custom_fields` values are enumeration or attachment ids,
 * `GET /custom_fields.json` lists a key/value list's values), and who may download a field's file.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

type Form = Readonly<Record<string, string | readonly string[]>>;

const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

function errorsOf(html: string): string[] {
  const box = /<div id="errorExplanation"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...box.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decode(m[1] ?? ''));
}

function optionsOf(html: string, id: string): { value: string; label: string; selected: boolean }[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value(?:="([^"]*)")?( selected)?[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1] ?? '', label: decode(m[3] ?? ''), selected: m[2] !== undefined }));
}


for (const { engine, skip } of await pageEngineCases()) {
  describe(`key/value list and file custom fields (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    let admin: SignedIn;
    let jsmith: SignedIn;
    let dlopper: SignedIn;

    const saved = (answer: LightMyRequestResponse, location: string) => {
      assert.equal(answer.statusCode, 303, answer.body);
      assert.equal(answer.headers.location, location);
    };
    const fieldId = async (name: string) => Number((await sql('SELECT id FROM custom_fields WHERE name = $1', [name]))[0]?.id);
    const enumerations = async (field: number) =>
      (await sql('SELECT id, name, active, position FROM custom_field_enumerations WHERE custom_field_id = $1 ORDER BY position, id', [field])).map((r) => ({
        id: Number(r.id),
        name: r.name,
        active: r.active,
        position: Number(r.position),
      }));
    const valuesOf = async (issueId: number, field: number) =>
      (await sql("SELECT value FROM custom_values WHERE customized_type = 'Issue' AND customized_id = $1 AND custom_field_id = $2 ORDER BY id", [issueId, field])).map((r) => r.value);
    const upload = async (login: string, filename: string, content: string) => {
      const answer = await call('POST', `/uploads.json?filename=${filename}`, login, content, 'application/octet-stream');
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ upload: { id: number; token: string } }>().upload;
    };
    const postMultipart = (who: SignedIn, url: string, fields: Form, files: readonly (readonly [string, string, string])[]) => who.postMultipart(url, fields, files);

    before(async () => {
      await acme.users(['jsmith', 'dlopper']);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
      ]);
      admin = await signedIn(acme.server.app, 'admin');
      jsmith = await signedIn(acme.server.app, 'jsmith');
      dlopper = await signedIn(acme.server.app, 'dlopper');
    });

    test('the form offers key/value lists everywhere and files on issue fields; a key/value list is created, its values added, renamed, deactivated, reordered', async () => {
      const formats = (html: string) => optionsOf(html, 'custom_field_field_format').map((o) => o.value);
      const issueForm = await admin.request('GET', '/custom_fields/new?type=IssueCustomField');
      assert.ok(formats(issueForm.body).includes('enumeration') && formats(issueForm.body).includes('attachment'), issueForm.body);
      const userForm = await admin.request('GET', '/custom_fields/new?type=UserCustomField');
      assert.ok(formats(userForm.body).includes('enumeration'));
      assert.ok(!formats(userForm.body).includes('attachment'));

      saved(
        await admin.post('/custom_fields', {
          type: 'IssueCustomField',
          'custom_field[field_format]': 'enumeration',
          'custom_field[name]': 'Stage',
          'custom_field[is_for_all]': '1',
          'custom_field[is_filter]': '1',
          'custom_field[tracker_ids][]': [String(id('Bug'))],
        }),
        '/custom_fields?tab=IssueCustomField',
      );
      const stage = await fieldId('Stage');
      const [row] = await sql('SELECT field_format, is_filter, possible_values FROM custom_fields WHERE id = $1', [stage]);
      assert.deepEqual({ ...row }, { field_format: 'enumeration', is_filter: true, possible_values: null });
      const edit = await admin.request('GET', `/custom_fields/${stage}/edit`);
      assert.match(edit.body, new RegExp(`href="/custom_fields/${stage}/enumerations"`));
      assert.doesNotMatch(edit.body, /id="custom_field_default_value"/, 'no default to choose before there are values');

      for (const name of ['Draft', 'Review', 'Done']) {
        saved(await admin.post(`/custom_fields/${stage}/enumerations`, { 'custom_field_enumeration[name]': name }), `/custom_fields/${stage}/enumerations`);
      }
      const blank = await admin.post(`/custom_fields/${stage}/enumerations`, { 'custom_field_enumeration[name]': ' ' });
      assert.equal(blank.statusCode, 422);
      assert.deepEqual(errorsOf(blank.body), ['Name cannot be blank']);
      const [draft, review, done] = await enumerations(stage);
      assert.deepEqual([draft, review, done].map((e) => [e?.name, e?.position, e?.active]), [['Draft', 1, true], ['Review', 2, true], ['Done', 3, true]]);

      const page = await admin.request('GET', `/custom_fields/${stage}/enumerations`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`name="custom_field_enumerations\\[${review?.id}\\]\\[name\\]" value="Review"`));
      saved(
        await admin.post(`/custom_fields/${stage}/enumerations/update`, {
          [`custom_field_enumerations[${draft?.id}][name]`]: 'Draft',
          [`custom_field_enumerations[${draft?.id}][active]`]: ['0'],
          [`custom_field_enumerations[${draft?.id}][position]`]: '3',
          [`custom_field_enumerations[${review?.id}][name]`]: 'In review',
          [`custom_field_enumerations[${review?.id}][active]`]: ['0', '1'],
          [`custom_field_enumerations[${review?.id}][position]`]: '2',
          [`custom_field_enumerations[${done?.id}][name]`]: 'Done',
          [`custom_field_enumerations[${done?.id}][active]`]: ['0', '1'],
          [`custom_field_enumerations[${done?.id}][position]`]: '1',
        }),
        `/custom_fields/${stage}/enumerations`,
      );
      assert.deepEqual(
        (await enumerations(stage)).map((e) => [e.name, e.active]),
        [['Done', true], ['In review', true], ['Draft', false]],
      );
      const tooLong = await admin.post(`/custom_fields/${stage}/enumerations/update`, { [`custom_field_enumerations[${done?.id}][name]`]: 'x'.repeat(61) });
      assert.equal(tooLong.statusCode, 422);
      assert.deepEqual(errorsOf(tooLong.body), ['Name is too long (maximum is 60 characters)']);
      assert.equal((await enumerations(stage))[0]?.name, 'Done', 'a refused save changes nothing');

      // The default value is one of the active values.
      const withValues = await admin.request('GET', `/custom_fields/${stage}/edit`);
      assert.deepEqual(optionsOf(withValues.body, 'custom_field_default_value').map((o) => o.label), ['', 'Done', 'In review']);
      const inactive = await admin.post(`/custom_fields/${stage}`, { 'custom_field[default_value]': String(draft?.id) });
      assert.equal(inactive.statusCode, 422);
      assert.deepEqual(errorsOf(inactive.body), ['Default value is not included in the list']);
      saved(await admin.post(`/custom_fields/${stage}`, { 'custom_field[default_value]': String(review?.id) }), `/custom_fields/${stage}/edit`);
      assert.equal((await sql('SELECT default_value FROM custom_fields WHERE id = $1', [stage]))[0]?.default_value, String(review?.id));

      // Only administrators.
      const before = JSON.stringify(await enumerations(stage));
      assert.equal((await jsmith.request('GET', `/custom_fields/${stage}/enumerations`)).statusCode, 403);
      assert.equal((await jsmith.post(`/custom_fields/${stage}/enumerations`, { 'custom_field_enumeration[name]': 'Hack' })).statusCode, 403);
      assert.equal((await jsmith.post(`/custom_fields/${stage}/enumerations/update`, { [`custom_field_enumerations[${done?.id}][name]`]: 'Hack' })).statusCode, 403);
      assert.equal((await jsmith.post(`/custom_fields/${stage}/enumerations/${draft?.id}/delete`)).statusCode, 403);
      assert.equal(JSON.stringify(await enumerations(stage)), before);
    });

    test('key/value values on issues: the id is stored and sent, the name shown, listed, filtered and exported; values in use are reassigned before they go', async () => {
      const stage = await fieldId('Stage');
      const [done, review, draft] = await enumerations(stage);
      const create = async (subject: string, value: unknown) =>
        call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', tracker_id: id('Bug'), subject, custom_fields: [{ id: stage, value }] } });
      const first = await create('Finished work', String(done?.id));
      assert.equal(first.statusCode, 201, first.body);
      const firstId = first.json<{ issue: { id: number } }>().issue.id;
      assert.deepEqual(await valuesOf(firstId, stage), [String(done?.id)]);
      const second = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', tracker_id: id('Bug'), subject: 'Defaulted' } });
      const secondId = second.json<{ issue: { id: number } }>().issue.id;
      assert.deepEqual(await valuesOf(secondId, stage), [String(review?.id)], 'the default value');
      const refused = await create('Inactive', String(draft?.id));
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json(), { errors: ['Stage is not included in the list'] });
      const byName = await create('By name', 'Done');
      assert.equal(byName.statusCode, 422, 'the value is the id, not the name');

      const shown = (await call('GET', `/issues/${firstId}.json`, 'jsmith')).json<{ issue: { custom_fields: unknown[] } }>().issue.custom_fields;
      assert.deepEqual(shown, [{ id: stage, name: 'Stage', value: String(done?.id) }]);
      const fields = (await call('GET', '/custom_fields.json', 'admin')).json<{ custom_fields: { id: number; field_format: string; possible_values?: unknown }[] }>().custom_fields;
      assert.deepEqual(fields.find((f) => f.id === stage)?.possible_values, [
        { value: String(done?.id), label: 'Done' },
        { value: String(review?.id), label: 'In review' },
      ]);

      const issuePage = await jsmith.request('GET', `/issues/${firstId}`);
      assert.match(issuePage.body, new RegExp(`cf_${stage}[\\s\\S]{0,400}Done`));
      const list = await jsmith.request('GET', `/projects/ecookbook/issues?set_filter=1&f[]=cf_${stage}&op[cf_${stage}]==&v[cf_${stage}][]=${done?.id}&c[]=subject&c[]=cf_${stage}`);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Finished work/);
      assert.doesNotMatch(list.body, /Defaulted/);
      assert.match(list.body, new RegExp(`<option value="${done?.id}" selected>Done</option>`), 'the filter offers the values by name');
      const csv = await jsmith.request('GET', `/projects/ecookbook/issues.csv?set_filter=1&f[]=status_id&op[status_id]=*&c[]=subject&c[]=cf_${stage}`);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(csv.body, /Finished work,Done/);
      assert.match(csv.body, /Defaulted,In review/);

      // A value in use asks where its records go; an unused one goes at once.
      const ask = await admin.post(`/custom_fields/${stage}/enumerations/${done?.id}/delete`);
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /1 objects are assigned to the value “Done”/);
      assert.deepEqual(optionsOf(ask.body, 'reassign_to_id').map((o) => o.label), ['--- Please select ---', 'In review', 'Draft']);
      assert.equal((await enumerations(stage)).length, 3);
      saved(await admin.post(`/custom_fields/${stage}/enumerations/${done?.id}/delete`, { reassign_to_id: String(review?.id) }), `/custom_fields/${stage}/enumerations`);
      assert.deepEqual(await valuesOf(firstId, stage), [String(review?.id)]);
      saved(await admin.post(`/custom_fields/${stage}/enumerations/${draft?.id}/delete`), `/custom_fields/${stage}/enumerations`);
      assert.deepEqual((await enumerations(stage)).map((e) => e.name), ['In review']);
    });

    test('a file field: uploaded through the API or the issue form, its file held by the value, shown and downloadable only where the field is visible', async () => {
      saved(
        await admin.post('/custom_fields', {
          type: 'IssueCustomField',
          'custom_field[field_format]': 'attachment',
          'custom_field[name]': 'Spec',
          'custom_field[is_for_all]': '1',
          'custom_field[extensions_allowed]': 'txt, .md',
          'custom_field[visible]': '0',
          'custom_field[role_ids][]': [String(id('Manager'))],
          'custom_field[tracker_ids][]': [String(id('Bug'))],
        }),
        '/custom_fields?tab=IssueCustomField',
      );
      const spec = await fieldId('Spec');
      const [field] = await sql('SELECT field_format, format_store, default_value, is_filter FROM custom_fields WHERE id = $1', [spec]);
      assert.equal(field?.field_format, 'attachment');
      assert.equal((field?.format_store as Record<string, unknown>).extensions_allowed, 'txt, .md');
      assert.equal(field?.is_filter, false);

      // REST: a token; a refused extension writes nothing.
      const wrong = await upload('jsmith', 'spec.exe', 'MZ');
      const refused = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', tracker_id: id('Bug'), subject: 'Bad file', custom_fields: [{ id: spec, value: { token: wrong.token } }] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json(), { errors: ['Spec is invalid (Allowed extensions: txt, .md)'] });
      assert.equal((await sql("SELECT count(*)::int AS n FROM issues WHERE subject = 'Bad file'"))[0]?.n, 0);
      const forged = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', tracker_id: id('Bug'), subject: 'Bad token', custom_fields: [{ id: spec, value: { token: `${wrong.id}.00` } }] } });
      assert.equal(forged.statusCode, 422);
      assert.deepEqual(forged.json(), { errors: ['Spec is invalid'] });

      const file = await upload('jsmith', 'spec.txt', 'the spec');
      const created = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', tracker_id: id('Bug'), subject: 'Specified', custom_fields: [{ id: spec, value: { token: file.token } }] } });
      assert.equal(created.statusCode, 201, created.body);
      const issueId = created.json<{ issue: { id: number } }>().issue.id;
      assert.deepEqual(await valuesOf(issueId, spec), [String(file.id)]);
      const [holder] = await sql("SELECT id FROM custom_values WHERE customized_type = 'Issue' AND customized_id = $1 AND custom_field_id = $2", [issueId, spec]);
      const [attachment] = await sql('SELECT container_type, container_id FROM attachments WHERE id = $1', [file.id]);
      assert.deepEqual({ ...attachment }, { container_type: 'CustomValue', container_id: Number(holder?.id) });
      const json = (login: string) => call('GET', `/issues/${issueId}.json`, login).then((a) => a.json<{ issue: { custom_fields?: unknown[] } }>().issue.custom_fields);
      assert.deepEqual(await json('jsmith'), [
        { id: await fieldId('Stage'), name: 'Stage', value: String((await enumerations(await fieldId('Stage')))[0]?.id) },
        { id: spec, name: 'Spec', value: String(file.id) },
      ]);
      assert.ok(!JSON.stringify(await json('dlopper')).includes('Spec'), 'a Developer does not see the field');

      // The page links the file; the download follows the field's visibility.
      const page = await jsmith.request('GET', `/issues/${issueId}`);
      assert.match(page.body, new RegExp(`<a href="/attachments/${file.id}"[^>]*>spec\\.txt</a>`));
      assert.doesNotMatch((await dlopper.request('GET', `/issues/${issueId}`)).body, /spec\.txt/);
      const download = await jsmith.request('GET', `/attachments/download/${file.id}/spec.txt`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.body, 'the spec');
      assert.equal((await dlopper.request('GET', `/attachments/download/${file.id}/spec.txt`)).statusCode, 403);
      assert.equal((await call('GET', `/attachments/${file.id}.json`, 'dlopper')).statusCode, 403);

      // The issue form: the stored file is shown, a new one replaces it (the old one goes), unchecking clears it.
      const edit = await jsmith.request('GET', `/issues/${issueId}/edit`);
      assert.match(edit.body, new RegExp(`name="issue\\[custom_field_values\\]\\[${spec}\\]\\[id\\]" value="${file.id}" checked`));
      assert.match(edit.body, new RegExp(`type="file" name="issue\\[custom_field_values\\]\\[${spec}\\]\\[file\\]"`));
      assert.doesNotMatch((await dlopper.request('GET', `/issues/${issueId}/edit`)).body, new RegExp(`custom_field_values\\]\\[${spec}\\]`));
      const lock = async () => String((await sql('SELECT lock_version FROM issues WHERE id = $1', [issueId]))[0]?.lock_version);
      const replaced = await postMultipart(
        jsmith,
        `/issues/${issueId}`,
        { 'issue[lock_version]': await lock(), [`issue[custom_field_values][${spec}][blank]`]: '', [`issue[custom_field_values][${spec}][id]`]: String(file.id) },
        [[`issue[custom_field_values][${spec}][file]`, 'v2.md', 'second version']],
      );
      assert.equal(replaced.statusCode, 303, replaced.body);
      const [newValue] = await valuesOf(issueId, spec);
      assert.notEqual(newValue, String(file.id));
      const [stored] = await sql('SELECT filename, container_type FROM attachments WHERE id = $1', [Number(newValue)]);
      assert.deepEqual({ ...stored }, { filename: 'v2.md', container_type: 'CustomValue' });
      assert.equal((await sql('SELECT count(*)::int AS n FROM attachments WHERE id = $1', [file.id]))[0]?.n, 0, 'the replaced file is deleted');
      const history = (await jsmith.request('GET', `/issues/${issueId}`)).body;
      assert.match(history, /<li><strong>Spec<\/strong> updated<\/li>/, 'the history says the file changed, without file ids');
      const badForm = await postMultipart(
        jsmith,
        `/issues/${issueId}`,
        { 'issue[lock_version]': await lock(), [`issue[custom_field_values][${spec}][blank]`]: '' },
        [[`issue[custom_field_values][${spec}][file]`, 'virus.exe', 'MZ']],
      );
      assert.equal(badForm.statusCode, 422);
      assert.deepEqual(errorsOf(badForm.body), ['Spec is invalid (Allowed extensions: txt, .md)']);
      assert.deepEqual(await valuesOf(issueId, spec), [newValue]);
      const cleared = await jsmith.post(`/issues/${issueId}`, { 'issue[lock_version]': await lock(), [`issue[custom_field_values][${spec}][blank]`]: '' });
      assert.equal(cleared.statusCode, 303, cleared.body);
      assert.deepEqual(await valuesOf(issueId, spec), ['']);
      assert.equal((await sql('SELECT count(*)::int AS n FROM attachments WHERE id = $1', [Number(newValue)]))[0]?.n, 0);
    });
  });
}
