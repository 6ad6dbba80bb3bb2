/**
 * Cheap language guess for short messages: count marker words per language. Good enough to
 * pick which gloss table and chrono locale to use; English wins ties because most traffic and
 * all slang is English.
 */
import type { Language } from './types.ts';

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
      'pode', 'esta', 'isso', 'aqui', 'vou', 'meu', 'minha', 'obg', 'vc', 'vcs',
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
      'janvier', 'fevrier', 'mars', 'avril', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'decembre',
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
      'januar', 'februar', 'marz', 'juni', 'juli', 'oktober', 'dezember', 'ubermorgen',
    ],
    weak: ['an', 'es', 'in', 'ein', 'eine', 'am', 'was', 'so'],
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
  const scores: Record<Language, number> = { en: 0, es: 0, fr: 0, pt: 0, de: 0 };
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
  let best: Language = 'en';
  for (const lang of ['es', 'pt', 'fr', 'de'] as const) {
    if (scores[lang] > scores[best]) best = lang;
  }
  return best;
}
