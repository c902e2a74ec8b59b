import assert from 'node:assert/strict';
import { test } from 'node:test';
import { priorityPositionNames } from './enumeration.service.ts';

const priorities = (positions: number[]) => positions.map((position, i) => ({ id: i + 1, position }));

test('priorities are named around the default one, as Redmine names them', () => {
  assert.deepEqual(priorityPositionNames(priorities([1, 2, 3, 4, 5]), 2).map((p) => p.positionName), ['lowest', 'default', 'high3', 'high2', 'highest']);
  assert.deepEqual(priorityPositionNames(priorities([1, 2, 3, 4]), 4).map((p) => p.positionName), ['lowest', 'low2', 'low3', 'default']);
});

test('without a default, the middle active priority is the reference', () => {
  assert.deepEqual(priorityPositionNames(priorities([1, 2, 3]), null).map((p) => p.positionName), ['lowest', 'default', 'highest']);
  assert.deepEqual(priorityPositionNames([], null), []);
});
