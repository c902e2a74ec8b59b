import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff } from './line-diff.ts';

test('lineDiff keeps common lines and marks removed before added', () => {
  assert.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc\nd'), [
    { kind: 'same', text: 'a' },
    { kind: 'removed', text: 'b' },
    { kind: 'added', text: 'B' },
    { kind: 'same', text: 'c' },
    { kind: 'added', text: 'd' },
  ]);
  assert.deepEqual(lineDiff('', 'x'), [{ kind: 'added', text: 'x' }]);
  assert.deepEqual(lineDiff('x\r\ny', 'x\ny'), [
    { kind: 'same', text: 'x' },
    { kind: 'same', text: 'y' },
  ]);
});
