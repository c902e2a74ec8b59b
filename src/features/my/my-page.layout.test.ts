import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addableBlocks, addBlock, blockOf, DEFAULT_LAYOUT, layoutOf, movedOrder, orderBlocks, removeBlock, settingsInUse, settingsOf } from './my-page.layout.ts';

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
  assert.deepEqual(addableBlocks(added), ['issuesupdatedbyme', 'issueswatched', 'issuequery', 'news', 'timelog']);
  assert.deepEqual(removeBlock(added, 'issuesassignedtome'), { top: ['calendar'], left: [], right: ['issuesreportedbyme'] });
});

test('an issue query block may be on the page three times, as issuequery, issuequery__1, issuequery__2', () => {
  let layout = addBlock(DEFAULT_LAYOUT, 'issuequery');
  assert.ok(addableBlocks(layout).includes('issuequery__1'));
  assert.equal(addBlock(layout, 'issuequery'), layout);
  layout = addBlock(addBlock(layout, 'issuequery__1'), 'issuequery__2');
  assert.deepEqual(layout.top, ['issuequery__2', 'issuequery__1', 'issuequery']);
  assert.ok(!addableBlocks(layout).some((b) => b.startsWith('issuequery')));
  assert.equal(addBlock(layout, 'issuequery__3'), layout);
  // With the first one removed, the next one added takes the next number (Redmine's).
  assert.deepEqual(addableBlocks(removeBlock(layout, 'issuequery')).filter((b) => b.startsWith('issuequery')), ['issuequery__3']);
  assert.equal(blockOf('issuequery__2'), 'issuequery');
  assert.equal(blockOf('documents'), undefined);
  assert.equal(blockOf('issuequery__x'), undefined);
});

test('block settings: only a query id is kept, and only for blocks on the page', () => {
  assert.deepEqual(settingsOf({ issuequery: { query_id: 4, columns: ['x'] }, issuequery__1: 'bad', documents: { query_id: '1' } }), { issuequery: { query_id: '4' }, issuequery__1: {} });
  assert.deepEqual(settingsInUse(DEFAULT_LAYOUT, { issuequery: { query_id: '4' } }), {});
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
