/**
 * Holidays and seasons contacts use as anchors ("after Easter", "nach den Sommerferien"), as
 * tables a maintainer extends without touching the grammar: HOLIDAYS (how to find a date,
 * how long it lasts, what "after" means), HOLIDAY_NAMES (the words for it in every supported
 * language, folded), PUBLIC_HOLIDAYS (days off per country), ZONE_COUNTRY (IANA zone →
 * country). Conventions (shared/data/README.md): "after X" is the first working day after X
 * in the contact's country, 09:00; a holiday named as the day itself is that date, 09:00.
 */
import { DateTime } from 'luxon';

/** How a holiday's first day is found in a given year. */
export type HolidayDate =
  /** A fixed calendar date. */
  | { fixed: readonly [month: number, day: number] }
  /** Days from Western Easter Sunday (Good Friday −2, Ash Wednesday −46). */
  | { easter: number }
  /** The nth weekday (1 = Monday) of a month; n = −1 is the last one. */
  | { nth: readonly [month: number, weekday: number, n: number] }
  /** The last given weekday on or before a date (Victoria Day: the Monday before 25 May). */
  | { weekdayBefore: readonly [month: number, day: number, weekday: number] }
  /** Lunar holidays: the expected first day per year ('MM-DD'), as announced ahead of moon sighting. */
  | { expected: Readonly<Record<number, string>> };

/** One holiday: its date rule and how phrases about it resolve. */
export interface HolidayDef {
  date: HolidayDate;
  /** Days the holiday lasts; "after" counts from the last one (Christmas through Boxing Day: 2). */
  days?: number;
  /** Countries where it lasts a different number of days (Kurban Bayramı: four days in Turkey). */
  daysIn?: Readonly<Record<Country, number>>;
  /**
   * Weekend-observed rule: 'us' moves Saturday to Friday and Sunday to Monday; 'substitute'
   * gives the next weekday not already off, in the countries of SUBSTITUTE_DAYS.
   */
  observed?: 'us' | 'substitute';
  /**
   * What "after X" means: 'workingDay' (default) the first working day after; 'monday' the
   * first Monday after; 'self' the day itself ("à la rentrée" is 1 September).
   */
  after?: 'workingDay' | 'monday' | 'self';
  /** The day itself resolves to the first working day on or after it ("zwischen den Jahren"). */
  itselfWorkingDay?: boolean;
  /** Its name is also a day one can be called on ("Boxing Day works"); otherwise only "after X" counts. */
  namesADay?: boolean;
}

