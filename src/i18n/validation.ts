/**
 * Validation messages in the page's language. Services refuse input with Redmine's English full
 * messages ("Subject cannot be blank"), which is what the REST API answers; a page shows them
 * translated: the attribute through its `field_*` label, the rule through an `error_field_*` message.
 * A message of another shape is shown as it is.
 */
import type { Translate } from './index.ts';
import { en, type MessageKey } from './locales.ts';

type RuleKey = Extract<MessageKey, `error_field_${string}`>;

const RULES: readonly [RegExp, RuleKey][] = [
  [/^cannot be blank$/, 'error_field_blank'],
  [/^is invalid$/, 'error_field_invalid'],
  [/^has already been taken$/, 'error_field_taken'],
  [/^is not included in the list$/, 'error_field_inclusion'],
  [/^is not a number$/, 'error_field_not_a_number'],
  [/^is not a valid date$/, 'error_field_not_a_date'],
  [/^is too long \(maximum is (\d+) characters\)$/, 'error_field_too_long'],
  [/^is too short \(minimum is (\d+) characters\)$/, 'error_field_too_short'],
  [/^must be greater than or equal to (\S+)$/, 'error_field_greater_than_or_equal_to'],
  [/^must be greater than (\S+)$/, 'error_field_greater_than'],
  [/^must be less than or equal to (\S+)$/, 'error_field_less_than_or_equal_to'],
  [/^must be less than (\S+)$/, 'error_field_less_than'],
  [/^doesn't match confirmation$/, 'error_field_confirmation_mismatch'],
  [/^doesn't match (.+)$/, 'error_field_confirmation'],
];

/** Whole messages that are no "<Attribute> <rule>" (Redmine's own notices). */
const WHOLE: Readonly<Record<string, MessageKey>> = {
  'Wrong password': 'notice_account_wrong_password',
  'Your new password must be different from your current password': 'notice_new_password_must_be_different',
  // The password policy's own rules (features/account/password-policy.ts).
  'Password must contain uppercase letters (A-Z)': 'error_password_must_contain_uppercase',
  'Password must contain lowercase letters (a-z)': 'error_password_must_contain_lowercase',
  'Password must contain digits (0-9)': 'error_password_must_contain_digits',
  'Password must contain special characters (!, $, %, ...)': 'error_password_must_contain_special_chars',
  'Password is too simple': 'error_password_too_simple',
};

let labels: Map<string, MessageKey> | undefined;

/** English label → its `field_*` key (the first key wins when two share a label). */
function labelKeys(): Map<string, MessageKey> {
  if (!labels) {
    labels = new Map();
    for (const [key, text] of Object.entries(en) as [MessageKey, string][]) {
      if (key.startsWith('field_') && !labels.has(text)) {
        labels.set(text, key);
      }
    }
  }
  return labels;
}

/** The message in the page's language. */
export function localizeValidationMessage(message: string, t: Translate): string {
  const whole = WHOLE[message];
  if (whole) {
    return t(whole);
  }
  const keys = labelKeys();
  // The attribute is the longest known label the message starts with, else its first word(s) before a rule.
  for (const [pattern, rule] of RULES) {
    for (let space = message.indexOf(' '); space > 0; space = message.indexOf(' ', space + 1)) {
      const match = pattern.exec(message.slice(space + 1));
      if (!match) {
        continue;
      }
      const attribute = message.slice(0, space);
      const key = keys.get(attribute);
      const other = match[1] !== undefined ? (keys.get(match[1]) ? t(keys.get(match[1])!) : match[1]) : '';
      return t(rule, { attribute: key ? t(key) : attribute, count: other, other });
    }
  }
  return message;
}
