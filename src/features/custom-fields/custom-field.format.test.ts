/** Each field format's rules, through validateCustomValues as the issue feature calls it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatOf, isIsoDate, rubyRegexp } from './custom-field.format.ts';
import type { CustomFieldDef } from './custom-field.repository.ts';
import { validateCustomValues, type CustomValueContext } from './custom-value.rules.ts';

function field(overrides: Partial<CustomFieldDef> = {}): CustomFieldDef {
  return {
    id: 1, name: 'Database', type: 'IssueCustomField', fieldFormat: 'string', multiple: false, isRequired: false,
    defaultValue: null, possibleValues: [], regexp: '', minLength: null, maxLength: null, visible: true, roleIds: [],
    trackerIds: [], isForAll: true, editable: true, formatStore: {}, enumerations: [], isFilter: false, searchable: false,
    description: null, position: 1, ...overrides,
  };
}

const NEW: CustomValueContext = { isNew: true, existing: new Map() };

/** Validates one submitted value of one field on a new record. */
function check(def: CustomFieldDef, value: string | string[] | undefined, context: CustomValueContext = NEW) {
  const values = new Map<number, string | string[]>(value === undefined ? [] : [[def.id, value]]);
  return validateCustomValues([def], values, context);
}

const errorsOf = (def: CustomFieldDef, value: string | string[] | undefined, context?: CustomValueContext) => check(def, value, context).errors;

describe('string, text and link: regexp and lengths', () => {
  test('any text is valid, stored verbatim (SQL and HTML included)', () => {
    for (const text of ["x'); DROP TABLE issues;--", '<script>alert(1)</script>', ' spaced ', 'ünïcødé']) {
      assert.deepEqual(check(field(), text), { values: new Map([[1, [text]]]), errors: [] });
    }
  });

  test('regexp: Ruby semantics (line anchors, \\A \\z)', () => {
    const strict = field({ regexp: '^[A-Z]{3}$' });
    assert.deepEqual(errorsOf(strict, 'ABC'), []);
    assert.deepEqual(errorsOf(strict, 'abc'), ['Database is invalid']);
    assert.deepEqual(errorsOf(field({ regexp: '\\A\\d+\\z' }), '12'), []);
    assert.deepEqual(errorsOf(field({ regexp: '\\A\\d+\\z' }), '12\nx'), ['Database is invalid']);
    assert.deepEqual(errorsOf(field({ regexp: '^\\d+$' }), 'x\n12'), [], 'Ruby ^ and $ match at line boundaries');
    assert.deepEqual(errorsOf(field({ regexp: 'abc' }), 'xxabcxx'), [], 'unanchored: a match anywhere');
    assert.deepEqual(errorsOf(field({ regexp: '(' }), 'anything'), ['Database is invalid'], 'an uncompilable regexp accepts nothing');
    assert.equal(rubyRegexp('\\h+')?.test('beef'), true);
  });

  test('min and max length count characters; max 0 means no limit; blank is not checked', () => {
    const bounded = field({ minLength: 2, maxLength: 4 });
    assert.deepEqual(errorsOf(bounded, 'abc'), []);
    assert.deepEqual(errorsOf(bounded, 'a'), ['Database is too short (minimum is 2 characters)']);
    assert.deepEqual(errorsOf(bounded, 'abcde'), ['Database is too long (maximum is 4 characters)']);
    assert.deepEqual(errorsOf(bounded, '日本語'), [], 'three characters, nine bytes');
    assert.deepEqual(errorsOf(bounded, '😀😀😀😀'), [], 'astral characters count once');
    assert.deepEqual(errorsOf(bounded, ''), []);
    assert.deepEqual(errorsOf(field({ maxLength: 0 }), 'x'.repeat(500)), []);
  });

  test('text and link formats follow the same rules', () => {
    assert.deepEqual(errorsOf(field({ fieldFormat: 'text', maxLength: 3 }), 'abcd'), ['Database is too long (maximum is 3 characters)']);
    assert.deepEqual(errorsOf(field({ fieldFormat: 'link', regexp: '^https?://' }), 'ftp://x'), ['Database is invalid']);
    assert.deepEqual(errorsOf(field({ fieldFormat: 'link' }), 'http://example.com/?a=1&b=<2>'), []);
  });
});