/** The holiday calendar. Keys are referred to by HOLIDAY_NAMES and PUBLIC_HOLIDAYS. */
export const HOLIDAYS: Readonly<Record<string, HolidayDef>> = {
  newYear: { date: { fixed: [1, 1] }, observed: 'substitute', namesADay: true },
  /** "After the holidays", "after New Year", the Christmas school break: the first Monday after 1 January. */
  holidays: { date: { fixed: [1, 1] }, after: 'monday' },
  epiphany: { date: { fixed: [1, 6] }, namesADay: true },
  carnivalBR: { date: { easter: -48 }, days: 3 },
  goodFriday: { date: { easter: -2 }, namesADay: true },
  holyWeek: { date: { easter: -3 }, days: 4 },
  easter: { date: { easter: 0 }, namesADay: true },
  easterMonday: { date: { easter: 1 }, namesADay: true },
  ascension: { date: { easter: 39 } },
  whitMonday: { date: { easter: 50 } },
  kingsDay: { date: { fixed: [4, 27] }, namesADay: true },
  mayDay: { date: { fixed: [5, 1] } },
  memorialDay: { date: { nth: [5, 1, -1] }, namesADay: true },
  independenceDayUS: { date: { fixed: [7, 4] }, observed: 'us', namesADay: true },
  ferragosto: { date: { fixed: [8, 15] }, after: 'monday', namesADay: true },
  laborDayUS: { date: { nth: [9, 1, 1] }, namesADay: true },
  rentree: { date: { fixed: [9, 1] }, after: 'self', namesADay: true },
  germanUnity: { date: { fixed: [10, 3] } },
  thanksgivingCA: { date: { nth: [10, 1, 2] } },
  allSaints: { date: { fixed: [11, 1] } },
  diaDeMuertos: { date: { fixed: [11, 1] }, days: 2, namesADay: true },
  thanksgiving: { date: { nth: [11, 4, 4] }, after: 'monday', namesADay: true },
  constitutionES: { date: { fixed: [12, 6] } },
  immaculate: { date: { fixed: [12, 8] } },
  christmasEve: { date: { fixed: [12, 24] }, namesADay: true },
  /** Christmas Day and the day after: "after Christmas" is after the 26th everywhere. */
  christmas: { date: { fixed: [12, 25] }, days: 2, observed: 'substitute', namesADay: true },
  boxingDay: { date: { fixed: [12, 26] }, observed: 'substitute', namesADay: true },
  betweenTheYears: { date: { fixed: [12, 27] }, itselfWorkingDay: true, namesADay: true },
  newYearsEve: { date: { fixed: [12, 31] }, namesADay: true },
  australiaDay: { date: { fixed: [1, 26] }, observed: 'substitute', namesADay: true },
  stPatricks: { date: { fixed: [3, 17] }, observed: 'substitute', namesADay: true },
  anzacDay: { date: { fixed: [4, 25] }, namesADay: true },
  /** Ascension Thursday and the Friday bridged to the weekend ("le pont de l'Ascension"). */
  ascensionBridge: { date: { easter: 39 }, days: 4 },
  /** Belgian Easter school holiday: the two weeks from Easter Monday. */
  easterSchoolBE: { date: { easter: 1 }, days: 14 },
  /** Dutch May school holiday (meivakantie), nine days around King's Day. */
  mayHolidayNL: { date: { expected: { 2025: '04-26', 2026: '04-25', 2027: '04-24', 2028: '04-22' } }, days: 9 },
  /** Polish majówka: 1–3 May. */
  majowka: { date: { fixed: [5, 1] }, days: 3 },
  victoriaDay: { date: { weekdayBefore: [5, 24, 1] }, namesADay: true },
  saintJean: { date: { fixed: [6, 24] }, namesADay: true },
  canadaDay: { date: { fixed: [7, 1] }, observed: 'substitute', namesADay: true },
  nationalDayAT: { date: { fixed: [10, 26] }, namesADay: true },
  republicDayTR: { date: { fixed: [10, 29] }, namesADay: true },
  independencePL: { date: { fixed: [11, 11] }, namesADay: true },
  /** Undas (Philippines): All Saints and All Souls. */
  undas: { date: { fixed: [11, 1] }, days: 2 },
  holi: {
    date: { expected: { 2025: '03-14', 2026: '03-04', 2027: '03-22', 2028: '03-11', 2029: '03-01', 2030: '03-20' } },
  },
  /** Eid al-Fitr (Ramazan Bayramı, Lebaran): three days from the expected date, one in India. */
  eidFitr: {
    date: { expected: { 2025: '03-30', 2026: '03-20', 2027: '03-10', 2028: '02-27', 2029: '02-15', 2030: '02-05' } },
    days: 3,
    daysIn: { IN: 1 },
  },
  /** Eid al-Adha (Kurban Bayramı, Bakrid): one day, four in Turkey and the Gulf. */
  eidAdha: {
    date: { expected: { 2025: '06-06', 2026: '05-27', 2027: '05-16', 2028: '05-05', 2029: '04-24', 2030: '04-13' } },
    days: 1,
    daysIn: { TR: 4, AE: 4, SA: 4, QA: 4 },
  },
  /** Diwali through Bhai Dooj. */
  /** UK bank holidays: early May, spring (last Monday of May), summer (last Monday of August). */
  mayBankHolidayGB: { date: { nth: [5, 1, 1] }, namesADay: true },
  springBankHolidayGB: { date: { nth: [5, 1, -1] }, namesADay: true },
  summerBankHolidayGB: { date: { nth: [8, 1, -1] }, namesADay: true },
  /** Irish bank holidays: St Brigid's (first Monday of February), June, August (first Mondays), October (last Monday). */
  stBrigidIE: { date: { nth: [2, 1, 1] }, namesADay: true },
  juneBankHolidayIE: { date: { nth: [6, 1, 1] }, namesADay: true },
  augustBankHolidayIE: { date: { nth: [8, 1, 1] }, namesADay: true },
  octoberBankHolidayIE: { date: { nth: [10, 1, -1] }, namesADay: true },
  halloween: { date: { fixed: [10, 31] }, namesADay: true },
  /** Brazil: Tiradentes, Independence, Nossa Senhora Aparecida, Finados, the Republic; Corpus Christi (also PL, PT, AT). */
  tiradentes: { date: { fixed: [4, 21] }, namesADay: true },
  independenceBR: { date: { fixed: [9, 7] }, namesADay: true },
  aparecida: { date: { fixed: [10, 12] }, namesADay: true },
  finados: { date: { fixed: [11, 2] }, namesADay: true },
  republicBR: { date: { fixed: [11, 15] }, namesADay: true },
  corpusChristi: { date: { easter: 60 }, namesADay: true },
  /** Mexico: Independence (16 September), Revolution (third Monday of November). */
  independenceMX: { date: { fixed: [9, 16] }, namesADay: true },
  revolutionMX: { date: { nth: [11, 1, 3] } },
  /** Chile: Fiestas Patrias, 18–19 September. */
  fiestasPatriasCL: { date: { fixed: [9, 18] }, days: 2 },
  diwali: {
    date: { expected: { 2025: '10-20', 2026: '11-08', 2027: '10-29', 2028: '10-17', 2029: '11-05', 2030: '10-26' } },
    days: 4,
  },
};

/**
 * Words for each holiday, accent-folded and lower-case, one alternative per entry. "puente" is
 * not a holiday of its own: it is the next public holiday of the contact's country (see PUENTE).
 */
