/**
 * Best-effort guess of a contact's time zone from their phone number, used for SMS quiet
 * hours when the contact record has no zone. Numbers must be in E.164 form ("+1 212 …");
 * anything libphonenumber-js cannot read gives no guess (the caller falls back to the bot's
 * zone). How the zone is chosen within a country: `zoneForCountry`.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { memoized } from '../memo.ts';

/** Countries with one zone (from CLDR via Intl.Locale#timeZones). */
const SINGLE_ZONE: Record<string, string> = {
  AD: 'Europe/Andorra',
  AE: 'Asia/Dubai',
  AF: 'Asia/Kabul',
  AG: 'America/Antigua',
  AI: 'America/Anguilla',
  AL: 'Europe/Tirane',
  AM: 'Asia/Yerevan',
  AO: 'Africa/Luanda',
  AS: 'Pacific/Pago_Pago',
  AT: 'Europe/Vienna',
  AW: 'America/Aruba',
  AX: 'Europe/Mariehamn',
  AZ: 'Asia/Baku',
  BA: 'Europe/Sarajevo',
  BB: 'America/Barbados',
  BD: 'Asia/Dhaka',
  BE: 'Europe/Brussels',
  BF: 'Africa/Ouagadougou',
  BG: 'Europe/Sofia',
  BH: 'Asia/Bahrain',
  BI: 'Africa/Bujumbura',
  BJ: 'Africa/Porto-Novo',
  BL: 'America/St_Barthelemy',
  BM: 'Atlantic/Bermuda',
  BN: 'Asia/Brunei',
  BO: 'America/La_Paz',
  BQ: 'America/Kralendijk',
  BS: 'America/Nassau',
  BT: 'Asia/Thimphu',
  BW: 'Africa/Gaborone',
  BY: 'Europe/Minsk',
  BZ: 'America/Belize',
  CC: 'Indian/Cocos',
  CF: 'Africa/Bangui',
  CG: 'Africa/Brazzaville',
  CH: 'Europe/Zurich',
  CI: 'Africa/Abidjan',
  CK: 'Pacific/Rarotonga',
  CM: 'Africa/Douala',
  CO: 'America/Bogota',
  CR: 'America/Costa_Rica',
  CU: 'America/Havana',
  CV: 'Atlantic/Cape_Verde',
  CW: 'America/Curacao',
  CX: 'Indian/Christmas',
  CZ: 'Europe/Prague',
  DJ: 'Africa/Djibouti',
  DK: 'Europe/Copenhagen',
  DM: 'America/Dominica',
  DO: 'America/Santo_Domingo',
  DZ: 'Africa/Algiers',
  EE: 'Europe/Tallinn',
  EG: 'Africa/Cairo',
  EH: 'Africa/El_Aaiun',
  ER: 'Africa/Asmara',
  ET: 'Africa/Addis_Ababa',
  FI: 'Europe/Helsinki',
  FJ: 'Pacific/Fiji',
  FK: 'Atlantic/Stanley',
  FO: 'Atlantic/Faroe',
  FR: 'Europe/Paris',
  GA: 'Africa/Libreville',
  GB: 'Europe/London',
  GD: 'America/Grenada',
  GE: 'Asia/Tbilisi',
  GF: 'America/Cayenne',
  GG: 'Europe/Guernsey',
  GH: 'Africa/Accra',
  GI: 'Europe/Gibraltar',
  GM: 'Africa/Banjul',
  GN: 'Africa/Conakry',
  GP: 'America/Guadeloupe',
  GQ: 'Africa/Malabo',
  GR: 'Europe/Athens',
  GT: 'America/Guatemala',
  GU: 'Pacific/Guam',
  GW: 'Africa/Bissau',
  GY: 'America/Guyana',
  HK: 'Asia/Hong_Kong',
  HN: 'America/Tegucigalpa',
  HR: 'Europe/Zagreb',
  HT: 'America/Port-au-Prince',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem',
  IM: 'Europe/Isle_of_Man',
  IN: 'Asia/Kolkata',
  IO: 'Indian/Chagos',
  IQ: 'Asia/Baghdad',
  IR: 'Asia/Tehran',
  IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome',
  JE: 'Europe/Jersey',
  JM: 'America/Jamaica',
  JO: 'Asia/Amman',
  JP: 'Asia/Tokyo',
  KE: 'Africa/Nairobi',
  KG: 'Asia/Bishkek',
  KH: 'Asia/Phnom_Penh',
  KM: 'Indian/Comoro',
  KN: 'America/St_Kitts',
  KP: 'Asia/Pyongyang',
  KR: 'Asia/Seoul',
  KW: 'Asia/Kuwait',
  KY: 'America/Cayman',
  LA: 'Asia/Vientiane',
  LB: 'Asia/Beirut',
  LC: 'America/St_Lucia',
  LI: 'Europe/Vaduz',
  LK: 'Asia/Colombo',
  LR: 'Africa/Monrovia',
  LS: 'Africa/Maseru',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  LY: 'Africa/Tripoli',
  MA: 'Africa/Casablanca',
  MC: 'Europe/Monaco',
  MD: 'Europe/Chisinau',
  ME: 'Europe/Podgorica',
  MF: 'America/Marigot',
  MG: 'Indian/Antananarivo',
  MK: 'Europe/Skopje',
  ML: 'Africa/Bamako',
  MM: 'Asia/Yangon',
  MO: 'Asia/Macau',
  MP: 'Pacific/Saipan',
  MQ: 'America/Martinique',
  MR: 'Africa/Nouakchott',
  MS: 'America/Montserrat',
  MT: 'Europe/Malta',
  MU: 'Indian/Mauritius',
  MV: 'Indian/Maldives',
  MW: 'Africa/Blantyre',
  MZ: 'Africa/Maputo',
  NA: 'Africa/Windhoek',
  NC: 'Pacific/Noumea',
  NE: 'Africa/Niamey',
  NF: 'Pacific/Norfolk',
  NG: 'Africa/Lagos',
  NI: 'America/Managua',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  NP: 'Asia/Kathmandu',
  NR: 'Pacific/Nauru',
  NU: 'Pacific/Niue',
  OM: 'Asia/Muscat',
  PA: 'America/Panama',
  PE: 'America/Lima',
  PH: 'Asia/Manila',
  PK: 'Asia/Karachi',
  PL: 'Europe/Warsaw',
  PM: 'America/Miquelon',
  PR: 'America/Puerto_Rico',
  PW: 'Pacific/Palau',
  PY: 'America/Asuncion',
  QA: 'Asia/Qatar',
  RE: 'Indian/Reunion',
  RO: 'Europe/Bucharest',
  RS: 'Europe/Belgrade',
  RW: 'Africa/Kigali',
  SA: 'Asia/Riyadh',
  SB: 'Pacific/Guadalcanal',
  SC: 'Indian/Mahe',
  SD: 'Africa/Khartoum',
  SE: 'Europe/Stockholm',
  SG: 'Asia/Singapore',
  SH: 'Atlantic/St_Helena',
  SI: 'Europe/Ljubljana',
  SJ: 'Arctic/Longyearbyen',
  SK: 'Europe/Bratislava',
  SL: 'Africa/Freetown',
  SM: 'Europe/San_Marino',
  SN: 'Africa/Dakar',
  SO: 'Africa/Mogadishu',
  SR: 'America/Paramaribo',
  SS: 'Africa/Juba',
  ST: 'Africa/Sao_Tome',
  SV: 'America/El_Salvador',
  SX: 'America/Lower_Princes',
  SY: 'Asia/Damascus',
  SZ: 'Africa/Mbabane',
  TC: 'America/Grand_Turk',
  TD: 'Africa/Ndjamena',
  TG: 'Africa/Lome',
  TH: 'Asia/Bangkok',
  TJ: 'Asia/Dushanbe',
  TK: 'Pacific/Fakaofo',
  TL: 'Asia/Dili',
  TM: 'Asia/Ashgabat',
  TN: 'Africa/Tunis',
  TO: 'Pacific/Tongatapu',
  TR: 'Europe/Istanbul',
  TT: 'America/Port_of_Spain',
  TV: 'Pacific/Funafuti',
  TW: 'Asia/Taipei',
  TZ: 'Africa/Dar_es_Salaam',
  UG: 'Africa/Kampala',
  UY: 'America/Montevideo',
  VA: 'Europe/Vatican',
  VC: 'America/St_Vincent',
  VE: 'America/Caracas',
  VG: 'America/Tortola',
  VI: 'America/St_Thomas',
  VN: 'Asia/Ho_Chi_Minh',
  VU: 'Pacific/Efate',
  WF: 'Pacific/Wallis',
  WS: 'Pacific/Apia',
  YE: 'Asia/Aden',
  YT: 'Indian/Mayotte',
  ZA: 'Africa/Johannesburg',
  ZM: 'Africa/Lusaka',
  ZW: 'Africa/Harare',
};

