import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueryString } from '#src/api/params.ts';
import {
  filterErrors,
  issueFilterCatalogue,
  issueFiltersOf,
  longFormParams,
  parseShortFilter,
  savedFiltersOf,
  type FilterContext,
  type IssueFilter,
} from './issue-filter.model.ts';

const everywhere: FilterContext = { hasProject: false, projectHasChildren: false, isLoggedIn: true, mayFilterPrivate: true };
const catalogue = issueFilterCatalogue(everywhere);
const parse = (query: string, c = catalogue) => issueFiltersOf(parseQueryString(query), c);
const errorsOf = (filters: IssueFilter[]) => filters.flatMap((f) => filterErrors(catalogue.get(f.field) ?? assert.fail(f.field), f));

test('short form: the longest operator that prefixes the expression, values split on |', () => {
  assert.deepEqual(parseShortFilter('list_status', 'o'), { operator: 'o', values: [''] });
  assert.deepEqual(parseShortFilter('list_status', '2|3'), { operator: '=', values: ['2', '3'] });
  assert.deepEqual(parseShortFilter('list_status', '!5'), { operator: '!', values: ['5'] });
  assert.deepEqual(parseShortFilter('list_optional_with_history', '!*'), { operator: '!*', values: [''] });
  assert.deepEqual(parseShortFilter('date_past', '><2012-03-01|2012-03-31'), { operator: '><', values: ['2012-03-01', '2012-03-31'] });
  assert.deepEqual(parseShortFilter('date_past', '><t-3'), { operator: '><t-', values: ['3'] });
  assert.deepEqual(parseShortFilter('date', '>t+2'), { operator: '>t+', values: ['2'] });
  assert.deepEqual(parseShortFilter('date_past', '2012-03-01'), { operator: '=', values: ['2012-03-01'] });
  assert.deepEqual(parseShortFilter('text', '~crash'), { operator: '~', values: ['crash'] });
  assert.deepEqual(parseShortFilter('text', '!~crash'), { operator: '!~', values: ['crash'] });
  assert.deepEqual(parseShortFilter('relation', '=!p3'), { operator: '=!p', values: ['3'] });
  // Redmine's quirk, relied upon by clients: words beginning with o / c are the open / closed operators.
  assert.deepEqual(parseShortFilter('list_status', 'open'), { operator: 'o', values: ['pen'] });
  assert.deepEqual(parseShortFilter('list_status', 'closed'), { operator: 'c', values: ['losed'] });
  // Ruby's split drops trailing empties: an empty expression has no value at all.
  assert.deepEqual(parseShortFilter('list', ''), { operator: '=', values: [] });
});

test('short form: open issues by default, other parameters ignored, catalogue order', () => {
  assert.deepEqual(parse(''), [{ field: 'status_id', operator: 'o', values: [''] }]);
  assert.deepEqual(parse('created_on=%3E%3D2024-01-01&status_id=*&nonsense=1&assigned_to_id=me'), [
    { field: 'status_id', operator: '*', values: [''] },
    { field: 'assigned_to_id', operator: '=', values: ['me'] },
    { field: 'created_on', operator: '>=', values: ['2024-01-01'] },
  ]);
});

test('long form: exactly the listed filters, in their order; same model as the short form', () => {
  const long = parse('set_filter=1&f[]=tracker_id&op[tracker_id]=!&v[tracker_id][]=1&v[tracker_id][]=2&f[]=status_id&op[status_id]=c');
  assert.deepEqual(long, [
    { field: 'tracker_id', operator: '!', values: ['1', '2'] },
    { field: 'status_id', operator: 'c', values: [''] },
  ]);
  const short = parse('status_id=c&tracker_id=!1|2');
  assert.deepEqual(new Set(short.map((f) => JSON.stringify(f))), new Set(long.map((f) => JSON.stringify(f))));
  // Aliases, and f[] without status: no default status filter.
  assert.deepEqual(parse('fields[]=subject&operators[subject]=~&values[subject][]=x'), [{ field: 'subject', operator: '~', values: ['x'] }]);
  assert.deepEqual(parse('f[]='), []);
  // Short parameters are ignored once f[] is given.
  assert.deepEqual(parse('f[]=subject&op[subject]=*&status_id=c'), [{ field: 'subject', operator: '*', values: [''] }]);
});

