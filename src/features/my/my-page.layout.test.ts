import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addableBlocks, addBlock, DEFAULT_LAYOUT, layoutOf, movedOrder, orderBlocks, removeBlock } from './my-page.layout.ts';

test('a stored layout is read as Redmine keeps it; anything else is the default', () => {
  assert.deepEqual(layoutOf(undefined), DEFAULT_LAYOUT);
  assert.deepEqual(layoutOf('left'), DEFAULT_LAYOUT);
  assert.deepEqual(layoutOf({ left: ['news', 3], right: 'calendar', top: ['documents'] }), { top: ['documents'], left: ['news'], right: [] });
});

test('add puts a known block on top once; remove takes it from wherever it is', () => {
  const added = addBlock(DEFAULT_LAYOUT, 'calendar');
  assert.deepEqual(added, { top: ['calendar'], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] });
  assert.equal(addBlock(added, 'calendar'), added);
  assert.equal(addBlock(added, 'documents'), added);
  assert.deepEqual(addableBlocks(added), ['issueswatched', 'news', 'timelog']);
  assert.deepEqual(removeBlock(added, 'issuesassignedtome'), { top: ['calendar'], left: [], right: ['issuesreportedbyme'] });
});

test('order sets a group to the blocks on the page, taken from other groups', () => {
  const layout = { top: ['calendar'], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] };
  assert.deepEqual(orderBlocks(layout, 'left', ['issuesreportedbyme', 'calendar', 'news', 'calendar']), { top: [], left: ['issuesreportedbyme', 'calendar'], right: [] });
  assert.equal(orderBlocks(layout, 'middle', ['calendar']), layout);
  assert.equal(orderBlocks(layout, 'left', []), layout);
});

test('moving a block up or down swaps it with its neighbour, never past an end', () => {
  assert.deepEqual(movedOrder(['a', 'b', 'c'], 'b', -1), ['b', 'a', 'c']);
  assert.deepEqual(movedOrder(['a', 'b', 'c'], 'b', 1), ['a', 'c', 'b']);
  assert.deepEqual(movedOrder(['a', 'b'], 'a', -1), ['a', 'b']);
});
