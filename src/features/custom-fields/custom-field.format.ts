/**
 * Field formats (Redmine's Redmine::FieldFormat): for each format, how one value is normalised, which
 * values are acceptable, how the field filters issue lists and which options the API lists. Pure:
 * anything that needs the database (which users or versions a field may point to) comes in through
 * `ValueCheckContext`.
 */
import type { CustomFieldDef } from './custom-field.repository.ts';

/** The Redmine validation messages custom values can produce (prefixed with the field name by the caller). */
export const MESSAGES = {
  blank: 'cannot be blank',
  invalid: 'is invalid',
  inclusion: 'is not included in the list',
  notANumber: 'is not a number',
  notADate: 'is not a valid date',
  tooLong: (count: number) => `is too long (maximum is ${count} characters)`,
  tooShort: (count: number) => `is too short (minimum is ${count} characters)`,
} as const;

/** Query filter types a format filters as (contract §5.2); undefined for formats that cannot be filtered. */
export type FilterType = 'string' | 'text' | 'integer' | 'float' | 'date' | 'list_optional';

export type FormatField = Pick<
  CustomFieldDef,
  'fieldFormat' | 'regexp' | 'minLength' | 'maxLength' | 'possibleValues' | 'enumerations' | 'multiple'
>;

export interface ValueCheckContext {
  /**
   * The ids a user, version or attachment field may hold here. Undefined: not checked against records
   * (any integer id passes) — callers that know the project should always pass them.
   */
  readonly allowedIds?: ReadonlySet<number> | undefined;
}

export interface FieldFormat {
  readonly name: string;
  readonly multipleSupported: boolean;
  readonly searchableSupported: boolean;
  readonly filterType: FilterType | undefined;
  /** One value as it is stored (bool: "true" → "1"); blanks are never passed. */
  normalize(value: string): string;
  /**
   * Messages for the non-blank `values` of the field. `previous` are the values stored before (and, for
   * a new record, the default): a list option that has since been removed stays acceptable.
   */
  validate(field: FormatField, values: readonly string[], previous: readonly string[], context: ValueCheckContext): string[];
}

// Ruby regular expressions (the custom field's `regexp`) in JavaScript: `^`/`$` are line anchors in
// Ruby (the 'm' flag here); \A, \z, \Z and \h have no JavaScript spelling and are rewritten.
const RUBY_ESCAPES: Readonly<Record<string, string>> = {
  A: '(?<![\\s\\S])',
  z: '(?![\\s\\S])',
  Z: '(?=\\n?(?![\\s\\S]))',
  h: '[0-9a-fA-F]',
  H: '[^0-9a-fA-F]',
};
const regexpCache = new Map<string, RegExp | null>();

/** The field's regexp as a JavaScript RegExp, or null when it cannot be compiled here. */
export function rubyRegexp(source: string): RegExp | null {
  let compiled = regexpCache.get(source);
  if (compiled === undefined) {
    const translated = source.replace(/\\(.)/gs, (escape: string, char: string) => RUBY_ESCAPES[char] ?? escape);
    try {
      compiled = new RegExp(translated, 'm');
    } catch {
      compiled = null;
    }
    regexpCache.set(source, compiled);
  }
  return compiled;
}

/** Length in characters (code points), as Ruby counts them. */
function lengthOf(value: string): number {
  let n = 0;
  for (const _ of value) {
    n += 1;
  }
  return n;
}

/** Redmine's Unbounded checks: regexp (an uncompilable one accepts nothing), minimum and maximum length. */
function unboundedErrors(field: FormatField, value: string): string[] {
  const errors: string[] = [];
  if (field.regexp !== '' && !(rubyRegexp(field.regexp)?.test(value) ?? false)) {
    errors.push(MESSAGES.invalid);
  }
  const length = lengthOf(value);
  if (field.minLength !== null && length < field.minLength) {
    errors.push(MESSAGES.tooShort(field.minLength));
  }
  if (field.maxLength !== null && field.maxLength > 0 && length > field.maxLength) {
    errors.push(MESSAGES.tooLong(field.maxLength));
  }
  return errors;
}

/** Each value checked alone; the messages of all values, each once. */
function perValue(check: (field: FormatField, value: string) => string[]): FieldFormat['validate'] {
  return (field, values) => [...new Set(values.flatMap((value) => check(field, value)))];
}

