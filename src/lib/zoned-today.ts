/** The calendar day of an instant in a time zone (Redmine's User#today), as `YYYY-MM-DD`. */
import { ianaTimeZone } from './time-zones.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `timeZone`: IANA or a Rails name (see time-zones.ts); '' or an unknown zone means UTC. */
export function todayInZone(now: Date, timeZone: string): string {
  const zone = (timeZone && ianaTimeZone(timeZone)) || 'UTC';
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    // Most users have no zone: skip Intl, whose formatToParts costs a good part of a list page.
    return now.toISOString().slice(0, 10);
  }
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
