import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  generateTemporaryPassword,
  isPasswordExpired,
  isPasswordTooLong,
  passwordErrors,
  passwordLength,
  passwordRulesOf,
  type PasswordCharClass,
  type PasswordRules,
} from './password-policy.ts';

const rules = (minLength = 8, requiredCharClasses: readonly PasswordCharClass[] = []): PasswordRules => ({ minLength, requiredCharClasses });
const owner = { login: 'jsmith', firstname: 'John', lastname: 'Smithsonian', mails: ['john.smith@acme.test', 'js@home.example'] };

describe('password policy', () => {
  test('length: 7 characters with a minimum of 8 is too short, 8 are enough', () => {
    assert.deepEqual(passwordErrors('abcdefg', rules(8)), ['Password is too short (minimum is 8 characters)']);
    assert.deepEqual(passwordErrors('abcdefgh', rules(8)), []);
    assert.deepEqual(passwordErrors('', rules(8)), ['Password is too short (minimum is 8 characters)']);
  });

  test('length is counted in code points: 12 emoji are 12 characters, and accepted', () => {
    const emoji = '😀🎉🚀🌈🍕🐱🎸🌊🔥💡🎲🧩';
    assert.equal(emoji.length, 24, 'two UTF-16 units each');
    assert.equal(passwordLength(emoji), 12);
    assert.deepEqual(passwordErrors(emoji, rules(8)), []);
    assert.deepEqual(passwordErrors(emoji, rules(12)), []);
    assert.deepEqual(passwordErrors(emoji, rules(13)), ['Password is too short (minimum is 13 characters)']);
  });

  test('1025 characters are too long, 1024 are not (even as 2048 UTF-16 units)', () => {
    assert.deepEqual(passwordErrors('a'.repeat(1025), rules()), ['Password is too long (maximum is 1024 characters)']);
    assert.deepEqual(passwordErrors('a'.repeat(1024), rules()), []);
    assert.deepEqual(passwordErrors('😀'.repeat(1024), rules()), []);
    assert.equal(isPasswordTooLong('😀'.repeat(1025)), true);
    assert.equal(isPasswordTooLong('x'.repeat(5_000_000)), true);
  });

  test('the login, a name or an address of the user, in any case, is too simple', () => {
    const simple = ['Password is too simple'];
    assert.deepEqual(passwordErrors('JSMITH', rules(6), owner), simple, 'login in another case');
    assert.deepEqual(passwordErrors('jSmith', rules(6), owner), simple);
    assert.deepEqual(passwordErrors('sMITHSONIAN', rules(6), owner), simple, 'last name');
    assert.deepEqual(passwordErrors('JOHN', rules(4), owner), simple, 'first name');
    assert.deepEqual(passwordErrors('John.Smith@Acme.Test', rules(), owner), simple, 'default address');
    assert.deepEqual(passwordErrors('JS@HOME.EXAMPLE', rules(), owner), simple, 'another address');
    assert.deepEqual(passwordErrors('jsmith1', rules(6), owner), [], 'containing the login is allowed');
    assert.deepEqual(passwordErrors('Straße', rules(6), { login: 'STRASSE' }), simple, 'Unicode case folding');
  });

  test('each required class missing gives its own message; present, none', () => {
    const all = rules(8, ['uppercase', 'lowercase', 'digits', 'special_chars']);
    assert.deepEqual(passwordErrors('abcdefg1!', all), ['Password must contain uppercase letters (A-Z)']);
    assert.deepEqual(passwordErrors('ABCDEFG1!', all), ['Password must contain lowercase letters (a-z)']);
    assert.deepEqual(passwordErrors('Abcdefgh!', all), ['Password must contain digits (0-9)']);
    assert.deepEqual(passwordErrors('Abcdefg12', all), ['Password must contain special characters (!, $, %, ...)']);
    assert.deepEqual(passwordErrors('Abcdefg1!', all), []);
    assert.deepEqual(passwordErrors('Abcdefg1 ', all), ['Password must contain special characters (!, $, %, ...)'], 'a space is no special character');
    for (const special of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') {
      assert.deepEqual(passwordErrors(`Abcdefg1${special}`, all), [], special);
    }
    assert.deepEqual(passwordErrors('abcdefgh', rules(8, ['uppercase', 'digits'])), [
      'Password must contain uppercase letters (A-Z)',
      'Password must contain digits (0-9)',
    ]);
  });

  test('non-ASCII characters count for no class', () => {
    assert.deepEqual(passwordErrors('パスワード一二三四５', rules(8, ['digits'])), ['Password must contain digits (0-9)'], 'full-width digits are no digits');
    assert.deepEqual(passwordErrors('ÉÀÜÖÄÑÇØ', rules(8, ['uppercase'])), ['Password must contain uppercase letters (A-Z)']);
    assert.deepEqual(passwordErrors('éàüöäñçø', rules(8, ['lowercase'])), ['Password must contain lowercase letters (a-z)']);
    assert.deepEqual(passwordErrors('«»¿¡§°€£', rules(8, ['special_chars'])), ['Password must contain special characters (!, $, %, ...)']);
    assert.deepEqual(passwordErrors('パスワード一二三四5', rules(8, ['digits'])), []);
  });

  test('nothing is trimmed: surrounding spaces are part of the password', () => {
    const spaced = '  correct horse  ';
    assert.deepEqual(passwordErrors(spaced, rules(17), {}, spaced), []);
    assert.deepEqual(passwordErrors(spaced, rules(17), {}, spaced.trim()), ["Password doesn't match confirmation"], 'the trimmed variant is another password');
    assert.deepEqual(passwordErrors(spaced.trim(), rules(17)), ['Password is too short (minimum is 17 characters)']);
    assert.deepEqual(passwordErrors(' jsmith ', rules(6), owner), [], 'not equal to the login once spaces count');
    assert.deepEqual(passwordErrors('e\u0301tude-pass', rules(8), {}, '\u00e9tude-pass'), ["Password doesn't match confirmation"], 'no normalisation');
  });

  test('confirmation must be identical when given', () => {
    assert.deepEqual(passwordErrors('secret-pass', rules(), {}, 'secret-pasS'), ["Password doesn't match confirmation"]);
    assert.deepEqual(passwordErrors('secret-pass', rules(), {}, 'secret-pass'), []);
    assert.deepEqual(passwordErrors('secret-pass', rules()), []);
  });

  test('rules come from the settings; unknown classes are ignored', () => {
    assert.deepEqual(passwordRulesOf({ password_min_length: '10', password_required_char_classes: '["digits","uppercase","emoji"]' }), rules(10, ['uppercase', 'digits']));
    assert.deepEqual(passwordRulesOf({ password_min_length: '', password_required_char_classes: '[]' }), rules(8, []));
  });
});