/** Values must be among the options (or already stored). */
function inclusion(options: (field: FormatField, context: ValueCheckContext) => ReadonlySet<string> | undefined): FieldFormat['validate'] {
  return (field, values, previous, context) => {
    const allowed = options(field, context);
    const isAllowed = (value: string) => previous.includes(value) || (allowed ? allowed.has(value) : /^\d{1,9}$/.test(value));
    return values.every(isAllowed) ? [] : [MESSAGES.inclusion];
  };
}

const INTEGER = /^[+-]?\d+$/;
// Kernel.Float: decimal with optional fraction and exponent (underscores between digits), or hexadecimal.
const FLOAT = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?|0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const identity = (value: string) => value;
const idsOf = (context: ValueCheckContext) => (context.allowedIds ? new Set([...context.allowedIds].map(String)) : undefined);

const base = { multipleSupported: false, searchableSupported: false, normalize: identity } as const;

const FORMATS: Readonly<Record<string, FieldFormat>> = {
  string: { ...base, name: 'string', searchableSupported: true, filterType: 'string', validate: perValue(unboundedErrors) },
  text: { ...base, name: 'text', searchableSupported: true, filterType: 'text', validate: perValue(unboundedErrors) },
  link: { ...base, name: 'link', filterType: 'string', validate: perValue(unboundedErrors) },
  int: {
    ...base,
    name: 'int',
    filterType: 'integer',
    validate: perValue((field, value) => [...unboundedErrors(field, value), ...(INTEGER.test(value.trim()) ? [] : [MESSAGES.notANumber])]),
  },
  float: {
    ...base,
    name: 'float',
    filterType: 'float',
    validate: perValue((field, value) => [...unboundedErrors(field, value), ...(FLOAT.test(value.trim()) ? [] : [MESSAGES.invalid])]),
  },
  // Redmine's DateFormat replaces the Unbounded checks (no regexp, no lengths).
  date: { ...base, name: 'date', filterType: 'date', validate: perValue((_field, value) => (isIsoDate(value) ? [] : [MESSAGES.notADate])) },
  list: {
    ...base,
    name: 'list',
    multipleSupported: true,
    searchableSupported: true,
    filterType: 'list_optional',
    validate: inclusion((field) => new Set(field.possibleValues)),
  },
  bool: {
    ...base,
    name: 'bool',
    filterType: 'list_optional',
    // Clients send JSON booleans and Rails-style words; Redmine stores "1" and "0".
    normalize: (value) => {
      const word = value.trim().toLowerCase();
      return word === 'true' ? '1' : word === 'false' ? '0' : value;
    },
    validate: inclusion(() => new Set(['1', '0'])),
  },
  enumeration: {
    ...base,
    name: 'enumeration',
    multipleSupported: true,
    filterType: 'list_optional',
    validate: inclusion((field) => new Set(field.enumerations.filter((e) => e.active).map((e) => String(e.id)))),
  },
  user: { ...base, name: 'user', multipleSupported: true, filterType: 'list_optional', validate: inclusion((_field, context) => idsOf(context)) },
  version: { ...base, name: 'version', multipleSupported: true, filterType: 'list_optional', validate: inclusion((_field, context) => idsOf(context)) },
  // Attachment values are attachment ids; only ids the caller vouches for (or the stored one) are accepted.
  attachment: {
    ...base,
    name: 'attachment',
    filterType: undefined,
    validate: (_field, values, previous, context) =>
      values.every((value) => previous.includes(value) || (context.allowedIds?.has(Number(value)) ?? false)) ? [] : [MESSAGES.invalid],
  },
};

/** Formats Redmine does not know (plugins) accept anything, like Redmine's base format. */
const UNKNOWN: FieldFormat = { ...base, name: '', filterType: undefined, validate: () => [] };

export function formatOf(name: string): FieldFormat {
  return Object.hasOwn(FORMATS, name) ? (FORMATS[name] ?? UNKNOWN) : UNKNOWN;
}

/** Formats whose values are record ids the caller must resolve per project. */
export function isRecordFormat(name: string): name is 'user' | 'version' {
  return name === 'user' || name === 'version';
}
