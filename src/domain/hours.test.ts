/** Durations as Redmine reads and prints them; expected values checked against Ruby 3.1 running Redmine's to_hours. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatHours, parseHours, rubyLenientFloat, rubyStrictFloat, shownHours, wholeMinutes } from './hours.ts';

describe('hours', () => {
  test('what users type: numbers, h:mm, hours and minutes with units', () => {
    const cases: [string, number][] = [
      ['1.5', 1.5],
      ['1,5', 1.5],
      ['1:30', 1.5],
      ['1h30', 1.5],
      ['1h 30m', 1.5],
      ['30m', 0.5],
      ['5m', 5 / 60],
      ['2h', 2],
      ['2H', 2],
      ['2 hours 30 min', 2.5],
      ['1 hour', 1],
      ['3 hours', 3],
      ['2h30m', 2.5],
      ['1h30min', 1.5],
      ['1.5h', 1.5],
      ['1,5h', 1.5],
      ['90', 90],
      ['45', 45],
      ['  3  ', 3],
      ['1:75', 2.25],
      ['0:0', 0],
      ['12:5', 12 + 5 / 60],
    ];
    for (const [text, hours] of cases) {
      assert.equal(parseHours(text), hours, text);
    }
  });

  test('what Ruby’s Float reads after the patterns fail: signs, exponents, underscores, hexadecimal', () => {
    const cases: [string, number][] = [
      ['-1.5', -1.5],
      ['+2', 2],
      ['1e3', 1000],
      ['1E2', 100],
      ['1.2e-1', 0.12],
      ['0x10', 16],
      ['1_000', 1000],
      ['.5', 0.5],
    ];
    for (const [text, hours] of cases) {
      assert.equal(parseHours(text), hours, text);
    }
  });

  test('no duration: undefined', () => {
    for (const text of ['', ' ', 'abc', 'h', 'm', '1.', '1:30:00', '1.5 h', '30 minutes', '2.5.1', '1,000.5', '1h30x', '0b11', 'Infinity', 'NaN', '1e400', '١']) {
      assert.equal(parseHours(text), undefined, JSON.stringify(text));
    }
  });

  test('Ruby anchors at line breaks: a number on the first line counts', () => {
    assert.equal(parseHours('1\nfoo'), 1);
    assert.equal(parseHours('1h30\nfoo'), undefined);
  });

  test('Kernel#Float and String#to_f', () => {
    assert.equal(rubyStrictFloat('0x1.8p1'), 3);
    assert.equal(rubyStrictFloat('1_0.5_5'), 10.55);
    for (const bad of ['1e', 'e3', '.e3', '1_', '0x', '0x_1', '0x1_f', '+-1', '0.', '5.e2', '0o17']) {
      assert.equal(rubyStrictFloat(bad), undefined, bad);
    }
    assert.equal(rubyLenientFloat('1x'), 1);
    assert.equal(rubyLenientFloat('abc'), 0);
  });

  test('minutes: halves away from zero; shown hours to two decimals', () => {
    assert.equal(wholeMinutes(0.38333333333333336), 23);
    assert.equal(wholeMinutes(0.9913888888888889), 59);
    assert.equal(wholeMinutes(0.9919444444444444), 60);
    assert.equal(wholeMinutes(-0.9919444444444444), -60);
    assert.equal(wholeMinutes(-0.004), 0);
    assert.equal(shownHours(7.65), 7.65);
    assert.equal(shownHours(0.38333333333333336), 0.38);
    assert.equal(shownHours(1), 1);
    assert.equal(shownHours(1.255), 1.25);
  });

  test('format_hours: h:mm or two decimals', () => {
    assert.equal(formatHours(999, 'minutes'), '999:00');
    assert.equal(formatHours(7.65, 'minutes'), '7:39');
    assert.equal(formatHours(-1.5, 'minutes'), '-1:30');
    assert.equal(formatHours(7.65, 'decimal'), '7.65');
    assert.equal(formatHours(2, 'decimal'), '2.00');
  });
});
