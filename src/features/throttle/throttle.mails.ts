/** The mail a user gets when their account is soft-locked (once per lock). */
import type { Translate } from '#src/i18n/index.ts';

export interface SoftLockMailInput {
  /** The user's name as the mail greets them. */
  readonly name: string;
  readonly login: string;
  /** The tenant's host name (Redmine's `host_name` setting). */
  readonly host: string;
  /** The address of the attempt that started the lock. */
  readonly ip: string;
  readonly until: Date;
}

/** `2026-11-26 07:30 UTC`: the mail cannot know which time zone the reader is in when it arrives. */
export function formatLockEnd(until: Date): string {
  return `${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function softLockMail(t: Translate, input: SoftLockMailInput): { subject: string; body: string } {
  return {
    subject: t('mail_subject_soft_lock'),
    body: t('mail_body_soft_lock', { name: input.name, login: input.login, host: input.host, ip: input.ip, until: formatLockEnd(input.until) }),
  };
}
