/**
 * Cheap language guess for short messages: count marker words per language. Good enough to
 * pick which gloss table and chrono locale to use; English wins ties because most traffic and
 * all slang is English.
 */
import { LANGUAGES, type Language } from './types.ts';

const MARKERS: Record<Exclude<Language, 'en'>, { strong: string[]; weak: string[] }> = {
  es: {
    strong: [
      'estoy', 'manana', 'hoy', 'ahora', 'ahorita', 'luego', 'despues', 'llamame', 'llameme', 'escribeme', 'gracias',
      'hola', 'cita', 'citas', 'reserve', 'ocupado', 'ocupada', 'interesa', 'quiero', 'puedo', 'cuanto', 'cuando',
      'donde', 'tienen', 'usted', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'proxima', 'proximo', 'noche',
      'manejando', 'conduciendo', 'reunion', 'junta', 'trabajo', 'llamar', 'mensajes', 'mas', 'equivocado', 'baja',
      'favor', 'pero', 'tambien', 'muy', 'bien', 'agende', 'agendado', 'reservado', 'dejame', 'deja', 'escribas',
      'escriban', 'llames', 'necesito', 'precio', 'cuesta', 'minutos', 'dias', 'ahi', 'hablamos', 'escribo', 'aviso',
      'mejor', 'dentro', 'semana', 'llamada', 'cual', 'las', 'los', 'del', 'usted', 'ustedes', 'contacten', 'contactes',
      'mande', 'mandes', 'manden', 'envien', 'envies', 'nunca', 'oye', 'buenas', 'buenos', 'ya',
      'enero', 'febrero', 'marzo', 'mayo', 'junio', 'julio', 'septiembre', 'octubre', 'noviembre', 'diciembre',
    ],
    weak: ['el', 'la', 'de', 'que', 'y', 'en', 'un', 'una', 'por', 'para', 'con', 'no', 'es', 'si', 'me', 'te', 'lo', 'a', 'al', 'mes', 'horas'],
  },
  pt: {
    strong: [
      'nao', 'voce', 'voces', 'obrigado', 'obrigada', 'amanha', 'hoje', 'agora', 'depois', 'manha', 'noite', 'liga',
      'ligar', 'ligue', 'fala', 'falo', 'comigo', 'agendei', 'marquei', 'reservei', 'estou', 'to', 'tou', 'trabalho',
      'interesse', 'pra', 'com', 'sexta', 'quinta', 'quarta', 'terca', 'segunda', 'daqui', 'mensagem', 'mensagens',
      'errado', 'mande', 'manda', 'dirigindo', 'reuniao', 'posso', 'quero', 'quanto', 'custa', 'atendem', 'tem', 'sim',
      'consulta', 'agendado', 'horario', 'mais', 'tchau', 'valeu', 'oi', 'ola', 'ja', 'entao', 'tudo', 'bom', 'boa',
      'semana', 'proxima', 'chama', 'chame', 'preciso', 'tenho', 'quando', 'ate', 'horas', 'minutos', 'dias', 'mes',
      'pode', 'esta', 'isso', 'aqui', 'vou', 'meu', 'minha', 'obg', 'vc', 'vcs', 'pelas', 'cedo', 'almoco', 'horario',
      'mesmo', 'minutinhos', 'dia', 'meio', 'umas', 'uns', 'depois',
      'janeiro', 'fevereiro', 'marco', 'maio', 'junho', 'julho', 'setembro', 'outubro', 'novembro', 'dezembro',
    ],
    weak: ['e', 'de', 'da', 'do', 'em', 'na', 'no', 'um', 'uma', 'que', 'para', 'me', 'a', 'o', 'as', 'os', 'por'],
  },
  fr: {
    strong: [
      'je', 'vous', 'tu', 'les', 'des', 'du', 'est', 'pas', 'ne', 'merci', 'demain', 'aujourd', 'ce', 'soir', 'matin',
      'apres', 'midi', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche', 'semaine', 'prochaine',
      'prochain', 'appelez', 'appelle', 'rappelez', 'rappelle', 'rendez', 'oui', 'non', 'ca', 'suis', 'moi', 'plus',
      'combien', 'reserve', 'interesse', 'conduis', 'travail', 'occupe', 'occupee', 'dans', 'heure', 'heures', 'jours',
      'svp', 'bonjour', 'salut', 'quand', 'avez', 'etes', 'ouverts', 'ouvert', 'ecrivez', 'envoyer', 'arretez', 'arrete',
      'maintenant', 'et', 'ai', 'c', 'j', 'm', 'qu', 'n', 'l', 'pour', 'avec', 'mon', 'ma', 'mes', 'votre', 'vos',
      'numero', 'mauvais', 'cours', 'peux', 'plait', 'rdv', 'aprem', 'desabonner', 'desinscrire', 'tard', 'bien',
      'janvier', 'fevrier', 'mars', 'avril', 'mai', 'debut', 'journee', 'soiree', 'matinee', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'decembre',
    ],
    weak: ['le', 'la', 'de', 'un', 'une', 'en', 'a', 'au', 'mois'],
  },
  de: {
    strong: [
      'ich', 'sie', 'du', 'mich', 'mir', 'bin', 'ist', 'nicht', 'kein', 'keine', 'danke', 'morgen', 'heute', 'abend',
      'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag', 'woche', 'nachste', 'nachsten',
      'termin', 'uhr', 'um', 'gebucht', 'bitte', 'ja', 'nein', 'schreib', 'schreiben', 'ruf', 'rufen', 'der', 'die',
      'das', 'und', 'mit', 'grad', 'gerade', 'im', 'auto', 'wie', 'lange', 'dauert', 'interesse', 'besprechung',
      'arbeit', 'spater', 'melde', 'melden', 'stunden', 'stunde', 'minuten', 'tagen', 'haben', 'hallo', 'gern', 'gerne',
      'noch', 'frei', 'mehr', 'nachrichten', 'nummer', 'falsche', 'kann', 'konnen', 'bei', 'auf', 'zu', 'wir', 'ihnen',
      'anrufen', 'nachmittag', 'vormittag', 'wochenende', 'behandlung', 'schon', 'habe', 'hab', 'nachricht', 'keinen',
      'januar', 'februar', 'marz', 'juni', 'juli', 'oktober', 'dezember', 'ubermorgen', 'halb', 'dreiviertel', 'viertel', 'anfang', 'mitte', 'ende', 'ubernachste', 'gegen', 'mittag',
      'funf', 'zwei', 'drei', 'vier', 'sechs', 'sieben',
    ],
    weak: ['an', 'es', 'in', 'ein', 'eine', 'am', 'was', 'so'],
  },
  it: {
    strong: [
      'domani', 'dopodomani', 'oggi', 'stasera', 'stamattina', 'adesso', 'dopo', 'sono', 'non', 'grazie', 'ciao',
      'chiamami', 'richiamami', 'scrivimi', 'sentiamoci', 'sentiamo', 'settimana', 'prossima', 'prossimo', 'mese',
      'lunedi', 'martedi', 'mercoledi', 'giovedi', 'venerdi', 'sabato', 'domenica', 'mattina', 'mattinata',
      'pomeriggio', 'sera', 'serata', 'pranzo', 'cena', 'verso', 'alle', 'fra', 'tra', 'mezz', 'ora', 'ore', 'giorni',
      'riunione', 'lavoro', 'guidando', 'sto', 'ho', 'abbiamo', 'numero', 'sbagliato', 'prenotato',
      'prenotazione', 'appuntamento', 'perche', 'anche', 'siete', 'aperti', 'ancora', 'gia', 'piu', 'della', 'dello',
      'delle', 'degli', 'nel', 'nella', 'questo', 'questa', 'quando', 'quanto', 'costa', 'favore', 'ferie', 'torno', 'prox', 'pausa', 'tardo', 'epifania',
      'gennaio', 'febbraio', 'aprile', 'maggio', 'giugno', 'luglio', 'settembre', 'ottobre', 'dicembre', 'ferragosto',
    ],
    weak: ['il', 'di', 'che', 'e', 'la', 'le', 'un', 'una', 'per', 'con', 'mi', 'ti', 'ci', 'si', 'a', 'da', 'in'],
  },
  nl: {
    strong: [
      'morgen', 'overmorgen', 'vandaag', 'vanavond', 'vanmiddag', 'vanochtend', 'volgende', 'komende', 'bel',
      'mij', 'ik', 'ben', 'niet', 'geen', 'bedankt', 'dank', 'graag', 'jullie', 'zijn', 'het', 'een', 'kwart',
      'uur', 'uurtje', 'na', 'om', 'rond', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag',
      'zondag', 'eind', 'maand', 'middag', 'avond', 'ochtend', 'druk', 'spreek', 'zit', 'vergadering',
      'afspraak', 'geboekt', 'nog', 'wat', 'kost', 'ook', 'wij', 'hebben', 'heb', 'gegevens', 'verwijderen',
      'morgenvroeg', 'morgenmiddag', 'morgenavond', 'morgenochtend', 'anderhalf', 'kwartier', 'meivakantie', 'paasvakantie', 'app', 'achten', 'vijven', 'zessen', 'goed', 'prima', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'koningsdag', 'tandarts', 'terug', 'bij', 'dit', 'deze', 'dat', 'alsjeblieft',
    ],
    weak: ['de', 'en', 'van', 'op', 'te', 'voor', 'met', 'je', 'al', 'tot'],
  },
  pl: {
    strong: [
      'jutro', 'pojutrze', 'dzis', 'dzisiaj', 'teraz', 'zadzwon', 'napisz', 'prosze', 'dziekuje', 'nie', 'jestem', 'jest',
      'pracy', 'prowadze', 'moge', 'pisac', 'tydzien', 'tygodniu', 'przyszlym', 'miesiacu', 'godzine', 'godziny', 'za',
      'po', 'rano', 'wieczorem', 'poludniu', 'poniedzialek', 'wtorek', 'sroda', 'srode', 'czwartek', 'piatek', 'sobota',
      'sobote', 'niedziela', 'niedziele', 'swietach', 'swieta', 'zainteresowany', 'zainteresowana', 'usunac', 'moj',
      'numer', 'czy', 'ile', 'pod', 'koniec', 'przyszlego', 'tygodnia', 'kolo', 'wielkanocy', 'majowce', 'listopada', 'kosztuje', 'odezwe', 'pozniej', 'wizyte', 'zarezerwowalam', 'zarezerwowalem', 'mnie',
    ],
    weak: ['w', 'z', 'na', 'do', 'i', 'sie', 'to', 'o'],
  },
  tr: {
    strong: [
      'yarin', 'bugun', 'simdi', 'sonra', 'aksam', 'sabah', 'ogleden', 'saat', 'dakika', 'hafta', 'haftaya', 'gelecek',
      'ara', 'yazarim', 'yaz', 'konusalim', 'musait', 'degilim', 'toplantidayim', 'kullaniyorum', 'araba', 'lutfen',
      'tesekkurler', 'tesekkur', 'ederim', 'ilgilenmiyorum', 'bana', 'bir', 'daha', 'mesaj', 'atmayin', 'randevumu',
      'aldim', 'geliyorum', 'gunu', 'fiyati', 'kadar', 'var', 'yarim', 'pazartesi', 'sali', 'carsamba',
      'persembe', 'cuma', 'cumartesi', 'pazar', 'sonunda', 'ay', 'ayin', 'arayin', 'kurban', 'bayrami', 'bayramdan', 'bayram', 'otopark', 'an',
    ],
    weak: ['ve', 'bu', 'da', 'de'],
  },
  'hi-Latn': {
    strong: [
      'kal', 'parso', 'aaj', 'abhi', 'baad', 'mein', 'hu', 'hoon', 'hun', 'hai', 'hain', 'karo', 'karna', 'kar', 'karte',
      'baje', 'ghante', 'ghanta', 'subah', 'shaam', 'sham', 'raat', 'dopahar', 'agle', 'hafte', 'mahine', 'ke', 'ki',
      'ko', 'nahi', 'nahin', 'chahiye', 'mat', 'bhejo', 'bhai', 'haan', 'baat', 'liya', 'diya', 'raha', 'rahi', 'chala',
      'gaadi', 'kya', 'karenge', 'holi', 'diwali', 'kitna', 'kitne', 'aap', 'mujhe', 'mera', 'meri', 'thik', 'theek', 'acha', 'accha', 'yaar', 'wala',
    ],
    weak: ['se', 'na'],
  },
  tl: {
    strong: [
      'po', 'ako', 'ko', 'mo', 'ka', 'niyo', 'nyo', 'kayo', 'bukas', 'mamaya', 'mamayang', 'ngayon', 'lang', 'pa',
      'nasa', 'salamat', 'hindi', 'magkano', 'yung', 'ba', 'saan', 'tawagan', 'umaga', 'hapon', 'gabi',
      'tanghali', 'pagkatapos', 'katapusan', 'buwan', 'sweldo', 'undas', 'lunes', 'martes', 'miyerkules', 'huwebes', 'biyernes', 'linggo', 'susunod', 'mga', 'alas', 'pasko',
      'nakapag', 'nagdadrive', 'pwede', 'puwede', 'naman', 'kasi', 'sige', 'opo', 'wala', 'ang', 'ng', 'sa', 'na',
    ],
    weak: [],
  },
};