export const HOLIDAY_NAMES: Readonly<Record<string, readonly string[]>> = {
  holidays: [
    'the holidays',
    'holidays',
    'the holiday season',
    'holiday season',
    'the christmas holidays',
    'christmas holidays',
    'christmas break',
    'the christmas break',
    'winter break',
    'the new year',
    'new year',
    "new year's",
    'new years',
    'las fiestas',
    'fiestas',
    'ano nuevo',
    'vacaciones de navidad',
    'las vacaciones de navidad',
    'les fetes',
    'fetes',
    'nouvel an',
    'vacances de noel',
    'les vacances de noel',
    "fetes de fin d'annee",
    'festas',
    'as festas',
    'ano novo',
    'feriados de fim de ano',
    'den feiertagen',
    'feiertagen',
    'neujahr',
    'weihnachtsferien',
    'den weihnachtsferien',
    'silvester',
    'le feste',
    'feste',
    'capodanno',
    'vacanze di natale',
    'le vacanze di natale',
    'de feestdagen',
    'feestdagen',
    'oud en nieuw',
    'nieuwjaar',
    'kerstvakantie',
    'de kerstvakantie',
    'nowym roku',
    'nowy rok',
    'yilbasi',
    'yeni yil',
    'bagong taon',
  ],
  newYear: ["new year's day", 'new years day', "jour de l'an", 'neujahrstag', 'dia de ano nuevo'],
  epiphany: [
    'reyes',
    'los reyes',
    'dia de reyes',
    'epiphany',
    'befana',
    'la befana',
    'epifania',
    'dreikonigstag',
    'heilige drei konige',
  ],
  carnivalBR: ['carnaval', 'o carnaval', 'carnival', 'the carnival', 'karneval', 'carnevale', 'fasching'],
  goodFriday: [
    'good friday',
    'viernes santo',
    'sexta-feira santa',
    'vendredi saint',
    'karfreitag',
    'venerdi santo',
    'goede vrijdag',
  ],
  holyWeek: ['semana santa', 'holy week', 'settimana santa', 'karwoche'],
  easter: [
    'easter',
    'pascua',
    'pascuas',
    'pascoa',
    'a pascoa',
    'paques',
    'ostern',
    'pasqua',
    'pasen',
    'wielkanoc',
    'wielkanocy',
    'swietach wielkanocnych',
    'easter sunday',
  ],
  easterMonday: [
    'easter monday',
    'ostermontag',
    "lunedi dell'angelo",
    'pasquetta',
    'lundi de paques',
    'tweede paasdag',
    'paasmaandag',
  ],
  ascension: ['ascension', 'ascension day', 'christi himmelfahrt', 'himmelfahrt', 'hemelvaart', 'hemelvaartsdag'],
  whitMonday: ['whit monday', 'pfingstmontag', 'pfingsten', 'pinksteren', 'pentecote', 'lundi de pentecote'],
  kingsDay: ["king's day", 'kings day', 'koningsdag'],
  mayDay: [
    'may day',
    'primero de mayo',
    '1 mai',
    'premier mai',
    'primo maggio',
    'dia do trabalhador',
    'tag der arbeit',
  ],
  memorialDay: ['memorial day', 'memorial day weekend'],
  independenceDayUS: [
    'the 4th of july',
    '4th of july',
    'the fourth of july',
    'fourth of july',
    'july 4th',
    'july 4',
    'independence day',
  ],
  ferragosto: ['ferragosto', 'mid-august', 'mi-aout', 'la mi-aout'],
  laborDayUS: ['labor day', 'labour day', 'labor day weekend'],
  rentree: ['la rentree', 'rentree', 'the rentree'],
  thanksgiving: ['thanksgiving', 'thanksgiving day', 'turkey day', 'thanksgiving weekend'],
  diaDeMuertos: ['dia de muertos', 'dia de los muertos', 'day of the dead', 'todos santos'],
  christmasEve: [
    'christmas eve',
    'xmas eve',
    'nochebuena',
    'heiligabend',
    'la veille de noel',
    'vigilia di natale',
    'wigilia',
    'wigilii',
  ],
  christmas: [
    'christmas',
    'xmas',
    'navidad',
    'natal',
    'noel',
    'weihnachten',
    'natale',
    'kerst',
    'kerstmis',
    'swietach',
    'swieta',
    'bozym narodzeniu',
    'pasko',
    'ng pasko',
    'christmas day',
  ],
  boxingDay: [
    'boxing day',
    "st stephen's day",
    "stephen's day",
    'santo stefano',
    'zweiter weihnachtstag',
    'tweede kerstdag',
  ],
  betweenTheYears: [
    'zwischen den jahren',
    'between christmas and new year',
    'between christmas and new years',
    'entre navidad y ano nuevo',
    'entre les fetes',
  ],
  newYearsEve: [
    "new year's eve",
    'new years eve',
    'nochevieja',
    'sylvester',
    'san silvestre',
    'reveillon',
    'oudejaarsavond',
  ],
  eidFitr: [
    'eid',
    'eid al-fitr',
    'eid al fitr',
    'eid ul fitr',
    'eid-ul-fitr',
    'ramadan',
    'ramazan',
    'ramadhan',
    'the eid',
    'aid el-fitr',
    'aid el fitr',
    'le ramadan',
    'ramazan bayrami',
    'seker bayrami',
  ],
  eidAdha: [
    'eid al-adha',
    'eid al adha',
    'eid ul adha',
    'bakrid',
    'bakri eid',
    'kurban bayrami',
    "l'aid el-kebir",
    'aid el-kebir',
    'tabaski',
  ],
  diwali: ['diwali', 'deepavali', 'divali', 'bhai dooj', 'bhaiya dooj'],
  eid: ['eid', 'the eid', "l'aid", 'bayram', 'bayrami', 'hari raya', 'lebaran'],
  australiaDay: ['australia day', 'oz day'],
  stPatricks: [
    "st patrick's",
    "st patrick's day",
    'st patricks',
    'st patricks day',
    "paddy's day",
    'paddys day',
    "patrick's day",
  ],
  anzacDay: ['anzac day', 'anzac'],
  ascensionBridge: ["pont de l'ascension", 'ascension bridge'],
  easterSchoolBE: [
    'paasvakantie',
    'de paasvakantie',
    'vacances de paques',
    'les vacances de paques',
    'osterferien',
    'den osterferien',
    'easter break',
    'easter holidays',
    'the easter holidays',
  ],
  mayHolidayNL: ['meivakantie', 'de meivakantie'],
  majowka: ['majowka', 'majowce', 'majowki'],
  victoriaDay: ['victoria day', 'victoria day weekend', 'may long weekend', 'may long'],
  saintJean: [
    'la saint-jean',
    'saint-jean',
    'saint jean',
    'la st-jean',
    'st-jean',
    'fete nationale',
    'la fete nationale',
  ],
  canadaDay: ['canada day', 'fete du canada', 'la fete du canada'],
  nationalDayAT: ['nationalfeiertag', 'dem nationalfeiertag'],
  republicDayTR: ['cumhuriyet bayrami'],
  independencePL: ['swieto niepodleglosci', 'swiecie niepodleglosci', '11 listopada'],
  undas: [
    'undas',
    'all saints',
    "all saints' day",
    'toussaint',
    'la toussaint',
    'ognissanti',
    'allerheiligen',
    'wszystkich swietych',
  ],
  holi: ['holi'],
  mayBankHolidayGB: ['may bank holiday', 'early may bank holiday', 'the may bank holiday', 'may day bank holiday'],
  springBankHolidayGB: ['spring bank holiday', 'whitsun', 'late may bank holiday'],
  summerBankHolidayGB: ['august bank holiday', 'summer bank holiday', 'the august bank holiday'],
  stBrigidIE: ["st brigid's day", 'st brigids day', "brigid's day", 'february bank holiday'],
  juneBankHolidayIE: ['june bank holiday'],
  octoberBankHolidayIE: ['october bank holiday'],
  halloween: ['halloween', "hallowe'en", 'dia das bruxas'],
  tiradentes: ['tiradentes', 'feriado de tiradentes', 'feriadao de tiradentes'],
  independenceBR: ['sete de setembro', '7 de setembro', 'feriado de 7 de setembro'],
  aparecida: ['nossa senhora aparecida', 'dia das criancas'],
  finados: ['finados', 'dia de finados', 'feriado de finados'],
  republicBR: ['proclamacao da republica'],
  corpusChristi: ['corpus christi', 'boze cialo', 'bozego ciala', 'bozym ciele', 'fronleichnam', 'corpo de deus'],
  independenceMX: ['fiestas patrias', 'el grito', 'dia de la independencia', '16 de septiembre', 'las patrias'],
  fiestasPatriasCL: ['el dieciocho', 'dieciocho', 'las fiestas patrias de chile'],
  thanksgivingCA: ['canadian thanksgiving', 'action de grace', "l'action de grace", 'thanksgiving monday'],
};

