/**
 * The formatter shows instants in the user's zone: an IANA name, or a Rails name copied from a
 * Redmine ("Tokyo"), which once fell back to UTC. An unknown zone shows UTC rather than failing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '#src/i18n/index.ts';
import { createFormatter } from './format.ts';

const formatterIn = (timeZone: string) =>
  createFormatter({ lang: 'en', t: translator('en'), timeZone, dateFormat: '%Y-%m-%d', timeFormat: '%H:%M', userFormat: 'firstname_lastname', now: new Date('2026-11-26T00:00:00Z') });

const instant = new Date('2026-11-25T23:30:00Z');

test('an IANA zone and the Rails name for it give the same wall clock', () => {
  assert.equal(formatterIn('Asia/Tokyo').time(instant), '2026-11-26 08:30');
  assert.equal(formatterIn('Tokyo').time(instant), '2026-11-26 08:30');
  assert.equal(formatterIn('Tokyo').timeZone, 'Asia/Tokyo');
  assert.equal(formatterIn('Eastern Time (US & Canada)').time(instant), '2026-11-25 18:30');
  assert.equal(formatterIn('Chatham Is.').time(instant), '2026-11-26 13:15'); // +13:45 in summer
});

test('no zone, UTC and an unknown zone show UTC', () => {
  for (const zone of ['', 'UTC', 'Etc/UTC', 'Atlantis/Nowhere']) {
    assert.equal(formatterIn(zone).time(instant), '2026-11-25 23:30', zone);
  }
});

test('midnight and daylight saving edges in a zone', () => {
  const paris = formatterIn('Paris');
  assert.equal(paris.time(new Date('2026-03-29T00:59:00Z')), '2026-03-29 01:59');
  assert.equal(paris.time(new Date('2026-03-29T01:00:00Z')), '2026-03-29 03:00');
  assert.equal(formatterIn('Hawaii').time(new Date('2026-01-01T09:59:00Z')), '2025-12-31 23:59');
});