describe('generated passwords (Redmine rules)', () => {
  const AMBIGUOUS = /[0O1lI|'"`*]/;

  test('max(min + 2, 10) characters, one of each class, no ambiguous character, and they pass the policy', () => {
    for (const [min, classes, length] of [
      [8, [], 10],
      [4, [], 10],
      [12, ['special_chars'], 14],
      [20, ['uppercase', 'lowercase', 'digits', 'special_chars'], 22],
      [1024, [], 1024],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const password = generateTemporaryPassword(rules(min, classes));
        assert.equal(password.length, length);
        assert.match(password, /[A-Z]/);
        assert.match(password, /[a-z]/);
        assert.match(password, /[0-9]/);
        assert.doesNotMatch(password, AMBIGUOUS);
        assert.equal(/[^A-Za-z0-9]/.test(password), classes.includes('special_chars' as never), 'special characters only when required');
        assert.deepEqual(passwordErrors(password, rules(min, classes)), []);
      }
    }
  });

  test('they differ', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateTemporaryPassword(rules())));
    assert.equal(seen.size, 200);
  });
});

describe('password expiry (password_max_age)', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  test('off at 0; otherwise older than the maximum age has expired', () => {
    assert.equal(isPasswordExpired(daysAgo(1000), 0, now), false);
    assert.equal(isPasswordExpired(daysAgo(29), 30, now), false);
    assert.equal(isPasswordExpired(daysAgo(30), 30, now), false);
    assert.equal(isPasswordExpired(new Date(daysAgo(30).getTime() - 1), 30, now), true);
  });

  test('a password never recorded as changed has expired once a maximum age is set', () => {
    assert.equal(isPasswordExpired(null, 30, now), true);
    assert.equal(isPasswordExpired(null, 0, now), false);
  });
});
