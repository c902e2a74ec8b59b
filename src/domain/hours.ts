/**
 * Durations as Redmine reads and shows them: what users type for hours (Redmine's String#to_hours:
 * `1.5`, `1,5`, `1:30`, `1h30`, `1h 30m`, `90m`, `2 hours`), the whole minutes Redmine's TimeEntry
 * works with, and how it prints a duration in messages (format_hours). Pure.
 */

/** Ruby's whitespace for String#strip and `\s` (JavaScript's `\s` also takes Unicode spaces). */
const SPACE = '[ \\t\\n\\v\\f\\r]';
const EDGES = /^[ \t\n\v\f\r\0]+|[ \t\n\v\f\r\0]+$/g;

/** A number with an optional `h`: the number is the hours. */
const PLAIN = /^(\d+(?:[.,]\d+)?)h?$/;
/** `h:mm`. */
const CLOCK = /^(\d+):(\d+)$/;
/** `2h30`, `2 hours 30 min`, `2h`, `30m`, `30`: hours and minutes, each optional. */
const UNITS = new RegExp(`^(?:(\\d+)${SPACE}*(?:h|hours?))?${SPACE}*(?:(\\d+)${SPACE}*(?:m|min)?)?$`, 'i');

const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const HEXADECIMAL = /^([+-]?)0[xX]([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Ruby's Kernel#Float on a string: decimal notation with `_` between digits and an optional
 * exponent (a dot needs digits after it; `.5` is fine, `1.` is not), or hexadecimal (`0x1A`).
 */
export function rubyStrictFloat(text: string): number | undefined {
  const s = text.replace(EDGES, '');
  if (s === '') {
    return undefined;
  }
  const hex = HEXADECIMAL.exec(s);
  if (hex) {
    const [, sign = '', whole = '', fraction = '', exponent = '0'] = hex;
    const mantissa = Number.parseInt(whole, 16) + (fraction === '' ? 0 : Number.parseInt(fraction, 16) / 16 ** fraction.length);
    return (sign === '-' ? -1 : 1) * mantissa * 2 ** Number(exponent);
  }
  const mantissa = s.replace(/[eE].*$/, '');
  if (!DECIMAL.test(s) || !/\d/.test(mantissa) || s.endsWith('.')) {
    return undefined;
  }
  return Number(s.replaceAll('_', ''));
}

/**
 * Redmine's String#to_hours: the hours a typed duration means, or undefined when it is none. A
 * number (`2.5`, `2,5`, `2.5h`, also `-1`, `1e3` as Ruby's Float reads them), `h:mm`, or hours
 * and/or minutes with units (`2h30`, `2h 30m`, `2 hours`, `45m`, `45min`). Infinite values are none.
 */
export function parseHours(text: string): number | undefined {
  const s = text.replace(EDGES, '');
  // Ruby anchors `^`/`$` at line breaks; only the first pattern can accept text spanning lines.
  const plain = s.includes('\n') ? /^(\d+(?:[.,]\d+)?)h?$/m.exec(s) : PLAIN.exec(s);
  let result: number | undefined;
  if (plain?.[1] !== undefined) {
    result = Number(plain[1].replace(',', '.'));
  } else if (s.includes('\n')) {
    return undefined;
  } else {
    const clock = CLOCK.exec(s);
    const units = clock ? null : UNITS.exec(s);
    if (clock) {
      result = Number(clock[1]) + Number(clock[2]) / 60;
    } else if (units && (units[1] !== undefined || units[2] !== undefined)) {
      result = Number(units[1] ?? '0') + Number(units[2] ?? '0') / 60;
    } else {
      result = rubyStrictFloat(s.replaceAll(',', '.'));
    }
  }
  return result !== undefined && Number.isFinite(result) ? result : undefined;
}

/** Ruby's String#to_f: the leading number of the text, 0 when there is none. */
export function rubyLenientFloat(text: string): number {
  const n = Number.parseFloat(text.replace(/^[ \t\n\v\f\r]+/, ''));
  return Number.isFinite(n) ? n : 0;
}

/** Ruby's Float#round: halves go away from zero. */
function roundHalfAway(x: number): number {
  // `+ 0` turns -0 into 0.
  return (x < 0 ? -Math.round(-x) : Math.round(x)) + 0;
}

/**
 * The whole minutes in `hours` (Redmine's TimeEntry#hours rounds a stored float to the minute before
 * it compares or shows it: 0.38333 h is 23 min, 59 min 30 s is an hour).
 */
export function wholeMinutes(hours: number): number {
  return roundHalfAway(hours * 60);
}

/** Hours at minute precision (TimeEntry#hours). */
export function minutePrecisionHours(hours: number): number {
  return wholeMinutes(hours) / 60;
}

/**
 * The hours a time entry shows in the API: at minute precision, then rounded to hundredths
 * (Redmine 6's `hours.round(2)`; 7.65 stays 7.65, 0.38333 becomes 0.38).
 */
export function shownHours(hours: number): number {
  // minutes / 60 to two decimals is minutes * 5 / 3 hundredths, never exactly a half.
  return roundHalfAway((wholeMinutes(hours) * 5) / 3) / 100;
}

/** Redmine's `timespan_format` setting: `h:mm` or decimal hours. */
export type TimespanFormat = 'minutes' | 'decimal';

/** Redmine's format_hours: `7:39` (minutes) or `7.65` (decimal) for 7.65 hours. */
export function formatHours(hours: number, format: TimespanFormat): string {
  const minutes = wholeMinutes(hours);
  if (format === 'decimal') {
    return (minutes / 60).toFixed(2);
  }
  const total = Math.abs(minutes);
  return `${minutes < 0 ? '-' : ''}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
