/** The WikiTextarea component other pages drop in: a plain textarea without JavaScript, wired for the island. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { translator } from '#src/i18n/index.ts';
import { WikiTextarea } from '#src/views/wiki-textarea.tsx';

test('WikiTextarea: textarea.wiki-edit with the format, preview scope, labels and a hidden preview box', () => {
  const html = renderToString(
    h(WikiTextarea, { id: 'issue_notes', name: 'issue[notes]', value: '\nkeep the first newline </textarea><script>', t: translator('ja'), textFormatting: 'textile', rows: 5, projectId: 'ecookbook', issueId: 7 }),
  );
  assert.match(html, /^<span class="jstBlock"><span class="jstEditor"><textarea id="issue_notes" name="issue\[notes\]" rows="5" cols="60" class="wiki-edit" data-text-formatting="textile" data-preview-url="\/preview\/text" data-project-id="ecookbook" data-issue-id="7"/);
  assert.match(html, /data-wiki-labels="\{&quot;edit&quot;:&quot;編集&quot;,&quot;preview&quot;:&quot;プレビュー&quot;/);
  assert.match(html, />\n\nkeep the first newline &lt;\/textarea>&lt;script><\/textarea>/);
  assert.match(html, /<\/span><span id="preview_issue_notes" class="wiki-preview" hidden><\/span><\/span>$/);
  const plain = renderToString(h(WikiTextarea, { id: 'd', name: 'd', value: null, t: translator('en'), textFormatting: '' }));
  assert.match(plain, / data-text-formatting /); // empty: no formatting, so no buttons
  assert.doesNotMatch(plain, /data-project-id|data-issue-id/);
  assert.match(plain, /rows="10"[^>]*><\/textarea>/);
});