describe('numbers and dates', () => {
  test('int: optional sign, digits, surrounding blanks; stored as given', () => {
    const int = field({ fieldFormat: 'int' });
    for (const ok of ['52', '-3', '+7', ' 12 ', '0']) {
      assert.deepEqual(check(int, ok), { values: new Map([[1, [ok]]]), errors: [] }, ok);
    }
    for (const bad of ['1.5', 'abc', '1e3', '12abc', '0x1A']) {
      assert.deepEqual(errorsOf(int, bad), ['Database is not a number'], bad);
    }
    assert.deepEqual(errorsOf(field({ fieldFormat: 'int', maxLength: 2 }), '123'), ['Database is too long (maximum is 2 characters)']);
  });

  test('float: what Ruby Float() accepts', () => {
    const float = field({ fieldFormat: 'float' });
    for (const ok of ['1.5', '-2', '1e5', '1_000.25', '0x1A', ' 3.0 ']) {
      assert.deepEqual(errorsOf(float, ok), [], ok);
    }
    for (const bad of ['1,5', '.5', '1.', 'abc', '1.2.3']) {
      assert.deepEqual(errorsOf(float, bad), ['Database is invalid'], bad);
    }
  });

  test('date: YYYY-MM-DD of a real day, no regexp or length checks', () => {
    const date = field({ fieldFormat: 'date', regexp: '^x$', maxLength: 2 });
    assert.deepEqual(errorsOf(date, '2024-02-29'), []);
    for (const bad of ['2023-02-29', '2024-13-01', '24-01-01', '2024/01/01', '2024-01-01T10:00']) {
      assert.deepEqual(errorsOf(date, bad), ['Database is not a valid date'], bad);
    }
    assert.equal(isIsoDate('2024-04-31'), false);
  });
});

describe('lists: list, bool, enumeration, user, version', () => {
  test('list: values must be options; a stored value stays acceptable after its option is removed', () => {
    const list = field({ fieldFormat: 'list', possibleValues: ['MySQL', 'PostgreSQL'] });
    assert.deepEqual(errorsOf(list, 'PostgreSQL'), []);
    assert.deepEqual(errorsOf(list, 'postgresql'), ['Database is not included in the list']);
    assert.deepEqual(errorsOf(list, 'Oracle', { isNew: false, existing: new Map([[1, ['Oracle']]]) }), []);
    assert.deepEqual(errorsOf(field({ fieldFormat: 'list', possibleValues: ['a'], regexp: '^z$', maxLength: 0 }), 'a'), [], 'no regexp/length on lists');
  });

  test('multiple list: arrays lose blanks and duplicates, each value checked, [] clears', () => {
    const multi = field({ fieldFormat: 'list', multiple: true, possibleValues: ['Linux', 'Windows', 'Mac'] });
    assert.deepEqual(check(multi, ['Linux', '', 'Windows', 'Linux']), { values: new Map([[1, ['Linux', 'Windows']]]), errors: [] });
    assert.deepEqual(check(multi, []), { values: new Map([[1, ['']]]), errors: [] });
    assert.deepEqual(check(multi, 'Mac').values, new Map([[1, ['Mac']]]), 'a single string for a multiple field');
    assert.deepEqual(errorsOf(multi, ['Linux', 'BeOS', 'Plan9']), ['Database is not included in the list'], 'once per field');
  });

  test('an array for a single-value field is invalid', () => {
    assert.deepEqual(errorsOf(field(), ['a', 'b']), ['Database is invalid']);
    assert.deepEqual(errorsOf(field({ fieldFormat: 'int' }), ['x']), ['Database is not a number'], 'format errors first');
  });

  test('bool: "1"/"0", and true/false (JSON booleans, words) normalised to them', () => {
    const bool = field({ fieldFormat: 'bool' });
    for (const [given, stored] of [['1', '1'], ['0', '0'], ['true', '1'], ['FALSE', '0'], ['True', '1']] as const) {
      assert.deepEqual(check(bool, given), { values: new Map([[1, [stored]]]), errors: [] }, given);
    }
    for (const bad of ['yes', '2', 'on']) {
      assert.deepEqual(errorsOf(bool, bad), ['Database is not included in the list'], bad);
    }
    assert.equal(formatOf('bool').multipleSupported, false);
  });

  test('enumeration: active option ids as strings', () => {
    const enumeration = field({
      fieldFormat: 'enumeration',
      enumerations: [{ id: 7, name: 'Low', active: true }, { id: 8, name: 'Old', active: false }],
    });
    assert.deepEqual(errorsOf(enumeration, '7'), []);
    assert.deepEqual(errorsOf(enumeration, 'Low'), ['Database is not included in the list']);
    assert.deepEqual(errorsOf(enumeration, '8'), ['Database is not included in the list'], 'inactive');
    assert.deepEqual(errorsOf(enumeration, '8', { isNew: false, existing: new Map([[1, ['8']]]) }), [], 'kept when already stored');
  });

  test('user and version: ids the caller allows (per field, or per format), else any id', () => {
    const user = field({ fieldFormat: 'user' });
    const version = field({ id: 2, name: 'Release', fieldFormat: 'version' });
    const context = { isNew: true, existing: new Map(), allowedUserIds: new Set([3, 4]), allowedVersionIds: new Set([9]) };
    assert.deepEqual(errorsOf(user, '3', context), []);
    assert.deepEqual(errorsOf(user, '5', context), ['Database is not included in the list']);
    assert.deepEqual(errorsOf(user, '5', { ...context, allowedIdsByField: new Map([[1, new Set([5])]]) }), [], 'per-field ids win');
    assert.deepEqual(validateCustomValues([version], new Map([[2, '9']]), context).errors, []);
    assert.deepEqual(validateCustomValues([version], new Map([[2, '3']]), context).errors, ['Release is not included in the list']);
    assert.deepEqual(errorsOf(user, '12'), [], 'no ids given: any id');
    assert.deepEqual(errorsOf(user, 'me'), ['Database is not included in the list']);
  });

  test('attachment: only the stored id or ids the caller vouches for', () => {
    const attachment = field({ fieldFormat: 'attachment' });
    assert.deepEqual(errorsOf(attachment, '4'), ['Database is invalid']);
    assert.deepEqual(errorsOf(attachment, '4', { isNew: false, existing: new Map([[1, ['4']]]) }), []);
    assert.deepEqual(errorsOf(attachment, '4', { isNew: true, existing: new Map(), allowedIdsByField: new Map([[1, new Set([4])]]) }), []);
  });
});

