/**
 * How values read on a page: dates and times in the user's time zone and the tenant's formats, "3 days
 * ago", user names in the tenant's order. A `Formatter` is made once per request (it holds the clock
 * reading), so views stay pure.
 */
import type { Language, Translate } from '#src/i18n/index.ts';
import { ianaTimeZone } from '#src/lib/time-zones.ts';

/** Redmine's `date_format` choices ('' = the language's own). */
export const DATE_FORMATS = ['', '%Y-%m-%d', '%Y/%m/%d', '%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y', '%m/%d/%Y', '%d %b %Y', '%d %B %Y', '%b %d, %Y', '%B %d, %Y'] as const;
/** Redmine's `time_format` choices ('' = the language's own). */
export const TIME_FORMATS = ['', '%H:%M', '%I:%M %p'] as const;
/** Redmine's `user_format` choices. */
export const USER_FORMATS = ['firstname_lastname', 'firstname_lastinitial', 'firstinitial_lastname', 'firstname', 'lastname_firstname', 'lastnamefirstname', 'lastname_comma_firstname', 'lastname', 'username'] as const;
export type UserFormat = (typeof USER_FORMATS)[number];

const LANGUAGE_DATE: Record<Language, string> = { en: '%m/%d/%Y', ja: '%Y/%m/%d' };
const LANGUAGE_TIME: Record<Language, string> = { en: '%I:%M %p', ja: '%H:%M' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface NameParts {
  readonly firstname: string;
  readonly lastname: string;
  readonly login: string;
}

/** A user's name as the tenant's `user_format` setting writes it (Redmine's User#name). */
export function formatUserName(user: NameParts, format: string): string {
  const { firstname: f, lastname: l, login } = user;
  let name: string;
  switch (format as UserFormat) {
    case 'firstname_lastinitial':
      name = `${f} ${l.slice(0, 1)}.`;
      break;
    case 'firstinitial_lastname':
      name = `${f.slice(0, 1)}. ${l}`;
      break;
    case 'firstname':
      name = f;
      break;
    case 'lastname_firstname':
      name = `${l} ${f}`;
      break;
    case 'lastnamefirstname':
      name = `${l}${f}`;
      break;
    case 'lastname_comma_firstname':
      name = `${l}, ${f}`;
      break;
    case 'lastname':
      name = l;
      break;
    case 'username':
      name = login;
      break;
    case 'firstname_lastname':
    default:
      name = `${f} ${l}`;
  }
  return name.trim() || login;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function strftime(format: string, p: Parts): string {
  return format.replace(/%([YmdbBHMIp])/g, (_, code: string) => {
    switch (code) {
      case 'Y':
        return String(p.year);
      case 'm':
        return pad(p.month);
      case 'd':
        return pad(p.day);
      case 'b':
        return MONTHS[p.month - 1]!.slice(0, 3);
      case 'B':
        return MONTHS[p.month - 1]!;
      case 'H':
        return pad(p.hour);
      case 'M':
        return pad(p.minute);
      case 'I':
        return pad(((p.hour + 11) % 12) + 1);
      default:
        return p.hour < 12 ? 'AM' : 'PM';
    }
  });
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock parts of an instant in an IANA time zone (checked by the caller). */
function partsIn(instant: Date, timeZone: string): Parts {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate(), hour: instant.getUTCHours(), minute: instant.getUTCMinutes() };
  }
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    zoneFormatters.set(timeZone, formatter);
  }
  // One formatToParts per instant: it is the costly call (a list page formats hundreds of times).
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0 };
}

export interface FormatterOptions {
  readonly lang: Language;
  readonly t: Translate;
  /** The user's zone (Redmine's preference: IANA, or a Rails name from a Redmine); '' = UTC. */
  readonly timeZone: string;
  readonly dateFormat: string;
  readonly timeFormat: string;
  readonly userFormat: string;
  readonly now: Date;
}

export interface Formatter {
  readonly now: Date;
  readonly timeZone: string;
  /** A calendar date (`YYYY-MM-DD` or a Date taken as UTC date). */
  date(value: string | Date | null | undefined): string;
  /** An instant, as date and time in the user's zone. */
  time(value: Date | null | undefined): string;
  /** "3 days" — the distance from the instant to now, for "… ago" texts. */
  ago(value: Date): string;
  /** ISO 8601 for `<time datetime>` and tooltips. */
  iso(value: Date): string;
  user(user: NameParts): string;
  /** Hours as the tenant writes them (`2:30` or `2.50`). */
  hours(value: number | null | undefined): string;
}

export function createFormatter(options: FormatterOptions & { readonly timespanFormat?: string }): Formatter {
  const dateFormat = options.dateFormat || LANGUAGE_DATE[options.lang];
  const timeFormat = options.timeFormat || LANGUAGE_TIME[options.lang];
  const zone = (options.timeZone && ianaTimeZone(options.timeZone)) || 'UTC';
  const t = options.t;
  return {
    now: options.now,
    timeZone: zone,
    date(value) {
      if (value === null || value === undefined || value === '') {
        return '';
      }
      const text = typeof value === 'string' ? value : value.toISOString();
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
      return m ? strftime(dateFormat, { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0 }) : '';
    },
    time(value) {
      if (!value) {
        return '';
      }
      const parts = partsIn(value, zone);
      return `${strftime(dateFormat, parts)} ${strftime(timeFormat, parts)}`;
    },
    ago(value) {
      const minutes = Math.max(0, Math.round((options.now.getTime() - value.getTime()) / 60_000));
      if (minutes < 1) {
        return t('datetime_less_than_x_minutes', { count: '1' });
      }
      if (minutes < 45) {
        return t('datetime_x_minutes', { count: String(minutes) });
      }
      if (minutes < 90) {
        return t('datetime_about_x_hours', { count: '1' });
      }
      if (minutes < 1440) {
        return t('datetime_about_x_hours', { count: String(Math.round(minutes / 60)) });
      }
      if (minutes < 43_200) {
        return t('datetime_x_days', { count: String(Math.round(minutes / 1440)) });
      }
      if (minutes < 525_600) {
        return t('datetime_x_months', { count: String(Math.round(minutes / 43_200)) });
      }
      return t('datetime_about_x_years', { count: String(Math.round(minutes / 525_600)) });
    },
    iso(value) {
      return value.toISOString();
    },
    user(user) {
      return formatUserName(user, options.userFormat);
    },
    hours(value) {
      if (value === null || value === undefined) {
        return '';
      }
      if (options.timespanFormat === 'decimal') {
        return value.toFixed(2);
      }
      const total = Math.round(value * 60);
      return `${Math.floor(total / 60)}:${pad(total % 60)}`;
    },
  };
}
