/**
 * Word-level English gloss of Spanish, French, Portuguese and German messages, limited to
 * what the time reader and the request heuristics need: time words ("mañana por la tarde" →
 * "tomorrow afternoon", "um 10 Uhr" → "at 10"), durations, contact verbs ("llámame" →
 * "call me"), past markers and the words that make a question about the business rather than
 * a follow-up request. One English grammar then serves all five languages, so the
 * conventions (bare 1–7 means pm, "next week" is Monday 09:00…) hold everywhere.
 * Runs on normalised text and keeps the mapping to the original (MappedText).
 */
import type { MappedText } from './mapped-text.ts';
import { applyRules, halfBefore, mapWords, quarterBefore, type Rule } from './glossRules.ts';
import { DUTCH, HINGLISH, ITALIAN, POLISH, TAGALOG, TURKISH } from './glossMore.ts';
import type { Language } from './types.ts';

// ---------------------------------------------------------------- Spanish
const ES_DAYS: Record<string, string> = {
  lunes: 'monday', martes: 'tuesday', miercoles: 'wednesday', jueves: 'thursday', viernes: 'friday',
  sabado: 'saturday', domingo: 'sunday',
};
const ES_DAY = Object.keys(ES_DAYS).join('|');
const ES_NUM: Record<string, string> = {
  dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10', once: '11',
  doce: '12', quince: '15', veinte: '20', treinta: '30', cuarenta: '40', cincuenta: '50', noventa: '90',
};
const ES_MONTHS: Record<string, string> = {
  enero: 'january', febrero: 'february', marzo: 'march', abril: 'april', mayo: 'may', junio: 'june', julio: 'july',
  agosto: 'august', septiembre: 'september', setiembre: 'september', octubre: 'october', noviembre: 'november',
  diciembre: 'december',
};
const ES_UNITS: Record<string, string> = {
  horas: 'hours', hora: 'hour', minutos: 'minutes', minuto: 'minute', dias: 'days', dia: 'day', semanas: 'weeks',
  semana: 'week', meses: 'months', mes: 'month',
};
const ES_UNIT = Object.keys(ES_UNITS).join('|');