/**
 * Names that mean another holiday in some countries: "thanksgiving" in Canada is October's,
 * the "August bank holiday" in Ireland is the first Monday, "las fiestas patrias" in Chile are
 * the 18th.
 */
export const HOLIDAY_IN_COUNTRY: Readonly<Record<Country, Readonly<Record<string, string>>>> = {
  CA: { thanksgiving: 'thanksgivingCA' },
  IE: { summerBankHolidayGB: 'augustBankHolidayIE' },
  CL: { independenceMX: 'fiestasPatriasCL' },
};

/** Names that stand for whichever of several holidays comes next ("after Eid" in May is Eid al-Adha). */
export const HOLIDAY_EITHER: Readonly<Record<string, readonly string[]>> = {
  eid: ['eidFitr', 'eidAdha'],
};

/** ISO country codes. */
export type Country = string;

/** Public holidays (days off) per country: a working day is Monday–Friday and none of these. */
export const PUBLIC_HOLIDAYS: Readonly<Record<Country, readonly string[]>> = {
  US: ['newYear', 'memorialDay', 'independenceDayUS', 'laborDayUS', 'thanksgiving', 'christmas'],
  CA: ['newYear', 'goodFriday', 'victoriaDay', 'canadaDay', 'laborDayUS', 'thanksgivingCA', 'christmas', 'boxingDay'],
  GB: [
    'newYear',
    'goodFriday',
    'easterMonday',
    'mayBankHolidayGB',
    'springBankHolidayGB',
    'summerBankHolidayGB',
    'christmas',
    'boxingDay',
  ],
  IE: [
    'newYear',
    'stBrigidIE',
    'stPatricks',
    'easterMonday',
    'mayBankHolidayGB',
    'juneBankHolidayIE',
    'augustBankHolidayIE',
    'octoberBankHolidayIE',
    'christmas',
    'boxingDay',
  ],
  AU: ['newYear', 'australiaDay', 'goodFriday', 'easterMonday', 'anzacDay', 'christmas', 'boxingDay'],
  NZ: ['newYear', 'goodFriday', 'easterMonday', 'christmas', 'boxingDay'],
  ZA: ['newYear', 'goodFriday', 'easterMonday', 'christmas', 'boxingDay'],
  NG: ['newYear', 'goodFriday', 'easterMonday', 'mayDay', 'eidFitr', 'eidAdha', 'christmas', 'boxingDay'],
  KE: ['newYear', 'goodFriday', 'easterMonday', 'mayDay', 'eidFitr', 'christmas', 'boxingDay'],
  DE: [
    'newYear',
    'goodFriday',
    'easterMonday',
    'mayDay',
    'ascension',
    'whitMonday',
    'germanUnity',
    'christmas',
    'boxingDay',
  ],
  AT: [
    'newYear',
    'epiphany',
    'easterMonday',
    'mayDay',
    'ascension',
    'whitMonday',
    'corpusChristi',
    'ferragosto',
    'nationalDayAT',
    'allSaints',
    'immaculate',
    'christmas',
    'boxingDay',
  ],
  CH: ['newYear', 'goodFriday', 'easterMonday', 'ascension', 'whitMonday', 'christmas', 'boxingDay'],
  FR: ['newYear', 'easterMonday', 'mayDay', 'ascension', 'whitMonday', 'ferragosto', 'allSaints', 'christmas'],
  BE: ['newYear', 'easterMonday', 'mayDay', 'ascension', 'whitMonday', 'ferragosto', 'allSaints', 'christmas'],
  LU: [
    'newYear',
    'easterMonday',
    'mayDay',
    'ascension',
    'whitMonday',
    'ferragosto',
    'allSaints',
    'christmas',
    'boxingDay',
  ],
  NL: ['newYear', 'goodFriday', 'easterMonday', 'kingsDay', 'ascension', 'whitMonday', 'christmas', 'boxingDay'],
  IT: [
    'newYear',
    'epiphany',
    'easterMonday',
    'mayDay',
    'ferragosto',
    'allSaints',
    'immaculate',
    'christmas',
    'boxingDay',
  ],
  ES: [
    'newYear',
    'epiphany',
    'goodFriday',
    'mayDay',
    'ferragosto',
    'allSaints',
    'constitutionES',
    'immaculate',
    'christmas',
  ],
  PT: [
    'newYear',
    'goodFriday',
    'easter',
    'mayDay',
    'corpusChristi',
    'ferragosto',
    'allSaints',
    'immaculate',
    'christmas',
  ],
  PL: [
    'newYear',
    'epiphany',
    'easterMonday',
    'mayDay',
    'corpusChristi',
    'ferragosto',
    'allSaints',
    'independencePL',
    'christmasEve',
    'christmas',
    'boxingDay',
  ],
  TR: ['newYear', 'mayDay', 'eidFitr', 'eidAdha', 'republicDayTR'],
  MX: ['newYear', 'mayDay', 'independenceMX', 'revolutionMX', 'christmas'],
  BR: [
    'newYear',
    'carnivalBR',
    'goodFriday',
    'tiradentes',
    'mayDay',
    'independenceBR',
    'aparecida',
    'finados',
    'republicBR',
    'christmas',
  ],
  AR: ['newYear', 'carnivalBR', 'goodFriday', 'mayDay', 'christmas'],
  CL: ['newYear', 'goodFriday', 'mayDay', 'fiestasPatriasCL', 'allSaints', 'immaculate', 'christmas'],
  CO: ['newYear', 'goodFriday', 'mayDay', 'christmas'],
  PE: ['newYear', 'goodFriday', 'mayDay', 'christmas'],
  GT: ['newYear', 'goodFriday', 'mayDay', 'christmas'],
  IN: ['holi', 'diwali'],
  NP: ['diwali'],
  AE: ['newYear', 'eidFitr', 'eidAdha'],
  PH: ['newYear', 'goodFriday', 'undas', 'christmasEve', 'christmas', 'newYearsEve'],
  SG: ['newYear', 'goodFriday', 'mayDay', 'eidFitr', 'diwali', 'christmas'],
  HK: ['newYear', 'goodFriday', 'easterMonday', 'mayDay', 'christmas', 'boxingDay'],
};

