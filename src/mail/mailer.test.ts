/**
 * The mailer over a real SMTP conversation (a local smtp-server): headers stay one line whatever the
 * subject holds, Japanese survives encoding, Bcc reaches the envelope only, and a refused delivery is
 * answered, not thrown. Without SMTP_URL the message lands as an .eml file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startInbox, type Inbox } from '../../test/support/smtp.ts';
import { createMailer } from './mailer.ts';

describe('mailer', () => {
  let inbox: Inbox;
  before(async () => {
    inbox = await startInbox();
  });
  after(async () => {
    await inbox.close();
  });

  test('SMTP: delivers to To and Bcc, Japanese subject and body intact, no header injection', async () => {
    const mailer = createMailer({ smtpUrl: inbox.url, fileDir: '/nonexistent', logger: undefined });
    try {
      const result = await mailer.send({
        from: 'kanri@acme.test',
        to: ['alice@acme.test'],
        bcc: ['bob@acme.test'],
        subject: 'パスワード再設定\r\nBcc: mallory@evil.test',
        text: '本文です。\nhttps://acme.localhost/account/lost_password?token=abc',
        headers: { 'X-Redmine-Host': 'acme.localhost' },
      });
      assert.equal(result.delivered, true);
      await inbox.waitFor(1);
      const [mail] = inbox.messages;
      assert.deepEqual([...(mail?.recipients ?? [])].sort(), ['alice@acme.test', 'bob@acme.test']);
      assert.deepEqual(mail?.to, ['alice@acme.test']);
      assert.equal(mail?.subject, 'パスワード再設定 Bcc: mallory@evil.test');
      assert.match(mail?.text ?? '', /本文です。/);
      assert.equal(mail?.headers.get('bcc'), undefined, 'Bcc is not a header the recipients see');
      assert.equal(mail?.headers.get('x-redmine-host'), 'acme.localhost');
    } finally {
      mailer.close();
      inbox.clear();
    }
  });

  test('an unreachable server is answered as not delivered', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', fileDir: '/nonexistent', logger: undefined });
    try {
      const result = await mailer.send({ from: 'kanri@acme.test', to: ['alice@acme.test'], subject: 's', text: 't' });
      assert.equal(result.delivered, false);
    } finally {
      mailer.close();
    }
  });

  test('without SMTP_URL the message is written as an .eml file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kanri-mail-'));
    const mailer = createMailer({ smtpUrl: undefined, fileDir: join(dir, 'mail'), logger: undefined });
    try {
      assert.equal((await mailer.send({ from: 'kanri@acme.test', to: ['alice@acme.test'], subject: 'Hello', text: 'body' })).delivered, true);
      const files = await readdir(join(dir, 'mail'));
      assert.equal(files.length, 1);
      assert.match(await readFile(join(dir, 'mail', files[0] ?? ''), 'utf8'), /Subject: Hello/);
    } finally {
      mailer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
