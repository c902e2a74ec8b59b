import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountNameProblem } from './account-name.ts';

test('accepts DNS-label account names of 3 to 40 characters', () => {
  for (const name of ['acme', 'abc', 'a-b', 'team-42', '1st-co', 'x'.repeat(40)]) {
    assert.equal(accountNameProblem(name), undefined, name);
  }
});

test('refuses everything else with a reason', () => {
  const cases: Record<string, RegExp> = {
    ab: /3 to 40/,
    ['x'.repeat(41)]: /3 to 40/,
    '-acme': /hyphen/,
    'acme-': /hyphen/,
    Acme: /lower-case/,
    'ac_me': /lower-case/,
    'ac.me': /lower-case/,
    'ａｃｍｅ': /lower-case/,
    "acme'--": /lower-case/,
    www: /reserved/,
    admin: /reserved/,
    api: /reserved/,
    status: /reserved/,
  };
  for (const [name, reason] of Object.entries(cases)) {
    assert.match(accountNameProblem(name) ?? 'accepted', reason, name);
  }
});
