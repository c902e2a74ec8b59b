/**
 * A real SMTP server for tests (the `smtp-server` package on 127.0.0.1, any free port): Kanri's
 * mailer talks SMTP to it as to a provider, and each message is parsed (mailparser) so tests read
 * decoded subjects and bodies. Point a test app at it with `SMTP_URL: inbox.url`.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), which include Bcc. */
  readonly recipients: readonly string[];
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly headers: ParsedMail['headers'];
}

export interface Inbox {
  readonly url: string;
  readonly messages: readonly ReceivedMail[];
  /** Messages to `address` (envelope), oldest first. */
  to(address: string): ReceivedMail[];
  /** Waits until `count` messages have arrived in all (delivery is asynchronous to the reply). */
  waitFor(count: number, timeoutMillis?: number): Promise<void>;
  clear(): void;
  close(): Promise<void>;
}

export async function startInbox(): Promise<Inbox> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream)
        .then((mail) => {
          const addresses = (field: ParsedMail['to']) =>
            (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          messages.push({
            recipients,
            from: addresses(mail.from)[0] ?? '',
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            headers: mail.headers,
          });
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.recipients.includes(address.toLowerCase())),
    async waitFor(count, timeoutMillis = 10_000) {
      const until = Date.now() + timeoutMillis;
      while (messages.length < count) {
        if (Date.now() > until) {
          throw new Error(`expected ${count} mail(s), got ${messages.length}: ${messages.map((m) => m.subject).join(' | ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