/** The contact's country from its zone; zones not listed fall back by region (America → US). */
export const ZONE_COUNTRY: Readonly<Record<string, Country>> = {
  'America/New_York': 'US',
  'America/Chicago': 'US',
  'America/Denver': 'US',
  'America/Phoenix': 'US',
  'America/Los_Angeles': 'US',
  'America/Anchorage': 'US',
  'Pacific/Honolulu': 'US',
  'America/Detroit': 'US',
  'America/Boise': 'US',
  'America/Indiana/Indianapolis': 'US',
  'America/Puerto_Rico': 'US',
  'America/Toronto': 'CA',
  'America/Vancouver': 'CA',
  'America/Halifax': 'CA',
  'America/St_Johns': 'CA',
  'America/Edmonton': 'CA',
  'America/Winnipeg': 'CA',
  'America/Regina': 'CA',
  'America/Montreal': 'CA',
  'America/Mexico_City': 'MX',
  'America/Monterrey': 'MX',
  'America/Tijuana': 'MX',
  'America/Cancun': 'MX',
  'America/Guadalajara': 'MX',
  'America/Merida': 'MX',
  'America/Chihuahua': 'MX',
  'America/Hermosillo': 'MX',
  'America/Sao_Paulo': 'BR',
  'America/Bahia': 'BR',
  'America/Fortaleza': 'BR',
  'America/Recife': 'BR',
  'America/Manaus': 'BR',
  'America/Belem': 'BR',
  'America/Cuiaba': 'BR',
  'America/Porto_Velho': 'BR',
  'America/Argentina/Buenos_Aires': 'AR',
  'America/Buenos_Aires': 'AR',
  'America/Argentina/Cordoba': 'AR',
  'America/Santiago': 'CL',
  'America/Bogota': 'CO',
  'America/Lima': 'PE',
  'America/Guatemala': 'GT',
  'America/Caracas': 'VE',
  'America/Montevideo': 'UY',
  'America/La_Paz': 'BO',
  'America/Asuncion': 'PY',
  'America/Guayaquil': 'EC',
  'America/Panama': 'PA',
  'America/Costa_Rica': 'CR',
  'America/El_Salvador': 'SV',
  'America/Havana': 'CU',
  'America/Santo_Domingo': 'DO',
  'America/Tegucigalpa': 'HN',
  'America/Managua': 'NI',
  'Europe/London': 'GB',
  'Europe/Belfast': 'GB',
  'Europe/Dublin': 'IE',
  'Europe/Berlin': 'DE',
  'Europe/Vienna': 'AT',
  'Europe/Zurich': 'CH',
  'Europe/Paris': 'FR',
  'Europe/Brussels': 'BE',
  'Europe/Luxembourg': 'LU',
  'Europe/Amsterdam': 'NL',
  'Europe/Rome': 'IT',
  'Europe/Madrid': 'ES',
  'Atlantic/Canary': 'ES',
  'Africa/Ceuta': 'ES',
  'Europe/Lisbon': 'PT',
  'Atlantic/Madeira': 'PT',
  'Atlantic/Azores': 'PT',
  'Europe/Warsaw': 'PL',
  'Europe/Istanbul': 'TR',
  'Asia/Istanbul': 'TR',
  'Europe/Prague': 'CZ',
  'Europe/Stockholm': 'SE',
  'Europe/Oslo': 'NO',
  'Europe/Copenhagen': 'DK',
  'Europe/Helsinki': 'FI',
  'Europe/Athens': 'GR',
  'Europe/Budapest': 'HU',
  'Europe/Bucharest': 'RO',
  'Australia/Sydney': 'AU',
  'Australia/Melbourne': 'AU',
  'Australia/Brisbane': 'AU',
  'Australia/Perth': 'AU',
  'Australia/Adelaide': 'AU',
  'Australia/Hobart': 'AU',
  'Australia/Darwin': 'AU',
  'Pacific/Auckland': 'NZ',
  'Africa/Johannesburg': 'ZA',
  'Africa/Lagos': 'NG',
  'Africa/Nairobi': 'KE',
  'Africa/Cairo': 'EG',
  'Asia/Dubai': 'AE',
  'Asia/Kolkata': 'IN',
  'Asia/Calcutta': 'IN',
  'Asia/Kathmandu': 'NP',
  'Asia/Manila': 'PH',
  'Asia/Singapore': 'SG',
  'Asia/Hong_Kong': 'HK',
  'Asia/Karachi': 'PK',
  'Asia/Dhaka': 'BD',
  'Asia/Jakarta': 'ID',
  'Asia/Kuala_Lumpur': 'MY',
  'Asia/Riyadh': 'SA',
  'Asia/Qatar': 'QA',
  'Asia/Tokyo': 'JP',
  'Asia/Seoul': 'KR',
  'Asia/Shanghai': 'CN',
};

