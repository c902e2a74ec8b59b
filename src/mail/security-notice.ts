/**
 * What every tenant mail about security shares: where it goes (the tenant's mailer, settings and
 * address), the reader's language and clock, and Redmine's "security notification" layout — what
 * happened, where to look, by whom, from which address, when, and "if this was not you". The
 * features (passwords, 2FA, the IP filter) only say what happened.
 */
import type { Settings } from '#src/features/settings/index.ts';
import { isLanguage, translator, type Language, type Translate } from '#src/i18n/index.ts';
import { createFormatter } from '#src/views/format.ts';
import type { Mailer } from './mailer.ts';

/** Where and how a tenant's mail goes, and the address its links start with. */
export interface TenantMailContext {
  readonly mailer: Mailer;
  readonly tenant: { readonly account: string };
  readonly settings: Settings;
  /** `https://acme.example.com`, no trailing slash. */
  readonly baseUrl: string;
}

export interface MailText {
  readonly subject: string;
  readonly body: string;
}

/** The reader's language: theirs, else the tenant's default, else English. */
export function recipientLanguage(language: string | null | undefined, settings: Settings): Language {
  return language && isLanguage(language) ? language : isLanguage(settings.default_language) ? settings.default_language : 'en';
}

/** `2026-11-26 16:30 (Asia/Tokyo)`: an instant as the reader would read it, zone named. */
export function readerTime(lang: Language, settings: Settings, timeZone: string, at: Date): string {
  const format = createFormatter({
    lang,
    t: translator(lang),
    timeZone,
    dateFormat: settings.date_format,
    timeFormat: settings.time_format,
    userFormat: settings.user_format,
    now: at,
  });
  return `${format.time(at)} (${format.timeZone})`;
}

export interface SecurityNoticeFacts {
  /** What happened, in the reader's language. */
  readonly message: string;
  /** The page where the reader can look at it. */
  readonly url: string;
  /** Who did it. */
  readonly login: string;
  readonly ip: string;
  /** When, as `readerTime` writes it. */
  readonly time: string;
  /** Lines after the facts (what changed). */
  readonly more?: readonly string[] | undefined;
}

export function securityNoticeText(t: Translate, appTitle: string, facts: SecurityNoticeFacts): MailText {
  return {
    subject: `[${appTitle}] ${t('mail_subject_security_notification')}`,
    body: [
      facts.message,
      '',
      facts.url,
      '',
      `${t('field_user')}: ${facts.login}`,
      `${t('field_remote_ip')}: ${facts.ip}`,
      `${t('label_date')}: ${facts.time}`,
      ...(facts.more ?? []),
      '',
      t('text_security_notification_not_you'),
    ].join('\n'),
  };
}
