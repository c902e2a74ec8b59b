/**
 * Outgoing mail for the whole process. With `SMTP_URL` set, messages go over a real SMTP conversation
 * (nodemailer, pooled connections; `smtps://` for implicit TLS, STARTTLS when the server offers it).
 * Without it — a developer's machine, `npm start` — each message is written as an `.eml` file under
 * `<data dir>/mail/` and the log says where, so a password-reset link can still be followed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '#src/logging/logger.ts';

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly bcc?: readonly string[] | undefined;
  readonly subject: string;
  readonly text: string;
  readonly html?: string | undefined;
  /** Extra headers (`X-Redmine-…`, `Auto-Submitted`…). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export type Delivery = { readonly delivered: true; readonly messageId: string } | { readonly delivered: false; readonly error: string };

export interface Mailer {
  /** Sends one message; a failure is logged and answered, never thrown (the change it reports stands). */
  send(message: MailMessage, context?: Readonly<Record<string, unknown>>): Promise<Delivery>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:587`, `smtps://host:465`; undefined writes files to `fileDir`. */
  readonly smtpUrl: string | undefined;
  readonly fileDir: string;
  readonly logger: Logger | undefined;
}

// A header value must stay one line: CR/LF in a subject or an address would add headers.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

export function createMailer(options: MailerOptions): Mailer {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl, { pool: true, maxConnections: 2 } as never)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let written = 0;
  return {
    async send(message, context = {}) {
      const envelope = {
        from: oneLine(message.from),
        to: message.to.map(oneLine),
        ...(message.bcc && message.bcc.length > 0 ? { bcc: message.bcc.map(oneLine) } : {}),
        subject: oneLine(message.subject),
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [oneLine(k), oneLine(v)])),
      };
      try {
        const info = (await transport.sendMail(envelope)) as { messageId: string; message?: Buffer };
        if (!options.smtpUrl && info.message) {
          await mkdir(options.fileDir, { recursive: true });
          written += 1;
          const file = join(options.fileDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${written}.eml`);
          await writeFile(file, info.message);
          options.logger?.info({ category: 'mail', ...context, file }, 'mail written to a file (no SMTP_URL)');
        } else {
          options.logger?.info({ category: 'mail', ...context, messageId: info.messageId }, 'mail sent');
        }
        return { delivered: true, messageId: info.messageId };
      } catch (error) {
        const reason = (error as Error).message || String(error);
        options.logger?.error({ category: 'mail', ...context, err: reason }, 'mail delivery failed');
        return { delivered: false, error: reason };
      }
    },
    close() {
      transport.close();
    },
  };
}