/** Representative zone for countries spanning several zones. */
const MULTI_ZONE_DEFAULT: Record<string, string> = {
  AC: 'Atlantic/St_Helena',
  TA: 'Atlantic/St_Helena',
  XK: 'Europe/Belgrade',
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Pohnpei',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  US: 'America/Chicago',
  UZ: 'Asia/Tashkent',
};

/** Expand "zone: codes…" lists into a prefix → zone map. */
function byZone(lists: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [zone, codes] of Object.entries(lists)) {
    for (const code of codes.trim().split(/\s+/)) {
      if (out[code]) throw new Error(`phone prefix ${code} listed for both ${out[code]} and ${zone}`);
      out[code] = zone;
    }
  }
  return out;
}

/** North American area codes of the US and Canada (+1 NPA). */
export const NANP_AREA_CODES = byZone({
  'America/New_York': `
    201 202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 260 267 269 272 276 283 301 302 304 305
    313 315 317 321 326 329 330 332 336 339 347 351 352 363 380 386 401 404 407 410 412 413 419 423 434 440 443
    445 448 463 470 472 475 478 484 502 508 513 516 517 518 540 551 561 567 570 571 574 585 586 603 606 607 609
    610 614 616 617 631 640 645 646 656 667 678 680 681 686 689 703 704 706 716 717 718 724 727 728 732 734 740
    743 754 757 762 765 770 772 774 781 786 802 803 804 810 812 813 814 826 828 835 838 839 843 845 848 850 854
    856 857 859 860 862 863 864 865 878 904 906 908 910 912 914 917 919 929 930 934 937 941 943 947 948 954 959
    973 978 980 984 989`,
  'America/Chicago': `
    205 210 214 217 218 219 224 225 228 235 251 254 256 262 270 274 281 308 309 312 314 316 318 319 320 325 331
    334 337 346 353 361 364 402 405 409 414 417 430 432 447 464 469 479 501 504 507 512 515 531 534 539 557 563
    572 573 580 601 605 608 612 615 618 620 629 630 636 641 651 659 660 662 682 701 708 712 713 715 726 731 737
    763 769 773 779 785 806 815 816 817 830 832 847 861 870 872 901 903 913 918 920 931 936 938 940 945 952 956
    972 979 985`,
  'America/Denver': '303 307 385 406 435 505 575 719 720 801 915 970 983',
  'America/Boise': '208 986',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles': `
    206 209 213 253 279 310 323 341 350 360 369 408 415 424 425 442 458 503 509 510 530 541 559 562 564 619 626
    628 650 657 661 669 702 707 714 725 747 760 775 805 818 820 831 840 858 909 916 925 949 951 971`,
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  // Canada
  'America/Toronto': `
    226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514 519 548 579 581 613 647 683 705 742 753 807
    819 873 905`,
  'America/Winnipeg': '204 431 584',
  'America/Regina': '306 474 639', // Saskatchewan keeps CST all year
  'America/Edmonton': '368 403 587 780 825 867', // 867 (territories): Yellowknife
  'America/Vancouver': '236 250 257 604 672 778',
  'America/Halifax': '428 506 782 902',
  'America/St_Johns': '709 879',
});

/** Geographic prefixes of the national number, longest match wins, per country. */
const REGIONAL_PREFIXES: Record<string, Record<string, string>> = {
  // Australia: 2 NSW/ACT, 3 VIC/TAS, 7 QLD, 8 SA/NT/WA (889 NT, 86/89 WA); 4/5 mobile.
  AU: byZone({
    'Australia/Sydney': '2 4 5',
    'Australia/Melbourne': '3',
    'Australia/Brisbane': '7',
    'Australia/Adelaide': '8 87 88',
    'Australia/Darwin': '889',
    'Australia/Perth': '86 89',
  }),
  // Brazil: two-digit DDD; everything not listed is on UTC−3 (Sao_Paulo rules).
  BR: byZone({
    'America/Cuiaba': '65 66',
    'America/Campo_Grande': '67',
    'America/Rio_Branco': '68',
    'America/Porto_Velho': '69',
    'America/Manaus': '92 97',
    'America/Boa_Vista': '95',
  }),
  // Mexico: three-digit area codes outside central time; the rest (incl. 55, 33, 81) is Mexico City.
  MX: byZone({
    'America/Cancun': '983 984 987 998',
    'America/Tijuana': '616 646 658 661 664 665 686',
    'America/Hermosillo': '622 623 631 632 633 634 637 638 641 642 643 644 645 647 653 662',
    'America/Mazatlan': '311 319 323 324 325 327 389 612 613 615 624 667 668 669 672 673 687 694 695 696 697 698',
    'America/Ciudad_Juarez': '656',
    'America/Matamoros': '867 868 877 878 899', // border cities that keep US daylight saving
  }),
  // Russia: landline (ABC) codes east of Moscow time; mobile (9xx) numbers are not geographic.
  RU: byZone({
    'Europe/Kaliningrad': '401',
    'Europe/Samara': '341 846 848',
    'Asia/Yekaterinburg': '342 343 345 346 347 349 351 352 353',
    'Asia/Omsk': '381',
    'Asia/Novosibirsk': '383',
    'Asia/Barnaul': '385 388',
    'Asia/Tomsk': '382',
    'Asia/Novokuznetsk': '384',
    'Asia/Krasnoyarsk': '390 391 394',
    'Asia/Irkutsk': '301 395',
    'Asia/Chita': '302',
    'Asia/Yakutsk': '411',
    'Asia/Vladivostok': '421 423 426',
    'Asia/Sakhalin': '424',
    'Asia/Magadan': '413',
    'Asia/Kamchatka': '415',
    'Asia/Anadyr': '427',
  }),
  ES: byZone({ 'Atlantic/Canary': '822 828 922 928' }),
  PT: byZone({ 'Atlantic/Azores': '292 295 296', 'Atlantic/Madeira': '291' }),
};

function longestPrefix(table: Record<string, string>, digits: string): string | undefined {
  for (let len = Math.min(digits.length, 4); len > 0; len--) {
    const zone = table[digits.slice(0, len)];
    if (zone) return zone;
  }
  return undefined;
}

/**
 * Zone for a country (ISO 3166-1 alpha-2) and national number, or null when unknown:
 *  - single-zone countries: the country's zone (table generated from the platform's CLDR
 *    data, names canonicalised);
 *  - US and Canada (+1): the area code's zone (area codes split between zones take the zone
 *    of most of their subscribers); an unknown US area code falls back to America/Chicago,
 *    the zone that is at most 1 h from Eastern and 2 h from Pacific time, and Canada to
 *    America/Toronto;
 *  - Australia, Brazil, Mexico, Russia, Spain, Portugal: geographic prefixes where the
 *    numbering plan has them; mobile numbers (not geographic) take the country's most
 *    populous zone: Australia/Sydney, America/Sao_Paulo, America/Mexico_City, Europe/Moscow;
 *  - other multi-zone countries: the zone of the capital / most people (MULTI_ZONE_DEFAULT).
 * Area-code zones were cross-checked against libphonenumber's timezone map and current
 * numbering-plan assignments.
 */
export function zoneForCountry(country: string, nationalNumber = ''): string | null {
  if (country === 'US' || country === 'CA') {
    return NANP_AREA_CODES[nationalNumber.slice(0, 3)] ?? MULTI_ZONE_DEFAULT[country];
  }
  const regional = REGIONAL_PREFIXES[country];
  if (regional) {
    const zone = longestPrefix(regional, nationalNumber);
    if (zone) return zone;
  }
  return SINGLE_ZONE[country] ?? MULTI_ZONE_DEFAULT[country] ?? null;
}

/** What a phone number says, as far as Nudge uses it. */
export interface PhoneFacts {
  callingCode: string;
  nationalNumber: string;
  /** The number's country, when the number decides it. */
  country: string | null;
  /** Otherwise the one country the calling code allows, if there is only one. */
  onlyPossibleCountry: string | null;
}

/**
 * A number parsed once: libphonenumber costs tens of µs a parse, and the same contacts'
 * numbers are read again at every send plan and console forecast (zone guesses here, the
 * calling code of a masked number in channel reasons). Null when it is not a number.
 */
export const phoneFacts: (phone: string) => PhoneFacts | null = memoized((phone: string): PhoneFacts | null => {
  const parsed = parsePhoneNumberFromString(phone.trim());
  if (!parsed) return null;
  const country = parsed.country ?? null;
  const possible = country ? [] : parsed.getPossibleCountries();
  return {
    callingCode: parsed.countryCallingCode,
    nationalNumber: String(parsed.nationalNumber),
    country,
    onlyPossibleCountry: possible.length === 1 ? possible[0] : null,
  };
}, 10_000);

/** Guess an IANA zone from an E.164 phone number; null when the number says nothing usable. */
export function guessZoneFromPhone(phone: string): string | null {
  const facts = phoneFacts(phone);
  if (!facts) return null;
  const national = facts.nationalNumber;
  if (facts.country) return zoneForCountry(facts.country, national);
  // Shared calling codes (+1, +7, +44 …): a number that is not (yet) valid still has an
  // area code; for +1 that alone decides the zone.
  if (facts.callingCode === '1' && NANP_AREA_CODES[national.slice(0, 3)]) return NANP_AREA_CODES[national.slice(0, 3)];
  return facts.onlyPossibleCountry ? zoneForCountry(facts.onlyPossibleCountry, national) : null;
}

/** Every zone named in the tables (tests check each one exists in the tz database). */
export function allPhoneZones(): string[] {
  const zones = new Set<string>([
    ...Object.values(SINGLE_ZONE),
    ...Object.values(MULTI_ZONE_DEFAULT),
    ...Object.values(NANP_AREA_CODES),
    ...Object.values(REGIONAL_PREFIXES).flatMap((t) => Object.values(t)),
  ]);
  return [...zones].sort();
}

/** Countries that have an entry (tests check every libphonenumber country is covered). */
export function countriesWithZone(): string[] {
  return [...new Set([...Object.keys(SINGLE_ZONE), ...Object.keys(MULTI_ZONE_DEFAULT)])].sort();
}
