import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDialect } from 'drizzle-orm/pg-core';
import { issueOrder, sortCriteriaOf } from './issue.query.ts';

const orderSql = (sort: string, mayViewPrivate = false) => new PgDialect().sqlToQuery(issueOrder({ sort }, { mayViewPrivate })).sql;

test('sort criteria as Redmine reads them: asc unless :desc, first of a key, at most three', () => {
  assert.deepEqual(sortCriteriaOf('priority:desc,updated_on'), [['priority', 'desc'], ['updated_on', 'asc']]);
  assert.deepEqual(sortCriteriaOf('id:DESC,,subject,subject:desc'), [['id', 'asc'], ['subject', 'asc']]);
  assert.deepEqual(sortCriteriaOf('a,b,c,id'), [['a', 'asc'], ['b', 'asc'], ['c', 'asc']]);
});

test('ORDER BY: known columns only, fixed orders kept, id DESC as the tiebreaker', () => {
  assert.equal(orderSql(''), 'i.id DESC');
  assert.equal(orderSql('priority:desc,bogus'), 'e.position DESC, i.id DESC');
  assert.equal(orderSql('id'), 'i.id ASC');
  assert.equal(orderSql('parent:desc'), 'i.root_id DESC, i.lft ASC, i.id DESC');
  assert.equal(orderSql('assigned_to'), 'asg.firstname ASC, asg.lastname ASC, asg.id ASC, i.id DESC');
  assert.equal(orderSql('fixed_version:desc').startsWith('(CASE WHEN v.effective_date IS NULL THEN 1 ELSE 0 END) DESC, v.effective_date DESC'), true);
  assert.equal(orderSql('is_private'), 'i.id DESC');
  assert.equal(orderSql('is_private', true), 'i.is_private ASC, i.id DESC');
  assert.equal(orderSql('subject;DROP TABLE issues'), 'i.id DESC');
});