const SPANISH: Rule[] = [
  [/\bpasado manana\b/g, 'day after tomorrow'],
  [/\b(?:a |para |al |hacia )?(?:finales|fin|final) de (?:la )?(?:semana (?:que viene|proxima|entrante)|proxima semana)\b/g, 'end of next week'],
  [/\b(?:a |para |al |hacia )?(?:finales|fin|final) de(?:l)? mes\b/g, 'end of the month'],
  [/\b(?:a |para |al |hacia )?(?:finales|fin|final) de (?:esta |la )semana\b/g, 'end of the week'],
  [/\bsemana q(?:ue)? viene\b/g, 'semana que viene'],
  [/\b(?:despues del|pasando el) (?:fin de semana|finde)\b/g, 'after the weekend'],
  [/\b(?:la )?misma hora\b/g, 'the same time'],
  [/\bun par de\b/g, '2'],
  [/\b(?:manana )?a primera hora(?: de la manana)?\b/g, (m) => (m[0].startsWith('manana') ? 'tomorrow first thing' : 'first thing')],
  [/\ba principios de(?:l)?\b|\bprincipios de(?:l)?\b/g, 'early'],
  [/\ba mediados de(?:l)?\b|\bmediados de(?:l)?\b/g, 'mid'],
  [/\ba finales de(?:l)?\b|\bfinales de(?:l)?\b/g, 'end of'],
  [/\ba partir de las? (?=\d)/g, 'after '],
  [/\b(?:el |este )?finde\b/g, 'this weekend'],
  [/\b(?:en |dentro de )?(?:unos )?quince dias\b|\b(?:en |dentro de )?dos semanas\b/g, 'in a fortnight'],
  [/\b(?:da|dame|deme|dame me)\b(?= (?:una?|\d+|media|cinco|diez|quince|veinte|treinta) )/g, 'give me'],
  [/\bmanana (?:por|en|de) la manana\b|\bmanana temprano\b/g, 'tomorrow morning'],
  [/\bmanana (?:por|en|de) la tarde\b/g, 'tomorrow afternoon'],
  [/\bmanana (?:por|en|de) la noche\b/g, 'tomorrow evening'],
  [/\b(?:esta|hoy (?:por|en) la) manana\b/g, 'this morning'],
  [/\b(?:esta|hoy (?:por|en) la) tarde\b/g, 'this afternoon'],
  [/\b(?:esta noche|hoy (?:por|en) la noche)\b/g, 'tonight'],
  [/\b(?:por|en|de) la manana\b/g, 'morning'],
  [/\b(?:por|en|de) la tarde\b/g, 'afternoon'],
  [/\b(?:por|en|de) la noche\b/g, 'evening'],
  [/\bmanana\b/g, 'tomorrow'],
  [/\bhoy\b/g, 'today'],
  [/\bahora(?:ita)?(?: mismo)?\b/g, 'now'],
  [/\banoche\b/g, 'last night'],
  [/\bayer\b/g, 'yesterday'],
  [/\bmedio ?dia\b/g, 'noon'],
  [/\bmedianoche\b/g, 'midnight'],
  [/\bdespues de (?:la )?(?:comida|comer)\b/g, 'after late lunch'],
  [/\bdespues de(?:l)? (?:almuerzo|almorzar)\b/g, 'after lunch'],
  [/\bdespues del (?:trabajo|almuerzo)\b/g, 'after work'],
  [/\bla (?:proxima|otra) semana\b|\bla semana (?:que viene|proxima|entrante)\b|\bproxima semana\b|\bsemana que viene\b/g, 'next week'],
  [/\bel (?:proximo|otro) mes\b|\bel mes (?:que viene|proximo|entrante)\b|\bproximo mes\b|\bmes que viene\b/g, 'next month'],
  [/\bla semana pasada\b/g, 'last week'],
  [/\bel mes pasado\b/g, 'last month'],
  [/\b(?:este |el )?fin de semana\b/g, 'this weekend'],
  mapWords(ES_NUM),
  [/\bhace (\d+|una?) (horas?|minutos?|dias?|semanas?|mes(?:es)?)\b/g, '$1 $2 ago'],
  [new RegExp(`\\b(?:el )?(${ES_DAY}) (?:que viene|proximo)\\b`, 'g'), (m) => `next ${ES_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:el )?proximo (${ES_DAY})\\b`, 'g'), (m) => `next ${ES_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:el |este )?(${ES_DAY})\\b`, 'g'), (m) => ES_DAYS[m[1]]],
  [/\bdentro de\b/g, 'in'],
  [new RegExp(`\\ben (?=(?:\\d+|una?|media) (?:${ES_UNIT})\\b)`, 'g'), 'in '],
  [/\bmedia hora\b/g, 'half an hour'],
  [/\bhoritas?\b/g, (m) => (m[0].endsWith('s') ? 'horas' : 'hora')],
  [/\bminutitos?\b/g, (m) => (m[0].endsWith('s') ? 'minutos' : 'minuto')],
  [new RegExp(`\\buna? (${ES_UNIT})\\b`, 'g'), 'a $1'],
  mapWords(ES_UNITS, '(?<=\\d |\\ba |half an? )'),
  [new RegExp(`\\b(\\d{1,2}) de (${Object.keys(ES_MONTHS).join('|')})\\b`, 'g'), (m) => `${ES_MONTHS[m[2]]} ${m[1]}`],
  mapWords(ES_MONTHS),
  [/\b(?:el )?dia (\d{1,2})\b|\bel (\d{1,2})\b(?= (?:por|a las|en la|de la|temprano|o |y )|\s*$|[,.!?])/g, (m) => `on day ${m[1] ?? m[2]}`],
  [/\b(\d{1,2}) y media\b/g, '$1:30'],
  [/\b(\d{1,2}) y cuarto\b/g, '$1:15'],
  [/\bentre las? (\d{1,2}(?::\d\d)?) y las? (\d{1,2})/g, 'between $1 and $2'],
  [/\b(?:como a|sobre|hacia|a eso de|tipo) las? (\d)/g, 'around $1'],
  [/\b(?:tipo|como a|a eso de) (\d{1,2})\b(?! (?:minutos|horas|dias))/g, 'around $1'],
  [/\bcomo en (\d{1,2})\b/g, 'in like $1'],
  [/\bdespues de las? (\d)/g, 'after $1'],
  [/\bantes de las? (\d)/g, 'before $1'],
  [/\bhasta las? (\d)/g, 'until $1'],
  [/\ba las? (\d)/g, 'at $1'],
  [/\bllam(?:ame|eme|enme|arme|ar|as|es|en|e|a)\b/g, 'call'],
  [/\bmarca(?:me|rme)\b/g, 'call me'],
  [/\bmarcar(?:te|le)?\b/g, 'call'],
  [/\bescrib(?:eme|ame|irme|ir|es|anme|enme)\b/g, 'text me'],
  [/\b(?:manda|envia|mandame|enviame)(?:me)? (?:un )?(?:mensaje|whats|texto)\b/g, 'text me'],
  [/\bcontact(?:ame|eme|arme|ar|enme)\b/g, 'contact me'],
  [/\b(?:hablamos|hablemos|platicamos)\b/g, "let's talk"],
  [/\b(?:podemos|podriamos)\b/g, 'can we'],
  [/\b(?:tienen|tiene|hay)\b/g, 'do you have'],
  [/\bcitas?\b|\bturnos?\b|\bhorarios?\b/g, 'appointment'],
  [/\bdisponibles?\b|\blibres?\b/g, 'available'],
  [/\babiertos?\b|\babren\b|\babre\b|\btrabajan\b/g, 'open'],
  [/\bcierran\b|\bcierra\b/g, 'close'],
  [/\bpuedo (?:ir|pasar)\b/g, 'can i come in'],
  [/\ba que hora\b/g, 'what time'],
  [/\bcuanto\b/g, 'how much'],
  [/\bcuando\b/g, 'when'],
  [/\b(?:mejor|preferiblemente)\b/g, 'better'],
  [/\bpor favor\b/g, 'please'],
];

