import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueryString } from '#src/api/params.ts';
import { queryString, sortToggled, stateFromParams, stateParams } from './issue-list.state.ts';

const defaults = { columns: ['tracker', 'subject'], totals: [], perPageOptions: [25, 50] };

test('a date filter sent without JavaScript keeps the inputs its operator reads', () => {
  const state = (op: string) =>
    stateFromParams({ set_filter: '1', f: ['due_date'], op: { due_date: op }, v: { due_date: ['2024-01-01', '2024-02-01', '3'] } }, defaults, () => []);
  assert.deepEqual(state('>t-').filters[0]?.values, ['3']);
  assert.deepEqual(state('><').filters[0]?.values, ['2024-01-01', '2024-02-01']);
  assert.deepEqual(state('=').filters[0]?.values, ['2024-01-01']);
});

test('sort links put the column first and flip it when it already is', () => {
  assert.deepEqual(sortToggled([['id', 'desc']], 'tracker', 'asc'), [['tracker', 'asc'], ['id', 'desc']]);
  assert.deepEqual(sortToggled([['tracker', 'asc'], ['id', 'desc']], 'tracker', 'asc'), [['tracker', 'desc'], ['id', 'desc']]);
  assert.deepEqual(sortToggled([['a', 'asc'], ['b', 'asc'], ['c', 'asc']], 'd', 'desc').length, 3);
});

test('a state written as a URL reads back the same', () => {
  const state = stateFromParams(
    { set_filter: '1', f: ['status_id', 'cf_3', ''], op: { status_id: 'o', cf_3: '=' }, v: { cf_3: ['a', 'b'] }, c: ['subject'], group_by: 'tracker', t: ['estimated_hours'], sort: 'priority:desc,id', per_page: '50' },
    defaults,
    () => [],
  );
  const again = stateFromParams(parseQueryString(queryString(stateParams(state))), defaults, () => []);
  assert.deepEqual(again.filters, state.filters);
  assert.deepEqual(again.columns, ['subject']);
  assert.deepEqual(again.totals, ['estimated_hours']);
  assert.deepEqual(state.sort, [['priority', 'desc'], ['id', 'asc']]);
  assert.equal(state.perPage, 50);
  assert.equal(again.groupBy, 'tracker');
});
