/**
 * English glosses of Italian, Dutch, Polish, Turkish, Hinglish (Hindi in Latin script) and
 * Tagalog/Taglish, limited like gloss.ts to what the time reader and the request heuristics need:
 * day words, parts of the day, clock idioms, durations, weekdays, months and contact verbs.
 * Input is normalised text (lower case, accents folded: "lunedì" → "lunedi", "świętach" → "swietach").
 */
import { halfBefore, mapWords, quarterBefore, type Rule } from './glossRules.ts';

// ---------------------------------------------------------------- Italian
const IT_DAYS: Record<string, string> = {
  lunedi: 'monday', martedi: 'tuesday', mercoledi: 'wednesday', giovedi: 'thursday', venerdi: 'friday',
  sabato: 'saturday', domenica: 'sunday',
};
const IT_DAY = Object.keys(IT_DAYS).join('|');
const IT_NUM: Record<string, string> = {
  due: '2', tre: '3', quattro: '4', cinque: '5', sei: '6', sette: '7', otto: '8', nove: '9', dieci: '10',
  undici: '11', dodici: '12', quindici: '15', venti: '20', trenta: '30', quaranta: '40', cinquanta: '50',
};
const IT_MONTHS: Record<string, string> = {
  gennaio: 'january', febbraio: 'february', marzo: 'march', aprile: 'april', maggio: 'may', giugno: 'june',
  luglio: 'july', agosto: 'august', settembre: 'september', ottobre: 'october', novembre: 'november',
  dicembre: 'december',
};
const IT_UNITS: Record<string, string> = {
  ore: 'hours', ora: 'hour', minuti: 'minutes', minuto: 'minute', giorni: 'days', giorno: 'day', settimane: 'weeks',
  settimana: 'week', mesi: 'months', mese: 'month',
};