// ---------------------------------------------------------------- French
const FR_DAYS: Record<string, string> = {
  lundi: 'monday', mardi: 'tuesday', mercredi: 'wednesday', jeudi: 'thursday', vendredi: 'friday', samedi: 'saturday',
  dimanche: 'sunday',
};
const FR_DAY = Object.keys(FR_DAYS).join('|');
const FR_NUM: Record<string, string> = {
  deux: '2', trois: '3', quatre: '4', cinq: '5', six: '6', sept: '7', huit: '8', neuf: '9', dix: '10', onze: '11',
  douze: '12', quinze: '15', vingt: '20', trente: '30', quarante: '40', cinquante: '50',
};
const FR_MONTHS: Record<string, string> = {
  janvier: 'january', fevrier: 'february', mars: 'march', avril: 'april', mai: 'may', juin: 'june', juillet: 'july',
  aout: 'august', septembre: 'september', octobre: 'october', novembre: 'november', decembre: 'december',
};
const FR_UNITS: Record<string, string> = {
  heures: 'hours', heure: 'hour', minutes: 'minutes', minute: 'minute', jours: 'days', jour: 'day',
  semaines: 'weeks', semaine: 'week', mois: 'months',
};
const FR_UNIT = Object.keys(FR_UNITS).join('|');

