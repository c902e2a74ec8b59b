/**
 * The e-mails of accounts: the lost-password link, the account information an administrator sends (a
 * link to choose a password — never a password, security.md §3), and the "password changed" security
 * notification. Plain text in the recipient's language (theirs, else the tenant's default), sent
 * through the tenant's mail settings.
 */
import type { FastifyRequest } from 'fastify';
import type { Settings } from '#src/features/settings/index.ts';
import { tenantBaseUrl } from '#src/http/tenant-url.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { translator, type Translate } from '#src/i18n/index.ts';
import type { Delivery } from '#src/mail/mailer.ts';
import { readerTime, recipientLanguage, securityNoticeText, type MailText, type TenantMailContext } from '#src/mail/security-notice.ts';
import { sendTenantMail } from '#src/mail/tenant-mail.ts';
import type { Platform } from '#src/platform/platform.ts';
import { PASSWORD_TOKEN_VALIDITY_MS, type PasswordTokenAction } from './password-reset.repository.ts';
import { findPreferences } from './user.repository.ts';

export type AccountMailContext = TenantMailContext;

export function accountMailContext(platform: Platform, request: FastifyRequest): AccountMailContext {
  const { tenant, settings } = tenantOf(request);
  return { mailer: platform.mailer, tenant, settings, baseUrl: tenantBaseUrl(platform, request) };
}

/** The recipient of a mail about their own account. */
export interface MailRecipient {
  readonly login: string;
  readonly language: string;
  readonly mail: string | null;
}

function translatorFor(user: MailRecipient, settings: Settings): Translate {
  return translator(recipientLanguage(user.language, settings));
}

/** The page a password link opens; the token leaves the address bar at once (lost-password.pages.tsx). */
export function passwordLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/account/lost_password?token=${encodeURIComponent(token)}`;
}

const hoursOf = (action: PasswordTokenAction) => String(PASSWORD_TOKEN_VALIDITY_MS[action] / 3600_000);

export function lostPasswordMail(t: Translate, appTitle: string, login: string, link: string): MailText {
  return {
    subject: t('mail_subject_lost_password', { value: appTitle }),
    body: [t('mail_body_lost_password'), link, '', t('mail_body_lost_password_validity', { hours: hoursOf('recovery') }), '', `${t('field_login')}: ${login}`].join('\n'),
  };
}

export function accountInformationMail(t: Translate, appTitle: string, login: string, link: string, signInUrl: string): MailText {
  return {
    subject: t('mail_subject_account_information', { value: appTitle }),
    body: [
      `${t('mail_body_account_information')}:`,
      `* ${t('field_login')}: ${login}`,
      '',
      t('mail_body_account_information_set_password', { hours: hoursOf('set_password') }),
      link,
      '',
      `${t('label_login')}: ${signInUrl}`,
    ].join('\n'),
  };
}

async function deliver(ctx: AccountMailContext, to: string, text: MailText): Promise<Delivery> {
  return sendTenantMail(ctx.mailer, ctx.tenant, ctx.settings, { to: [to], subject: text.subject, body: text.body });
}

/** The lost-password link, to the address the request named (one of the user's). */
export function deliverLostPassword(ctx: AccountMailContext, user: MailRecipient, recipient: string, token: string): Promise<Delivery> {
  const t = translatorFor(user, ctx.settings);
  return deliver(ctx, recipient, lostPasswordMail(t, ctx.settings.app_title, user.login, passwordLinkUrl(ctx.baseUrl, token)));
}

/** Login, sign-in address and a link to choose a password, to the user's default address. */
export async function deliverAccountInformation(ctx: AccountMailContext, user: MailRecipient, token: string): Promise<Delivery> {
  if (!user.mail) {
    return { delivered: false, error: 'the user has no e-mail address' };
  }
  const t = translatorFor(user, ctx.settings);
  return deliver(ctx, user.mail, accountInformationMail(t, ctx.settings.app_title, user.login, passwordLinkUrl(ctx.baseUrl, token), `${ctx.baseUrl}/login`));
}

/** "Your password has been changed", with when (in the user's time zone) and from which address. */
export async function deliverPasswordChanged(ctx: AccountMailContext, user: MailRecipient, change: { ip: string; at: Date; timeZone: string }): Promise<Delivery> {
  if (!user.mail) {
    return { delivered: false, error: 'the user has no e-mail address' };
  }
  const lang = recipientLanguage(user.language, ctx.settings);
  const t = translator(lang);
  const time = readerTime(lang, ctx.settings, change.timeZone, change.at);
  return deliver(ctx, user.mail, securityNoticeText(t, ctx.settings.app_title, { message: t('mail_body_password_updated'), url: `${ctx.baseUrl}/my/password`, login: user.login, ip: change.ip, time }));
}

/**
 * Sends the "password changed" notice for a change just made by this request. What it needs from the
 * database is read now (the request's database lease ends with the response); the SMTP conversation
 * runs on after the response, so the user does not wait for it.
 */
export async function notifyPasswordChanged(platform: Platform, request: FastifyRequest, user: MailRecipient & { readonly id: number }, at: Date): Promise<void> {
  const ctx = accountMailContext(platform, request);
  const { timeZone } = await findPreferences(tenantOf(request).db.orm, user.id);
  void deliverPasswordChanged(ctx, user, { ip: request.ip, at, timeZone });
}
