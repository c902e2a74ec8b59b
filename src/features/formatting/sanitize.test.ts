/**
 * The classic XSS payloads through every text format: whatever goes in, what comes out has only
 * allowed tags, no event handlers or styles, and links and images only to http(s), mailto or relative
 * addresses. Record data (issue subjects, user names) reaching the HTML through links is escaped too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '#src/i18n/index.ts';
import { decodeEntities, tokenizeHtml } from './html-text.ts';
import type { TextFormatting } from './markup.ts';
import { NO_REFERENCES, type References } from './references.ts';
import { renderFormattedText } from './render.ts';
import { sanitizeWikiHtml } from './sanitize.ts';

const SCRIPT = '<script>alert(1)</script>';
const evilUser = { id: 5, login: 'mallory', name: `Mal <img src=x onerror=alert(1)> ${SCRIPT}` };
const references: References = {
  ...NO_REFERENCES,
  issues: new Map([[123, { id: 123, subject: `${SCRIPT}"><img src=x onerror=alert(1)>`, trackerId: 1, trackerName: `<b onmouseover=alert(1)>Bug</b>`, statusId: 1, statusName: '<i>New</i>', isClosed: false, priorityId: 1 }]]),
  usersById: new Map([[5, evilUser]]),
  usersByLogin: new Map([['mallory', evilUser]]),
};

const render = (text: string, format: TextFormatting) =>
  renderFormattedText(text, {
    references,
    attachments: [{ id: 1, filename: '"><svg onload=alert(1)>.png' }],
    project: { id: 1, identifier: 'p', name: '<script>x</script>' },
    format,
    t: translator('en'),
  });

const ALLOWED_TAGS = new Set(
  'h1 h2 h3 h4 h5 h6 a abbr acronym b blockquote br caption cite code col colgroup dd del details dfn div dl dt em hr i img input ins kbd li mark ol p pre q rp rt ruby s samp small span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var'.split(' '),
);
const ATTRIBUTE = /\s([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
const SAFE_URL = /^(?:https?:\/\/|mailto:|\/(?!\/)|#|[^:/?#]+(?:[/?#]|$))/i;

/** Fails unless the HTML is inert: known tags, no handlers, no styles, safe URLs only. */
function assertInert(html: string, payload: string): void {
  for (const token of tokenizeHtml(html)) {
    if (token.kind === 'other') {
      assert.fail(`${payload}: comment or declaration left: ${token.raw}`);
    }
    if (token.kind !== 'tag' || token.closing) {
      continue;
    }
    assert.ok(ALLOWED_TAGS.has(token.name), `${payload}: tag <${token.name}> in ${html}`);
    for (const [, rawName, rawValue = ''] of token.raw.slice(token.name.length + 1).matchAll(ATTRIBUTE)) {
      const name = rawName!.toLowerCase();
      const value = decodeEntities(rawValue.replace(/^["']|["']$/g, ''));
      assert.ok(!name.startsWith('on'), `${payload}: handler ${name} in ${html}`);
      assert.ok(!['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'dynsrc', 'lowsrc'].includes(name), `${payload}: ${name} in ${html}`);
      if (name === 'href' || name === 'src' || name === 'cite') {
        assert.match(value.trim(), SAFE_URL, `${payload}: ${name}=${value} in ${html}`);
        assert.doesNotMatch(value, /script:|data:/i, `${payload}: ${name}=${value}`);
      }
    }
  }
  assert.doesNotMatch(html, /<script|<iframe|<object|<embed|<form|<svg|<math|<style|<base|<meta|<link|<textarea|<button|<select/i, payload);
}

const PAYLOADS: readonly string[] = [
  SCRIPT,
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"/>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<a href="javascript:alert(1)">a</a>',
  '<a href="jav&#x61;script:alert(1)">a</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">a</a>',
  '<a href="java\tscript:alert(1)">a</a>',
  '<a href=" JaVaScRiPt:alert(1)">a</a>',
  '<a href="vbscript:msgbox(1)">a</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
  '<a href="//evil.example/">a</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<iframe src="https://evil.example/"></iframe>',
  '<form action="https://evil.example/"><input type="submit" formaction="javascript:alert(1)"><button>go</button></form>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="text-align:right;background:url(x)">x</p>',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  '<input autofocus onfocus=alert(1)>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel="stylesheet" href="x">',
  '<a href="https://ok.example/" onclick="alert(1)" style="color:red" target="_top">ok</a>',
  '<!-- <script>alert(1)</script> -->',
  '<h2 onclick="alert(1)" id="top-menu">Heading</h2>',
  '<textarea><script>alert(1)</script></textarea>',
  '[a](javascript:alert(1))',
  '[a](jav&#x61;script:alert(1))',
  '[a](JAVASCRIPT:alert(1))',
  '[a](vbscript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<javascript:alert(1)>',
  '[t](http://x.example "a\\" onmouseover=\\"alert(1)")',
  '[t](http://x.example \'a\\\' onmouseover=alert(1) \')',
  '[x]: javascript:alert(1)\n\n[link][x]',
  '"a":javascript:alert(1)',
  '"a":jav&#x61;script:alert(1)',
  '"a(title\\" onmouseover=\\"alert(1))":http://x.example',
  '!javascript:alert(1)!',
  '!x.png(t" onerror="alert(1))!',
  'p{background:url(javascript:alert(1))}. styled',
  '%{color:red;background:url(x)}red%',
  '<notextile><script>alert(1)</script></notextile>',
  '<pre><script>alert(1)</script></pre>',
  '{{collapse(<script>alert(1)</script>)\nbody\n}}',
  '{{collapse("><img src=x onerror=alert(1)>)\n<img src=x onerror=alert(1)>\n}}',
  '{{thumbnail(<img src=x onerror=alert(1)>)}}',
  '{{thumbnail("><svg onload=alert(1)>.png, title="><script>alert(1)</script>)}}',
  '{{<script>}}',
  'attachment:"\\"><svg onload=alert(1)>.png"',
  '#123 and ##123',
  '@mallory and user:mallory and user#5',
  '[[<script>alert(1)</script>]] [["><img src=x onerror=alert(1)>|x]]',
  '# <img src=x onerror=alert(1)>\n\n{{toc}}',
  'h1. "><script>alert(1)</script>\n\n{{toc}}',
  'https://x.example/"><script>alert(1)</script>',
  'www.x.example/<img src=x onerror=alert(1)>',
];

describe('sanitized output', () => {
  test('the inertness check itself catches what it must', () => {
    for (const bad of ['<img src=x onerror=alert(1)>', '<a href="jav&#x61;script:x">a</a>', '<p style="x">a</p>', '<svg></svg>', '<a href="//evil.example/">a</a>', '<img src="data:image/png;base64,AA">']) {
      assert.throws(() => assertInert(bad, bad), assert.AssertionError, bad);
    }
  });

  for (const format of ['common_mark', 'textile', ''] as const) {
    test(`every payload renders inert (${format || 'none'})`, () => {
      for (const payload of PAYLOADS) {
        assertInert(render(payload, format), payload);
      }
    });
  }

  test('record data shown through links is escaped text', () => {
    const issue = render('##123 #123', 'common_mark');
    assert.match(issue, /&lt;b onmouseover=alert\(1\)&gt;Bug&lt;\/b&gt; #123<\/a>: &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(issue, /title="&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt; \(&lt;i&gt;New&lt;\/i&gt;\)"/);
    const user = render('@mallory', 'textile');
    assert.match(user, /<a href="\/users\/5" class="user active user-mention">@Mal &lt;img src=x onerror=alert\(1\)&gt; &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/a>/);
  });

  test('macro arguments are shown as text', () => {
    assert.match(render('{{collapse(<script>alert(1)</script>)\nbody\n}}', 'common_mark'), /<summary>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/summary>/);
    assert.match(render('{{thumbnail(<b>x</b>)}}', 'common_mark'), /no attached file is named &lt;b&gt;x&lt;\/b&gt;/);
  });

  test('a heading may not take the id of the layout', () => {
    assert.match(render('<h2 id="top-menu">Top</h2>\n\n## top-menu', 'common_mark'), /<h2 id="Top">[\s\S]*<h2 id="top-menu-2">/);
  });

  test('the sanitizer alone: external links marked, alignment kept as a class, inputs only disabled checkboxes', () => {
    assert.equal(
      sanitizeWikiHtml('<a href="HTTPS://x.example/" rel="opener" target="_blank">x</a><a href="/issues/1" rel="x">y</a>'),
      '<a href="HTTPS://x.example/" rel="noopener noreferrer" class="external">x</a><a href="/issues/1">y</a>',
    );
    assert.equal(sanitizeWikiHtml('<td style="text-align: center">x</td>'), '<td class="text-center">x</td>');
    assert.equal(sanitizeWikiHtml('<input type="text" name="q" value="v" checked>'), '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />');
  });
});