const FRENCH: Rule[] = [
  [/\bapres[- ]demain\b/g, 'day after tomorrow'],
  [/\bdans (\d{1,2}) ?h\b(?! ?\d)/g, 'in $1 hours'],
  [/\b(?:a la |en )?fin (?:de (?:la )?)?semaine (?:prochaine|pro)\b/g, 'end of next week'],
  [/\b(?:la )?semaine pro(?:chaine)?\b/g, 'next week'],
  [/\bapres (?:la|le) (?:fin de semaine|week-?end)\b/g, 'after the weekend'],
  [/\b(?:a la |en )?fin (?:du|de ce) mois\b/g, 'end of the month'],
  [/\b(?:la |cette )?fin de semaine\b/g, 'this weekend'],
  [/\bpile\b/g, 'sharp'],
  [/\b(?:a la |a )?meme heure\b/g, 'at the same time'],
  [/\b(?:en |a la )?fin de (?:la )?journee\b/g, 'end of day'],
  [/\b(?:en )?debut d'? ?apres[- ]midi\b/g, 'early afternoon'],
  [/\b(?:en )?fin de matinee\b/g, 'late morning'],
  [/\b(?:en )?debut de soiree\b/g, 'early evening'],
  [/\b(?:en |au )?debut (?:de |du |d')?(?=\s*(?:la semaine prochaine|mois prochain|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre))/g, 'early '],
  [/\b(?:a la )?mi-? ?(?=(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b)/g, 'mid '],
  [/\b(?:a la |en )?fin (?=(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b)/g, 'end of '],
  [/\bd'? ?ici (?=(?:\d+|une?|la fin|demain))/g, 'in '],
  [/\ba partir de (?=\d)/g, 'after '],
  [/\b(?:dans )?(?:une )?quinzaine(?: de jours)?\b|\bdans (?:15|quinze) jours\b|\bdans deux semaines\b/g, 'in a fortnight'],
  [/\b(?:un )?quart d'? ?heure\b/g, '15 minutes'],
  [/\bfin d'? ?apres[- ]midi\b/g, 'late afternoon'],
  [/\bdemain (?:matin|dans la matinee)\b/g, 'tomorrow morning'],
  [/\bdemain (?:apres[- ]midi|aprem)\b/g, 'tomorrow afternoon'],
  [/\bdemain (?:soir|en soiree)\b/g, 'tomorrow evening'],
  [/\bdemain\b/g, 'tomorrow'],
  [/\baujourd'? ?hui\b/g, 'today'],
  [/\bce soir\b/g, 'tonight'],
  [/\bcet? (?:apres[- ]midi|aprem)\b/g, 'this afternoon'],
  [/\bce matin\b/g, 'this morning'],
  [/\bhier soir\b/g, 'last night'],
  [/\bhier\b/g, 'yesterday'],
  [/\b(?:dans la|en) matinee\b|\ble matin\b/g, 'morning'],
  [/\b(?:l'|l )?(?:apres[- ]midi|aprem)\b/g, 'afternoon'],
  [/\ben soiree\b|\ble soir\b|\bsoir\b/g, 'evening'],
  [/\bentre midi et (?:deux|2)(?: heures| ?h)?\b/g, 'lunch break'],
  [/\bmidi\b/g, 'noon'],
  [/\bminuit\b/g, 'midnight'],
  [/\bmaintenant\b|\btout de suite\b/g, 'now'],
  [/\bapres (?:le )?(?:dejeuner|manger|repas)\b/g, 'after lunch'],
  [/\bapres (?:le )?(?:travail|boulot)\b/g, 'after work'],
  [/\b(?:la )?semaine prochaine\b/g, 'next week'],
  [/\b(?:le )?mois prochain\b/g, 'next month'],
  [/\b(?:la )?semaine (?:derniere|passee)\b/g, 'last week'],
  [/\b(?:le )?mois dernier\b/g, 'last month'],
  [/\b(?:le )?week-?end prochain\b/g, 'next weekend'],
  [/\b(?:ce|le) week-?end\b/g, 'this weekend'],
  mapWords(FR_NUM),
  [/\bil y a (\d+|une?) (heures?|minutes?|jours?|semaines?|mois)\b/g, '$1 $2 ago'],
  [new RegExp(`\\b(?:le )?(${FR_DAY}) prochain\\b`, 'g'), (m) => `next ${FR_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:ce |le )?(${FR_DAY})\\b`, 'g'), (m) => FR_DAYS[m[1]]],
  [new RegExp(`\\bdans (?=(?:\\d+|une?|une demi) ?-?(?:${FR_UNIT})\\b)`, 'g'), 'in '],
  [/\bune demi-? ?heure\b/g, 'half an hour'],
  [new RegExp(`\\bune? (${FR_UNIT})\\b`, 'g'), 'a $1'],
  mapWords(FR_UNITS, '(?<=\\d |\\ba |half an? )'),
  [new RegExp(`\\b(?:le )?(\\d{1,2})(?:er)? (${Object.keys(FR_MONTHS).join('|')})\\b`, 'g'), (m) => `${FR_MONTHS[m[2]]} ${m[1]}`],
  mapWords(FR_MONTHS),
  [/\b(\d{1,2}) ?h ?(\d\d)\b/g, '$1:$2'],
  [/\b(\d{1,2}) ?h\b/g, '$1:00'],
  [/\b(\d{1,2}(?::\d\d)?) et demie?\b/g, '$1:30'],
  [/\b(?:le|du|au) (\d{1,2})(?:er)?\b(?![:\d]| (?:heures?|minutes?|jours?|mois|semaines?|ans?|fois|euros?|personnes?)\b)/g, 'on day $1'],
  [/\bentre (\d{1,2}(?::\d\d)?) et (\d{1,2})/g, 'between $1 and $2'],
  [/\bvers (\d)/g, 'around $1'],
  [/\bapres (\d)/g, 'after $1'],
  [/\bavant (\d)/g, 'before $1'],
  [/\bjusqu'? ?a (\d)/g, 'until $1'],
  [/\ba (\d)/g, 'at $1'],
  [/\b(?:r)?appel(?:ez|le|er|les|lez)(?:[- ]?(?:moi|nous))?\b|\bme (?:r)?appeler\b/g, 'call me'],
  [/\b(?:ecri(?:vez|s|re)|envoyez|envoie)(?:[- ]?moi)?(?: un (?:message|sms|texto))?\b/g, 'text me'],
  [/\b(?:re)?contact(?:ez|e|er)(?:[- ]?moi)?\b|\bme (?:re)?contacter\b/g, 'contact me'],
  [/\bon se parle\b|\bon en (?:re)?parle\b|\bparlons\b|\b(?:se )?parler\b|\bdiscuter\b|\bs'? ?appeler\b|\bechanger\b/g, "let's talk"],
  [/\bvous travaillez\b|\btravaillez[- ]vous\b/g, 'are you open'],
  [/\bon (?:peut|pourrait) faire (?:ca|cela)\b/g, 'can we do it'],
  [/\bon (?:peut|pourrait)\b/g, 'can we'],
  [/\bvous avez\b|\bavez[- ]vous\b|\by a[- ]t[- ]il\b/g, 'do you have'],
  [/\brendez[- ]vous\b|\brdv\b|\bcreneaux?\b/g, 'appointment'],
  [/\bouverts?\b|\bouvrez\b|\bouvert\b/g, 'open'],
  [/\bdisponibles?\b|\bdispo\b/g, 'available'],
  [/\bje peux (?:passer|venir)\b/g, 'can i come in'],
  [/\ba quelle heure\b/g, 'what time'],
  [/\bcombien\b/g, 'how much'],
  [/\bquand\b/g, 'when'],
  [/\bplutot\b|\bde preference\b/g, 'better'],
  [/\bs'? ?il (?:vous|te) plait\b|\bsvp\b|\bstp\b/g, 'please'],
];

// ---------------------------------------------------------------- Portuguese
const PT_DAYS: Record<string, string> = {
  segunda: 'monday', terca: 'tuesday', quarta: 'wednesday', quinta: 'thursday', sexta: 'friday', sabado: 'saturday',
  domingo: 'sunday',
};
const PT_DAY = `(${Object.keys(PT_DAYS).join('|')})(?:[- ]feira)?`;
const PT_NUM: Record<string, string> = {
  dois: '2', duas: '2', tres: '3', quatro: '4', cinco: '5', seis: '6', sete: '7', oito: '8', nove: '9', dez: '10',
  onze: '11', doze: '12', quinze: '15', vinte: '20', trinta: '30', quarenta: '40', cinquenta: '50',
};
const PT_MONTHS: Record<string, string> = {
  janeiro: 'january', fevereiro: 'february', marco: 'march', abril: 'april', maio: 'may', junho: 'june', julho: 'july',
  agosto: 'august', setembro: 'september', outubro: 'october', novembro: 'november', dezembro: 'december',
};
const PT_UNITS: Record<string, string> = {
  horas: 'hours', hora: 'hour', minutos: 'minutes', minuto: 'minute', dias: 'days', dia: 'day', semanas: 'weeks',
  semana: 'week', meses: 'months', mes: 'month',
};
const PT_UNIT = Object.keys(PT_UNITS).join('|');

const PORTUGUESE: Rule[] = [
  [/\bdepois de amanha\b/g, 'day after tomorrow'],
  [/\b(?:ao |no |ate o |para o )?(?:fim|final) da tarde\b/g, 'late afternoon'],
  [/\b(?:ao |no |ate o |para o )?(?:fim|final) da (?:proxima semana|semana que vem)\b/g, 'end of next week'],
  [/\b(?:ao |no |ate o |para o )?(?:fim|final) do mes\b/g, 'end of the month'],
  [/\bdepois do (?:fim|final) de semana\b/g, 'after the weekend'],
  [/\b(?:a |na |no )?mesm[ao] (?:hora|horario)\b/g, 'at the same time'],
  [/\bminutinhos?\b/g, (m) => (m[0].endsWith('s') ? 'minutos' : 'minuto')],
  [/\bdaqui (?:a )?(?:uns|umas)\b/g, 'in about'],
  [/\bda (manha|tarde|noite)\b/g, 'de $1'],
  [/\b(?:no |em )?(?:inicio|comeco|principio)s? d[oea]s? (?=(?:mes que vem|proximo mes|semana que vem|proxima semana|janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro))/g, 'early '],
  [/\b(?:em |la para )?meados de (?=(?:janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro))/g, 'mid '],
  [/\b(?:no )?(?:fim|final) de (?=(?:janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro))/g, 'end of '],
  [/\ba partir d[ao]s? (?=\d)/g, 'after '],
  [/\b(\d{1,2}) e um quarto\b/g, '$1:15'],
  [/\b(?:daqui a|em|dentro de) (?:umas|uns|cerca de) (?=\d)/g, 'in about '],
  [/\b(?:daqui a |em )?(?:uns )?quinze dias\b|\b(?:daqui a |em )duas semanas\b/g, 'in a fortnight'],
  [/\bamanha (?:de manha|cedo|pela manha|na parte da manha)\b/g, 'tomorrow morning'],
  [/\bamanha (?:a|de|pela) tarde\b/g, 'tomorrow afternoon'],
  [/\bamanha (?:a|de) noite\b/g, 'tomorrow evening'],
  [/\bamanha\b/g, 'tomorrow'],
  [/\b(?:hoje (?:a|de) noite|esta noite|hoje a noitinha|hj a noite)\b/g, 'tonight'],
  [/\b(?:hoje (?:a|de) tarde|esta tarde|hj a tarde)\b/g, 'this afternoon'],
  [/\b(?:hoje de manha|esta manha)\b/g, 'this morning'],
  [/\bhoje\b|\bhj\b/g, 'today'],
  [/\bagora\b/g, 'now'],
  [/\bontem (?:a|de) noite\b/g, 'last night'],
  [/\bontem\b/g, 'yesterday'],
  [/\b(?:de|pela|na parte da) manha\b/g, 'morning'],
  [/\b(?:a|de|pela) tarde\b/g, 'afternoon'],
  [/\b(?:a|de) noite\b/g, 'evening'],
  [/\bmeio[- ]dia\b/g, 'noon'],
  [/\bmeia[- ]noite\b/g, 'midnight'],
  [/\bdepois do almoco\b/g, 'after lunch'],
  [/\bdepois do (?:trabalho|expediente)\b/g, 'after work'],
  [/\b(?:na )?hora do almoco\b|\bno almoco\b/g, 'lunch time'],
  [/\b(?:a |na )?semana que vem\b|\b(?:a |na )?proxima semana\b/g, 'next week'],
  [/\b(?:o |no )?mes que vem\b|\b(?:o |no )?proximo mes\b/g, 'next month'],
  [/\b(?:a |na )?semana passada\b/g, 'last week'],
  [/\b(?:o |no )?mes passado\b/g, 'last month'],
  [/\b(?:este |neste |no |nesse |esse )?(?:fim|final) de semana\b/g, 'this weekend'],
  mapWords(PT_NUM),
  [/\bha (\d+|uma?) (horas?|minutos?|dias?|semanas?|mes(?:es)?)\b/g, '$1 $2 ago'],
  [/\b(\d+|uma?) (horas?|minutos?|dias?|semanas?|mes(?:es)?) atras\b/g, '$1 $2 ago'],
  [new RegExp(`\\b(?:na |a |nesta |no )?proxim[oa] ${PT_DAY}\\b`, 'g'), (m) => `next ${PT_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:na |a |no |o |nesta |neste )?${PT_DAY} que vem\\b`, 'g'), (m) => `next ${PT_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:na |no |nesta |neste )?${PT_DAY}\\b`, 'g'), (m) => PT_DAYS[m[1]]],
  [/\bdaqui a\b|\bdaqui\b|\bdentro de\b/g, 'in'],
  [new RegExp(`\\bem (?=(?:\\d+|uma?|meia) (?:${PT_UNIT})\\b)`, 'g'), 'in '],
  [/\bmeia hora\b/g, 'half an hour'],
  [new RegExp(`\\buma? (${PT_UNIT})\\b`, 'g'), 'a $1'],
  mapWords(PT_UNITS, '(?<=\\d |\\ba |half an? )'),
  [new RegExp(`\\b(\\d{1,2}) de (${Object.keys(PT_MONTHS).join('|')})\\b`, 'g'), (m) => `${PT_MONTHS[m[2]]} ${m[1]}`],
  mapWords(PT_MONTHS),
  [/\b(\d{1,2}) ?h ?(\d\d)\b/g, '$1:$2'],
  [/\b(\d{1,2}) ?h\b/g, '$1:00'],
  [/\b(\d{1,2}(?::\d\d)?) e meia\b/g, '$1:30'],
  [/\b(?:no |o |ate o )?dia (\d{1,2})\b(?! de\b)/g, 'on day $1'],
  [/\bentre as? (\d{1,2}(?::\d\d)?) e as? (\d{1,2})/g, 'between $1 and $2'],
  [/\b(?:la pelas|por volta das?|tipo|umas) (\d)/g, 'around $1'],
  [/\bdepois das? (\d)/g, 'after $1'],
  [/\bantes das? (\d)/g, 'before $1'],
  [/\bate as? (\d)/g, 'until $1'],
  [/\b(?:as|a) (\d)/g, 'at $1'],
  [/\bme (?:liga|ligue|ligar)\b|\bliga(?:-me| pra mim| para mim)\b|\bligue(?:-me)?\b|\bligar\b/g, 'call me'],
  [/\bfala comigo\b|\bfalamos\b|\bconversamos\b|\ba gente (?:se )?fala\b/g, "let's talk"],
  [/\b(?:podemos|poderiamos)\b/g, 'can we'],
  [/\bme (?:manda|mande|envia|envie|escreve|escreva|chama|chame)(?: (?:uma )?(?:mensagem|msg|zap|whats))?\b|\bpode me chamar\b/g, 'text me'],
  [/\b(?:me )?contat(?:a|e|ar)\b/g, 'contact me'],
  [/\bvoces (?:tem|atendem)\b|\btem (?=horario|vaga|consulta)/g, 'do you have '],
  [/\bvoces trabalham\b|\btrabalham\b/g, 'are you open'],
  [/\batendem\b|\bfuncionam\b|\babert[oa]s?\b|\babrem\b/g, 'open'],
  [/\bhorarios?\b|\bvagas?\b|\bconsultas?\b/g, 'appointment'],
  [/\bdisponive(?:l|is)\b|\blivres?\b/g, 'available'],
  [/\bposso (?:ir|passar)\b/g, 'can i come in'],
  [/\bque horas\b/g, 'what time'],
  [/\bquanto\b/g, 'how much'],
  [/\bquando\b/g, 'when'],
  [/\bmelhor\b|\bde preferencia\b/g, 'better'],
  [/\bpor favor\b|\bpf\b|\bpfv\b/g, 'please'],
];

// ---------------------------------------------------------------- German
const DE_DAYS: Record<string, string> = {
  montag: 'monday', dienstag: 'tuesday', mittwoch: 'wednesday', donnerstag: 'thursday', freitag: 'friday',
  samstag: 'saturday', sonnabend: 'saturday', sonntag: 'sunday',
};
const DE_DAY = `(${Object.keys(DE_DAYS).join('|')})s?`;
const DE_NUM: Record<string, string> = {
  zwei: '2', drei: '3', vier: '4', funf: '5', sechs: '6', sieben: '7', acht: '8', neun: '9', zehn: '10', elf: '11',
  zwolf: '12', funfzehn: '15', zwanzig: '20', dreissig: '30', vierzig: '40', funfzig: '50',
};
const DE_MONTHS: Record<string, string> = {
  januar: 'january', februar: 'february', marz: 'march', april: 'april', mai: 'may', juni: 'june', juli: 'july',
  august: 'august', september: 'september', oktober: 'october', november: 'november', dezember: 'december',
};
const DE_UNITS: Record<string, string> = {
  stunden: 'hours', stunde: 'hour', minuten: 'minutes', minute: 'minute', tagen: 'days', tage: 'days', tag: 'day',
  wochen: 'weeks', woche: 'week', monaten: 'months', monate: 'months', monat: 'month',
};
const DE_UNIT = Object.keys(DE_UNITS).join('|');

const GERMAN: Rule[] = [
  [/\bubermorgen\b/g, 'day after tomorrow'],
  [/\b(?:gegen|um) mittag\b/g, 'around noon'],
  [/\bin (?:ner|einer) viertelstunde\b|\bin 15 minuten\b/g, 'in 15 minutes'],
  [/\bviertelstunde\b/g, '15 minutes'],
  [new RegExp(`\\b(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag) in (?:einer|1) woche\\b`, 'g'), '$1 next week'],
  [/\bzwischen weihnachten und (?:neujahr|silvester)\b/g, 'zwischen den jahren'],
  [/\b(?:die |der )?ubernachste[nr]? woche\b/g, 'the week after next'],
  [/\banfang (?:der )?(?:nachsten|nachster|kommenden) woche\b/g, 'early next week'],
  [/\bmitte (?:der )?(?:nachsten|nachster|kommenden) woche\b/g, 'mid next week'],
  [/\b(?:anfang) (?=(?:januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember)\b)/g, 'early '],
  [/\b(?:mitte) (?=(?:januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember)\b)/g, 'mid '],
  [/\b(?:ende) (?=(?:januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember)\b)/g, 'end of '],
  [/\bim laufe des (?:vormittags)\b/g, 'late morning'],
  [/\bgegen abend\b/g, 'evening'],
  [/\b(?:gegen |zum )?ende (?:der )?(?:nachsten|kommenden|nachster|kommender) woche\b/g, 'end of next week'],
  [/\b(?:gegen |zum )?ende (?:der |dieser )?woche\b/g, 'end of the week'],
  [/\b(?:gegen |zum )?ende (?:des |dieses )?monats\b|\bmonatsende\b/g, 'end of the month'],
  [/\banfang (?:des )?(?:nachsten|kommenden) monats\b/g, 'early next month'],
  [/\b(?:in )?(?:vierzehn|14) tagen\b|\bin zwei wochen\b/g, 'in a fortnight'],
  [/\bnach dem wochenende\b/g, 'after the weekend'],
  [/\bmorgen (?:fruh|vormittag|morgen)\b/g, 'tomorrow morning'],
  [/\bmorgen nachmittag\b/g, 'tomorrow afternoon'],
  [/\bmorgen abend\b/g, 'tomorrow evening'],
  [/\bmorgen mittag\b/g, 'tomorrow noon'],
  [/\bheute abend\b/g, 'tonight'],
  [/\bheute nachmittag\b/g, 'this afternoon'],
  [/\bheute (?:morgen|fruh|vormittag)\b/g, 'this morning'],
  [/\bheute mittag\b/g, 'today noon'],
  [/\bgestern abend\b/g, 'last night'],
  [/\bvorgestern\b/g, '2 days ago'],
  [/\bgestern\b/g, 'yesterday'],
  [/\bam (?:morgen|vormittag)\b|\bmorgens\b|\bvormittags?\b/g, 'morning'],
  [/\b(?:am )?nachmittags?\b/g, 'afternoon'],
  [/\b(?:am )?abends?\b/g, 'evening'],
  [/\b(?:zu |am |uber )?mittags?\b/g, 'noon'],
  [/\bmitternacht\b/g, 'midnight'],
  [/\bmorgen\b/g, 'tomorrow'],
  [/\bheute\b/g, 'today'],
  [/\bjetzt\b|\bgerade\b|\bgrad\b/g, 'now'],
  [/\bnach dem (?:mittagessen|essen)\b/g, 'after lunch'],
  [/\bnach (?:der arbeit|feierabend|dienstschluss)\b/g, 'after work'],
  [/\b(?:zum )?feierabend\b/g, 'end of day'],
  [/\b(?:die |der )?(?:nachsten?|kommenden?) woche\b/g, 'next week'],
  [/\b(?:im |den )?(?:nachsten?|kommenden?) monat\b/g, 'next month'],
  [/\b(?:die |der )?(?:letzten?|vergangenen?) woche\b/g, 'last week'],
  [/\b(?:im |den )?(?:letzten?|vergangenen?) monat\b/g, 'last month'],
  [/\b(?:am |das )?(?:nachstes?|kommendes?) wochenende\b/g, 'next weekend'],
  [/\b(?:am|dieses|diesem|uber das|ubers) wochenende\b/g, 'this weekend'],
  mapWords(DE_NUM),
  [/\bvor (\d+|einer|einem) (stunden?|minuten?|tagen?|wochen?|monaten?)\b/g, '$1 $2 ago'],
  [/\bhalb (\d{1,2})\b/g, (m) => halfBefore(m[1])],
  [/\bdreiviertel (\d{1,2})\b/g, (m) => quarterBefore(m[1])],
  [/\bviertel nach (\d{1,2})\b/g, '$1:15'],
  [/\bviertel vor (\d{1,2})\b/g, (m) => quarterBefore(m[1])],
  [new RegExp(`\\b(?:am |den )?(?:nachsten|nachster|kommenden) ${DE_DAY}\\b`, 'g'), (m) => `next ${DE_DAYS[m[1]]}`],
  [new RegExp(`\\b(?:am |diesen )?${DE_DAY}\\b`, 'g'), (m) => DE_DAYS[m[1]]],
  [/\b(?:einer|einem) halben stunde\b/g, 'half an hour'],
  [/\b(?:anderthalb|eineinhalb) stunden\b/g, 'an hour and a half'],
  [new RegExp(`\\b(?:einer|einem|eine|ein) (${DE_UNIT})\\b`, 'g'), 'a $1'],
  mapWords(DE_UNITS, '(?<=\\d |\\ba |half an? )'),
  [new RegExp(`\\b(?:am |den )?(\\d{1,2})\\.? (${Object.keys(DE_MONTHS).join('|')})\\b`, 'g'), (m) => `${DE_MONTHS[m[2]]} ${m[1]}`],
  mapWords(DE_MONTHS),
  [/\b(\d{1,2}) uhr (\d\d)\b/g, '$1:$2'],
  [/\b(\d{1,2}(?::\d\d)?) uhr\b/g, (m) => (m[1].includes(':') ? m[1] : `${m[1]}:00`)],
  [/\bzwischen (\d{1,2}(?::\d\d)?) und (\d{1,2})/g, 'between $1 and $2'],
  [/\bgegen (\d)/g, 'around $1'],
  [/\b(?:nach|ab) (\d)/g, 'after $1'],
  [/\bvor (\d)/g, 'before $1'],
  [/\bbis (\d)/g, 'until $1'],
  [/\bum (\d)/g, 'at $1'],
  [/\bam (\d{1,2})\.(?=\s|$)/g, 'on the $1th'],
  [/\b(?:ruf(?:en sie|t)?|rufen) mich\b|\banrufen\b|\bzuruckrufen\b|\bruckruf\b|\bruf an\b/g, 'call me'],
  [/\bschreib(?:en sie|t)?(?: mir)?\b|\bmelde dich\b|\bmelden sie sich\b|\bmeld dich\b|\bmelden\b/g, 'text me'],
  [/\bkontaktier(?:en|t)?\b/g, 'contact me'],
  [/\bsprechen\b|\breden\b|\btelefonieren\b/g, 'talk'],
  [/\bkonnen wir\b|\bwollen wir\b/g, 'can we'],
  [/\bhaben sie\b|\bhabt ihr\b|\bgibt es\b/g, 'do you have'],
  [/\btermine?n?\b/g, 'appointment'],
  [/\bgeoffnet\b|\boffen\b|\barbeiten sie\b/g, 'open'],
  [/\bfrei\b/g, 'free'],
  [/\bkann ich (?:vorbei)?kommen\b/g, 'can i come in'],
  [/\bum wie ?viel uhr\b/g, 'what time'],
  [/\bwie ?viel\b|\bwas kostet\b/g, 'how much'],
  [/\bwie lange\b/g, 'how long'],
  [/\bwann\b/g, 'when'],
  [/\blieber\b|\bbesser\b/g, 'better'],
  [/\bbitte\b/g, 'please'],
];

// ---------------------------------------------------------------- English (after any gloss)
const EN_NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12',
};
/** "at five thirty" → "at 5:30": clock times written in words, only after a time preposition. */
const ENGLISH: Rule[] = [
  // "half past 4" → 4:30, "quarter past 4" → 4:15, "quarter to 5" → 4:45.
  [/\b(half|quarter) past (\d{1,2})\b/g, (m) => `${m[2]}:${m[1] === 'half' ? '30' : '15'}`],
  [/\b(?:a )?quarter to (\d{1,2})\b/g, (m) => `${(Number(m[1]) + 11) % 12 || 12}:45`],
  // "à 15 heures 30" / "às 15 horas" glossed to "at 15 hours 30": a clock, not a duration.
  [/\b(at|around|after|before|until)\s+(\d{1,2})\s+hours?(?:\s+(\d\d))?\b/g, (m) => `${m[1]} ${m[2]}:${m[3] ?? '00'}`],
  // British "half 5" = 5:30.
  [/\b(at|around|about|after|by|before|until|till|from)\s+half\s+(\d{1,2})\b(?!\s*(?:an?\b|hour|minute))/g, '$1 $2:30'],
  [/(?:^|(?<=[,.!?;]\s*))half\s+(\d{1,2})\b(?=\s*(?:$|[,.!?]|tomorrow|today|tonight|on\b|then|ok|works|is|pls|please))/g, 'at $1:30'],
  [
    /\b(at|around|about|after|before|by|until|till|from|between|and)\s+(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:[\s-](thirty|fifteen|forty[\s-]?five))?\b/g,
    (m) => {
      const mins = m[3] ? (m[3].startsWith('thirty') ? '30' : m[3].startsWith('fifteen') ? '15' : '45') : '';
      return `${m[1]} ${EN_NUMBER_WORDS[m[2]]}${mins ? `:${mins}` : ''}`;
    },
  ],
];

const TABLES: Record<Exclude<Language, 'en'>, readonly Rule[]> = {
  es: SPANISH,
  fr: FRENCH,
  pt: PORTUGUESE,
  de: GERMAN,
  it: ITALIAN,
  nl: DUTCH,
  pl: POLISH,
  tr: TURKISH,
  'hi-Latn': HINGLISH,
  tl: TAGALOG,
};

/** English gloss of normalised text in `lang` (English text only gets number-word clocks). */
export function glossToEnglish(mt: MappedText, lang: Language): MappedText {
  const table = lang === 'en' ? null : TABLES[lang];
  let out = table ? applyRules(mt, table) : mt;
  out = applyRules(out, ENGLISH);
  return out;
}
