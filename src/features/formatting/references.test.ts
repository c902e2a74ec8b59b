/** The scan of raw texts for what their links may need, before anything is loaded. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeEntities, textOf, tokenizeHtml } from './html-text.ts';
import { isEmpty, scanReferences } from './references.ts';

describe('scanReferences', () => {
  test('collects every kind once, over all texts', () => {
    const wanted = scanReferences([
      'See #12, ##13 and #14-2, #15#note-3; not a#16',
      'version#3 version:1.0. version:"2.0 beta" other:version:3.0 user#5 @jsmith user:dlopper project:Cookbook project#8',
      '[[Page]] [[online-store:Start]] attachment:file.png',
    ]);
    assert.deepEqual([...wanted.issueIds].sort((a, b) => a - b), [12, 13, 14, 15]);
    assert.deepEqual([...wanted.versionIds], [3]);
    assert.deepEqual([...wanted.versionNames].sort(), ['1.0', '1.0.', '2.0 beta', '3.0']);
    assert.deepEqual([...wanted.userIds], [5]);
    assert.deepEqual([...wanted.logins].sort(), ['dlopper', 'jsmith']);
    assert.deepEqual([...wanted.projectIds], [8]);
    assert.deepEqual([...wanted.projectKeys].sort(), ['Cookbook', 'cookbook', 'online-store', 'other']);
    assert.equal(wanted.needsContextProject, true);
  });

  test('an e-mail address is no mention; plain text wants nothing', () => {
    assert.equal(scanReferences(['mail jsmith@example.com']).logins.size, 0);
    assert.ok(isEmpty(scanReferences(['nothing to see', '', '**bold**'])));
    assert.ok(!isEmpty(scanReferences(['[[Page]]'])));
  });

  test('ids beyond an integer column are not looked up', () => {
    assert.equal(scanReferences(['#99999999999 #2147483648']).issueIds.size, 0);
  });
});

describe('html text helpers', () => {
  test('entities decode, tags split off, quoted ">" stays in its tag', () => {
    assert.equal(decodeEntities('&lt;a&gt; &amp;amp; &#x41;&#66; &quot; &unknown; &#0;'), '<a> &amp; AB " &unknown; \ufffd');
    assert.deepEqual(
      tokenizeHtml('<p title="a>b">x<!-- c --></p>').map((t) => t.kind),
      ['tag', 'text', 'other', 'tag'],
    );
    assert.equal(textOf('<b>A &amp; <i>B</i></b>'), 'A & B');
  });
});
