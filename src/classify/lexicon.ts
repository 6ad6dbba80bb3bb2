/**
 * Intent vocabulary for the rules classifier, in English, Spanish, French, Portuguese and
 * German, matched on normalised text (lower case, accents folded, SMS spelling expanded).
 * Each intent is a list of patterns plus the negations that cancel them ("not busy now",
 * "haven't booked yet", "not interested in the basic one, what about premium?").
 */

/** Negation words that cancel a match when they sit just before it. */
const NEGATION_BEFORE =
  /\b(?:not|no longer|never|isn't|aren't|wasn't|weren't|ain't|no|nicht|kein|keine|nao|pas|ya no|ja nao|nicht mehr)\s+(?:\w+\s+)?$/;
const NEGATION_AFTER = /^\s*(?:\w+\s+)?(?:anymore|any more|no more|ya no|nicht mehr|mais)\b/;

export interface LexiconHit {
  pattern: string;
  index: number;
  match: string;
}

type Patterns = readonly RegExp[];

/** Pattern lists are compiled once, with the global flag, at module load (hot path). */
function compile(list: readonly RegExp[]): Patterns {
  return list.map((re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`));
}

function firstHit(text: string, patterns: Patterns, accept?: (m: RegExpExecArray) => boolean): LexiconHit | null {
  for (const g of patterns) {
    g.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = g.exec(text))) {
      if (!accept || accept(m)) return { pattern: g.source, index: m.index, match: m[0] };
      if (m[0].length === 0) g.lastIndex++;
    }
  }
  return null;
}

// ------------------------------------------------------------------ not interested
const REJECTION = compile([
  // English
  /\bnot (?:really |very |at all |even |that )?interested\b|\bno interest\b|\bnot into (?:it|this|that)\b/,
  /^(?:no|nope|nah|no way|hell no|no no|absolutely not|definitely not|never|no sir|no ma'am)\W*$/,
  /(?:^|[.!?]\s*)(?:no|nope|nah|never)\W*$/,
  /\bno,? (?:thanks|thank you|thx|ty|thankyou)\b|\bnah,? (?:i'm|we're|im) good\b|\b(?:i'm|we're|i am|we are|im) good,? (?:thanks|thank you|for now)\b|^(?:i'm|we're|im) good\W*$|^nah\b/,
  /\b(?:hard|i'll|i will|gonna|going to|we'll|will) pass\b|^pass\W*$|\bpass on (?:this|that|it)\b/,
  /\bnot for (?:me|us)\b|\bnot what (?:i'm|we're|i am|we are) (?:looking for|after)\b/,
  /\b(?:don't|do not|no longer|won't|will not|wont|dont) (?:need|want|require)\b(?! to)/,
  /\b(?:went|going|gone|decided to go) with (?:someone|somebody|another|a different|other|a competitor|them)\b|\b(?:found|hired|chose|picked|booked|booked with|signed with|got|using|use) (?:someone|somebody|another|a different) (?:else|company|provider|agent|realtor|person|one)?\b/,
  /\b(?:already|we) (?:have|got|use|work with) (?:a|an|our|my|someone|somebody) (?!appointment|booking|reservation|slot|time|spot|question|questions|quote)\w+/,
  /(?<!\b(?:check|talk|speak|discuss|consult|confirm|double check|run it by)\b[\w ]{0,12})\b(?:with|through|from|by) (?:someone|somebody) else\b|\b(?:went|going|sorted|handled|done|booked|signed|go) (?:\w+ )?with (?:another|a different|a local|a cheaper) (?:company|contractor|agent|realtor|provider|firm|salon|clinic|dentist|plumber|builder|business|team|person|guy|one)\b/,
  /\b(?:going|go|went|gone|heading) (?:in )?(?:a )?(?:different|another|other) (?:direction|route|way)\b|^(?:thanks|thank you|thx|gracias|merci|obrigad[oa]|danke),? (?:but|pero|mais|mas|aber) (?:no|non|nao|nein)(?: thanks| thank you| gracias| merci| danke)?\W*$/,
  /\bno necesito\b|\bnao preciso\b|\bpas besoin\b|\bbrauch(?:e)? (?:ich |wir )?(?:das |es )?nicht\b/,
  /\b(?:already )?taken care of\b|\balready (?:handled|sorted|resolved|fixed)\b|\bproblem solved\b|\b(?:fixed|did) it (?:myself|ourselves)\b|\bnot happening\b|\bnot a chance\b|\bno chance\b|\bdon't bother\b|\bya (?:lo )?(?:resolvi|solucione)\b|\bya (?:encontre|tengo) (?:a )?(?:alguien|quien)\b|\b(?:c'? ?est|deja) regle\b|\bne m'? ?interesse plus\b|\blaissez tomber\b|\bja resolvi\b|\b(?:hat sich|schon) erledigt\b|\bnicht mehr notig\b|\bbrauchen wir nicht\b/,
  /\bindefinitely\b|\bscrapp?(?:ed|ing)? (?:the|this|that|our) (?:project|idea|plan)\b|\bnot going ahead\b/,
  /\b(?:decided|chose|choose|going|gonna|want) (?:not to|against)\b|\bnot (?:going to )?(?:move|moving|go|going) (?:forward|ahead)\b|\bwon't be (?:moving forward|going ahead|needing|using)\b|\bchanged (?:my|our) minds?\b|\bnot (?:looking|buying|selling|in the market|shopping)\b|\bno longer (?:looking|interested|in the market|need|needed)\b/,
  /^(?:no|nah|nope)[,.!]?\s+(?:thanks?,?\s+|thank you,?\s+)?(?:we're|i'm|we are|i am|all|we|it's) (?:fine|good|ok|okay|all set|set|covered|sorted)\b|^(?:we're|i'm|we are|i am) (?:all set|covered|sorted)(?:,? thanks?)?\W*$/,
  /(?:^|[.!?]\s*)(?:enough|that's enough|enough already)\W*$|\benough (?:already|with (?:the|these|this))\b/,
  /\b(?:spam|spammer|spamming|scam|scammer|harass\w*|relentless|annoying|unsolicited)\b/,
  /\b(?:f+ off|fuck off|fk off|fck off|piss off|go away|get lost|bugger off|sod off|naff off|shove off|buzz off|screw (?:you|off)|get a life|take a hike|go to hell|get stuffed|stfu|shut up)\b/,
  /\b(?:never|didn't|did not) (?:signed|sign) up\b|\bnot a (?:customer|client)\b|\bi never (?:asked|requested|gave)\b/,
  /\bnot now,? not ever\b|\bnot ever\b|\bnever again\b/,
  /\bsick of (?:these|this|your|the)\b|\bsick and tired\b/,
  /\b(?:can't|cannot|can not) afford\b|\btoo expensive\b/,
  // Spanish
  /\bno (?:me )?interesa\b|\bno estoy interesad[oa]s?\b|\bno tengo (?:mas )?interes\b|\bya no me interesa\b|\bno,? gracias\b|\bsin interes\b/,
  /\bya no (?:lo |la )?necesito\b|\bno (?:lo |la )?necesito\b|\bya (?:contrate|contratamos|tengo|tenemos) (?:a )?otr[oa]\b/,
  // French
  /\bpas interesse(?:e|s)?\b|\bne suis plus interessee?\b|\b(?:ca|cela) ne m'? ?interesse pas\b|\bne m'? ?interesse pas\b|\bnon,? merci\b/,
  /\b(?:je n'? ?ai|on n'? ?a) (?:plus )?pas besoin\b|\bplus besoin\b|\bj'? ?ai (?:deja )?trouve (?:quelqu'un|un autre|une autre)\b/,
  // Portuguese
  /\bnao tenho (?:mais )?interesse\b|\bnao (?:estou|to) mais interessad[oa]\b|\bnao (?:estou|to|tou) interessad[oa]\b|\bnao me interessa\b|\bsem interesse\b|\bnao,? obrigad[oa]\b/,
  /\bnao preciso mais\b|\bnao quero\b|\bja (?:contratei|fechei|contratamos|fechamos) com outr[oa]\b/,
  // German
  /\bkein(?:e)? interesse\b|\bnicht interessiert\b|\bnein,? danke\b|\bkein bedarf\b/,
  /\bbrauche? (?:ich |wir )?(?:das |es |sie )?nicht mehr\b|\b(?:haben|hab|habe) schon (?:einen|eine|jemand)\b/,
]);

/** "not interested in the basic one, what about premium?" narrows, it does not reject. */
const SCOPED_INTEREST = /\bnot (?:really )?interested in (?:the |that |this |a |an |your )?([a-z]+(?: [a-z]+)?)\b/;
const ALTERNATIVE = /\?|\b(?:but|what about|how about|instead|rather|prefer|other|else|do you have|any other)\b/;

export function findRejection(text: string): LexiconHit | null {
  return firstHit(text, REJECTION, (m) => {
    const pat = m[0];
    if (/interested/.test(pat)) {
      const scoped = SCOPED_INTEREST.exec(text.slice(m.index));
      if (scoped && ALTERNATIVE.test(text.slice(m.index + scoped[0].length))) return false;
      // "if you're not interested…" is the business's phrase quoted back, not a rejection.
      if (/\bif (?:you're|you are|i'm|not)\s*$/.test(text.slice(Math.max(0, m.index - 12), m.index))) return false;
    }
    if (/^(?:don't|do not|no longer|won't|will not|wont|dont) (?:need|want|require)/.test(pat)) {
      // "don't need an appointment?" / "do I need…" questions are not rejections.
      const rest = text.slice(m.index + pat.length, m.index + pat.length + 40);
      if (/^\s*(?:to\b|an? (?:appointment|deposit|booking)|anything|much)/.test(rest)) return false;
      if (/\?/.test(rest.split(/[.!]/)[0] ?? '')) return false;
    }
    if (/^(?:can't|cannot|can not) afford|too expensive/.test(pat)) {
      // Price objections asked as a question keep the conversation going.
      if (/\?/.test(text)) return false;
    }
    if (/^(?:already|we) (?:have|got|use|work with)/.test(pat) && /\?/.test(text.slice(m.index))) return false;
    return true;
  });
}

// ------------------------------------------------------------------ booked
const BOOKED = compile([
  // English
  /\b(?:i|we|i've|we've|ive|weve|i'm|we're|we are|i am|they've|just|already|finally|have|has|all|got (?:it|us|me|that)|got|husband|wife|partner|it's|its|it is|is|are|been|done,?|ok,?|okay,?)\s+(?:just\s+|already\s+|finally\s+|went ahead and\s+|now\s+)?(?:booked|scheduled|reserved|confirmed)\b/,
  /^(?:just |all |now |finally |already )?(?:booked|scheduled|reserved|confirmed|locked in)\b/,
  /\b(?:just|finally) (?:made|got|grabbed|secured|locked in) (?:the|an|my|our|a) (?:appointment|booking|reservation|spot|slot)\b/,
  /\bacabo de (?:reservar|agendar|hacer (?:la|una|mi) (?:cita|reserva|reservacion))\b|\bje viens de (?:prendre (?:un |le )?(?:rendez[- ]vous|rdv)|reserver|booker)\b|\bacabei de (?:agendar|marcar|reservar)\b|\btermin\b(?:\s+\w+){0,4}\s+(?:gebucht|bestatigt|vereinbart|ausgemacht)\b/,
  /\bbooked (?:it|us|me|the|a|an|my|our|for|in|and|online|through|via|on)\b/,
  /\b(?:made|set up|got|have|booked|confirmed|locked in|secured) (?:the|an|my|our|a) (?:appointment|appt|booking|reservation|consult|consultation|slot|spot|session|viewing|showing)\b/,
  /\b(?:appointment|appt|booking|reservation|consult|consultation|viewing|showing|session)(?: is| has been)? (?:booked|confirmed|set|scheduled|made|done|locked in)\b/,
  /\b(?:grabbed|took|snagged|claimed|reserved|got) (?:the|a|an|that) .{0,20}?\b(?:slot|spot|time|appointment|opening)\b/,
  /\b(?:put|signed) (?:myself|me|us|my \w+) (?:down|up) for\b|\bsigned up for the\b|\bjust signed up\b/,
  /\balready have an? (?:appointment|booking|reservation)\b|\bsee you (?:then|there)\b|\b(?:finished|done|completed) (?:the |my )?(?:booking|reservation)\b/,
  // "tengo cita el martes" is the booking; "tengo una cita con el médico ahora" is someone else's.
  /\b(?:paid|put down|left) (?:the|a|my) deposit\b|\bgot the confirmation\b|\bconfirmation (?:email|text|message) (?:came|arrived|received)\b/,
  /\bya (?:lo |la )?(?:reserve|agende|aparte)\b|\b(?:reserva|reservacion) hecha\b|\bcita agendada\b|\breservation (?:faite|confirmee|effectuee)\b|\brdv (?:pris|confirme|fixe)\b|\brendez[- ]vous (?:fixe|cale)\b|\b(?:reserva|agendamento) (?:feit[oa]|confirmad[oa])\b|\bbuchung (?:ist )?(?:bestatigt|erledigt|gemacht)\b|\btermin gemacht\b/,
  /\b(?:got|have|had|i've got) (?:the|my|an?|our|it|us|that|this) [^.!?]{0,30}\bbooked\b/,
  /\btengo (?:la |mi )?cita\b(?! con\b)(?!.*\bahora\b)|\b(?:on a|nous avons|c'? ?est) (?:deja |bien )?(?:reserve|pris (?:un |le )?(?:rendez[- ]vous|rdv))\b/,
  // Spanish
  /\bya (?:reserve|agende|programe|aparte|agendamos|reservamos)\b|\b(?:reserve|agende) (?:la|el|una|un|para|mi)\b|\b(?:agendamos|reservamos)\b|\bhice (?:la|una) (?:cita|reserva|reservacion)\b|\bya (?:tengo|tenemos) (?:la |mi |una )?cita\b|\bcita (?:confirmada|agendada|reservada|hecha)\b|\b(?:ya )?(?:quedo|esta) (?:agendad[oa]|reservad[oa])\b|\breservado\b|\bagendado\b/,
  // French
  /\bj'? ?ai (?:deja )?(?:reserve|pris (?:un |le |mon )?rendez[- ]vous|pris (?:un |le )?rdv|booke)\b|\bc'? ?est reserve\b|\brendez[- ]vous (?:pris|confirme|reserve)\b|\brdv (?:pris|confirme)\b|\bc'? ?est (?:fait|bon),? (?:j'? ?ai reserve|c'? ?est reserve)\b/,
  // Portuguese
  /\b(?:ja )?(?:agendei|marquei|reservei|agendamos|marcamos|reservamos)\b|\b(?:horario|consulta|visita) (?:marcad[oa]|agendad[oa]|confirmad[oa])\b|\bagendado\b|\bja esta marcado\b/,
  // German
  /\b(?:habe|hab|haben) (?:\w+ ){0,3}(?:gebucht|reserviert|vereinbart|ausgemacht|angemeldet)\b|\btermin (?:ist )?(?:gebucht|bestatigt|vereinbart|ausgemacht|steht|gemacht)\b|\bgebucht\b/,
]);

/** Words near a booking word that mean it has not happened. */
const BOOKED_CANCEL_BEFORE =
  /\b(?:not|haven't|havent|have not|hasn't|didn't|did not|never|can't|cannot|couldn't|unable to|trying to|try to|want to|wanna|need to|going to|gonna|will|would like to|like to|to|how do i|how can i|can i|could i|should i|do i|before i|if i|when i|yet to|still need|not yet|fully|no|nicht|noch nicht|no he|aun no|todavia no|pas encore|ainda nao|nao)\s+(?:\w+\s+){0,2}$/;
const BOOKED_CANCEL_AFTER = /^\s*(?:yet|up|solid|out|already\?)\b|^[^.!]{0,12}\?/;

export function findBooked(text: string): LexiconHit | null {
  return firstHit(text, BOOKED, (m) => {
    const kw =
      /booked|scheduled|reserved|confirmed|agendei|marquei|reservei|reserve|agende|gebucht|reservado|agendado/.exec(
        m[0],
      );
    const kwIndex = m.index + (kw ? kw.index : 0);
    const before = text.slice(Math.max(0, kwIndex - 30), kwIndex);
    const after = text.slice(kwIndex + (kw ? kw[0].length : m[0].length));
    if (BOOKED_CANCEL_BEFORE.test(before)) return false;
    if (BOOKED_CANCEL_AFTER.test(after)) return false;
    // "fully booked" / "booked up" / "booked solid" describe the contact's own diary: busy.
    if (/\b(?:fully|pretty|totally)\s*$/.test(before) || /^\s*(?:up|solid)\b/.test(after)) return false;
    // "booked with someone else" is a rejection, decided earlier.
    return true;
  });
}

// ------------------------------------------------------------------ busy
const BUSY = compile([
  // English
  /\b(?:busy|bsy|swamped|slammed|snowed under|tied up|occupied|hectic|overwhelmed|flat out|run off my feet|up to my neck|chaos|chaotic|madhouse)\b/,
  /\b(?:crazy|hectic|busy|long|rough|mad|insane|nuts) (?:day|week|morning|afternoon|night|time)\b/,
  /\b(?:at|in|on) (?:a|an|the|my|our|his|her|some|another) (?:\w+'s )(?:recital|game|practice|match|rehearsal|performance|ceremony|graduation|party|event|school|appointment|birthday|wedding|funeral|class|lesson|recital|concert|show|office|house|place)\b|\b(?:emergency|dealing with (?:a|an|some|something|stuff|things|family|my)|family (?:stuff|thing|matter|issue|emergency))\b/,
  /\b(?:estoy |ando )?en (?:el|la) (?:gimnasio|gym|oficina|trabajo|hospital|medico|doctor|dentista|escuela|universidad|super|supermercado|banco|iglesia|misa|aeropuerto|avion|carro|coche|auto|junta|reunion|cita|clase)\b|\b(?:je suis )?(?:au|a la|chez le|en) (?:bureau|travail|boulot|sport|gym|salle de sport|hopital|medecin|dentiste|ecole|aeroport|avion|voiture|reunion|cours)\b|\b(?:estou |to |tou )?(?:no|na|em) (?:academia|escritorio|trabalho|hospital|medico|dentista|escola|faculdade|mercado|banco|igreja|aeroporto|aviao|carro|reuniao|aula)\b|\b(?:im|in der|beim|auf der) (?:fitnessstudio|gym|buro|arbeit|krankenhaus|arzt|zahnarzt|schule|uni|supermarkt|bank|kirche|flughafen|flugzeug|auto|zug|meeting|besprechung|termin)\b/,
  /\b(?:i'm|im|i am|we're|we are)\s+with\s+(?:my|the|a|our|some)\s+(?:kids?|children|son|daughter|baby|family|mom|dad|mother|father|husband|wife|client|clients|patient|patients|customer|customers|boss|team|friends)\b/,
  /\b(?:gtg|g2g|got to go|gotta go|have to go|got to run|gotta run|have to run|heading out|running late|running errands|errands|jumping on a call|hopping on a call|stepping into|studying|in an exam|drowning in|putting out fires|afk|ttys)\b|\bcan'?t (?:right now|now|at the moment|atm|today)\b/,
  /\bmeetings\b|\bback[- ]to[- ]back\b|\b(?:calls|appointments|clients|patients|errands) all day\b|\bhands (?:are )?full\b|\bin the middle of (?:something|a|an|my|work|dinner|lunch|it)\b/,
  /\b(?:in|at|into|stuck in|heading (?:in)?to|about to (?:go into|start|board)|walking into|going into|on|with) (?:a |an |the |my |another |some )?(?:meeting|meetings|zoom|teams call|conference|call|phone call|interview|presentation|webinar|class|lecture|exam|lesson|church|mass|funeral|wedding|hospital|doctor|doctors|doctor's|dentist|vet|clinic|er|gym|work|office|shift|store|grocery store|airport|school|line|queue|dmv|bank|court|practice|movies|cinema|concert|party|event|job site|site|client|customer|patient|customers|clients|patients|baby|traffic|shower|car|flight|plane|train|bus|appointment|session|surgery|training|recital|game|daycare|pickup|drop off)\b/,
  /\bon the (?:phone|other line|road|clock|job|move|way)\b|\bon (?:shift|duty|call|site|a job|a flight|another call)\b|\bbehind the wheel\b/,
  /\b(?:driving|drivin|commuting|boarding|flying|cooking|showering|napping|sleeping|asleep|teaching|operating|travell?ing)\b/,
  /\b(?:i'm|i am|im|we're|still|currently|busy|been) working\b|\bworking (?:late|now|right now|at the moment|today|all day|till|until)\b|^working\b/,
  /\b(?:having|eating|at) (?:dinner|lunch|breakfast|brunch)\b|\bputting (?:the )?(?:kids|kid|baby|children|little one) (?:to bed|down)\b|\bfeeding the baby\b|\bwith the kids\b|\bschool run\b|\bshowing (?:a |the )?(?:house|property|home|listing|client)\b|\bwalking the dog\b/,
  /\b(?:can't|cannot|can not|unable to|not able to|couldn't) (?:really |even )?(?:talk|text|chat|speak|answer|reply|respond|message|deal|focus|think|concentrate|handle|commit|do this|do it|get to (?:it|this)|take (?:a )?calls?|pick up|type|look at (?:it|this)|look into (?:it|this))\b/,
  /\b(?:not|isn't|is not) (?:a |the )?(?:good|great|best|convenient) (?:time|moment)\b|\b(?:bad|awkward|terrible|wrong) (?:time|timing|moment)\b/,
  /(?:^|[,.!]\s*)not (?:right )?now\b|\bnot at the moment\b|\bnot today\b(?!\s*,?\s*(?:but|maybe))/,
  /\b(?:another|some other|a different|other) (?:time|day)\b|\bno time\b|\b(?:don't|do not) have (?:the )?time\b|\bnot (?:free|available)\b/,
  /\b(?:later|laters|be right back|be back later|back later|talk to you later|catch you later|speak later|chat later|talk soon)\b/,
  /\b(?:i'll|i will|will|i'm going to|let me|i shall|i'd|going to)\s+(?:get|circle|reach|write|text|call|message|ring|hit you|come|check|follow|touch)\s+(?:\w+\s+)?(?:back|up)\b|\bwill (?:reply|respond|answer|be in touch|let you know|reach out)\b|\bi'll (?:reply|respond|answer|let you know|reach out|be in touch)\b/,
  /\b(?:when|once|as soon as) (?:i|i'm|im|things|it|we|life)\s+(?:can|get a|have (?:a )?(?:time|chance|moment|sec|minute)|am free|free up|settle|calm|slow|quiet|get (?:home|back|out|off|a chance)|'m (?:free|done|out|back|home)|land|finish|done|back|less busy)/,
  /\b(?:hold on|one sec|one second|one moment|one min|one minute|just a (?:sec|second|moment|minute|min)|give me a (?:sec|second|moment|minute|min|bit|while)|give me (?:a few|some time)(?! (?:minutes|hours|days|weeks))|in a (?:bit|while|sec|second|minute|moment))\b/,
  /\bone (?:sec|second|moment|min|minutes?)\b|\bgive me a minutes?\b/,
  /\b(?:phone|battery) (?:is )?(?:about to die|dying|almost dead|low|at \d+%)\b/,
  /\b(?:is|are|am|i'm|feeling|been|got) (?:\w+ )?(?:sick|ill|unwell|poorly)\b|\bnot feeling well\b|\bunder the weather\b/,
  /\b(?:going to|about to|heading to) (?:bed|sleep)\b|\bin bed\b/,
  /\b(?:out of (?:the )?office|ooo|on vacation|on holiday|away this week|out of town)\b/,
  // Sarcasm: "because I have SO much free time 🙄".
  /^(?=.*\b(?:eyeroll|yeah right|oh sure|yeah sure|sure|because|as if)\b).*\b(?:so much|plenty of|lots of|loads of|tons of|all the) (?:free |spare )?time\b/,
  /^(?=.*\beyeroll\b).*\b(?:doing nothing|nothing (?:else )?to do|sitting around|twiddling my thumbs|bored|free time|all the time in the world)\b/,
  // Spanish
  /\bocupad[oa]s?\b|\b(?:estoy|ando|voy|estamos) (?:manejando|conduciendo|trabajando|en el trabajo|en una reunion|en junta|en clase|en el medico|en el doctor|con (?:un|una) (?:cliente|paciente)|comiendo|cocinando)\b/,
  /\b(?:en|con) el (?:medico|doctor|dentista|hospital)\b|\ben (?:una |la )?(?:reunion|junta|clase|llamada)\b|\bno puedo (?:hablar|contestar|responder|ahora)\b|\bahora no\b|\bahorita no\b/,
  /\b(?:mas tarde|luego|despues) (?:te |le |les )?(?:escribo|hablo|llamo|contesto|respondo|aviso|marco)\b|\b(?:te|le) (?:escribo|hablo|llamo|contesto|marco|aviso) (?:luego|despues|mas tarde)\b|\bhablamos (?:luego|despues|mas tarde)\b/,
  /\bno es (?:un )?buen momento\b|\bmas tarde\b|\bestoy manejando\b|\bal volante\b|\ben el trabajo\b|\bsin tiempo\b/,
  // French
  /\bchez le (?:medecin|dentiste|docteur|coiffeur)\b|\boccupee?s?\b|\b(?:en|dans une) reunion\b|\bje conduis\b|\bau volant\b|\ben voiture\b|\bau (?:travail|boulot)\b|\bje travaille\b|\ben cours\b/,
  /\bje ne peux pas (?:parler|repondre|discuter)\b|\bpeux pas (?:parler|repondre)\b|\bpas (?:maintenant|le moment|dispo(?:nible)?)\b|\bplus tard\b/,
  /\bje (?:te|vous) (?:rappelle|recontacte|reecris|reviens)\b|\bje reviens vers (?:toi|vous)\b|\bpas le bon moment\b|\bdebordee?s?\b/,
  // Portuguese
  /\b(?:estou|to|tou|ando|estamos) (?:dirigindo|no transito|trabalhando|no trabalho|em reuniao|em aula|no medico|com (?:um |uma )?cliente|ocupad[oa])\b|\bdirigindo\b|\bem reuniao\b|\bno trabalho\b|\bem aula\b/,
  /\bno (?:medico|dentista|hospital)\b|\bnao (?:posso|consigo) (?:falar|responder|atender)\b|\bagora nao\b|\bmais tarde\b|\bsem tempo\b|\bcorrid[oa]\b/,
  /\bdepois (?:eu )?(?:falo|te falo|conversamos|a gente (?:se )?fala|te chamo|te ligo|respondo|te respondo|te retorno)\b|\b(?:te|lhe) (?:chamo|ligo|falo|respondo|retorno) depois\b|\bnao e (?:uma )?boa hora\b/,
  // German
  /\bbeim (?:arzt|zahnarzt|doktor|friseur|essen|sport|training|kunden|einkaufen|fahren)\b|\b(?:im|in der) (?:buro|krankenhaus|kino|training|urlaub|stau|dienst|arbeit|schule|uni|praxis)\b/,
  /\b(?:beschaftigt|im stress|viel zu tun|keine zeit|busy)\b|\b(?:im|in einem|in einer) (?:meeting|termin|besprechung|sitzung|gesprach|call|unterricht|auto|zug|flugzeug)\b/,
  /\b(?:fahre|fahr) (?:gerade|grad|jetzt)\b|\bam fahren\b|\bunterwegs\b|\b(?:bei|auf) der arbeit\b|\barbeite (?:gerade|grad|noch)\b/,
  /\bkann (?:gerade|grad|jetzt|im moment) nicht\b|\bgerade nicht\b|\bjetzt nicht\b|\bgrad nicht\b|\bim moment nicht\b|\bspater\b/,
  /\b(?:melde|meld) mich (?:spater|nachher|wieder|bald|morgen)\b|\bschreib(?:e)? (?:dir|ihnen|euch) (?:spater|nachher)\b|\bkein guter zeitpunkt\b/,
]);

/** Busy words that are the contact asking about us ("are you busy?") do not count. */
function busyAccepted(text: string, m: RegExpExecArray): boolean {
  const before = text.slice(Math.max(0, m.index - 24), m.index);
  const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
  const pat = m[0];
  const selfNegating = /^(?:not|can't|cannot|can not|unable|couldn't|no time|don't|do not)\b/.test(pat);
  if (!selfNegating && NEGATION_BEFORE.test(before) && !/\bnot (?:really|very)\s+$/.test(before)) {
    // "not busy", "no longer driving", "not in a meeting anymore".
    return false;
  }
  if (NEGATION_AFTER.test(after) && !/\bno more time\b/.test(after)) return false;
  const sentenceEnd = after.search(/[.!?]/);
  const isQuestion = sentenceEnd >= 0 && after[sentenceEnd] === '?';
  if (isQuestion && /\b(?:you|your|are you|r you|is it|is this)\b/.test(before + pat)) return false;
  // "is the link working?" / "the AC isn't working": things, not the contact.
  if (
    /working/.test(pat) &&
    /\b(?:link|it|site|unit|ac|app|page|form|code|that|this|thing)\s+(?:is\s+|isn't\s+)?$/.test(before)
  )
    return false;
  return true;
}

export function findBusy(text: string): LexiconHit | null {
  return firstHit(text, BUSY, (m) => busyAccepted(text, m));
}

// ------------------------------------------------------------------ available now
const AVAILABLE_NOW = compile([
  /\b(?:i'm|im|i am|we're|we are)?\s*(?:free|available|here|back|around|done|ready) (?:now|right now|at the moment)\b/,
  /\b(?:can|could) (?:talk|chat|speak) (?:now|right now)\b|\bwe can talk\b|\bcall me now\b|\bgo ahead(?=\s*(?:$|[,.!?]|and (?:call|text)|call|text))|\bnow (?:is|works) (?:good|fine|ok|great|a good time)?\b|\bgood time now\b/,
  /\b(?:not|no longer) (?:busy|driving|working|in (?:a|the) meeting)(?: anymore| any more| now)?\b|\b(?:done|finished|out of) (?:with )?(?:my |the )?(?:meeting|call|work)\b/,
  /\bya (?:puedo hablar|estoy libre)\b|\bje suis dispo(?:nible)?\b|\bje peux parler\b|\bja posso falar\b|\bagora posso\b|\bjetzt kann ich\b|\bbin jetzt frei\b/,
]);

export function findAvailableNow(text: string): LexiconHit | null {
  return firstHit(text, AVAILABLE_NOW, (m) => {
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    return !/\bnot\s*$/.test(before) && !/^not (?:free|available)/.test(m[0]);
  });
}
