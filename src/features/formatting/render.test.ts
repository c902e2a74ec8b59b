/** The formatting pipeline without a database: markup, Redmine's links, macros, anchors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '#src/i18n/index.ts';
import type { TextFormatting } from './markup.ts';
import { NO_REFERENCES, versionKey, type IssueReference, type References } from './references.ts';
import { renderFormattedText, type RenderContext } from './render.ts';

const bug: IssueReference = { id: 123, subject: 'Crash on save', trackerId: 1, trackerName: 'Bug', statusId: 2, statusName: 'In Progress', isClosed: false, priorityId: 4 };
const done: IssueReference = { id: 7, subject: 'Old one', trackerId: 2, trackerName: 'Feature', statusId: 5, statusName: 'Closed', isClosed: true, priorityId: 4 };
const ecookbook = { id: 1, identifier: 'ecookbook', name: 'eCookbook' };
const onlineStore = { id: 2, identifier: 'online-store', name: 'Online Store' };
const jsmith = { id: 2, login: 'jsmith', name: 'John Smith' };

const references: References = {
  ...NO_REFERENCES,
  issues: new Map([
    [123, bug],
    [7, done],
  ]),
  usersById: new Map([[2, jsmith]]),
  usersByLogin: new Map([['jsmith', jsmith]]),
  versionsById: new Map([[3, { id: 3, name: '1.0', projectId: 1 }]]),
  versionsByName: new Map([
    [versionKey(1, '1.0'), { id: 3, name: '1.0', projectId: 1 }],
    [versionKey(1, '2.0 beta'), { id: 4, name: '2.0 beta', projectId: 1 }],
    [versionKey(2, '1.0'), { id: 9, name: '1.0', projectId: 2 }],
  ]),
  projectsById: new Map([
    [1, ecookbook],
    [2, onlineStore],
  ]),
  projectsByKey: new Map([
    ['ecookbook', ecookbook],
    ['online-store', onlineStore],
    ['online store', onlineStore],
  ]),
};

const ctx = (format: TextFormatting = 'common_mark', extra: Partial<RenderContext> = {}): RenderContext => ({
  references,
  attachments: [
    { id: 10, filename: 'screen shot.png' },
    { id: 11, filename: 'Logo.PNG' },
    { id: 12, filename: 'logo.png' },
  ],
  project: ecookbook,
  format,
  t: translator('en'),
  ...extra,
});
const md = (text: string, extra: Partial<RenderContext> = {}) => renderFormattedText(text, ctx('common_mark', extra));
const textile = (text: string) => renderFormattedText(text, ctx('textile'));

describe('CommonMark', () => {
  test('GFM tables with alignment as classes, strikethrough, autolinks, hard breaks', () => {
    const html = md('| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~ www.example.com\nnext line');
    assert.match(html, /<table>[\s\S]*<th class="text-left">a<\/th>[\s\S]*<td class="text-right">2<\/td>/);
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<s>gone<\/s>/);
    assert.match(html, /<a href="http:\/\/www\.example\.com" class="external" rel="noopener noreferrer">www\.example\.com<\/a><br \/>\nnext line/);
  });

  test('task lists become disabled checkboxes', () => {
    const html = md('- [ ] todo\n- [x] done\n- plain');
    assert.match(html, /<ul class="contains-task-list">/);
    assert.match(html, /<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" \/> todo<\/li>/);
    assert.match(html, /<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" \/> done/);
    assert.match(html, /<li>plain<\/li>/);
  });

  test('headings get ids and ¶ links, duplicates numbered, layout ids avoided', () => {
    const html = md('# Über uns\n\n## Setup & run\n\n## Setup & run\n\n## content');
    assert.match(html, /<h1 id="Über-uns">Über uns<a href="#Über-uns" class="wiki-anchor">¶<\/a><\/h1>/);
    assert.match(html, /<h2 id="Setup-run">/);
    assert.match(html, /<h2 id="Setup-run-2">/);
    assert.match(html, /<h2 id="content-2">/);
  });

  test('raw HTML goes through the sanitizer only', () => {
    assert.equal(md('<b>bold</b> <u>u</u> <marquee>m</marquee>'), '<p><b>bold</b> <u>u</u> m</p>\n');
  });

  test('code keeps its text: no links, no macros', () => {
    const html = md('`#123 {{toc}}`\n\n```ruby\n#123 @jsmith {{collapse\nx\n}}\n```');
    assert.match(html, /<code>#123 \{\{toc\}\}<\/code>/);
    assert.match(html, /<pre><code class="language-ruby">#123 @jsmith \{\{collapse\nx\n\}\}\n<\/code><\/pre>/);
    assert.doesNotMatch(html, /<a /);
  });
});

describe('Textile', () => {
  test('the common subset', () => {
    const html = textile(
      'h2. Title\n\nSome *bold*, _italic_, -deleted- and @code@.\n\n* one\n* two\n\n# first\n# second\n\n|_. a |_. b |\n| 1 | 2 |\n\nbq. quoted\n\n"Redmine":https://www.redmine.org and !logo.png!\n\n<pre>\na < b\n</pre>',
    );
    assert.match(html, /<h2 id="Title">Title<a href="#Title" class="wiki-anchor">¶<\/a><\/h2>/);
    assert.match(html, /<strong>bold<\/strong>, <em>italic<\/em>, <del>deleted<\/del> and <code>code<\/code>/);
    assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    assert.match(html, /<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
    assert.match(html, /<th>a <\/th>[\s\S]*<td> 1 <\/td>/);
    assert.match(html, /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    assert.match(html, /<a href="https:\/\/www\.redmine\.org" class="external" rel="noopener noreferrer">Redmine<\/a>/);
    assert.match(html, /<img src="\/attachments\/download\/12\/logo\.png" loading="lazy"/);
    assert.match(html, /<pre>\na &lt; b\n<\/pre>/);
  });

  test('raw HTML is text, as in Redmine; #12 at a line start is an issue, not a list', () => {
    const html = textile('Use <branch> names <b>here</b>\n\n#123 is late');
    assert.match(html, /Use &lt;branch&gt; names &lt;b&gt;here&lt;\/b&gt;/);
    assert.match(html, /<p><a href="\/issues\/123" class="issue[^"]*"[^>]*>#123<\/a> is late<\/p>/);
  });

  test('quoted version names keep their quotes', () => {
    assert.match(textile('see version:"2.0 beta".'), /see <a href="\/versions\/4" class="version">2\.0 beta<\/a>\./);
  });
});

describe('no formatting', () => {
  test('escaped text, paragraphs and line breaks, links made', () => {
    const html = renderFormattedText('a <b>x</b>\nsecond #123\n\nhttps://example.com/?a=1&b=2', ctx(''));
    assert.match(html, /^<p>a &lt;b&gt;x&lt;\/b&gt;<br \/>\nsecond <a href="\/issues\/123"/);
    assert.match(html, /<p><a href="https:\/\/example\.com\/\?a=1&amp;b=2" class="external" rel="noopener noreferrer">https:\/\/example\.com\/\?a=1&amp;b=2<\/a><\/p>/);
  });
});

describe("Redmine's links", () => {
  test('#123: class by state, title subject (status); closed ones marked', () => {
    assert.equal(
      md('See #123.'),
      '<p>See <a href="/issues/123" class="issue tracker-1 status-2 priority-4" title="Crash on save (In Progress)">#123</a>.</p>\n',
    );
    assert.match(md('(#7)'), /\(<a href="\/issues\/7" class="issue tracker-2 status-5 priority-4 closed" title="Old one \(Closed\)">#7<\/a>\)/);
  });

  test('##123 shows tracker, subject and status; notes; unknown or invisible issues stay text; ! escapes', () => {
    assert.match(md('##123'), /<a href="\/issues\/123" class="issue[^"]*">Bug #123<\/a>: Crash on save \(In Progress\)/);
    assert.match(md('#123-4 and #123#note-5'), /<a href="\/issues\/123#note-4"[^>]*>#123-4<\/a> and <a href="\/issues\/123#note-5"[^>]*>#123#note-5<\/a>/);
    assert.equal(md('#999 !#123 a#123 #123abc'), '<p>#999 #123 a#123 #123abc</p>\n');
  });

  test('versions by id and by name in the project (quoted, prefixed by another project)', () => {
    const html = md('version#3, version:1.0, version:"2.0 beta" and online-store:version:1.0, version:9.9');
    assert.match(html, /<a href="\/versions\/3" class="version">1\.0<\/a>, <a href="\/versions\/3" class="version">1\.0<\/a>, <a href="\/versions\/4" class="version">2\.0 beta<\/a>/);
    assert.match(html, /and <a href="\/versions\/9" class="version">1\.0<\/a>, version:9\.9/);
    assert.match(md('version:1.0', { project: undefined }), /<p>version:1\.0<\/p>/);
  });

  test('users: @login, user:login, user#id; projects; documents stay text', () => {
    const html = md('@jsmith, user:jsmith, user#2, @nobody, mail jsmith@example.net, project:ecookbook, project:"Online Store", project#2, document#1');
    assert.match(html, /<a href="\/users\/2" class="user active user-mention">@John Smith<\/a>, <a href="\/users\/2" class="user active">John Smith<\/a>, <a href="\/users\/2" class="user active">John Smith<\/a>, @nobody/);
    assert.match(html, /<a href="mailto:jsmith@example\.net" class="email">jsmith@example\.net<\/a>/);
    assert.match(html, /<a href="\/projects\/ecookbook" class="project">eCookbook<\/a>, <a href="\/projects\/online-store" class="project">Online Store<\/a>, <a href="\/projects\/online-store" class="project">Online Store<\/a>, document#1/);
  });

  test('attachments: links, inline images, the latest of a name', () => {
    const html = md('attachment:"screen shot.png" attachment:logo.png attachment:missing.png\n\n![shot](screen%20shot.png) ![x](https://example.com/x.png)');
    assert.match(html, /<a href="\/attachments\/download\/10\/screen%20shot\.png" class="attachment">screen shot\.png<\/a>/);
    assert.match(html, /<a href="\/attachments\/download\/12\/logo\.png" class="attachment">logo\.png<\/a> attachment:missing\.png/);
    assert.match(html, /<img src="\/attachments\/download\/10\/screen%20shot\.png" loading="lazy" alt="shot" \/>/);
    assert.match(html, /<img src="https:\/\/example\.com\/x\.png" alt="x" \/>/);
  });

  test('wiki links point into the project wiki as pages to write', () => {
    const html = md('[[Wiki page]], [[guide#Install steps|the guide]], [[online-store:Start]], [[online-store:]], ![[Not]]');
    assert.match(html, /<a href="\/projects\/ecookbook\/wiki\/Wiki_page" class="wiki-page new">Wiki page<\/a>/);
    assert.match(html, /<a href="\/projects\/ecookbook\/wiki\/Guide#Install-steps" class="wiki-page new">the guide<\/a>/);
    assert.match(html, /<a href="\/projects\/online-store\/wiki\/Start" class="wiki-page new">Start<\/a>/);
    assert.match(html, /<a href="\/projects\/online-store\/wiki" class="wiki-page new">online-store<\/a>, \[\[Not\]\]/);
    assert.match(md('[[Page]]', { project: undefined }), /<p>\[\[Page\]\]<\/p>/);
  });

  test('nothing is linked inside an existing link', () => {
    assert.equal(md('[see #123](https://example.com/#123)'), '<p><a href="https://example.com/#123" class="external" rel="noopener noreferrer">see #123</a></p>\n');
  });
});

describe('macros', () => {
  test('{{toc}} lists the headings (levels 1-4) with their anchors; {{>toc}} floats right', () => {
    const html = md('{{toc}}\n\n# One\n\n## Two\n\n##### Five\n\n# Three');
    assert.match(
      html,
      /^<ul class="toc"><li><a href="#One">One<\/a><ul><li><a href="#Two">Two<\/a><\/li><\/ul><\/li><li><a href="#Three">Three<\/a><\/li><\/ul>/,
    );
    assert.match(md('{{>toc}}\n\n# A'), /^<ul class="toc right">/);
    assert.equal(md('{{toc}}'), '');
  });

  test('{{collapse}} is details/summary with the body formatted; default label', () => {
    const html = md('{{collapse(View details)\n## Inside\n* #123\n}}\nAfter');
    assert.match(html, /<details class="collapsible"><summary>View details<\/summary><div class="collapsed-text"><h2 id="Inside">Inside/);
    assert.match(html, /<li><a href="\/issues\/123"/);
    assert.match(html, /<\/details><p>After<\/p>/);
    assert.match(md('{{collapse\nx\n}}'), /<summary>Show<\/summary>/);
  });

  test('{{thumbnail}}: the attachment as a thumbnail, or an error', () => {
    assert.match(
      md('{{thumbnail(logo.png, size=200, title=Our logo)}}'),
      /<a href="\/attachments\/download\/12\/logo\.png" class="thumbnail" title="Our logo"><img src="\/attachments\/thumbnail\/12\/200" alt="logo\.png" \/><\/a>/,
    );
    assert.match(md('{{thumbnail(nope.png)}}'), /<span class="macro-error">Error in the thumbnail macro: no attached file is named nope\.png<\/span>/);
  });

  test('unknown macros show an error; ! keeps a macro as text; messages follow the language', () => {
    assert.match(md('{{hello_world}}'), /<span class="macro-error">Error in the hello_world macro: there is no such macro<\/span>/);
    assert.equal(md('!{{toc}}'), '<p>{{toc}}</p>\n');
    assert.match(md('{{nope}}', { t: translator('ja') }), /nope マクロのエラー/);
  });

  test('text from a form (CRLF line ends) works the same', () => {
    assert.equal(md('{{collapse(More)\r\nline one\r\nline two\r\n}}'), md('{{collapse(More)\nline one\nline two\n}}'));
    assert.match(md('{{collapse(More)\r\nline one\r\nline two\r\n}}'), /<summary>More<\/summary><div class="collapsed-text"><p>line one<br \/>\nline two<\/p>/);
  });

  test('textile macros too', () => {
    assert.match(textile('{{toc}}\n\nh1. A'), /^<ul class="toc"><li><a href="#A">A<\/a><\/li><\/ul>/);
  });
});
