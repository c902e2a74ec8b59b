import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '#src/i18n/locales.ts';
import { SETTINGS } from './setting-definitions.ts';
import { SETTINGS_TABS } from './settings.tabs.ts';

test('every settings tab field is a known setting with a label, on one tab only', () => {
  const seen = new Set<string>();
  for (const tab of SETTINGS_TABS) {
    assert.ok(Object.hasOwn(en, tab.label), tab.label);
    for (const field of tab.fields) {
      assert.ok(Object.hasOwn(SETTINGS, field.name), field.name);
      assert.ok(Object.hasOwn(en, `setting_${field.name}`), `setting_${field.name}`);
      assert.ok(!seen.has(field.name), `${field.name} on two tabs`);
      seen.add(field.name);
      if (field.input === 'checklist') {
        assert.equal(SETTINGS[field.name].kind.type, 'list', `${field.name} is a list`);
      }
      if (field.input === 'check') {
        assert.equal(SETTINGS[field.name].kind.type, 'boolean', `${field.name} is a boolean`);
      }
    }
  }
});