/** Countries south of the equator, where summer starts in December. */
const SOUTHERN: ReadonlySet<Country> = new Set(['AU', 'NZ', 'ZA', 'AR', 'CL', 'UY', 'PY', 'BR', 'BO', 'PE']);

/** The country whose calendar applies to a contact in `zone` (undefined when unknown). */
export function countryOfZone(zone: string): Country | undefined {
  const direct = ZONE_COUNTRY[zone];
  if (direct) return direct;
  if (zone.startsWith('US/')) return 'US';
  if (zone.startsWith('Australia/')) return 'AU';
  if (zone.startsWith('America/Argentina/')) return 'AR';
  if (zone.startsWith('Canada/')) return 'CA';
  return undefined;
}

/** Western Easter Sunday (anonymous Gregorian algorithm), as [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

/*
 * Calendar arithmetic is done on day numbers (days since 1970-01-01, a calendar date with no
 * zone), so a holiday phrase costs a few integer operations and table lookups rather than
 * zoned date objects per day examined. Only the answer becomes a luxon DateTime, in the
 * contact's zone.
 */
const DAY_MS = 86_400_000;

/** The day number of a calendar date. */
const dayNumber = (year: number, month: number, day: number) => Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
const weekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

/** The calendar year of a day number. */
const yearOf = (day: number) => new Date(day * DAY_MS).getUTCFullYear();

