import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '#src/i18n/index.ts';
import { csvText } from '#src/lib/csv.ts';
import { auditChanges, auditCsvLines, auditEventLabel, presentAuditEvent } from './audit.presenter.ts';
import { AUDIT_EVENTS } from './audit-events.ts';
import type { AuditEventRecord } from './audit.repository.ts';

const record: AuditEventRecord = {
  id: 7,
  createdOn: '2026-11-26T01:02:03Z',
  event: 'group.create',
  actorId: 1,
  actorName: 'admin',
  impersonatorId: null,
  impersonatorLogin: null,
  ip: '203.0.113.7',
  userAgent: 'Agent/1.0',
  targetType: 'Group',
  targetId: 5,
  targetName: '=HYPERLINK("http://evil.example","x")',
  details: { twofa_required: false },
};

test('every event has a label in both languages', () => {
  for (const lang of ['en', 'ja'] as const) {
    const t = translator(lang);
    for (const event of AUDIT_EVENTS) {
      const label = auditEventLabel(t, event);
      assert.ok(label !== '' && label !== event && label !== undefined, `${lang} ${event}`);
    }
  }
  assert.equal(auditEventLabel(translator('en'), 'retired.event'), 'retired.event');
});

test('changes read old → new, per attribute or for the event', () => {
  assert.deepEqual(auditChanges({ setting: 'app_title', from: 'Redmine', to: 'Acme' }), ['setting: app_title', 'Redmine → Acme']);
  assert.deepEqual(auditChanges({ firstname: { from: 'John', to: 'Jon' }, users: ['a', 'b'], count: 3 }), ['firstname: John → Jon', 'users: a, b', 'count: 3']);
  assert.equal(auditChanges({ welcome: 'x'.repeat(500) })[0]?.length, 'welcome: '.length + 201);
});

test('the CSV neutralises a formula in a name a user chose', () => {
  const text = csvText(auditCsvLines(translator('en'), [record]));
  const [, line] = text.split('\r\n');
  assert.equal(line, `2026-11-26T01:02:03Z,group.create,admin,,203.0.113.7,Agent/1.0,Group,5,"'=HYPERLINK(""http://evil.example"",""x"")",twofa_required: false`);
});

test('the JSON export is a whitelist of the event', () => {
  assert.deepEqual(presentAuditEvent(record), {
    id: 7,
    created_on: '2026-11-26T01:02:03Z',
    event: 'group.create',
    actor: { id: 1, login: 'admin' },
    impersonator: null,
    ip: '203.0.113.7',
    user_agent: 'Agent/1.0',
    target: { type: 'Group', id: 5, name: '=HYPERLINK("http://evil.example","x")' },
    details: { twofa_required: false },
  });
});
