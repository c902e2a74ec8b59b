import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG_PARTS, en, ja } from './locales.ts';

test('every key is defined in one catalog file only', () => {
  const seen = new Map<string, string>();
  for (const [part, messages] of Object.entries(CATALOG_PARTS)) {
    for (const key of Object.keys(messages.en)) {
      assert.equal(seen.get(key), undefined, `${key} is in ${seen.get(key)} and ${part}`);
      seen.set(key, part);
    }
  }
});

test('Japanese has every English key, non-empty, with the same {{placeholders}}', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const [key, english] of Object.entries(en)) {
    const japanese = (ja as Record<string, string>)[key];
    assert.ok(japanese, `ja lacks ${key}`);
    assert.deepEqual(placeholders(japanese), placeholders(english), key);
  }
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
});

test('keys carry one of Redmine\u2019s prefixes', () => {
  for (const key of Object.keys(en)) {
    assert.match(key, /^(label|field|button|notice|error|text|setting|permission|general|datetime|project_module|status|enumeration|default|description|mail|warning)_/, key);
  }
});