/** The day number of a DateTime's calendar date (in its own zone). */
const dayOf = (d: DateTime) => dayNumber(d.year, d.month, d.day);

/** Local midnight of a day number in `zone`. */
function midnight(day: number, zone: string): DateTime {
  const date = new Date(day * DAY_MS);
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
    { zone },
  );
}

/** First days of holidays by `key:year` (null: no date that year); a pure function of the tables. */
const startDays = new Map<string, number | null>();

/** The day number of the first day of `key` in `year`, or null when the table has no date for that year. */
function holidayStartDay(key: string, year: number): number | null {
  const memoKey = `${key}:${year}`;
  const known = startDays.get(memoKey);
  if (known !== undefined) return known;
  const def = HOLIDAYS[key];
  let day: number | null = null;
  if (def) {
    const rule = def.date;
    if ('fixed' in rule) day = dayNumber(year, rule.fixed[0], rule.fixed[1]);
    else if ('easter' in rule) day = dayNumber(year, ...easterSunday(year)) + rule.easter;
    else if ('nth' in rule) {
      const [month, weekday, n] = rule.nth;
      if (n > 0) {
        const first = dayNumber(year, month, 1);
        day = first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
      } else {
        const last = dayNumber(year, month + 1, 1) - 1;
        day = last - ((weekdayOf(last) - weekday + 7) % 7) + 7 * (n + 1);
      }
    } else if ('weekdayBefore' in rule) {
      const [month, date, weekday] = rule.weekdayBefore;
      const limit = dayNumber(year, month, date);
      day = limit - ((weekdayOf(limit) - weekday + 7) % 7);
    } else {
      const md = rule.expected[year];
      if (md) {
        const [month, date] = md.split('-').map(Number);
        day = dayNumber(year, month, date);
      }
    }
  }
  startDays.set(memoKey, day);
  return day;
}

/** The first day of `key` in `year`, at local midnight in `zone`; null when the table has no date for that year. */
export function holidayStart(key: string, year: number, zone: string): DateTime | null {
  const day = holidayStartDay(key, year);
  return day === null ? null : midnight(day, zone);
}

/** How many days `def` lasts in `country`. */
const lengthIn = (def: HolidayDef, country: Country | undefined) => def.daysIn?.[country ?? ''] ?? def.days ?? 1;

/**
 * Countries that give a substitute day off when a holiday falls on a weekend (UK and
 * Commonwealth bank holidays, the US and Canada); elsewhere (Poland, Germany, Spain…) a
 * weekend holiday is simply lost.
 */
const SUBSTITUTE_DAYS: ReadonlySet<Country> = new Set([
  'US',
  'CA',
  'GB',
  'IE',
  'AU',
  'NZ',
  'ZA',
  'NG',
  'KE',
  'HK',
  'SG',
]);

/** Days off by `country:year`, built once per country and year. */
const daysOffTables = new Map<string, ReadonlySet<number>>();

/**
 * The days (day numbers) `country` does not work on because of its holidays of `year`,
 * observed rules applied (a few may fall in the next year).
 */
function daysOff(country: Country | undefined, year: number): ReadonlySet<number> {
  const memoKey = `${country ?? ''}:${year}`;
  const known = daysOffTables.get(memoKey);
  if (known) return known;
  const out = new Set<number>();
  const substitutes: number[] = [];
  const substitutesIn = SUBSTITUTE_DAYS.has(country ?? '');
  for (const key of PUBLIC_HOLIDAYS[country ?? ''] ?? []) {
    const start = holidayStartDay(key, year);
    if (start === null) continue;
    const def = HOLIDAYS[key];
    for (let day = start; day < start + lengthIn(def, country); day++) {
      const weekday = weekdayOf(day);
      out.add(day);
      if (def.observed === 'us' && weekday === 6) out.add(day - 1);
      else if (def.observed === 'us' && weekday === 7) out.add(day + 1);
      else if (def.observed === 'substitute' && weekday > 5 && substitutesIn && !substitutes.includes(day))
        substitutes.push(day);
    }
  }
  for (const weekend of substitutes) {
    let day = weekend + 1;
    while (weekdayOf(day) > 5 || out.has(day)) day++;
    out.add(day);
  }
  daysOffTables.set(memoKey, out);
  return out;
}