const EN_MARKERS = [
  'i', 'you', 'me', 'the', 'to', 'is', 'at', 'my', 'call', 'text', 'tomorrow', 'today', 'please', 'ok', 'yes', 'not',
  'it', 'this', 'can', 'will', 'be', 'busy', 'later', 'thanks', 'now', 'what', 'how', 'and', 'for', 'with', 'are', 'am',
  "i'm", 'we', 'your', 'do', "don't", 'just', 'time', 'week', 'next', 'after', 'of', 'have', 'booked', 'stop', 'get',
  'right', 'back', 'morning', 'tonight', 'hi', 'hey', 'sorry', 'work', 'meeting', 'driving', 'thank', 'would', 'could',
];

const WEIGHTS = new Map<string, [Language, number][]>();
function add(word: string, lang: Language, w: number) {
  const list = WEIGHTS.get(word) ?? [];
  list.push([lang, w]);
  WEIGHTS.set(word, list);
}
for (const lang of Object.keys(MARKERS) as Exclude<Language, 'en'>[]) {
  for (const w of MARKERS[lang].strong) add(w, lang, 2);
  for (const w of MARKERS[lang].weak) add(w, lang, 1);
}
for (const w of EN_MARKERS) add(w, 'en', 2);

/** Guesses the language of already-normalised (lower-case, accent-folded) text. */
export function detectLanguage(normalized: string): Language {
  return rankLanguages(normalized)[0] ?? 'en';
}

/** Languages with at least one marker word in the text, most likely first (English wins ties). */
export function rankLanguages(normalized: string): Language[] {
  const scores = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
  const tokens = normalized.split(/[^a-z0-9']+/);
  for (const raw of tokens) {
    if (!raw) continue;
    const parts = raw.includes("'") ? raw.split("'") : [raw];
    for (const tok of raw.includes("'") && !WEIGHTS.has(raw) ? parts : [raw]) {
      const hits = WEIGHTS.get(tok);
      if (!hits) continue;
      for (const [lang, w] of hits) scores[lang] += w;
    }
  }
  return LANGUAGES.filter((l) => scores[l] > 0).sort((a, b) => scores[b] - scores[a] || LANGUAGES.indexOf(a) - LANGUAGES.indexOf(b));
}
