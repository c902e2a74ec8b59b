import assert from 'node:assert/strict';
import { test } from 'node:test';
import { periodOf, periodsBetween, pivotRows, reportShapeOf } from './time-entry.report.ts';

test('criteria: known ones, once each, at most three; columns default to month', () => {
  assert.deepEqual(reportShapeOf(['user', 'bogus', 'user', 'activity', 'issue', 'project'], 'week'), { criteria: ['user', 'activity', 'issue'], period: 'week' });
  assert.deepEqual(reportShapeOf([], 'fortnight'), { criteria: [], period: 'month' });
});

test('periods from the first day to the last, empty ones included', () => {
  assert.deepEqual(periodsBetween('2023-11-20', '2024-02-03', 'month'), ['2023-11', '2023-12', '2024-1', '2024-2']);
  assert.deepEqual(periodsBetween('2023-06-01', '2025-01-01', 'year'), ['2023', '2024', '2025']);
  assert.deepEqual(periodsBetween('2024-02-27', '2024-03-01', 'day'), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  // ISO weeks: 2024-12-30 is in week 1 of 2025.
  assert.deepEqual(periodsBetween('2024-12-20', '2025-01-06', 'week'), ['2024-51', '2024-52', '2025-1', '2025-2']);
  assert.equal(periodOf('2021-01-03', 'week'), '2020-53');
});

test('the pivot nests criteria, sums per period and in total, names "none" last', () => {
  const cells = [
    { values: [1, 10], period: '2024-1', hours: 2 },
    { values: [1, 11], period: '2024-2', hours: 1 },
    { values: [2, 10], period: '2024-1', hours: 3 },
    { values: [null, 10], period: '2024-2', hours: 0.5 },
  ];
  const names: Record<string, string> = { '0:1': 'Bob', '0:2': 'Alice', '1:10': 'Design', '1:11': 'Coding' };
  const rows = pivotRows(cells, 0, 2, (level, value) => (value === null ? null : (names[`${level}:${value}`] ?? '?')));
  assert.deepEqual(
    rows.map((r) => [r.label, r.total, [...r.hours], r.children.map((c) => [c.label, c.total])]),
    [
      ['Alice', 3, [['2024-1', 3]], [['Design', 3]]],
      ['Bob', 3, [['2024-1', 2], ['2024-2', 1]], [['Coding', 1], ['Design', 2]]],
      [null, 0.5, [['2024-2', 0.5]], [['Design', 0.5]]],
    ],
  );
});
