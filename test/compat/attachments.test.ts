/**
 * Attachments and uploads over the REST API (§6.12), and the container functions the issue feature
 * calls: upload → show/download/rename/delete, JSON and XML, refusals that store nothing, visibility
 * through the container, file names that cannot escape or inject, and attaching by token.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, test } from 'node:test';
import { apiKeyOf } from '#src/features/account/index.ts';
import { attachmentsOf, attachUploads, deleteAttachments, deleteAttachmentsOf, uploadParamsOf } from '#src/features/attachments/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, type HttpVerb } from '../support/app.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Attachment = { id: number; filename: string; filesize: number; content_type: string | null; description: string | null; content_url: string; author?: Json; created_on: string };

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const DOWNLOAD_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

for (const { engine, skip } of await engineCases()) {
  describe(`attachments and uploads over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, ids, id, setting, withDb: inTenant } = acme;
    // API keys rather than Basic passwords: each password check costs a deliberately slow hash.
    const keys: Record<string, string> = {};
    const credentials = (as: string | undefined, basic = false): Record<string, string> => {
      if (!as) {
        return {};
      }
      return basic ? { authorization: basicAuth(as) } : { 'x-redmine-api-key': keys[as] ?? 'no key' };
    };
    const call = (method: HttpVerb, url: string, as: string | undefined, body?: unknown, contentType = 'application/json') =>
      acme.server.app.inject({
        method,
        url,
        headers: { host: 'acme.localhost', ...credentials(as), ...(body !== undefined ? { 'content-type': contentType } : {}) },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const filesArea = () => join(acme.env.dataDir, 'files', 'acme');

    async function filesOnDisk(): Promise<string[]> {
      const entries = await readdir(filesArea(), { recursive: true, withFileTypes: true }).catch(() => []);
      // The application log's day files (log/) live in the same area and grow with every request.
      return entries.filter((e) => e.isFile() && e.parentPath !== join(filesArea(), 'log')).map((e) => join(e.parentPath, e.name)).sort();
    }
    /** Rows and files now, to show that a refusal wrote nothing. */
    const stored = async () => ({ rows: Number((await sql('SELECT count(*)::int AS n FROM attachments'))[0]?.n), files: await filesOnDisk() });
    const rowOf = async (attachmentId: number) => (await sql('SELECT * FROM attachments WHERE id = $1', [attachmentId]))[0];
    const diskPathOf = async (attachmentId: number) => {
      const row = await rowOf(attachmentId);
      return join(filesArea(), String(row?.disk_directory), String(row?.disk_filename));
    };

    const upload = (
      as: string | undefined,
      body: string | Buffer | Readable | undefined,
      options: { query?: string; format?: 'json' | 'xml'; contentType?: string | null; basic?: boolean } = {},
    ) =>
      acme.server.app.inject({
        method: 'POST',
        url: `/uploads.${options.format ?? 'json'}${options.query ? `?${options.query}` : ''}`,
        headers: {
          host: 'acme.localhost',
          ...credentials(as, options.basic),
          ...(options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/octet-stream' }),
        },
        ...(body !== undefined ? { payload: body } : {}),
      });
    const uploaded = async (as: string, content: string, query = '') => {
      const answer = await upload(as, content, { query });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ upload: { id: number; token: string } }>().upload;
    };
    const show = async (attachmentId: number, as = 'admin') => {
      const answer = await call('GET', `/attachments/${attachmentId}.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ attachment: Attachment }>().attachment;
    };
    const download = (url: string, as?: string, headers: Record<string, string> = {}) =>
      acme.server.app.inject({ method: 'GET', url, headers: { host: 'acme.localhost', ...credentials(as), ...headers } });
    const issue = async (subject: string, project: string, extra: { author?: string; private?: boolean } = {}) =>
      Number(
        (
          await sql(
            `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, is_private, created_on, updated_on, done_ratio)
             VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses ORDER BY position LIMIT 1),
                     (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), $2, $3, $4, now(), now(), 0) RETURNING id`,
            [id(project), subject, id(extra.author ?? 'admin'), extra.private ?? false],
          )
        )[0]?.id,
      );
    /** An upload attached to a container by SQL: the state the issue feature leaves behind. */
    const attachedFile = async (as: string, content: string, filename: string, containerType: string, containerId: number) => {
      const { id: attachmentId } = await uploaded(as, content, `filename=${encodeURIComponent(filename)}`);
      await sql('UPDATE attachments SET container_type = $1, container_id = $2 WHERE id = $3', [containerType, containerId, attachmentId]);
      return attachmentId;
    };

    before(async () => {
      await acme.users(['jsmith', 'stranger']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await inTenant(async (db) => {
        for (const login of ['admin', 'jsmith', 'stranger']) {
          keys[login] = await apiKeyOf(db.orm, id(login), new Date());
        }
      });
      await acme.projects([['eCookbook', 'ecookbook', true], ['Secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['secret', 'jsmith', 'Manager'],
      ]);
    });

    test('POST /uploads.json: 201 with id and token <id>.<sha256>; the row waits without container; the file sits in the tenant area', async () => {
      const answer = await upload('jsmith', 'File content', { query: 'filename=test.txt', basic: true });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assert.equal(answer.headers.location, undefined);
      const body = answer.json<{ upload: { id: number; token: string } }>();
      assert.deepEqual(Object.keys(body.upload), ['id', 'token']);
      assert.equal(body.upload.token, `${body.upload.id}.${sha256('File content')}`);
      const row = await rowOf(body.upload.id);
      assert.equal(row?.container_id, null);
      assert.equal(row?.container_type, null);
      assert.equal(row?.author_id, id('jsmith'));
      assert.equal(Number(row?.filesize), 12);
      assert.equal(row?.filename, 'test.txt');
      assert.equal(row?.content_type, 'text/plain');
      assert.match(String(row?.disk_directory), /^\d{4}\/\d{2}$/);
      assert.match(String(row?.disk_filename), /^\d{12}_[0-9a-f]{16}$/);
      assert.equal(await readFile(await diskPathOf(body.upload.id), 'utf8'), 'File content');
    });

    test('POST /uploads.xml: the same in XML; without filename a random one, without content type none', async () => {
      const answer = await upload('jsmith', 'File content', { format: 'xml' });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(String(answer.headers['content-type']), /^application\/xml/);
      const match = /<upload><id>(\d+)<\/id><token>(\d+)\.([0-9a-f]{64})<\/token><\/upload>/.exec(answer.body);
      assert.ok(match, answer.body);
      assert.equal(match[1], match[2]);
      const row = await rowOf(Number(match[1]));
      assert.match(String(row?.filename), /^[0-9a-f]{32}$/);
      assert.equal(row?.content_type, null);
    });

    test('an empty body is a 0-byte file with a token; content_type is stored as given', async () => {
      const empty = await upload('jsmith', undefined);
      assert.equal(empty.statusCode, 201, empty.body);
      const { id: emptyId, token } = empty.json<{ upload: { id: number; token: string } }>().upload;
      assert.equal(token, `${emptyId}.${sha256('')}`);
      assert.equal(Number((await rowOf(emptyId))?.filesize), 0);
      assert.equal((await readFile(await diskPathOf(emptyId))).length, 0);
      const typed = await uploaded('jsmith', 'PNG', 'filename=x.bin&content_type=image%2Fpng');
      assert.equal((await rowOf(typed.id))?.content_type, 'image/png');
    });

    test('a body streamed without Content-Length is stored whole', async () => {
      const answer = await upload('jsmith', Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]), { query: 'filename=s.txt' });
      assert.equal(answer.statusCode, 201, answer.body);
      const { id: streamedId } = answer.json<{ upload: { id: number } }>().upload;
      assert.equal(await readFile(await diskPathOf(streamedId), 'utf8'), 'chunk one, chunk two');
    });

    test('any content type but application/octet-stream: 406, empty body, nothing stored', async () => {
      const before = await stored();
      for (const contentType of ['image/png', 'application/json', 'text/plain', null]) {
        for (const format of ['json', 'xml'] as const) {
          const answer = await upload('jsmith', contentType === 'application/json' ? '{"upload":{}}' : 'PNG DATA', { format, contentType });
          assert.equal(answer.statusCode, 406, `${contentType ?? 'none'} ${format}`);
          assert.equal(answer.body, '');
        }
      }
      assert.deepEqual(await stored(), before);
    });

    test('too large (attachment_max_size, KB): 422 with Redmine\'s message, JSON and XML, announced or streamed; nothing stored', async () => {
      await setting('attachment_max_size', '1');
      try {
        const before = await stored();
        const message = 'This file cannot be uploaded because it exceeds the maximum allowed file size (1024)';
        const json = await upload('jsmith', 'x'.repeat(2048));
        assert.equal(json.statusCode, 422, json.body);
        assert.deepEqual(json.json(), { errors: [message] });
        const xml = await upload('jsmith', 'x'.repeat(2048), { format: 'xml' });
        assert.equal(xml.statusCode, 422);
        assert.match(xml.body, /<errors type="array"><error>This file cannot be uploaded because it exceeds the maximum allowed file size \(1024\)<\/error><\/errors>/);
        const streamed = await upload('jsmith', Readable.from([Buffer.alloc(1000), Buffer.alloc(1000)]));
        assert.equal(streamed.statusCode, 422, streamed.body);
        assert.deepEqual(streamed.json(), { errors: [message] });
        assert.deepEqual(await stored(), before);
        assert.equal((await upload('jsmith', 'x'.repeat(1024))).statusCode, 201);
      } finally {
        await setting('attachment_max_size', '5120');
      }
    });

    test('anonymous: 401 with WWW-Authenticate (before the content type is looked at); nothing stored', async () => {
      const before = await stored();
      for (const contentType of ['application/octet-stream', 'image/png']) {
        const answer = await upload(undefined, 'data', { contentType });
        assert.equal(answer.statusCode, 401);
        assert.equal(answer.headers['www-authenticate'], 'Basic realm="Redmine API"');
      }
      assert.deepEqual(await stored(), before);
    });

    test('a user whose roles grant no upload permission anywhere: 403, nothing stored', async () => {
      const [nonMember] = await sql('SELECT permissions FROM roles WHERE builtin = 1');
      await sql(`UPDATE roles SET permissions = '["view_issues"]'::jsonb WHERE builtin = 1`);
      try {
        const before = await stored();
        assert.equal((await upload('stranger', 'data')).statusCode, 403);
        assert.deepEqual(await stored(), before);
        // jsmith is a Manager somewhere: still allowed.
        assert.equal((await upload('jsmith', 'data')).statusCode, 201);
      } finally {
        await sql('UPDATE roles SET permissions = $1::jsonb WHERE builtin = 1', [JSON.stringify(nonMember?.permissions)]);
      }
    });

    test('a denied extension or a name that is blank once cleaned: 422, nothing stored', async () => {
      await setting('attachment_extensions_denied', 'exe, .bat');
      try {
        const before = await stored();
        const exe = await upload('jsmith', 'MZ', { query: 'filename=setup.EXE' });
        assert.equal(exe.statusCode, 422);
        assert.deepEqual(exe.json(), { errors: ['Attachment extension .EXE is not allowed'] });
        const blank = await upload('jsmith', 'x', { query: 'filename=dir%2F' });
        assert.deepEqual([blank.statusCode, blank.json()], [422, { errors: ['File cannot be blank'] }]);
        assert.deepEqual(await stored(), before);
      } finally {
        await setting('attachment_extensions_denied', '');
      }
    });

    test('GET /attachments/:id.json|xml: the representation (no thumbnail_url), for the uploader of an unattached file', async () => {
      const { id: attachmentId } = await uploaded('jsmith', 'File content', 'filename=archive.zip');
      const attachment = await show(attachmentId, 'jsmith');
      assert.deepEqual(Object.keys(attachment), ['id', 'filename', 'filesize', 'content_type', 'description', 'content_url', 'author', 'created_on']);
      assert.deepEqual({ ...attachment, created_on: undefined }, {
        id: attachmentId,
        filename: 'archive.zip',
        filesize: 12,
        content_type: 'application/zip',
        description: null,
        content_url: `http://acme.localhost/attachments/download/${attachmentId}/archive.zip`,
        author: { id: id('jsmith'), name: 'jsmith User' },
        created_on: undefined,
      });
      assert.match(attachment.created_on, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const xml = await call('GET', `/attachments/${attachmentId}.xml`, 'jsmith');
      assert.equal(xml.statusCode, 200);
      assert.match(String(xml.headers['content-type']), /^application\/xml/);
      assert.match(xml.body, new RegExp(`<attachment><id>${attachmentId}</id><filename>archive.zip</filename><filesize>12</filesize>` +
        `<content_type>application/zip</content_type><description/><content_url>http://acme.localhost/attachments/download/${attachmentId}/archive.zip</content_url>` +
        `<author id="${id('jsmith')}" name="jsmith User"/><created_on>[0-9T:Z-]+</created_on></attachment>`));
    });

    test('someone else\'s unattached upload: 403 for users (administrators included), 401 anonymous; unknown ids 404', async () => {
      const { id: attachmentId } = await uploaded('jsmith', 'mine', 'filename=mine.txt');
      for (const as of ['stranger', 'admin']) {
        assert.equal((await call('GET', `/attachments/${attachmentId}.json`, as)).statusCode, 403, as);
        assert.equal((await call('PATCH', `/attachments/${attachmentId}.json`, as, { attachment: { filename: 'stolen.txt' } })).statusCode, 403, as);
        assert.equal((await call('DELETE', `/attachments/${attachmentId}.json`, as)).statusCode, 403, as);
        assert.equal((await download(`/attachments/download/${attachmentId}/mine.txt`, as)).statusCode, 403, as);
      }
      const anonymous = await call('GET', `/attachments/${attachmentId}.json`, undefined);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
      // A download is a page: anonymous visitors are sent to sign in.
      const page = await download(`/attachments/download/${attachmentId}/mine.txt`);
      assert.equal(page.statusCode, 302);
      assert.match(String(page.headers.location), /^\/login\?back_url=/);
      assert.equal((await rowOf(attachmentId))?.filename, 'mine.txt');
      assert.equal(await readFile(await diskPathOf(attachmentId), 'utf8'), 'mine');
      for (const path of ['/attachments/999999.json', '/attachments/abc.json', '/attachments/999999.xml']) {
        assert.equal((await call('GET', path, 'admin')).statusCode, 404, path);
      }
      assert.equal((await call('PATCH', '/attachments/999999.json', 'admin', { attachment: { filename: 'x' } })).statusCode, 404);
      assert.equal((await call('DELETE', '/attachments/999999.json', 'admin')).statusCode, 404);
      assert.equal((await download('/attachments/download/999999/x.txt', 'admin')).statusCode, 404);
    });

    test('download: the bytes, type, attachment disposition, nosniff, sandbox CSP, ETag; wrong name 404; API key or Basic credentials accepted', async () => {
      const { id: attachmentId } = await uploaded('jsmith', 'File content', 'filename=test.txt');
      for (const path of [`/attachments/download/${attachmentId}/test.txt`, `/attachments/download/${attachmentId}`]) {
        const answer = await download(path, 'jsmith');
        assert.equal(answer.statusCode, 200, path);
        assert.equal(answer.body, 'File content');
        assert.equal(answer.headers['content-type'], 'text/plain');
        assert.equal(answer.headers['content-disposition'], `attachment; filename="test.txt"; filename*=UTF-8''test.txt`);
        assert.equal(answer.headers['content-length'], '12');
        assert.equal(answer.headers['x-content-type-options'], 'nosniff');
        assert.equal(answer.headers['content-security-policy'], DOWNLOAD_CSP);
        assert.equal(answer.headers.etag, `"${sha256('File content')}"`);
      }
      const again = await download(`/attachments/download/${attachmentId}`, 'jsmith', { 'if-none-match': `"${sha256('File content')}"` });
      assert.equal(again.statusCode, 304);
      assert.equal((await download(`/attachments/download/${attachmentId}/other.txt`, 'jsmith')).statusCode, 404);
      assert.equal((await download(`/attachments/download/${attachmentId}`, undefined, { authorization: basicAuth('jsmith') })).body, 'File content');
      assert.equal((await download(`/attachments/download/${attachmentId}?key=${keys.jsmith}`)).body, 'File content');
      // Issue attachments are not counted (only project files are).
      assert.equal((await rowOf(attachmentId))?.downloads, 0);
    });

    test('path traversal and HTML in a file name leave a plain name, and the file is served as an attachment', async () => {
      const before = await filesOnDisk();
      const cases: [string, string][] = [
        ['../../etc/passwd', 'passwd'],
        ['..\\..\\windows\\win.ini', 'win.ini'],
        ['<script>alert(1)</script>.html', 'script_.html'],
        ['a"b\'c:d*e?f|g<h>.txt', 'a_b_c_d_e_f_g_h_.txt'],
      ];
      for (const [given, kept] of cases) {
        const { id: attachmentId } = await uploaded('jsmith', '<html><script>alert(1)</script></html>', `filename=${encodeURIComponent(given)}`);
        assert.equal((await show(attachmentId, 'jsmith')).filename, kept, given);
        const row = await rowOf(attachmentId);
        assert.ok(!String(row?.disk_filename).includes(kept.replace(/\..*$/, '')), 'the disk name is never the user\'s');
        const answer = await download(`/attachments/download/${attachmentId}/${encodeURIComponent(kept)}`, 'jsmith');
        assert.equal(answer.statusCode, 200, kept);
        assert.match(String(answer.headers['content-disposition']), /^attachment; /);
        assert.equal(answer.headers['content-security-policy'], DOWNLOAD_CSP);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      }
      const html = await download(`/attachments/download/${(await uploaded('jsmith', '<p>x</p>', 'filename=page.html')).id}/page.html`, 'jsmith');
      assert.equal(html.headers['content-type'], 'text/html');
      assert.equal(html.headers['content-disposition'], `attachment; filename="page.html"; filename*=UTF-8''page.html`);
      // Every new file is inside the tenant's area, under YYYY/MM.
      for (const path of (await filesOnDisk()).filter((p) => !before.includes(p))) {
        assert.match(path.slice(filesArea().length), /^\/\d{4}\/\d{2}\/\d{12}_[0-9a-f]{16}$/);
      }
    });

    test('a non-ASCII name: escaped content_url, RFC 5987 Content-Disposition; long names download too', async () => {
      const name = '日本語 résumé.txt';
      const { id: attachmentId } = await uploaded('jsmith', 'nihongo', `filename=${encodeURIComponent(name)}`);
      const attachment = await show(attachmentId, 'jsmith');
      assert.equal(attachment.filename, name);
      assert.equal(attachment.content_url, `http://acme.localhost/attachments/download/${attachmentId}/${encodeURIComponent(name)}`);
      const answer = await download(attachment.content_url.replace('http://acme.localhost', ''), 'jsmith');
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.body, 'nihongo');
      assert.equal(answer.headers['content-disposition'], `attachment; filename="%3F%3F%3F resume.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E%20r%C3%A9sum%C3%A9.txt`);
      const long = `${'長'.repeat(120)}.txt`;
      const longOne = await show((await uploaded('jsmith', 'long', `filename=${encodeURIComponent(long)}`)).id, 'jsmith');
      assert.equal((await download(longOne.content_url.replace('http://acme.localhost', ''), 'jsmith')).body, 'long');
    });

    test('PATCH: rename and describe → 204 without a body; blank name, long description → 422; JSON, form and XML bodies', async () => {
      const { id: attachmentId } = await uploaded('jsmith', 'File content', 'filename=archive.zip');
      const answer = await call('PATCH', `/attachments/${attachmentId}.json`, 'jsmith', { attachment: { filename: 'renamed.zip', description: 'updated' } });
      assert.equal(answer.statusCode, 204);
      assert.equal(answer.body, '');
      assert.equal(answer.headers['content-type'], undefined);
      assert.deepEqual([(await rowOf(attachmentId))?.filename, (await rowOf(attachmentId))?.description], ['renamed.zip', 'updated']);
      const blank = await call('PATCH', `/attachments/${attachmentId}.json`, 'jsmith', { attachment: { filename: '', description: 'x' } });
      assert.deepEqual([blank.statusCode, blank.json()], [422, { errors: ['File cannot be blank'] }]);
      const long = await call('PUT', `/attachments/${attachmentId}.json`, 'jsmith', { attachment: { description: 'd'.repeat(256) } });
      assert.deepEqual(long.json(), { errors: ['Description is too long (maximum is 255 characters)'] });
      const xml = await call('PUT', `/attachments/${attachmentId}.xml`, 'jsmith', '<attachment><filename></filename></attachment>', 'application/xml');
      assert.equal(xml.statusCode, 422);
      assert.match(xml.body, /<error>File cannot be blank<\/error>/);
      const form = await call('PATCH', `/attachments/${attachmentId}.json`, 'jsmith', 'attachment[filename]=..%2Fform.zip&attachment[content_type]=application%2Fx-zip', 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 204);
      const row = await rowOf(attachmentId);
      assert.deepEqual([row?.filename, row?.description, row?.content_type], ['form.zip', 'updated', 'application/x-zip']);
    });

    test('DELETE → 204 (JSON and XML): the row and the file are gone', async () => {
      for (const format of ['json', 'xml']) {
        const { id: attachmentId } = await uploaded('jsmith', 'bye', 'filename=bye.txt');
        const path = await diskPathOf(attachmentId);
        const answer = await call('DELETE', `/attachments/${attachmentId}.${format}`, 'jsmith');
        assert.equal(answer.statusCode, 204);
        assert.equal(answer.body, '');
        assert.equal(await rowOf(attachmentId), undefined);
        await assert.rejects(readFile(path), { code: 'ENOENT' });
      }
    });

    test('attachments of issues: visible with the issue; a private issue hides them (403), a private project hides them (404)', async () => {
      ids.publicIssue = await issue('public', 'ecookbook');
      ids.privateIssue = await issue('private', 'ecookbook', { private: true, author: 'jsmith' });
      ids.secretIssue = await issue('secret', 'secret');
      const onPublic = await attachedFile('jsmith', 'public', 'public.txt', 'Issue', id('publicIssue'));
      const onPrivate = await attachedFile('jsmith', 'private', 'private.txt', 'Issue', id('privateIssue'));
      const onSecret = await attachedFile('jsmith', 'secret', 'secret.txt', 'Issue', id('secretIssue'));
      for (const as of ['jsmith', 'admin']) {
        for (const attachmentId of [onPublic, onPrivate, onSecret]) {
          assert.equal((await call('GET', `/attachments/${attachmentId}.json`, as)).statusCode, 200, as);
        }
      }
      assert.equal((await show(onPublic, 'stranger')).filename, 'public.txt');
      assert.equal((await download(`/attachments/download/${onPublic}/public.txt`, 'stranger')).body, 'public');
      assert.equal((await call('GET', `/attachments/${onPublic}.json`, undefined)).statusCode, 200);
      assert.equal((await call('GET', `/attachments/${onPrivate}.json`, 'stranger')).statusCode, 403);
      assert.equal((await call('GET', `/attachments/${onPrivate}.json`, undefined)).statusCode, 401);
      assert.equal((await download(`/attachments/download/${onPrivate}/private.txt`, 'stranger')).statusCode, 403);
      for (const as of ['stranger', undefined]) {
        assert.equal((await call('GET', `/attachments/${onSecret}.json`, as)).statusCode, 404, as);
        assert.equal((await download(`/attachments/download/${onSecret}/secret.txt`, as)).statusCode, 404, as);
      }
      // No thumbnails are made: 404 for what one may see, 403 for what one may not.
      assert.equal((await download(`/attachments/thumbnail/${onPublic}`, 'stranger')).statusCode, 404);
      assert.equal((await download(`/attachments/thumbnail/${onPrivate}/200`, 'stranger')).statusCode, 403);
    });

    test('issue attachments: edit and delete need the right to edit the issue; a delete is journalled on the issue', async () => {
      const attachmentId = await attachedFile('jsmith', 'to delete', 'old.txt', 'Issue', id('publicIssue'));
      assert.equal((await call('PATCH', `/attachments/${attachmentId}.json`, 'stranger', { attachment: { description: 'x' } })).statusCode, 403);
      assert.equal((await call('DELETE', `/attachments/${attachmentId}.json`, 'stranger')).statusCode, 403);
      assert.equal((await call('PATCH', `/attachments/${attachmentId}.json`, 'jsmith', { attachment: { description: 'by the manager' } })).statusCode, 204);
      const path = await diskPathOf(attachmentId);
      assert.equal((await call('DELETE', `/attachments/${attachmentId}.json`, 'jsmith')).statusCode, 204);
      await assert.rejects(readFile(path), { code: 'ENOENT' });
      const details = await sql(
        `SELECT j.user_id, j.notes, d.property, d.prop_key, d.old_value, d.value
           FROM journals j JOIN journal_details d ON d.journal_id = j.id
          WHERE j.journalized_type = 'Issue' AND j.journalized_id = $1`,
        [id('publicIssue')],
      );
      assert.deepEqual(details, [{ user_id: id('jsmith'), notes: '', property: 'attachment', prop_key: String(attachmentId), old_value: 'old.txt', value: null }]);
    });

    test('project files: downloads are counted; a file two rows share stays until the last row goes', async () => {
      const attachmentId = await attachedFile('jsmith', 'shared', 'shared.txt', 'Project', id('ecookbook'));
      assert.equal((await download(`/attachments/download/${attachmentId}`, 'stranger')).body, 'shared');
      assert.equal((await rowOf(attachmentId))?.downloads, 1);
      // A copy (Redmine copies issues' attachments by row) names the same file.
      const [copy] = await sql(
        `INSERT INTO attachments (container_id, container_type, filename, disk_directory, disk_filename, filesize, content_type, digest, author_id, created_on)
         SELECT container_id, container_type, filename, disk_directory, disk_filename, filesize, content_type, digest, author_id, created_on
           FROM attachments WHERE id = $1 RETURNING id`,
        [attachmentId],
      );
      const path = await diskPathOf(attachmentId);
      assert.equal((await call('DELETE', `/attachments/${attachmentId}.json`, 'jsmith')).statusCode, 204);
      assert.equal(await readFile(path, 'utf8'), 'shared');
      assert.equal((await call('DELETE', `/attachments/${Number(copy?.id)}.json`, 'jsmith')).statusCode, 204);
      await assert.rejects(readFile(path), { code: 'ENOENT' });
    });

    test('attachUploads: own unattached uploads by token, with overrides; a bad token fails all and attaches nothing', async () => {
      const issueId = await issue('with uploads', 'ecookbook', { author: 'jsmith' });
      const first = await uploaded('jsmith', 'one', 'filename=one.txt');
      const second = await uploaded('jsmith', 'two', 'filename=two.txt');
      const strangers = await uploaded('stranger', 'theirs', 'filename=theirs.txt');
      const failing = [
        { token: `${first.id}.${sha256('not the content')}` },
        { token: `${first.id}` },
        { token: 'garbage' },
        { token: `999999.${sha256('one')}` },
        { token: strangers.token },
      ];
      for (const bad of failing) {
        const result = await inTenant((db) =>
          db.transaction((tx) => attachUploads(tx, { containerType: 'Issue', containerId: issueId, authorId: id('jsmith'), uploads: [{ token: first.token }, bad] })),
        );
        assert.deepEqual(result, { attached: [], errors: ['1 file(s) could not be saved.'] }, bad.token);
      }
      assert.equal((await rowOf(first.id))?.container_id, null);
      const result = await inTenant((db) =>
        db.transaction((tx) =>
          attachUploads(tx, {
            containerType: 'Issue',
            containerId: issueId,
            authorId: id('jsmith'),
            uploads: [
              { token: first.token, filename: '../renamed.txt', description: '  trimmed  ', contentType: 'text/x-log' },
              { token: second.token, filename: '', contentType: ' ' },
            ],
          }),
        ),
      );
      assert.deepEqual(result.errors, []);
      assert.deepEqual(
        result.attached.map((a) => [a.id, a.containerType, a.containerId, a.filename, a.description, a.contentType]),
        [
          [first.id, 'Issue', issueId, 'renamed.txt', 'trimmed', 'text/x-log'],
          [second.id, 'Issue', issueId, 'two.txt', '', 'text/plain'],
        ],
      );
      // Tokens are good once: an attached upload is no longer found.
      const again = await inTenant((db) => attachUploads(db, { containerType: 'Issue', containerId: issueId, authorId: id('jsmith'), uploads: [{ token: second.token }] }));
      assert.deepEqual(again.errors, ['1 file(s) could not be saved.']);
      // The attachment now follows the issue: the stranger sees it (public issue), and the include lists it.
      assert.equal((await show(first.id, 'stranger')).filename, 'renamed.txt');
      const map = await inTenant((db) => attachmentsOf(db, 'Issue', [issueId, id('secretIssue'), 999999]));
      assert.deepEqual(map.get(issueId)?.map((a) => a.id), [first.id, second.id]);
      assert.deepEqual(map.get(999999), []);
      const removed = await inTenant((db) => deleteAttachments(db, 'Issue', issueId, [second.id, strangers.id]));
      assert.deepEqual(removed.map((a) => [a.id, a.filename]), [[second.id, 'two.txt']]);
      assert.equal(await rowOf(second.id), undefined);
      assert.ok(await rowOf(strangers.id), 'an attachment of another container is left alone');
      const all = await inTenant((db) => deleteAttachmentsOf(db, 'Issue', [issueId]));
      assert.deepEqual(all.map((a) => a.id), [first.id]);
    });

    test('uploadParamsOf: issue.uploads or top-level attachments, arrays or hashes keyed "1", "2"…', () => {
      assert.deepEqual(uploadParamsOf({ issue: { subject: 'x' } }), []);
      assert.deepEqual(uploadParamsOf({ issue: { uploads: [{ token: '1.ab', filename: 'a.txt', content_type: 'text/plain', description: 'd' }, { filename: 'no token' }] } }), [
        { token: '1.ab', filename: 'a.txt', contentType: 'text/plain', description: 'd' },
      ]);
      assert.deepEqual(
        uploadParamsOf({ issue: { uploads: [{ token: 'x' }] }, attachments: { '10': { token: '10.a' }, '2': { token: '2.a' }, '1': { token: '1.a' } } }).map((u) => u.token),
        ['1.a', '2.a', '10.a'],
      );
      // XML without type="array": <uploads><upload>…</upload><upload>…</upload></uploads>
      assert.deepEqual(uploadParamsOf({ news: { uploads: { upload: [{ token: '3.a' }, { token: '4.b' }] } } }, 'news').map((u) => u.token), ['3.a', '4.b']);
    });
  });
}
