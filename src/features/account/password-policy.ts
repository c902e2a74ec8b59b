/**
 * The tenant's password policy (security.md §3), one definition for every place a password is set:
 * sign-up, the CLI, the users API and the administrator's form, /my/password and the lost-password
 * reset. Passwords are taken exactly as typed — any Unicode, spaces and emoji included, never trimmed
 * or normalised — and measured in Unicode code points, as Redmine (Ruby) counts characters.
 */
import { randomInt } from 'node:crypto';
import { parseSettingList, type SettingName } from '#src/features/settings/index.ts';

/** Redmine's `Setting::PASSWORD_CHAR_CLASSES`, in Redmine's order. */
export const PASSWORD_CHAR_CLASSES = ['uppercase', 'lowercase', 'digits', 'special_chars'] as const;
export type PasswordCharClass = (typeof PASSWORD_CHAR_CLASSES)[number];

/**
 * Redmine's patterns: only ASCII counts. "Special" is a printable ASCII character that is neither a
 * letter nor a digit (Ruby's `[[:ascii:]&&[:graph:]&&[:^alnum:]]`); a non-ASCII character is of no class.
 */
const CLASS_PATTERNS: Readonly<Record<PasswordCharClass, RegExp>> = {
  uppercase: /[A-Z]/,
  lowercase: /[a-z]/,
  digits: /[0-9]/,
  special_chars: /[!-/:-@[-`{-~]/,
};

/** Redmine's messages (`must_contain_*`), as full messages on the Password attribute. */
const CLASS_MESSAGES: Readonly<Record<PasswordCharClass, string>> = {
  uppercase: 'Password must contain uppercase letters (A-Z)',
  lowercase: 'Password must contain lowercase letters (a-z)',
  digits: 'Password must contain digits (0-9)',
  special_chars: 'Password must contain special characters (!, $, %, ...)',
};

/** Longest password accepted anywhere: hashing a megabyte on every attempt would be a cheap DoS. */
export const PASSWORD_MAX_LENGTH = 1024;

/** How long a password someone else chose (administrator, operator) works before its first use. */
export const TEMPORARY_PASSWORD_LIFETIME_MS = 72 * 3600_000;

export interface PasswordRules {
  /** `password_min_length`. */
  readonly minLength: number;
  /** `password_required_char_classes`. */
  readonly requiredCharClasses: readonly PasswordCharClass[];
}

export type PasswordSettings = Readonly<Record<Extract<SettingName, 'password_min_length' | 'password_required_char_classes'>, string>>;

/** The rules a tenant's settings ask for (values were validated when stored; defaults otherwise). */
export function passwordRulesOf(settings: PasswordSettings): PasswordRules {
  const min = Number(settings.password_min_length);
  const classes = parseSettingList(settings.password_required_char_classes) ?? [];
  return {
    minLength: Number.isInteger(min) && min > 0 ? min : 8,
    requiredCharClasses: PASSWORD_CHAR_CLASSES.filter((c) => classes.includes(c)),
  };
}

/** Length in Unicode code points: an emoji is one character, not two UTF-16 units. */
export function passwordLength(password: string): number {
  let count = 0;
  for (const _ of password) {
    count++;
  }
  return count;
}

export function isPasswordTooLong(password: string): boolean {
  // Cheap first: a string of more UTF-16 units than twice the cap has more code points than the cap.
  return password.length > 2 * PASSWORD_MAX_LENGTH || passwordLength(password) > PASSWORD_MAX_LENGTH;
}

/** The account a password is for: it may equal none of these, whatever the case. */
export interface PasswordOwner {
  readonly login?: string | undefined;
  readonly firstname?: string | undefined;
  readonly lastname?: string | undefined;
  /** Every e-mail address of the user (and one being set with the password). */
  readonly mails?: readonly (string | null | undefined)[] | undefined;
}

/**
 * Ruby's `casecmp?` compares Unicode case-folded strings; upper- then lower-casing folds the cases
 * that matter here (including ß → ss), without locale rules.
 */
function folded(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/**
 * Every rule `password` breaks, as Redmine's full messages ("Password is too short (minimum is 8
 * characters)"), in Redmine's order; empty when it is acceptable. `confirmation`, when given, must be
 * identical. Nothing is trimmed: " secret " is not "secret".
 */
export function passwordErrors(password: string, rules: PasswordRules, owner: PasswordOwner = {}, confirmation?: string): string[] {
  if (isPasswordTooLong(password)) {
    return [`Password is too long (maximum is ${PASSWORD_MAX_LENGTH} characters)`];
  }
  const errors: string[] = [];
  if (password !== '') {
    for (const charClass of rules.requiredCharClasses) {
      if (!CLASS_PATTERNS[charClass].test(password)) {
        errors.push(CLASS_MESSAGES[charClass]);
      }
    }
  }
  if (passwordLength(password) < rules.minLength) {
    errors.push(`Password is too short (minimum is ${rules.minLength} characters)`);
  }
  const taken = [owner.login, owner.firstname, owner.lastname, ...(owner.mails ?? [])].filter((v): v is string => !!v);
  if (password !== '' && taken.some((value) => folded(value) === folded(password))) {
    errors.push('Password is too simple');
  }
  if (confirmation !== undefined && confirmation !== password) {
    errors.push("Password doesn't match confirmation");
  }
  return errors;
}

// Redmine leaves out characters read wrongly off a screen (0O1l|'"`*); so does Kanri, and I as well.
const AMBIGUOUS = new Set([...'0O1lI|\'"`*']);
const pool = (from: number, to: number, keep: (c: string) => boolean = () => true): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)).filter((c) => keep(c) && !AMBIGUOUS.has(c));
const UPPER = pool(0x41, 0x5a);
const LOWER = pool(0x61, 0x7a);
const DIGITS = pool(0x30, 0x39);
const SPECIAL = pool(0x21, 0x7e, (c) => CLASS_PATTERNS.special_chars.test(c));

/**
 * A password an administrator generates for a user (Redmine's User#random_password): max(min + 2, 10)
 * characters, at least one uppercase letter, lowercase letter and digit, and a special character when
 * the policy requires them (only then, as in Redmine), none of the ambiguous ones, shuffled.
 */
export function generateTemporaryPassword(rules: PasswordRules): string {
  const length = Math.min(PASSWORD_MAX_LENGTH, Math.max(rules.minLength + 2, 10));
  const sets = [UPPER, LOWER, DIGITS, ...(rules.requiredCharClasses.includes('special_chars') ? [SPECIAL] : [])];
  const all = sets.flat();
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) {
    chars.push(all[randomInt(all.length)]!);
  }
  // Fisher–Yates, so the guaranteed characters are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * Redmine's User#password_expired?: with `password_max_age` days set, a password changed longer ago
 * has expired; one never recorded as changed (imported accounts) counts as changed at the epoch.
 */
export function isPasswordExpired(passwdChangedOn: Date | null, maxAgeDays: number, now: Date): boolean {
  if (!Number.isInteger(maxAgeDays) || maxAgeDays <= 0) {
    return false;
  }
  const changed = passwdChangedOn?.getTime() ?? 0;
  return changed < now.getTime() - maxAgeDays * 86_400_000;
}