describe('required fields, defaults, when validation runs', () => {
  test('required: blank, whitespace and empty selections are refused', () => {
    const required = field({ isRequired: true });
    assert.deepEqual(errorsOf(required, ''), ['Database cannot be blank']);
    assert.deepEqual(errorsOf(required, '   '), ['Database cannot be blank']);
    assert.deepEqual(errorsOf(required, undefined), ['Database cannot be blank'], 'not given on a new record');
    assert.deepEqual(errorsOf(field({ isRequired: true, fieldFormat: 'list', multiple: true, possibleValues: ['a'] }), ['']), ['Database cannot be blank']);
    assert.deepEqual(errorsOf(field({ isRequired: true, fieldFormat: 'int' }), 'x'), ['Database is not a number'], 'format error instead of blank');
  });

  test('new records get the default of fields not given; an explicit blank stays blank', () => {
    const withDefault = field({ defaultValue: 'MySQL', isRequired: true });
    assert.deepEqual(check(withDefault, undefined), { values: new Map([[1, ['MySQL']]]), errors: [] });
    assert.deepEqual(check(withDefault, ''), { values: new Map([[1, ['']]]), errors: ['Database cannot be blank'] });
    assert.deepEqual(check(field({ defaultValue: 'x' }), ''), { values: new Map([[1, ['']]]), errors: [] });
    assert.deepEqual(check(field(), undefined), { values: new Map(), errors: [] }, 'no default: nothing to store');
    const boolDefault = field({ fieldFormat: 'bool', defaultValue: '1' });
    assert.deepEqual(check(boolDefault, undefined).values, new Map([[1, ['1']]]));
    const listDefault = field({ fieldFormat: 'list', possibleValues: ['a'], defaultValue: 'gone' });
    assert.deepEqual(check(listDefault, undefined).errors, [], 'a default is acceptable as the "previous" value');
  });

  test('updates: no defaults; validation only when custom values were submitted (then every field)', () => {
    const required = field({ isRequired: true, defaultValue: 'x' });
    const other = field({ id: 2, name: 'Notes' });
    const update: CustomValueContext = { isNew: false, existing: new Map() };
    assert.deepEqual(validateCustomValues([required, other], new Map(), update), { values: new Map(), errors: [] });
    assert.deepEqual(validateCustomValues([required, other], new Map([[2, 'n']]), update), {
      values: new Map([[2, ['n']]]),
      errors: ['Database cannot be blank'],
    });
    const stored: CustomValueContext = { isNew: false, existing: new Map([[1, ['kept']]]) };
    assert.deepEqual(validateCustomValues([required, other], new Map([[2, 'n']]), stored).errors, []);
  });

  test('values for fields not given are ignored (the caller filters what the user may edit)', () => {
    assert.deepEqual(validateCustomValues([field()], new Map([[1, 'a'], [99, 'b']]), NEW).values, new Map([[1, ['a']]]));
  });

  test('errors follow the order of the fields', () => {
    const fields = [field({ id: 1, name: 'First', isRequired: true }), field({ id: 2, name: 'Second', fieldFormat: 'int' })];
    assert.deepEqual(validateCustomValues(fields, new Map([[2, 'x']]), NEW).errors, ['First cannot be blank', 'Second is not a number']);
  });
});
