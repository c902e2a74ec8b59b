import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilterDate, relativeDays } from './issue-filter.dates.ts';

test('filter dates: a day, or an instant turned into UTC', () => {
  assert.deepEqual(parseFilterDate('2024-02-29'), { day: '2024-02-29' });
  assert.deepEqual(parseFilterDate('2024-01-02T12:00:00Z'), { instant: '2024-01-02 12:00:00' });
  assert.deepEqual(parseFilterDate('2024-01-02T12'), { instant: '2024-01-02 12:00:00' });
  assert.deepEqual(parseFilterDate('2024-01-02T1230'), { instant: '2024-01-02 12:30:00' });
  assert.deepEqual(parseFilterDate('2024-01-02T09:00:00+09:00'), { instant: '2024-01-02 00:00:00' });
  // An unencoded + in a query string arrives as a space.
  assert.deepEqual(parseFilterDate('2024-01-02T09:00:00 0900'), { instant: '2024-01-02 00:00:00' });
  assert.deepEqual(parseFilterDate('2024-01-02T00:00:00-01:00'), { instant: '2024-01-02 01:00:00' });
  for (const bad of ['2023-02-29', '2024-1-2', 'yesterday', '2024-01-02T25:00', '2024-01-02 10:00', '2024-01-02T10:00:00X', "2024-01-01' OR 1=1"]) {
    assert.equal(parseFilterDate(bad), undefined, bad);
  }
});

test('relative operators: spans of days from today, weeks from Sunday', () => {
  const today = '2024-03-13'; // a Wednesday
  assert.deepEqual(relativeDays('t', 0, today), ['2024-03-13', '2024-03-13']);
  assert.deepEqual(relativeDays('ld', 0, today), ['2024-03-12', '2024-03-12']);
  assert.deepEqual(relativeDays('nd', 0, today), ['2024-03-14', '2024-03-14']);
  assert.deepEqual(relativeDays('>t-', 3, today), ['2024-03-10', undefined]);
  assert.deepEqual(relativeDays('<t-', 3, today), [undefined, '2024-03-10']);
  assert.deepEqual(relativeDays('><t-', 3, today), ['2024-03-10', '2024-03-13']);
  assert.deepEqual(relativeDays('t-', 3, today), ['2024-03-10', '2024-03-10']);
  assert.deepEqual(relativeDays('>t+', 20, today), ['2024-04-02', undefined]);
  assert.deepEqual(relativeDays('<t+', 2, today), [undefined, '2024-03-15']);
  assert.deepEqual(relativeDays('><t+', 2, today), ['2024-03-13', '2024-03-15']);
  assert.deepEqual(relativeDays('t+', 2, today), ['2024-03-15', '2024-03-15']);
  assert.deepEqual(relativeDays('w', 0, today), ['2024-03-10', '2024-03-16']);
  assert.deepEqual(relativeDays('lw', 0, today), ['2024-03-03', '2024-03-09']);
  assert.deepEqual(relativeDays('l2w', 0, today), ['2024-02-25', '2024-03-09']);
  assert.deepEqual(relativeDays('nw', 0, today), ['2024-03-17', '2024-03-23']);
  assert.deepEqual(relativeDays('w', 0, '2024-03-10'), ['2024-03-10', '2024-03-16']);
  assert.deepEqual(relativeDays('m', 0, today), ['2024-03-01', '2024-03-31']);
  assert.deepEqual(relativeDays('lm', 0, '2024-01-31'), ['2023-12-01', '2023-12-31']);
  assert.deepEqual(relativeDays('nm', 0, '2024-01-31'), ['2024-02-01', '2024-02-29']);
  assert.deepEqual(relativeDays('y', 0, today), ['2024-01-01', '2024-12-31']);
  // Absurd spans stay within the calendar instead of throwing.
  assert.match(relativeDays('t-', 99_999_999, today)[0] ?? '', /^\d{4}-\d{2}-\d{2}$/);
});