test('long form: what Redmine drops', () => {
  // No op at all: no filters.
  assert.deepEqual(parse('f[]=status_id&v[status_id][]=1'), []);
  // A value that is not a list drops that filter; unknown fields are ignored.
  assert.deepEqual(parse('f[]=status_id&op[status_id]==&v[status_id]=1&f[]=bogus&op[bogus]==&f[]=subject&op[subject]=*'), [
    { field: 'subject', operator: '*', values: [''] },
  ]);
  // No values: [""] (then "cannot be blank" unless the operator needs none).
  assert.deepEqual(parse('f[]=start_date&op[start_date]=='), [{ field: 'start_date', operator: '=', values: [''] }]);
});

test('availability follows the context', () => {
  const inLeafProject = issueFilterCatalogue({ hasProject: true, projectHasChildren: false, isLoggedIn: false, mayFilterPrivate: false });
  assert.equal(inLeafProject.has('project_id'), false);
  assert.equal(inLeafProject.has('category_id'), true);
  assert.equal(inLeafProject.has('subproject_id'), false);
  assert.equal(inLeafProject.has('project.status'), false);
  assert.equal(inLeafProject.has('watcher_id'), false);
  assert.equal(inLeafProject.has('is_private'), false);
  const global = issueFilterCatalogue({ hasProject: false, projectHasChildren: false, isLoggedIn: true, mayFilterPrivate: false });
  assert.equal(global.has('project_id'), true);
  assert.equal(global.has('category_id'), false);
  assert.equal(global.has('watcher_id'), true);
  assert.equal(issueFilterCatalogue({ hasProject: true, projectHasChildren: true, isLoggedIn: true, mayFilterPrivate: true }).has('subproject_id'), true);
  // project_id given to a project's list is its scope, not a filter.
  assert.deepEqual(parse('project_id=3', inLeafProject), [{ field: 'status_id', operator: 'o', values: [''] }]);
});

test('validation: Redmine messages, one per problem', () => {
  assert.deepEqual(errorsOf(parse('f[]=start_date&op[start_date]==')), ['Start date cannot be blank']);
  assert.deepEqual(errorsOf(parse('start_date=2024-02-30')), ['Start date is invalid']);
  assert.deepEqual(errorsOf(parse('created_on=%3E%3Dyesterday&status_id=abc')), ['Status is invalid', 'Created is invalid']);
  assert.deepEqual(errorsOf(parse('due_date=%3Et-x')), ['Due date is invalid']);
  assert.deepEqual(errorsOf(parse('done_ratio=%3E%3D1.5')), ['% Done is invalid']);
  assert.deepEqual(errorsOf(parse('estimated_hours=%3E%3C1|abc')), ['Estimated time is invalid']);
  assert.deepEqual(errorsOf(parse('assigned_to_id=someone')), ['Assignee is invalid']);
  assert.deepEqual(errorsOf(parse('assigned_to_id=')), ['Assignee cannot be blank']);
  assert.deepEqual(errorsOf(parse('f[]=subject&op[subject]=o&v[subject][]=x')), ['Subject is invalid']);
  assert.deepEqual(errorsOf(parse('f[]=subject&op[subject]=~&v[subject][]=%20')), ['Subject cannot be blank']);
  assert.deepEqual(
    errorsOf(parse('status_id=open&assigned_to_id=me|5&created_on=%3E%3D2024-01-01T10:00:00Z&updated_on=t&estimated_hours=%3E%3D1h30&issue_id=1,2&project_id=mine')),
    [],
  );
});

test('saved filters: stored order, known fields only, and back to long-form parameters', () => {
  const stored = { status_id: { operator: 'c', values: [''] }, cf_3: { operator: '~', values: ['x'] }, tracker_id: { operator: '=', values: ['1', 2] } };
  assert.deepEqual(savedFiltersOf(stored, issueFilterCatalogue()), [
    { field: 'status_id', operator: 'c', values: [''] },
    { field: 'tracker_id', operator: '=', values: ['1', '2'] },
  ]);
  assert.deepEqual(savedFiltersOf(null, issueFilterCatalogue()), []);
  const params = longFormParams(stored);
  assert.deepEqual(params.f, ['status_id', 'cf_3', 'tracker_id']);
  assert.deepEqual(issueFiltersOf(params, catalogue), savedFiltersOf(stored, catalogue));
});
