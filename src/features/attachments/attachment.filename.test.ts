/** File names: Redmine's sanitizing, extensions and their rules, content types, header and URL forms. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentDisposition, downloadContentType, extensionOf, isExtensionAllowed, mimeTypeOf, sanitizeFilename, urlSegment } from './attachment.filename.ts';

test('sanitizeFilename keeps the last path component and replaces special characters', () => {
  assert.equal(sanitizeFilename('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFilename('C:\\Users\\me\\report.pdf'), 'report.pdf');
  assert.equal(sanitizeFilename('a:b*c?d"e\'f|g<h>i%j.txt'), 'a_b_c_d_e_f_g_h_i_j.txt');
  assert.equal(sanitizeFilename('two\r\nlines.txt'), 'two_lines.txt');
  assert.equal(sanitizeFilename('nul\u0000tab\t.txt'), 'nul_tab_.txt');
  assert.equal(sanitizeFilename('dir/'), '');
  assert.equal(sanitizeFilename('日本語 résumé.txt'), '日本語 résumé.txt');
});

test('extensionOf is Ruby\'s File.extname', () => {
  assert.equal(extensionOf('a.tar.gz'), '.gz');
  assert.equal(extensionOf('README'), '');
  assert.equal(extensionOf('.profile'), '');
  assert.equal(extensionOf('.config.yml'), '.yml');
});

test('extension rules: denied wins, an allowed list admits only its own, blank means no rule', () => {
  const rules = (allowed: string, denied: string) => ({ allowed, denied });
  assert.equal(isExtensionAllowed('x.exe', rules('', '')), true);
  assert.equal(isExtensionAllowed('x.EXE', rules('', 'exe, .bat')), false);
  assert.equal(isExtensionAllowed('x.bat', rules('', 'exe, .bat')), false);
  assert.equal(isExtensionAllowed('x.png', rules('png,jpg', '')), true);
  assert.equal(isExtensionAllowed('x.gif', rules('png,jpg', '')), false);
  assert.equal(isExtensionAllowed('README', rules('png', '')), false);
});

test('content types: guessed from the name; a stored type is sent only when well formed', () => {
  assert.equal(mimeTypeOf('notes.TXT'), 'text/plain');
  assert.equal(mimeTypeOf('archive.zip'), 'application/zip');
  assert.equal(mimeTypeOf('noext'), undefined);
  assert.equal(mimeTypeOf('x.constructor'), undefined);
  assert.equal(downloadContentType('image/png', 'x.bin'), 'image/png');
  assert.equal(downloadContentType('text/plain; charset=utf-8', 'x'), 'text/plain; charset=utf-8');
  assert.equal(downloadContentType('application/octet-stream', 'x.pdf'), 'application/pdf');
  assert.equal(downloadContentType('', 'x'), 'application/octet-stream');
  assert.equal(downloadContentType('text/html\r\nSet-Cookie: a=b', 'x.txt'), 'text/plain');
});

test('Content-Disposition: an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
  assert.equal(contentDisposition('attachment', 'a b.txt'), `attachment; filename="a b.txt"; filename*=UTF-8''a%20b.txt`);
  assert.equal(contentDisposition('inline', 'résumé.pdf'), `inline; filename="resume.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`);
  assert.equal(contentDisposition('attachment', '日本.txt'), `attachment; filename="%3F%3F.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`);
  assert.equal(contentDisposition('attachment', 'a\\b;c=d.txt'), `attachment; filename="a%5Cb%3Bc%3Dd.txt"; filename*=UTF-8''a%5Cb%3Bc%3Dd.txt`);
});

test('urlSegment escapes like a Rails path segment', () => {
  assert.equal(urlSegment('a b.txt'), 'a%20b.txt');
  assert.equal(urlSegment('a+b=c;d@e.txt'), 'a+b=c;d@e.txt');
  assert.equal(urlSegment('#1?.txt'), '%231%3F.txt');
});
