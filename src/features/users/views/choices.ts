/** Choices of the user form: languages, time zones, e-mail notification options. */
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { timeZoneChoices } from '#src/lib/time-zones.ts';
import type { SelectOption } from '#src/views/form.tsx';

const LANGUAGE_NAMES: readonly [string, MessageKey][] = [
  ['en', 'general_lang_name_en'],
  ['ja', 'general_lang_name_ja'],
];

/** The languages Kanri speaks (without the blank "(auto)"). */
export function languageOptions(t: Translate): SelectOption[] {
  return LANGUAGE_NAMES.map(([value, key]) => ({ value, label: t(key) }));
}

/** IANA time zones, as the runtime knows them. */
export function timeZoneOptions(): readonly SelectOption[] {
  return timeZoneChoices();
}

const MAIL_OPTIONS: readonly [string, MessageKey][] = [
  ['all', 'label_user_mail_option_all'],
  ['selected', 'label_user_mail_option_selected'],
  ['only_my_events', 'label_user_mail_option_only_my_events'],
  ['only_assigned', 'label_user_mail_option_only_assigned'],
  ['only_owner', 'label_user_mail_option_only_owner'],
  ['none', 'label_user_mail_option_none'],
];

export function mailNotificationOptions(t: Translate): SelectOption[] {
  return MAIL_OPTIONS.map(([value, key]) => ({ value, label: t(key) }));
}