/** Monday–Friday and not a day off in `country` (its holidays of this year and of the years either side). */
function isWorkingDayNumber(day: number, country: Country | undefined): boolean {
  if (weekdayOf(day) > 5) return false;
  const year = yearOf(day);
  return (
    !daysOff(country, year).has(day) && !daysOff(country, year - 1).has(day) && !daysOff(country, year + 1).has(day)
  );
}

/** The first working day (day number) strictly after `day` (or on it, with `inclusive`); at most 30 days on. */
function nextWorkingDayNumber(day: number, country: Country | undefined, inclusive = false): number {
  let next = inclusive ? day : day + 1;
  for (let i = 0; i < 30 && !isWorkingDayNumber(next, country); i++) next++;
  return next;
}

/** Monday–Friday and not a public holiday of `country`. */
export function isWorkingDay(d: DateTime, country: Country | undefined): boolean {
  return isWorkingDayNumber(dayOf(d), country);
}

/** What a phrase asks about a holiday: the day after it, the day itself, or a weekday after it. */
export interface HolidayQuery {
  key: string;
  /** "after X" rather than X itself. */
  after: boolean;
  /** 1–7: the first such weekday after the holiday ("the Monday after Thanksgiving"). */
  weekday?: number;
  /** Days from the holiday itself (eves are −1). */
  offset?: number;
}

/** The day (day number) a holiday phrase points at for the occurrence starting in `year`. */
function targetIn(q: HolidayQuery, year: number, country: Country | undefined): number | null {
  const def = HOLIDAYS[q.key];
  const start = holidayStartDay(q.key, year);
  if (!def || start === null) return null;
  let last = start + lengthIn(def, country) - 1;
  if (def.observed === 'us' && weekdayOf(last) === 7) last++;
  if (q.weekday) return last + ((q.weekday - weekdayOf(last) + 7) % 7 || 7);
  if (!q.after || def.after === 'self') {
    const day = start + (q.offset ?? 0);
    return def.itselfWorkingDay ? nextWorkingDayNumber(day, country, true) : day;
  }
  if (def.after === 'monday') return last + ((8 - weekdayOf(last)) % 7 || 7);
  return nextWorkingDayNumber(last, country);
}

/**
 * The next day (local midnight in `zone`) a holiday phrase points at whose `minutes` after
 * midnight are still ahead of `now`; null when the table cannot place it.
 */
export function resolveHoliday(q: HolidayQuery, now: DateTime, minutes: number, zone: string): DateTime | null {
  const either = HOLIDAY_EITHER[q.key];
  if (either) {
    const days = either
      .map((key) => resolveHoliday({ ...q, key }, now, minutes, zone))
      .filter((d): d is DateTime => d !== null);
    return days.length ? (DateTime.min(...days) ?? null) : null;
  }
  const country = countryOfZone(zone);
  const local = HOLIDAY_IN_COUNTRY[country ?? '']?.[q.key];
  if (local) q = { ...q, key: local };
  const today = dayOf(now);
  for (const year of [now.year - 1, now.year, now.year + 1]) {
    const day = targetIn(q, year, country);
    // Only a day within a day or two of today needs its time of day compared with now.
    if (day === null || day < today - 2) continue;
    if (day > today) return midnight(day, zone);
    const answer = midnight(day, zone);
    if (answer.plus({ minutes }) > now) return answer;
  }
  return null;
}

/** How far ahead "the puente" looks for the next public holiday. */
const PUENTE_HORIZON_DAYS = 120;

/**
 * "Puente" (Spain, Mexico): the long weekend around the next public holiday, so "after the
 * puente" is the first working day after the next public holiday of the contact's country.
 */
export function resolvePuente(now: DateTime, zone: string): DateTime | null {
  const country = countryOfZone(zone);
  const today = dayOf(now);
  for (let day = today + 1; day <= today + PUENTE_HORIZON_DAYS; day++) {
    if (weekdayOf(day) <= 5 && !isWorkingDayNumber(day, country))
      return midnight(nextWorkingDayNumber(day, country), zone);
  }
  return null;
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/** Meteorological season starts (month) in the northern hemisphere; the south is six months off. */
const SEASON_START: Readonly<Record<Season, number>> = { spring: 3, summer: 6, autumn: 9, winter: 12 };

/**
 * First day of a season in the contact's hemisphere: the coming one (or, with `after`, the
 * first day of the season that follows it; with `next`, next year's when this one has begun).
 */
export function resolveSeason(season: Season, now: DateTime, zone: string, mode: 'in' | 'after' | 'next'): DateTime {
  const south = SOUTHERN.has(countryOfZone(zone) ?? '');
  const month = ((SEASON_START[season] + (south ? 6 : 0) - 1) % 12) + 1;
  // The occurrence that has not ended yet.
  let start = DateTime.fromObject({ year: now.year - 1, month, day: 1 }, { zone });
  while (start.plus({ months: 3 }) <= now) start = start.plus({ years: 1 });
  if (mode === 'after') return start.plus({ months: 3 });
  if (start <= now) return mode === 'next' ? start.plus({ years: 1 }) : now.startOf('day').plus({ days: 1 });
  return start;
}
