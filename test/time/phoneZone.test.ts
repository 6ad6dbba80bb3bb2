import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IANAZone } from 'luxon';
import { getCountries } from 'libphonenumber-js';
import {
  allPhoneZones,
  countriesWithZone,
  guessZoneFromPhone,
  NANP_AREA_CODES,
  zoneForCountry,
} from '../../src/time/phoneZone.ts';

const guesses: [string, string, string | null][] = [
  // US / Canada by area code
  ['New York', '+1 212 555 0123', 'America/New_York'],
  ['Los Angeles', '+1 310 555 0123', 'America/Los_Angeles'],
  ['Chicago', '+1 312 555 0123', 'America/Chicago'],
  ['Denver', '+1 303 555 0123', 'America/Denver'],
  ['Phoenix (no DST)', '+1 602 555 0123', 'America/Phoenix'],
  ['Boise', '+1 208 555 0123', 'America/Boise'],
  ['Anchorage', '+1 907 555 0123', 'America/Anchorage'],
  ['Honolulu', '+1 808 555 0123', 'Pacific/Honolulu'],
  ['Toronto', '+1 416 967 1111', 'America/Toronto'],
  ['Vancouver', '+1 604 555 1234', 'America/Vancouver'],
  ['Regina (CST all year)', '+1 306 555 1234', 'America/Regina'],
  ['Calgary', '+1 403 555 1234', 'America/Edmonton'],
  ['Halifax', '+1 902 555 1234', 'America/Halifax'],
  ["St. John's", '+1 709 555 1234', 'America/St_Johns'],
  ['Jamaica shares +1 but is its own country', '+1 876 555 1234', 'America/Jamaica'],
  // Australia by trunk code
  ['Sydney', '+61 2 9374 4000', 'Australia/Sydney'],
  ['Melbourne', '+61 3 9123 4567', 'Australia/Melbourne'],
  ['Brisbane (no DST)', '+61 7 3123 4567', 'Australia/Brisbane'],
  ['Adelaide', '+61 8 8212 3456', 'Australia/Adelaide'],
  ['Darwin', '+61 8 8981 2345', 'Australia/Darwin'],
  ['Perth', '+61 8 9222 1234', 'Australia/Perth'],
  ['Australian mobile → Sydney', '+61 412 345 678', 'Australia/Sydney'],
  // Brazil by DDD
  ['São Paulo', '+55 11 98765 4321', 'America/Sao_Paulo'],
  ['Recife (UTC−3)', '+55 81 98765 4321', 'America/Sao_Paulo'],
  ['Manaus', '+55 92 98765 4321', 'America/Manaus'],
  ['Rio Branco', '+55 68 3224 1234', 'America/Rio_Branco'],
  // Mexico by area code
  ['Mexico City', '+52 55 1234 5678', 'America/Mexico_City'],
  ['Tijuana', '+52 664 123 4567', 'America/Tijuana'],
  ['Cancún', '+52 998 123 4567', 'America/Cancun'],
  ['Hermosillo', '+52 662 123 4567', 'America/Hermosillo'],
  // Russia by landline code; mobiles → Moscow
  ['Moscow', '+7 495 123 45 67', 'Europe/Moscow'],
  ['Novosibirsk', '+7 383 123 45 67', 'Asia/Novosibirsk'],
  ['Vladivostok', '+7 423 123 45 67', 'Asia/Vladivostok'],
  ['Russian mobile → Moscow', '+7 912 345 67 89', 'Europe/Moscow'],
  // regional prefixes in Europe
  ['Canary Islands', '+34 928 123 456', 'Atlantic/Canary'],
  ['Madrid', '+34 91 123 45 67', 'Europe/Madrid'],
  ['Azores', '+351 296 123 456', 'Atlantic/Azores'],
  // single-zone countries
  ['Germany', '+49 30 123456789', 'Europe/Berlin'],
  ['United Kingdom', '+44 20 7946 0000', 'Europe/London'],
  ['France', '+33 1 23 45 67 89', 'Europe/Paris'],
  ['Japan', '+81 3 1234 5678', 'Asia/Tokyo'],
  ['India', '+91 98765 43210', 'Asia/Kolkata'],
  ['South Africa', '+27 21 123 4567', 'Africa/Johannesburg'],
  // nothing usable
  ['no plus sign', '2125550123', null],
  ['garbage', 'not a number', null],
  ['unknown calling code', '+999 1234 5678', null],
];

for (const [name, phone, zone] of guesses) {
  test(`guessZoneFromPhone: ${name}`, () => {
    assert.equal(guessZoneFromPhone(phone), zone);
  });
}

test('multi-zone countries fall back to a documented representative zone', () => {
  assert.equal(zoneForCountry('US', '5550000000'), 'America/Chicago');
  assert.equal(zoneForCountry('CA', '0000000000'), 'America/Toronto');
  assert.equal(zoneForCountry('AU', ''), 'Australia/Sydney');
  assert.equal(zoneForCountry('BR', ''), 'America/Sao_Paulo');
  assert.equal(zoneForCountry('MX', ''), 'America/Mexico_City');
  assert.equal(zoneForCountry('RU', ''), 'Europe/Moscow');
  assert.equal(zoneForCountry('ID', '21'), 'Asia/Jakarta');
  assert.equal(zoneForCountry('ZZ'), null);
});

test('every zone in the tables exists in the tz database', () => {
  const invalid = allPhoneZones().filter((zone) => !IANAZone.isValidZone(zone));
  assert.deepEqual(invalid, []);
});

test('every country libphonenumber knows has a zone', () => {
  const covered = new Set(countriesWithZone());
  assert.deepEqual(
    getCountries().filter((c) => !covered.has(c)),
    [],
  );
});

test('area codes are three digits', () => {
  assert.deepEqual(
    Object.keys(NANP_AREA_CODES).filter((code) => !/^[2-9]\d\d$/.test(code)),
    [],
  );
  assert.ok(Object.keys(NANP_AREA_CODES).length > 350);
});