export const ITALIAN: Rule[] = [
  [/\bdopodomani\b/g, 'day after tomorrow'],
  [/\bsettimana prox\b|\bprox settimana\b/g, 'next week'],
  [/\b(?:in |durante la )?pausa pranzo\b/g, 'lunch break'],
  [/\b(?:nel )?tardo pomeriggio\b/g, 'late afternoon'],
  [/\b(?:in )?prima serata\b/g, 'early evening'],
  [/\b(?:alla |la )?stessa ora\b/g, 'at the same time'],
  [/\bprima di pranzo\b/g, 'before lunch'],
  [/\b(?:a |ad )?inizio (?=(?:del )?(?:mese prossimo|prossimo mese|settimana prossima|prossima settimana|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre))(?:del )?/g, 'early '],
  [/\b(?:a )?meta (?=(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b)/g, 'mid '],
  [/\b(?:a )?fine (?=(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b)/g, 'end of '],
  [/\bdalle (\d{1,2}) in poi\b/g, 'after $1'],
  [/\b(?:tra |fra )?(?:quindici giorni|due settimane)\b/g, 'in a fortnight'],
  [/\bdopo il (?:fine settimana|weekend)\b/g, 'after the weekend'],
  [/\bdomani (?:mattina|mattino|in mattinata)\b|\bdomattina\b/g, 'tomorrow morning'],
  [/\bdomani (?:pomeriggio|nel pomeriggio)\b/g, 'tomorrow afternoon'],
  [/\bdomani sera\b/g, 'tomorrow evening'],
  [/\bdomani\b/g, 'tomorrow'],
  [/\bstasera\b|\bstanotte\b|\bquesta sera\b/g, 'tonight'],
  [/\bstamattina\b|\bquesta mattina\b/g, 'this morning'],
  [/\boggi pomeriggio\b|\bquesto pomeriggio\b/g, 'this afternoon'],
  [/\boggi\b/g, 'today'],
  [/\bieri sera\b/g, 'last night'],
  [/\bieri\b/g, 'yesterday'],
  [/\b(?:in|di) mattinata\b|\b(?:la|di|al) mattina\b/g, 'morning'],
  [/\b(?:nel|di|al) pomeriggio\b|\bpomeriggio\b/g, 'afternoon'],
  [/\b(?:in|di) serata\b|\b(?:la|di|alla) sera\b/g, 'evening'],
  [/\bmezzogiorno\b/g, 'noon'],
  [/\bmezzanotte\b/g, 'midnight'],
  [/\bdopo (?:il )?pranzo\b/g, 'after lunch'],
  [/\bdopo (?:la )?cena\b/g, 'after late dinner'],
  [/\bdopo (?:il )?lavoro\b/g, 'after work'],
  [/\b(?:a |alla )?fine (?:della )?prossima settimana\b/g, 'end of next week'],
  [/\b(?:a |alla )?fine (?:della |di questa )?settimana\b/g, 'end of the week'],
  [/\b(?:a |alla )?fine (?:del )?mese\b/g, 'end of the month'],
  [/\b(?:la )?(?:prossima settimana|settimana prossima)\b/g, 'next week'],
  [/\b(?:il )?(?:prossimo mese|mese prossimo)\b/g, 'next month'],
  [/\b(?:il )?prossimo (?:fine settimana|weekend)\b/g, 'next weekend'],
  [/\b(?:questo |il |nel )?(?:fine settimana|weekend)\b/g, 'this weekend'],
  [/\bmezz'? ?ora\b/g, 'half an hour'],
  [/\bun quarto d'? ?ora\b/g, '15 minutes'],
  [/\b(?:un'? ?ora|un ora)\b/g, 'an hour'],
  mapWords(IT_NUM),
  [/\b(?:tra|fra|entro)\b(?= (?:\d+|un|una|half|an|15))/g, 'in'],
  [/\b(\d+) (ore|ora|minuti|minuto|giorni|giorno|settimane|settimana|mesi|mese)\b/g, (m) => `${m[1]} ${IT_UNITS[m[2]]}`],
  [/\bun (giorno|mese)\b|\buna settimana\b/g, (m) => `a ${m[1] ? IT_UNITS[m[1]] : 'week'}`],
  [/\b(?:la |il )?settimana dopo\b/g, 'the week after next'],
  [new RegExp(`\\b(?:il )?(${IT_DAY}) prossimo\\b|\\b(?:il )?prossimo (${IT_DAY})\\b`, 'g'), (m) => `next ${IT_DAYS[m[1] ?? m[2]]}`],
  [new RegExp(`\\b(?:il |di |questo |questa )?(${IT_DAY})\\b`, 'g'), (m) => IT_DAYS[m[1]]],
  [new RegExp(`\\b(?:il )?(\\d{1,2}) (${Object.keys(IT_MONTHS).join('|')})\\b`, 'g'), (m) => `${IT_MONTHS[m[2]]} ${m[1]}`],
  mapWords(IT_MONTHS),
  [/\b(?:il giorno|il) (\d{1,2})\b(?! (?:ore|minuti|giorni|maggio|$))/g, 'on the $1th'],
  [/\b(\d{1,2}) e mezza\b|\b(\d{1,2}) e mezzo\b/g, (m) => `${m[1] ?? m[2]}:30`],
  [/\b(\d{1,2}) e un quarto\b/g, '$1:15'],
  [/\b(\d{1,2}) meno un quarto\b/g, (m) => quarterBefore(m[1])],
  [/\btra le (\d{1,2}(?::\d\d)?) e le (\d{1,2})/g, 'between $1 and $2'],
  [/\b(?:verso|intorno alle|tipo) (?:le |l')?(\d)/g, 'around $1'],
  [/\bdopo (?:le |l')?(\d)/g, 'after $1'],
  [/\bprima (?:delle |dell')(\d)/g, 'before $1'],
  [/\bfino (?:alle|all') ?(\d)/g, 'until $1'],
  [/\b(?:alle|all'|all|a) ?(\d)/g, 'at $1'],
  [/\b(?:ri)?chiama(?:mi|temi|re)\b|\bmi (?:ri)?chiami\b/g, 'call me'],
  [/\bscriv(?:imi|etemi|ermi)\b|\bmi scrivi\b/g, 'text me'],
  [/\bsentiamoci\b|\bci sentiamo\b|\bne parliamo\b/g, "let's talk"],
  [/\badesso\b/g, 'now'],
  [/\bper favore\b|\bper piacere\b/g, 'please'],
];

// ---------------------------------------------------------------- Dutch
const NL_DAYS: Record<string, string> = {
  maandag: 'monday', dinsdag: 'tuesday', woensdag: 'wednesday', donderdag: 'thursday', vrijdag: 'friday',
  zaterdag: 'saturday', zondag: 'sunday',
};
const NL_DAY = Object.keys(NL_DAYS).join('|');
const NL_NUM: Record<string, string> = {
  een: '1', twee: '2', drie: '3', vier: '4', vijf: '5', zes: '6', zeven: '7', acht: '8', negen: '9', tien: '10',
  elf: '11', twaalf: '12', vijftien: '15', twintig: '20', dertig: '30', veertig: '40',
};
/** "na achten", "voor vijven": Dutch hour words with the -en ending. */
const NL_HOUR_EN: Record<string, string> = {
  tweeen: '2', drieen: '3', vieren: '4', vijven: '5', zessen: '6', zevenen: '7', achten: '8', negenen: '9', tienen: '10',
  elven: '11', twaalven: '12',
};
const NL_MONTHS: Record<string, string> = {
  januari: 'january', februari: 'february', maart: 'march', april: 'april', mei: 'may', juni: 'june', juli: 'july',
  augustus: 'august', september: 'september', oktober: 'october', november: 'november', december: 'december',
};
const NL_UNITS: Record<string, string> = {
  uur: 'hours', uurtje: 'hour', minuten: 'minutes', minuutjes: 'minutes', minuut: 'minute', dagen: 'days', dag: 'day',
  weken: 'weeks', week: 'week', maanden: 'months', maand: 'month',
};

export const DUTCH: Rule[] = [
  [/\bovermorgen\b/g, 'day after tomorrow'],
  [/\bover anderhalf uur\b/g, 'in an hour and a half'],
  [/\bop de (\d{1,2})(?:e|ste|de)\b/g, 'on day $1'],
  [/\bmorgenvroeg\b|\bmorgen vroeg\b/g, 'tomorrow early morning'],
  [/\bvroeg in de ochtend\b/g, 'early morning'],
  [/\bbegin volgende week\b/g, 'early next week'],
  [/\bhalverwege volgende week\b|\bmidden volgende week\b/g, 'mid next week'],
  [/\beind van de middag\b|\blaat in de middag\b|\beind van de namiddag\b/g, 'late afternoon'],
  [/\b(?:aan het )?eind van de dag\b/g, 'end of day'],
  [/\bbegin (?=(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b)/g, 'early '],
  [/\bhalf (?=(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b)/g, 'mid '],
  [/\beind (?=(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b)/g, 'end of '],
  [/\bvanaf (\d)/g, 'after $1'],
  [/\bover (?:twee weken|veertien dagen|14 dagen)\b/g, 'in a fortnight'],
  [/\bna het weekend\b/g, 'after the weekend'],
  [/\bmorgen ?(?:ochtend|vroeg)\b|\bmorgen in de ochtend\b/g, 'tomorrow morning'],
  [/\bmorgen ?middag\b/g, 'tomorrow afternoon'],
  [/\bmorgen ?avond\b/g, 'tomorrow evening'],
  [/\bmorgen\b/g, 'tomorrow'],
  [/\bvanavond\b/g, 'tonight'],
  [/\bvanmiddag\b/g, 'this afternoon'],
  [/\bvanochtend\b|\bvanmorgen\b/g, 'this morning'],
  [/\bvandaag\b/g, 'today'],
  [/\bgisteravond\b/g, 'last night'],
  [/\bgisteren\b/g, 'yesterday'],
  [/\bnu\b/g, 'now'],
  [/\b(?:'s|s) ?ochtends\b|\bin de ochtend\b|\bochtend\b/g, 'morning'],
  [/\b(?:'s|s) ?middags\b|\bin de middag\b|\bnamiddag\b/g, 'afternoon'],
  [/\b(?:rond|om|tussen de) de middag\b|\brond het middaguur\b|\bmiddaguur\b/g, 'around noon'],
  [/\b(?:'s|s) ?avonds\b|\bin de avond\b|\bavond\b/g, 'evening'],
  [/\bna de lunch\b|\bna het middageten\b/g, 'after lunch'],
  [/\bna het (?:avond)?eten\b/g, 'after dinner'],
  [/\bna het werk\b|\bna werktijd\b/g, 'after work'],
  [/\beind (?:van )?volgende week\b/g, 'end of next week'],
  [/\beind (?:van )?(?:deze |de )?week\b/g, 'end of the week'],
  [/\beind (?:van )?(?:deze |de )?maand\b/g, 'end of the month'],
  [/\b(?:volgende|komende) week\b/g, 'next week'],
  [/\b(?:volgende|komende) maand\b/g, 'next month'],
  [/\b(?:volgend|komend) weekend\b/g, 'next weekend'],
  [/\b(?:dit|het) weekend\b/g, 'this weekend'],
  [/\bover een (?:half|halfuurtje|half uur)(?: uur)?\b/g, 'in half an hour'],
  [/\bover een kwartier(?:tje)?\b/g, 'in 15 minutes'],
  [/\bover een uur(?:tje)?\b/g, 'in an hour'],
  [/\bover een week\b/g, 'in a week'],
  [/\bover een maand\b/g, 'in a month'],
  mapWords(NL_HOUR_EN),
  [/\bhalf (een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\d{1,2})\b/g, (m) => halfBefore(NL_NUM[m[1]] ?? m[1])],
  [/\bkwart over (een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\d{1,2})\b/g, (m) => `${NL_NUM[m[1]] ?? m[1]}:15`],
  [/\bkwart voor (een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\d{1,2})\b/g, (m) => quarterBefore(NL_NUM[m[1]] ?? m[1])],
  mapWords(NL_NUM, '(?<=\\b(?:om|rond|na|voor|tot|over|tussen|en) )'),
  [/\bover (?=\d+ (?:uur|uurtje|minuten|minuutjes|minuut|dagen|dag|weken|week|maanden|maand)\b)/g, 'in '],
  mapWords(NL_UNITS, '(?<=\\d |\\ba |an )'),
  [new RegExp(`\\b(?:volgende|komende) (${NL_DAY})\\b`, 'g'), (m) => `next ${NL_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:op |deze |a\\.?s\\.? )?(${NL_DAY})\\b`, 'g'), (m) => NL_DAYS[m[1]]],
  [new RegExp(`\\b(\\d{1,2}) (${Object.keys(NL_MONTHS).join('|')})\\b`, 'g'), (m) => `${NL_MONTHS[m[2]]} ${m[1]}`],
  mapWords(NL_MONTHS),
  [/\bde (\d{1,2})(?:e|ste|de)\b/g, 'on day $1'],
  [/\b(\d{1,2}(?::\d\d)?) uur\b/g, (m) => (m[1].includes(':') ? m[1] : `${m[1]}:00`)],
  [/\btussen (\d{1,2}(?::\d\d)?) en (\d{1,2})/g, 'between $1 and $2'],
  [/\brond (\d)/g, 'around $1'],
  [/\bna (\d)/g, 'after $1'],
  [/\bvoor (\d)/g, 'before $1'],
  [/\btot (\d)/g, 'until $1'],
  [/\bom (\d)/g, 'at $1'],
  [/\bbel (?:me|mij)\b|\bbellen\b|\bterugbellen\b/g, 'call me'],
  [/\b(?:app|sms|mail) (?:me|mij)\b|\bstuur (?:me|mij) een (?:bericht|berichtje)\b/g, 'text me'],
  [/\bspreken\b|\bspreek je\b/g, 'talk'],
  [/\balsjeblieft\b|\balstublieft\b|\baub\b/g, 'please'],
];

// ---------------------------------------------------------------- Polish
const PL_DAYS: Record<string, string> = {
  poniedzialek: 'monday', wtorek: 'tuesday', sroda: 'wednesday', srode: 'wednesday', czwartek: 'thursday',
  piatek: 'friday', sobota: 'saturday', sobote: 'saturday', niedziela: 'sunday', niedziele: 'sunday',
};
const PL_DAY = Object.keys(PL_DAYS).join('|');
const PL_UNITS: Record<string, string> = {
  godzine: 'hour', godziny: 'hours', godzin: 'hours', minut: 'minutes', minuty: 'minutes', minute: 'minute', dni: 'days',
  dzien: 'day', tygodnie: 'weeks', tygodni: 'weeks', tydzien: 'week', miesiac: 'month', miesiace: 'months',
  miesiecy: 'months',
};

const PL_MONTHS: Record<string, string> = {
  stycznia: 'january', lutego: 'february', marca: 'march', kwietnia: 'april', maja: 'may', czerwca: 'june',
  lipca: 'july', sierpnia: 'august', wrzesnia: 'september', pazdziernika: 'october', listopada: 'november',
  grudnia: 'december',
};

export const POLISH: Rule[] = [
  [/\bpojutrze\b/g, 'day after tomorrow'],
  [/\b(\d{1,2}) (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrzesnia|pazdziernika|listopada|grudnia)\b/g, (m) => `${PL_MONTHS[m[2]]} ${m[1]}`],
  [/\bkolo (\d)/g, 'around $1'],
  [/\bza kwadrans\b/g, 'in 15 minutes'],
  [/\bna poczatku (?:przyszlego|nastepnego) tygodnia\b/g, 'early next week'],
  [/\bw polowie (?:przyszlego|nastepnego) tygodnia\b/g, 'mid next week'],
  [/\bod (\d)/g, 'after $1'],
  [/\bza (?:dwa tygodnie|14 dni)\b/g, 'in a fortnight'],
  [/\bpo weekendzie\b/g, 'after the weekend'],
  [/\bjutro rano\b/g, 'tomorrow morning'],
  [/\bjutro po poludniu\b/g, 'tomorrow afternoon'],
  [/\bjutro wieczorem\b/g, 'tomorrow evening'],
  [/\bjutro\b/g, 'tomorrow'],
  [/\bdzis wieczorem\b|\bdzisiaj wieczorem\b|\bwieczorem\b/g, 'tonight'],
  [/\bdzis rano\b|\bdzisiaj rano\b/g, 'this morning'],
  [/\bdzis po poludniu\b|\bdzisiaj po poludniu\b/g, 'this afternoon'],
  [/\bdzisiaj\b|\bdzis\b/g, 'today'],
  [/\bwczoraj\b/g, 'yesterday'],
  [/\bteraz\b/g, 'now'],
  [/\brano\b/g, 'morning'],
  [/\bpo poludniu\b/g, 'afternoon'],
  [/\bw poludnie\b/g, 'at noon'],
  [/\bpo obiedzie\b/g, 'after lunch'],
  [/\bpo pracy\b/g, 'after work'],
  [/\bpod koniec (?:przyszlego|nastepnego) tygodnia\b|\bkoniec przyszlego tygodnia\b/g, 'end of next week'],
  [/\bpod koniec tygodnia\b|\bkoniec tygodnia\b/g, 'end of the week'],
  [/\bpod koniec miesiaca\b|\bkoniec miesiaca\b/g, 'end of the month'],
  [/\bw (?:przyszlym|nastepnym) tygodniu\b/g, 'next week'],
  [/\bw (?:przyszlym|nastepnym) miesiacu\b/g, 'next month'],
  [/\bw weekend\b|\bw ten weekend\b/g, 'this weekend'],
  [/\bza pol godziny\b/g, 'in half an hour'],
  [/\bza godzine\b/g, 'in an hour'],
  [/\bza tydzien\b/g, 'in a week'],
  [/\bza miesiac\b/g, 'in a month'],
  [/\bza (?=\d+ )/g, 'in '],
  mapWords(PL_UNITS, '(?<=\\d )'),
  [new RegExp(`\\bw (?:przyszly|nastepny|przyszla|nastepna|przyszla) (${PL_DAY})\\b`, 'g'), (m) => `next ${PL_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:we |w )?(${PL_DAY})\\b`, 'g'), (m) => PL_DAYS[m[1]]],
  [/\bpo (\d)/g, 'after $1'],
  [/\bokolo (\d)/g, 'around $1'],
  [/\bprzed (\d)/g, 'before $1'],
  [/\bdo (\d)/g, 'until $1'],
  [/\bo (\d)/g, 'at $1'],
  [/\bzadzwon(?: do mnie)?\b|\bprosze zadzwonic\b/g, 'call me'],
  [/\bnapisz(?: do mnie)?\b/g, 'text me'],
  [/\bprosze\b/g, 'please'],
];

// ---------------------------------------------------------------- Turkish
const TR_DAYS: Record<string, string> = {
  pazartesi: 'monday', sali: 'tuesday', carsamba: 'wednesday', persembe: 'thursday', cuma: 'friday',
  cumartesi: 'saturday', pazar: 'sunday',
};
const TR_DAY = Object.keys(TR_DAYS).sort((a, b) => b.length - a.length).join('|');

const TR_MONTHS: Record<string, string> = {
  ocak: 'january', subat: 'february', mart: 'march', nisan: 'april', mayis: 'may', haziran: 'june', temmuz: 'july',
  agustos: 'august', eylul: 'september', ekim: 'october', kasim: 'november', aralik: 'december',
};

export const TURKISH: Rule[] = [
  [/\b(?:obur|ertesi) gun\b/g, 'day after tomorrow'],
  [/\byarin sabah\b/g, 'tomorrow morning'],
  [/\byarin ogleden sonra\b/g, 'tomorrow afternoon'],
  [/\byarin aksam\b/g, 'tomorrow evening'],
  [/\byarin\b/g, 'tomorrow'],
  [/\bbu aksam\b/g, 'tonight'],
  [/\bbu sabah\b/g, 'this morning'],
  [/\bbugun\b/g, 'today'],
  [/\bdun\b/g, 'yesterday'],
  [/\bsimdi\b|\bsu an\b/g, 'now'],
  [/\bogleden sonra\b/g, 'afternoon'],
  [/\baksam(?:ustu)?\b/g, 'evening'],
  [/\bsabah\b/g, 'morning'],
  [/\bogle(?:n)?\b/g, 'noon'],
  [/\b(?:gelecek|onumuzdeki|haftaya) hafta\b|\bhaftaya\b/g, 'next week'],
  [/\b(?:gelecek|onumuzdeki) ay\b/g, 'next month'],
  [/\bhafta sonu\b/g, 'this weekend'],
  [/\bay sonu(?:nda)?\b/g, 'end of the month'],
  [/\bayin (\d{1,2})'?(?:s?i?nde|s?unda|s?inda|s?ünde|s?i)?\b/g, 'on day $1'],
  [/\bogle arasi(?:nda)?\b/g, 'lunch break'],
  [/\b(?:is cikisi|isten sonra|mesaiden sonra|is cikisinda)\b/g, 'after work'],
  [/\b(?:aksam )?yemekten sonra\b|\baksam yemeginden sonra\b/g, 'after dinner'],
  [/\bogle yemeginden sonra\b|\boglenden sonra\b/g, 'after lunch'],
  [/\b(\d{1,2}) (ocak|subat|mart|nisan|mayis|haziran|temmuz|agustos|eylul|ekim|kasim|aralik)'?(?:(?:t|d)[ae]n sonra)\b/g, (m) => `after ${TR_MONTHS[m[2]]} ${m[1]}`],
  [/\b(\d{1,2}) (ocak|subat|mart|nisan|mayis|haziran|temmuz|agustos|eylul|ekim|kasim|aralik)\b/g, (m) => `${TR_MONTHS[m[2]]} ${m[1]}`],
  [/\bhafta sonuna dogru\b/g, 'end of the week'],
  [/\byarim saat (?:sonra|icinde)\b/g, 'in half an hour'],
  [/\b(\d+|bir) (saat|dakika|gun|hafta|ay) (?:sonra|icinde)\b/g, (m) => {
    const unit = { saat: 'hours', dakika: 'minutes', gun: 'days', hafta: 'weeks', ay: 'months' }[m[2]]!;
    return `in ${m[1] === 'bir' ? '1' : m[1]} ${unit}`;
  }],
  [/\b(\d{1,2}(?::\d\d)?)'?(?:ten|tan|den|dan) sonra\b/g, 'after $1'],
  [/\b(\d{1,2}(?::\d\d)?)'?(?:ten|tan|den|dan) once\b/g, 'before $1'],
  [/\b(?:saat )?(\d{1,2}(?::\d\d)?)'?(?:te|ta|de|da)\b/g, 'at $1'],
  [/\bsaat (\d)/g, 'at $1'],
  [new RegExp(`\\bgelecek (${TR_DAY})\\b`, 'g'), (m) => `next ${TR_DAYS[m[1]]}`],
  [new RegExp(`\\b(${TR_DAY})(?: gunu)?\\b`, 'g'), (m) => TR_DAYS[m[1]]],
  [/\bara(?:yin|r misiniz|yabilir misiniz)?\b/g, 'call me'],
  [/\byaz(?:in|ar misiniz)?\b|\bmesaj at(?:in)?\b/g, 'text me'],
  [/\bkonusalim\b|\bgorusuruz\b|\bgorusalim\b/g, "let's talk"],
  [/\blutfen\b/g, 'please'],
];

// ---------------------------------------------------------------- Hinglish (Hindi in Latin script)
export const HINGLISH: Rule[] = [
  [/\bparso\b|\bparson\b/g, 'day after tomorrow'],
  [/\bkal subah\b/g, 'tomorrow morning'],
  [/\bkal (?:dopahar|dophar)\b/g, 'tomorrow afternoon'],
  [/\bkal shaam\b|\bkal sham\b/g, 'tomorrow evening'],
  [/\bkal raat\b/g, 'tomorrow night'],
  [/\bkal\b/g, 'tomorrow'],
  [/\baaj raat\b|\baaj shaam\b|\baaj sham\b/g, 'tonight'],
  [/\baaj subah\b/g, 'this morning'],
  [/\baaj dopahar\b/g, 'this afternoon'],
  [/\baaj\b/g, 'today'],
  [/\babhi\b/g, 'now'],
  [/\bsubah\b/g, 'morning'],
  [/\b(?:dopahar|dophar)\b/g, 'afternoon'],
  [/\bshaam\b|\bsham\b/g, 'evening'],
  [/\braat\b/g, 'night'],
  [/\bagle hafte\b|\bagle week\b|\bnext week\b/g, 'next week'],
  [/\bweekend ke (?:baad|bad)\b/g, 'after the weekend'],
  [/\b(\d+) (?:min|mins|minute|minutes) (?:mein|me|baad)\b/g, 'in $1 minutes'],
  [/\bweekend (?:pe|par|ko)\b/g, 'this weekend'],
  [/\b(?:mahine|month) ke (?:end|aakhir|akhir) (?:mein|me|tak)\b/g, 'end of the month'],
  [/\b(?:hafte|week) ke (?:end|aakhir|akhir) (?:mein|me|tak)\b/g, 'end of the week'],
  [/\bagle mahine\b/g, 'next month'],
  [/\b(?:aadhe|adhe|aadha|adha) ghante (?:baad|mein|me)\b/g, 'in half an hour'],
  [/\b(\d+|ek|do|teen|char) (ghante|ghanta|minute|min|mins|din|hafte|mahine) (?:baad|mein|me)\b/g, (m) => {
    const n = { ek: '1', do: '2', teen: '3', char: '4' }[m[1]] ?? m[1];
    const unit = /^ghant/.test(m[2]) ? 'hours' : /^min/.test(m[2]) ? 'minutes' : m[2] === 'din' ? 'days' : m[2] === 'hafte' ? 'weeks' : 'months';
    return `in ${n} ${unit}`;
  }],
  [/\b(\d{1,2}(?::\d\d)?) baje (?:ke )?(?:baad|bad)\b/g, 'after $1'],
  [/\b(\d{1,2}(?::\d\d)?) baje se pehle\b/g, 'before $1'],
  [/\b(\d{1,2}(?::\d\d)?) baje\b/g, 'at $1'],
  [/\b(lunch|dinner|office|work|kaam) ke (?:baad|bad)\b/g, (m) => `after ${m[1] === 'office' || m[1] === 'kaam' ? 'work' : m[1]}`],
  [/\bcall kar(?:o|na|iye|ein|en|dena|do)\b|\bphone kar(?:o|na|iye)\b/g, 'call me'],
  [/\b(?:ping|message|msg|text) kar(?:o|na|iye|dena|do)\b/g, 'text me'],
  [/\bbaat karte hain\b|\bbaat karenge\b/g, "let's talk"],
];

// ---------------------------------------------------------------- Tagalog / Taglish
const TL_DAYS: Record<string, string> = {
  lunes: 'monday', martes: 'tuesday', miyerkules: 'wednesday', huwebes: 'thursday', biyernes: 'friday',
  sabado: 'saturday',
};
const TL_NUM: Record<string, string> = {
  una: '1', dos: '2', tres: '3', kwatro: '4', singko: '5', sais: '6', siyete: '7', otso: '8', nuwebe: '9', diyes: '10',
  onse: '11', dose: '12',
};

export const TAGALOG: Rule[] = [
  [/\b(?:sa )?makalawa\b/g, 'day after tomorrow'],
  [/\b(?:sa )?katapusan ng (?:buwan|month)\b/g, 'end of the month'],
  [/\bsa (\d{1,2})\b(?! ?(?:minuto|oras|araw|am|pm|:))/g, 'on day $1'],
  [/\b(?:after|pagkatapos) ng\b/g, 'after'],
  [/\b(?:sa )?isang oras\b/g, 'an hour'],
  [/\b(?:sa )?kalahating oras\b/g, 'half an hour'],
  [/\balas[- ](\d{1,2})\b/g, 'at $1'],
  [/\balas-(una|dos|tres|kwatro|singko|sais|siyete|otso|nuwebe|diyes|onse|dose)\b/g, (m) => `at ${TL_NUM[m[1]]}`],
  [/\b(?:sa )?trabaho\b/g, 'work'],
  [/\bbukas ng umaga\b/g, 'tomorrow morning'],
  [/\bbukas ng hapon\b/g, 'tomorrow afternoon'],
  [/\bbukas ng gabi\b/g, 'tomorrow evening'],
  [/\bbukas\b/g, 'tomorrow'],
  [/\bmamayang gabi\b/g, 'tonight'],
  [/\bmamayang hapon\b/g, 'this afternoon'],
  [/\bmamayang (?=\d)/g, 'today at '],
  [/\bngayong gabi\b/g, 'tonight'],
  [/\bngayon\b/g, 'now'],
  [/\bkahapon\b/g, 'yesterday'],
  [/\b(?:ng |sa )?umaga\b/g, 'morning'],
  [/\b(?:ng |sa )?hapon\b/g, 'afternoon'],
  [/\b(?:ng |sa )?gabi\b/g, 'evening'],
  [/\b(?:ng |sa )?tanghali\b/g, 'noon'],
  [/\bsa susunod na linggo\b|\bnext week\b/g, 'next week'],
  [/\bsa susunod na buwan\b/g, 'next month'],
  [/\bsa (?:linggo|sunday)\b(?! na)/g, 'sunday'],
  [/\bsa susunod na (lunes|martes|miyerkules|huwebes|biyernes|sabado)\b/g, (m) => `next ${TL_DAYS[m[1]]}`],
  mapWords(TL_DAYS, '(?:sa )?'),
  [/\balas (una|dos|tres|kwatro|singko|sais|siyete|otso|nuwebe|diyes|onse|dose)\b/g, (m) => `at ${TL_NUM[m[1]]}`],
  [/\bmga (\d)/g, 'around $1'],
  [/\bpagkatapos ng (\d)/g, 'after $1'],
  [/\btawagan (?:mo )?(?:ako|ko|nyo ako|niyo ako)\b|\bpaki ?call\b/g, 'call me'],
  [/\b(?:i-?text|itext|message) (?:mo )?(?:ako|ko)\b/g, 'text me'],
];
