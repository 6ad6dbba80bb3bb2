/**
 * The built-in follow-up templates in every language the classifier reads besides English
 * (templates.ts holds the English ones and the rules), written for each language in the
 * polite register (usted, vous, Sie, Lei, u, Państwo, siz, aap, po), same shape as the
 * English table: [scenario][step bucket] → three variants. A booking-link offer is a sentence
 * of its own ending with the link, so it goes whole when the bot has none. Polish names no
 * one (a first name would need its vocative); Turkish never suffixes the business name (its
 * case endings follow the name's last vowel); UCS-2 languages keep to two SMS segments.
 */
import type { Scenario } from '../../machines/vocabulary.ts';
import type { Language } from './types.ts';

export type TemplateTable = Record<Scenario, string[][]>;

export const TRANSLATED_TEMPLATES: Record<Exclude<Language, 'en'>, TemplateTable> = {
  es: {
    stoppedReplying: [
      [
        'Hola {{first_name}}, ¿le quedó alguna duda? Con gusto le ayudo. Reserve aquí: {{booking_url}}',
        'Hola {{first_name}}, le escribo por si mi último mensaje se perdió. ¿En qué le puedo ayudar?',
        'Hola {{first_name}}, le saluda {{business_name}}. ¿Le sigue interesando? Responda y seguimos.',
      ],
      [
        'Hola {{first_name}}, ¿es buen momento para retomar lo que hablamos? Reserve aquí: {{booking_url}}',
        'Hola {{first_name}}, ¿qué le pareció lo que conversamos? Escríbanos cuando quiera.',
        'Hola {{first_name}}, ¿todavía le podemos ayudar con esto? Un sí o un no nos basta.',
      ],
      [
        'Hola {{first_name}}, este es el último mensaje de {{business_name}}. Si desea seguir, solo responda.',
        'Hola {{first_name}}, no queremos molestarle. Si no es buen momento, escríbanos cuando le venga bien.',
        'Hola {{first_name}}, lo dejamos aquí por ahora. Si algo cambia, responda a este mensaje.',
      ],
    ],
    busy: [
      [
        'Hola {{first_name}}, ¿tiene un momento ahora? ¿Seguimos donde lo dejamos?',
        'Hola {{first_name}}, le escribo de nuevo como quedamos. ¿Le viene mejor ahora?',
        'Hola {{first_name}}, de nuevo {{business_name}}. Responda cuando pueda. Reserve aquí: {{booking_url}}',
      ],
      [
        'Hola {{first_name}}, ¿hoy le viene mejor? Nos adaptamos a su horario.',
        'Hola {{first_name}}, sin prisa. Escríbanos cuando pueda. También puede reservar: {{booking_url}}',
        'Hola {{first_name}}, seguimos a su disposición. ¿Qué horario le viene mejor?',
      ],
      [
        'Hola {{first_name}}, un último recordatorio de {{business_name}}. Responda cuando quiera.',
        'Hola {{first_name}}, no le escribimos más por ahora. Reserve cuando quiera: {{booking_url}}',
        'Hola {{first_name}}, dejamos de escribirle por ahora. Escríbanos cuando quiera y seguimos.',
      ],
    ],
    requestedTime: [
      [
        'Hola {{first_name}}, le saluda {{business_name}} a la hora que nos indicó. ¿Sigue siendo buen momento?',
        'Hola {{first_name}}, le escribo como nos pidió. ¿Seguimos? Reserve aquí: {{booking_url}}',
        'Hola {{first_name}}, aquí {{business_name}}, como quedamos. ¿Cuál sería el siguiente paso?',
      ],
      [
        'Hola {{first_name}}, retomo mi último mensaje. ¿Es buen momento para hablar?',
        'Hola {{first_name}}, de nuevo {{business_name}}. Responda cuando pueda. Reserve aquí: {{booking_url}}',
        'Hola {{first_name}}, ¿aún quiere que lo veamos? Podemos buscar otro momento si le conviene.',
      ],
      [
        'Hola {{first_name}}, último mensaje de {{business_name}} por ahora. Responda cuando quiera.',
        'Hola {{first_name}}, lo dejamos en sus manos. Reserve cuando quiera: {{booking_url}}',
        'Hola {{first_name}}, no pasa nada si el horario no funcionó. Escríbanos cuando le convenga.',
      ],
    ],
  },
  pt: {
    stoppedReplying: [
      [
        'Olá {{first_name}}, ficou alguma dúvida? Estou à disposição. Agende aqui: {{booking_url}}',
        'Olá {{first_name}}, quero confirmar se minha última mensagem chegou. Posso ajudar em algo?',
        'Olá {{first_name}}, {{business_name}} por aqui. Ainda tem interesse? É só responder.',
      ],
      [
        'Olá {{first_name}}, é um bom momento para retomarmos a conversa? Agende aqui: {{booking_url}}',
        'Olá {{first_name}}, o que achou do que conversamos? Responda quando quiser.',
        'Olá {{first_name}}, ainda podemos ajudar com isso? Um sim ou não já basta.',
      ],
      [
        'Olá {{first_name}}, esta é a última mensagem de {{business_name}}. Se quiser continuar, é só responder.',
        'Olá {{first_name}}, não queremos incomodar. Se não for um bom momento, responda quando puder.',
        'Olá {{first_name}}, vamos parar por aqui. Se algo mudar, é só responder esta mensagem.',
      ],
    ],
    busy: [
      [
        'Olá {{first_name}}, tem um minutinho agora? Podemos continuar de onde paramos?',
        'Olá {{first_name}}, voltando a falar como combinado. Agora é um momento melhor?',
        'Olá {{first_name}}, {{business_name}} de novo. Responda quando puder. Agende aqui: {{booking_url}}',
      ],
      [
        'Olá {{first_name}}, hoje fica melhor para você? Nos adaptamos à sua agenda.',
        'Olá {{first_name}}, sem pressa. Responda quando puder. Ou agende direto: {{booking_url}}',
        'Olá {{first_name}}, seguimos à disposição. Qual horário é melhor para você?',
      ],
      [
        'Olá {{first_name}}, um último lembrete de {{business_name}}. Responda quando quiser.',
        'Olá {{first_name}}, vamos dar um tempo. Agende quando quiser: {{booking_url}}',
        'Olá {{first_name}}, vamos parar de escrever por agora. Fale com a gente quando quiser.',
      ],
    ],
    requestedTime: [
      [
        'Olá {{first_name}}, {{business_name}} aqui, no horário que você pediu. Ainda é um bom momento?',
        'Olá {{first_name}}, retornando como você pediu. Vamos continuar? Agende aqui: {{booking_url}}',
        'Olá {{first_name}}, como combinado, aqui é {{business_name}}. Qual o próximo passo para você?',
      ],
      [
        'Olá {{first_name}}, retomando minha última mensagem. Ainda é um bom momento para conversar?',
        'Olá {{first_name}}, {{business_name}} de novo. Responda quando puder. Agende aqui: {{booking_url}}',
        'Olá {{first_name}}, ainda quer ver isso? Podemos marcar outro horário, se preferir.',
      ],
      [
        'Olá {{first_name}}, última mensagem de {{business_name}} por agora. Responda quando quiser.',
        'Olá {{first_name}}, a decisão é sua. Agende quando quiser: {{booking_url}}',
        'Olá {{first_name}}, tudo bem se o horário não deu certo. Fale com a gente quando puder.',
      ],
    ],
  },
  fr: {
    stoppedReplying: [
      [
        'Bonjour {{first_name}}, avez-vous d’autres questions ? Je reste à votre disposition. Réservez ici : {{booking_url}}',
        'Bonjour {{first_name}}, mon dernier message vous est-il bien parvenu ? Puis-je vous aider ?',
        'Bonjour {{first_name}}, ici {{business_name}}. Cela vous intéresse toujours ? Il suffit de répondre.',
      ],
      [
        'Bonjour {{first_name}}, est-ce un bon moment pour reprendre ? Réservez ici : {{booking_url}}',
        'Bonjour {{first_name}}, qu’avez-vous pensé de notre échange ? Répondez quand vous voulez.',
        'Bonjour {{first_name}}, pouvons-nous encore vous aider ? Un simple oui ou non suffit.',
      ],
      [
        'Bonjour {{first_name}}, dernier message de {{business_name}}. Pour continuer, il suffit de répondre.',
        'Bonjour {{first_name}}, je ne veux pas vous déranger. Répondez quand le moment vous conviendra.',
        'Bonjour {{first_name}}, nous en restons là pour l’instant. Répondez si quelque chose change.',
      ],
    ],
    busy: [
      [
        'Bonjour {{first_name}}, avez-vous un moment ? Pouvons-nous reprendre où nous en étions ?',
        'Bonjour {{first_name}}, je reviens vers vous comme promis. Est-ce plus pratique maintenant ?',
        'Bonjour {{first_name}}, {{business_name}} à nouveau. Répondez quand vous voulez. Réservez : {{booking_url}}',
      ],
      [
        'Bonjour {{first_name}}, aujourd’hui vous convient mieux ? Nous nous adaptons à votre agenda.',
        'Bonjour {{first_name}}, rien ne presse. Répondez quand vous pourrez. Réservez : {{booking_url}}',
        'Bonjour {{first_name}}, nous restons à votre disposition. Quel horaire vous arrange ?',
      ],
      [
        'Bonjour {{first_name}}, un dernier message de {{business_name}}. Répondez quand vous voulez.',
        'Bonjour {{first_name}}, nous vous laissons tranquille. Réservez quand vous voulez : {{booking_url}}',
        'Bonjour {{first_name}}, nous arrêtons les relances. Écrivez-nous quand vous voulez.',
      ],
    ],
    requestedTime: [
      [
        'Bonjour {{first_name}}, ici {{business_name}}, à l’heure convenue. Est-ce toujours un bon moment ?',
        'Bonjour {{first_name}}, je reviens vers vous comme demandé. Réservez ici : {{booking_url}}',
        'Bonjour {{first_name}}, comme promis, ici {{business_name}}. Quelle est la suite pour vous ?',
      ],
      [
        'Bonjour {{first_name}}, je reviens sur mon dernier message. Est-ce un bon moment pour en parler ?',
        'Bonjour {{first_name}}, {{business_name}} à nouveau. Répondez quand vous voulez. Réservez : {{booking_url}}',
        'Bonjour {{first_name}}, souhaitez-vous toujours en parler ? Nous pouvons trouver un autre moment.',
      ],
      [
        'Bonjour {{first_name}}, dernier message de {{business_name}} pour l’instant. Répondez quand vous voulez.',
        'Bonjour {{first_name}}, à vous de voir. Réservez quand vous voulez : {{booking_url}}',
        'Bonjour {{first_name}}, pas de souci si l’horaire ne convenait pas. Écrivez-nous quand vous voulez.',
      ],
    ],
  },
  de: {
    stoppedReplying: [
      [
        'Hallo {{first_name}}, haben Sie noch Fragen? Ich helfe gern weiter. Hier können Sie direkt buchen: {{booking_url}}',
        'Hallo {{first_name}}, ich wollte sichergehen, dass meine letzte Nachricht angekommen ist. Kann ich Ihnen helfen?',
        'Hallo {{first_name}}, hier ist {{business_name}}. Besteht noch Interesse? Antworten Sie einfach.',
      ],
      [
        'Hallo {{first_name}}, passt es Ihnen jetzt, das Thema wieder aufzugreifen? Hier können Sie einen Termin buchen: {{booking_url}}',
        'Hallo {{first_name}}, was meinen Sie zu unserem Gespräch? Antworten Sie gern jederzeit.',
        'Hallo {{first_name}}, können wir Ihnen dabei noch helfen? Ein kurzes Ja oder Nein genügt.',
      ],
      [
        'Hallo {{first_name}}, dies ist die letzte Nachricht von {{business_name}}. Wenn Sie weitermachen möchten, antworten Sie einfach.',
        'Hallo {{first_name}}, ich möchte nicht stören. Wenn es gerade nicht passt, melden Sie sich, wann es Ihnen recht ist.',
        'Hallo {{first_name}}, wir belassen es vorerst dabei. Falls sich etwas ändert, antworten Sie einfach auf diese Nachricht.',
      ],
    ],
    busy: [
      [
        'Hallo {{first_name}}, haben Sie jetzt einen Moment Zeit? Sollen wir dort weitermachen, wo wir aufgehört haben?',
        'Hallo {{first_name}}, wie versprochen melde ich mich noch einmal. Passt es jetzt besser?',
        'Hallo {{first_name}}, hier ist noch einmal {{business_name}}. Melden Sie sich, sobald Sie Zeit haben. Oder buchen Sie direkt: {{booking_url}}',
      ],
      [
        'Hallo {{first_name}}, passt es heute besser? Wir richten uns gern nach Ihnen.',
        'Hallo {{first_name}}, ganz ohne Eile. Antworten Sie einfach, wenn es ruhiger ist. Oder buchen Sie direkt: {{booking_url}}',
        'Hallo {{first_name}}, wir helfen Ihnen gern, wann immer es passt. Welche Uhrzeit ist Ihnen am liebsten?',
      ],
      [
        'Hallo {{first_name}}, eine letzte kurze Erinnerung von {{business_name}}. Antworten Sie, wann immer Sie so weit sind.',
        'Hallo {{first_name}}, wir lassen Ihnen etwas Ruhe. Buchen Sie jederzeit hier: {{booking_url}}',
        'Hallo {{first_name}}, ich melde mich vorerst nicht mehr. Schreiben Sie uns jederzeit, dann machen wir weiter.',
      ],
    ],
    requestedTime: [
      [
        'Hallo {{first_name}}, hier ist {{business_name}}, wie gewünscht zur vereinbarten Zeit. Passt es Ihnen gerade?',
        'Hallo {{first_name}}, ich melde mich wie gewünscht. Sollen wir weitermachen? Hier können Sie direkt buchen: {{booking_url}}',
        'Hallo {{first_name}}, wie versprochen meldet sich {{business_name}}. Was wäre für Sie der nächste Schritt?',
      ],
      [
        'Hallo {{first_name}}, ich komme auf meine letzte Nachricht zurück. Passt es Ihnen gerade für ein Gespräch?',
        'Hallo {{first_name}}, hier noch einmal {{business_name}}. Antworten Sie, wenn Sie Zeit haben. Oder buchen Sie einen Termin: {{booking_url}}',
        'Hallo {{first_name}}, möchten Sie das noch besprechen? Gern finden wir auch eine andere Zeit.',
      ],
      [
        'Hallo {{first_name}}, vorerst die letzte Nachricht von {{business_name}}. Antworten Sie jederzeit, dann machen wir weiter.',
        'Hallo {{first_name}}, wir überlassen es Ihnen. Buchen Sie jederzeit hier: {{booking_url}}',
        'Hallo {{first_name}}, kein Problem, falls es zeitlich nicht gepasst hat. Schreiben Sie uns, wann es Ihnen passt.',
      ],
    ],
  },
  it: {
    stoppedReplying: [
      [
        'Buongiorno {{first_name}}, ha altre domande? Sono a sua disposizione. Può prenotare qui: {{booking_url}}',
        'Buongiorno {{first_name}}, volevo assicurarmi che il mio ultimo messaggio le sia arrivato. Posso aiutarla?',
        'Buongiorno {{first_name}}, qui {{business_name}}. Le interessa ancora? Basta rispondere.',
      ],
      [
        'Buongiorno {{first_name}}, è un buon momento per riprendere il discorso? Può prenotare qui: {{booking_url}}',
        'Buongiorno {{first_name}}, cosa ne pensa di quanto ci siamo detti? Risponda quando vuole.',
        'Buongiorno {{first_name}}, possiamo ancora aiutarla? Basta un sì o un no.',
      ],
      [
        "Buongiorno {{first_name}}, questo è l'ultimo messaggio di {{business_name}}. Se vuole proseguire, risponda pure.",
        'Buongiorno {{first_name}}, non voglio disturbarla. Se non è il momento giusto, risponda quando preferisce.',
        'Buongiorno {{first_name}}, per ora ci fermiamo qui. Se cambia qualcosa, risponda a questo messaggio.',
      ],
    ],
    busy: [
      [
        'Buongiorno {{first_name}}, ha un momento adesso? Riprendiamo da dove eravamo rimasti?',
        'Buongiorno {{first_name}}, la ricontatto come promesso. Adesso è un momento migliore?',
        'Buongiorno {{first_name}}, ancora {{business_name}}. Risponda quando ha tempo. Oppure prenoti qui: {{booking_url}}',
      ],
      [
        'Buongiorno {{first_name}}, oggi le va meglio? Ci adattiamo volentieri ai suoi orari.',
        'Buongiorno {{first_name}}, nessuna fretta. Quando può, risponda qui. Oppure prenoti direttamente: {{booking_url}}',
        'Buongiorno {{first_name}}, siamo sempre a disposizione. Quale orario le è più comodo?',
      ],
      [
        'Buongiorno {{first_name}}, un ultimo promemoria da {{business_name}}. Risponda quando vuole.',
        'Buongiorno {{first_name}}, per ora non le scriviamo più. Prenoti quando vuole: {{booking_url}}',
        'Buongiorno {{first_name}}, smetto di scriverle per ora. Ci scriva quando vuole e riprendiamo.',
      ],
    ],
    requestedTime: [
      [
        "Buongiorno {{first_name}}, qui {{business_name}}, la ricontatto all'ora che ci ha indicato. Le va ancora bene?",
        'Buongiorno {{first_name}}, la ricontatto come richiesto. Vogliamo proseguire? Può prenotare qui: {{booking_url}}',
        'Buongiorno {{first_name}}, come promesso, ecco {{business_name}}. Qual è il prossimo passo per lei?',
      ],
      [
        'Buongiorno {{first_name}}, riprendo il mio ultimo messaggio. Le va bene sentirci adesso?',
        'Buongiorno {{first_name}}, ancora {{business_name}}. Risponda quando ha tempo. Oppure prenoti qui: {{booking_url}}',
        'Buongiorno {{first_name}}, vuole ancora parlarne? Possiamo trovare un altro momento, se preferisce.',
      ],
      [
        'Buongiorno {{first_name}}, ultimo messaggio di {{business_name}} per ora. Risponda quando vuole e riprendiamo.',
        'Buongiorno {{first_name}}, lasciamo a lei la decisione. Prenoti quando vuole: {{booking_url}}',
        "Buongiorno {{first_name}}, nessun problema se l'orario non andava bene. Ci scriva quando preferisce.",
      ],
    ],
  },
  nl: {
    stoppedReplying: [
      [
        'Hallo {{first_name}}, heeft u nog vragen? Ik help u graag verder. U kunt ook direct boeken: {{booking_url}}',
        'Hallo {{first_name}}, ik wilde even nagaan of mijn vorige bericht is aangekomen. Kan ik u ergens mee helpen?',
        'Hallo {{first_name}}, met {{business_name}}. Heeft u nog interesse? Stuur gerust een bericht terug.',
      ],
      [
        'Hallo {{first_name}}, komt het nu uit om hier verder over te praten? Plan hier een moment: {{booking_url}}',
        'Hallo {{first_name}}, wat vindt u van wat we hebben besproken? Reageer gerust wanneer het u uitkomt.',
        'Hallo {{first_name}}, kunnen we u hier nog mee helpen? Een kort ja of nee is genoeg.',
      ],
      [
        'Hallo {{first_name}}, dit is het laatste bericht van {{business_name}}. Wilt u verder, reageer dan gerust.',
        'Hallo {{first_name}}, ik wil u niet storen. Komt het nu niet uit, reageer dan wanneer het u past.',
        'Hallo {{first_name}}, we laten het hier voorlopig bij. Verandert er iets, reageer dan op dit bericht.',
      ],
    ],
    busy: [
      [
        'Hallo {{first_name}}, heeft u nu even tijd? Zullen we verdergaan waar we gebleven waren?',
        'Hallo {{first_name}}, zoals beloofd kom ik even bij u terug. Komt het nu beter uit?',
        'Hallo {{first_name}}, nogmaals {{business_name}}. Reageer gerust zodra u tijd heeft. Of plan zelf een moment: {{booking_url}}',
      ],
      [
        'Hallo {{first_name}}, komt het vandaag beter uit? We passen ons graag aan uw agenda aan.',
        'Hallo {{first_name}}, geen haast. Reageer gerust als het rustiger is. Of boek direct: {{booking_url}}',
        'Hallo {{first_name}}, we helpen u graag wanneer het u uitkomt. Welk tijdstip past u het best?',
      ],
      [
        'Hallo {{first_name}}, nog een laatste herinnering van {{business_name}}. Reageer wanneer u er klaar voor bent.',
        'Hallo {{first_name}}, we geven u even de ruimte. Boek wanneer u wilt: {{booking_url}}',
        'Hallo {{first_name}}, ik stop voorlopig met berichten sturen. Stuur ons gerust een bericht, dan gaan we verder.',
      ],
    ],
    requestedTime: [
      [
        'Hallo {{first_name}}, met {{business_name}}, op het tijdstip dat u vroeg. Komt het nog steeds uit?',
        'Hallo {{first_name}}, zoals gevraagd neem ik contact op. Zullen we verdergaan? U kunt ook direct boeken: {{booking_url}}',
        'Hallo {{first_name}}, zoals beloofd, hier is {{business_name}}. Wat is voor u de volgende stap?',
      ],
      [
        'Hallo {{first_name}}, ik kom even terug op mijn vorige bericht. Komt het nu uit om te praten?',
        'Hallo {{first_name}}, nogmaals {{business_name}}. Reageer gerust als u tijd heeft. Of plan een moment: {{booking_url}}',
        'Hallo {{first_name}}, wilt u dit nog bespreken? We zoeken graag een ander moment als dat beter past.',
      ],
      [
        'Hallo {{first_name}}, voorlopig het laatste bericht van {{business_name}}. Reageer wanneer u wilt, dan gaan we verder.',
        'Hallo {{first_name}}, we laten het aan u. Boek wanneer u wilt: {{booking_url}}',
        'Hallo {{first_name}}, geen probleem als het tijdstip niet uitkwam. Stuur ons een bericht wanneer het u past.',
      ],
    ],
  },
  pl: {
    stoppedReplying: [
      [
        'Dzień dobry, czy mają Państwo jeszcze pytania? Chętnie pomożemy. Rezerwacja: {{booking_url}}',
        'Dzień dobry, upewniamy się, że nasza ostatnia wiadomość dotarła. W czym możemy pomóc?',
        'Dzień dobry, tu {{business_name}}. Czy temat jest wciąż aktualny? Wystarczy odpisać.',
      ],
      [
        'Dzień dobry, czy to dobry moment, by wrócić do rozmowy? Rezerwacja: {{booking_url}}',
        'Dzień dobry, co sądzą Państwo o naszej rozmowie? Prosimy o odpowiedź w dogodnej chwili.',
        'Dzień dobry, czy możemy jeszcze w tym pomóc? Wystarczy krótkie tak lub nie.',
      ],
      [
        'Dzień dobry, to ostatnia wiadomość od {{business_name}}. Aby kontynuować, wystarczy odpisać.',
        'Dzień dobry, nie chcemy przeszkadzać. Jeśli teraz nie pasuje, prosimy odpisać w dogodnej chwili.',
        'Dzień dobry, na razie zostawiamy temat. Jeśli coś się zmieni, wystarczy odpisać.',
      ],
    ],
    busy: [
      [
        'Dzień dobry, czy mają Państwo teraz chwilę? Możemy wrócić do rozmowy?',
        'Dzień dobry, odzywamy się zgodnie z obietnicą. Czy teraz jest lepszy moment?',
        'Dzień dobry, tu znowu {{business_name}}. Prosimy odpisać w wolnej chwili. Rezerwacja: {{booking_url}}',
      ],
      [
        'Dzień dobry, czy dziś będzie wygodniej? Chętnie dopasujemy się do Państwa planów.',
        'Dzień dobry, nie ma pośpiechu. Prosimy odpisać, gdy będzie spokojniej. Rezerwacja: {{booking_url}}',
        'Dzień dobry, chętnie pomożemy w dogodnym terminie. Jaka godzina pasuje najbardziej?',
      ],
      [
        'Dzień dobry, ostatnie przypomnienie od {{business_name}}. Czekamy na odpowiedź w dogodnej chwili.',
        'Dzień dobry, nie będziemy już przeszkadzać. Rezerwacja w dowolnej chwili: {{booking_url}}',
        'Dzień dobry, na razie przestajemy pisać. Wystarczy odpisać, a wrócimy do rozmowy.',
      ],
    ],
    requestedTime: [
      [
        'Dzień dobry, tu {{business_name}}, odzywamy się o umówionej porze. Czy to nadal dobry moment?',
        'Dzień dobry, kontaktujemy się zgodnie z prośbą. Kontynuujemy? Rezerwacja: {{booking_url}}',
        'Dzień dobry, zgodnie z obietnicą odzywa się {{business_name}}. Jaki byłby kolejny krok?',
      ],
      [
        'Dzień dobry, wracamy do naszej ostatniej wiadomości. Czy to dobry moment na rozmowę?',
        'Dzień dobry, tu znowu {{business_name}}. Prosimy odpisać w wolnej chwili. Rezerwacja: {{booking_url}}',
        'Dzień dobry, czy temat jest nadal aktualny? Chętnie znajdziemy inny termin.',
      ],
      [
        'Dzień dobry, na razie ostatnia wiadomość od {{business_name}}. Wystarczy odpisać, a wrócimy do rozmowy.',
        'Dzień dobry, decyzja należy do Państwa. Rezerwacja w dowolnej chwili: {{booking_url}}',
        'Dzień dobry, nic nie szkodzi, jeśli termin nie pasował. Prosimy napisać w dogodnej chwili.',
      ],
    ],
  },
  tr: {
    stoppedReplying: [
      [
        'Merhaba {{first_name}}, başka sorunuz var mı? Memnuniyetle yardımcı oluruz. Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, son mesajımız size ulaştı mı? Nasıl yardımcı olabiliriz?',
        'Merhaba {{first_name}}, {{business_name}} olarak yazıyoruz. Hâlâ ilgileniyor musunuz? Yanıt vermeniz yeterli.',
      ],
      [
        'Merhaba {{first_name}}, konuya geri dönmek için uygun bir zaman mı? Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, konuştuklarımız hakkında ne düşünüyorsunuz? Dilediğiniz zaman yazabilirsiniz.',
        'Merhaba {{first_name}}, bu konuda hâlâ yardımcı olabilir miyiz? Kısa bir evet ya da hayır yeterli.',
      ],
      [
        'Merhaba {{first_name}}, {{business_name}} olarak son kez yazıyoruz. Devam etmek isterseniz yanıtlayın.',
        'Merhaba {{first_name}}, rahatsız etmek istemeyiz. Şu an uygun değilse dilediğiniz zaman yazın.',
        'Merhaba {{first_name}}, şimdilik burada bırakıyoruz. Bir şey değişirse bu mesajı yanıtlayın.',
      ],
    ],
    busy: [
      [
        'Merhaba {{first_name}}, şimdi müsait misiniz? Kaldığımız yerden devam edelim mi?',
        'Merhaba {{first_name}}, söz verdiğimiz gibi tekrar yazıyoruz. Şimdi daha uygun mu?',
        'Merhaba {{first_name}}, müsait olduğunuzda yazmanız yeterli. Randevu için: {{booking_url}}',
      ],
      [
        'Merhaba {{first_name}}, bugün daha mı uygun? Programınıza göre ayarlayabiliriz.',
        'Merhaba {{first_name}}, acelesi yok. Uygun olduğunuzda buradan yazın. Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, size uygun bir zamanda memnuniyetle yardımcı oluruz. Hangi saat uygun?',
      ],
      [
        'Merhaba {{first_name}}, {{business_name}} olarak son bir hatırlatma. Hazır olduğunuzda yazabilirsiniz.',
        'Merhaba {{first_name}}, şimdilik sizi rahatsız etmeyelim. Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, şimdilik yazmayı bırakıyoruz. Dilediğiniz zaman yazın, devam edelim.',
      ],
    ],
    requestedTime: [
      [
        'Merhaba {{first_name}}, istediğiniz saatte {{business_name}} olarak yazıyoruz. Hâlâ uygun musunuz?',
        'Merhaba {{first_name}}, istediğiniz gibi geri dönüyoruz. Devam edelim mi? Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, söz verdiğimiz gibi yazıyoruz. Sizin için bir sonraki adım ne olsun?',
      ],
      [
        'Merhaba {{first_name}}, son mesajımızı hatırlatmak istedik. Konuşmak için uygun musunuz?',
        'Merhaba {{first_name}}, uygun olduğunuzda yazmanız yeterli. Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, bu konuyu hâlâ görüşmek ister misiniz? Başka bir zaman da bulabiliriz.',
      ],
      [
        'Merhaba {{first_name}}, şimdilik {{business_name}} olarak son mesajımız. Dilediğiniz zaman yazın.',
        'Merhaba {{first_name}}, karar sizin. Randevu için: {{booking_url}}',
        'Merhaba {{first_name}}, saat uymadıysa sorun değil. Size uygun olduğunda yazmanız yeterli.',
      ],
    ],
  },
  'hi-Latn': {
    stoppedReplying: [
      [
        'Namaste {{first_name}}, kya aapke koi aur sawaal hain? Hum madad ke liye yahin hain. Booking yahan karein: {{booking_url}}',
        'Namaste {{first_name}}, bas yeh dekhna tha ki hamara pichhla message aap tak pahuncha ya nahi. Kya hum kuch madad kar sakte hain?',
        'Namaste {{first_name}}, {{business_name}} se baat kar rahe hain. Kya aap abhi bhi interested hain? Bas reply kar dijiye.',
      ],
      [
        'Namaste {{first_name}}, kya abhi baat aage badhane ka sahi time hai? Apna slot yahan book karein: {{booking_url}}',
        'Namaste {{first_name}}, humne jo baat ki thi uske baare mein aap kya sochte hain? Jab chahein reply karein.',
        'Namaste {{first_name}}, kya hum ab bhi is mein aapki madad kar sakte hain? Bas haan ya na likh dijiye.',
      ],
      [
        'Namaste {{first_name}}, {{business_name}} ki taraf se yeh aakhri message hai. Aage badhna ho to bas reply kijiye.',
        'Namaste {{first_name}}, hum aapko pareshan nahi karna chahte. Abhi sahi time nahi hai to jab suvidha ho tab reply karein.',
        'Namaste {{first_name}}, abhi ke liye hum yahin rukte hain. Kuch badle to is message ka reply kar dijiye.',
      ],
    ],
    busy: [
      [
        'Namaste {{first_name}}, kya abhi aapke paas thoda time hai? Jahan baat ruki thi, wahin se shuru karein?',
        'Namaste {{first_name}}, jaisa kaha tha, hum dobara sampark kar rahe hain. Kya abhi time theek hai?',
        'Namaste {{first_name}}, {{business_name}} phir se. Jab free hon tab reply karein. Ya apni suvidha se time chunein: {{booking_url}}',
      ],
      [
        'Namaste {{first_name}}, kya aaj ka din behtar rahega? Hum aapke schedule ke hisaab se chal sakte hain.',
        'Namaste {{first_name}}, koi jaldi nahi hai. Jab fursat ho, yahan reply karein. Ya seedha book karein: {{booking_url}}',
        'Namaste {{first_name}}, jab bhi aapko suvidha ho, hum madad ke liye taiyaar hain. Aapke liye kaunsa time sahi rahega?',
      ],
      [
        'Namaste {{first_name}}, {{business_name}} ki taraf se ek aakhri reminder. Jab taiyaar hon, reply karein.',
        'Namaste {{first_name}}, hum aapko thoda samay dete hain. Jab chahein yahan book karein: {{booking_url}}',
        'Namaste {{first_name}}, abhi ke liye hum message nahi karenge. Kabhi bhi likhiye, wahin se shuru karenge.',
      ],
    ],
    requestedTime: [
      [
        'Namaste {{first_name}}, {{business_name}} se, aapke bataye time par sampark kar rahe hain. Kya abhi baat karna theek rahega?',
        'Namaste {{first_name}}, aapke kehne par follow up kar rahe hain. Aage badhein? Aap seedha book bhi kar sakte hain: {{booking_url}}',
        'Namaste {{first_name}}, jaisa wada kiya tha, {{business_name}} se follow up. Aapke liye agla kadam kya hoga?',
      ],
      [
        'Namaste {{first_name}}, hamare pichhle message ke baare mein yaad dila rahe hain. Kya abhi baat karne ka sahi time hai?',
        'Namaste {{first_name}}, {{business_name}} phir se. Jab free hon tab reply karein. Ya apna slot book karein: {{booking_url}}',
        'Namaste {{first_name}}, kya aap ab bhi is baare mein baat karna chahenge? Zarurat ho to koi aur time dekh lete hain.',
      ],
      [
        'Namaste {{first_name}}, abhi ke liye {{business_name}} ka aakhri follow up. Kabhi bhi reply karein, wahin se shuru karenge.',
        'Namaste {{first_name}}, faisla aapka hai. Jab chahein yahan book karein: {{booking_url}}',
        'Namaste {{first_name}}, koi baat nahi agar time sahi nahi baitha. Jab suvidha ho tab message karein.',
      ],
    ],
  },
  tl: {
    stoppedReplying: [
      [
        'Magandang araw po, {{first_name}}! May iba pa po ba kayong tanong? Handa po kaming tumulong. Mag-book po rito: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Gusto lang po naming matiyak na natanggap ninyo ang huli naming mensahe. May maitutulong po ba kami?',
        'Magandang araw po, {{first_name}}! Ito po ang {{business_name}}. Interesado pa rin po ba kayo? Mag-reply lang po.',
      ],
      [
        'Magandang araw po, {{first_name}}! Puwede na po ba nating ituloy ang usapan? Pumili po ng oras dito: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Ano po ang masasabi ninyo sa napag-usapan natin? Mag-reply lang po kahit kailan.',
        'Magandang araw po, {{first_name}}! Matutulungan pa po ba namin kayo rito? Oo o hindi lang po, ayos na.',
      ],
      [
        'Magandang araw po, {{first_name}}! Ito na po ang huling mensahe ng {{business_name}}. Kung gusto ninyong ituloy, mag-reply lang po.',
        'Magandang araw po, {{first_name}}! Ayaw po naming makaabala. Kung hindi pa ito ang tamang oras, mag-reply lang po kapag handa na kayo.',
        'Magandang araw po, {{first_name}}! Dito na po muna kami. Kung may magbago, i-reply lang po ang mensaheng ito.',
      ],
    ],
    busy: [
      [
        'Magandang araw po, {{first_name}}! May oras na po ba kayo ngayon? Ituloy po ba natin kung saan tayo huminto?',
        'Magandang araw po, {{first_name}}! Binabalikan po namin kayo gaya ng pangako. Mas maluwag na po ba kayo ngayon?',
        'Magandang araw po, {{first_name}}! Ang {{business_name}} po ulit ito. Mag-reply lang po kapag libre na kayo. O pumili po ng oras dito: {{booking_url}}',
      ],
      [
        'Magandang araw po, {{first_name}}! Mas maluwag po ba kayo ngayong araw? Aayon po kami sa schedule ninyo.',
        'Magandang araw po, {{first_name}}! Walang pagmamadali po. Mag-reply lang po kapag maluwag na. O mag-book po nang direkta: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Handa pa rin po kaming tumulong. Anong oras po ang pinakamainam para sa inyo?',
      ],
      [
        'Magandang araw po, {{first_name}}! Huling paalala po mula sa {{business_name}}. Mag-reply lang po kapag handa na kayo.',
        'Magandang araw po, {{first_name}}! Bibigyan po muna namin kayo ng panahon. Mag-book po kahit kailan: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Hihinto na po muna kami sa pag-message. Mag-message lang po kahit kailan at itutuloy natin.',
      ],
    ],
    requestedTime: [
      [
        'Magandang araw po, {{first_name}}! Ito po ang {{business_name}}, sa oras na hiniling ninyo. Ayos pa rin po ba ang oras na ito?',
        'Magandang araw po, {{first_name}}! Nag-follow up po kami gaya ng hiniling ninyo. Ituloy na po ba natin? Mag-book po rito: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Gaya ng pangako, ang {{business_name}} po ito. Ano po ang susunod na hakbang para sa inyo?',
      ],
      [
        'Magandang araw po, {{first_name}}! Follow up lang po sa huli naming mensahe. Puwede na po ba tayong mag-usap ngayon?',
        'Magandang araw po, {{first_name}}! Ang {{business_name}} po ulit ito. Mag-reply lang po kapag libre kayo. O pumili po ng oras: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Gusto pa rin po ba ninyong pag-usapan ito? Puwede po tayong maghanap ng ibang oras.',
      ],
      [
        'Magandang araw po, {{first_name}}! Huling follow up po muna ito mula sa {{business_name}}. Mag-reply lang po kahit kailan.',
        'Magandang araw po, {{first_name}}! Kayo na po ang bahala. Mag-book po kahit kailan: {{booking_url}}',
        'Magandang araw po, {{first_name}}! Ayos lang po kung hindi umubra ang oras. Mag-message lang po kapag maluwag na kayo.',
      ],
    ],
  },
};
