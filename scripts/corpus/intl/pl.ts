/** Polish: Poland and the UK/Irish diaspora. */
import type { Line } from '../intl.ts';

const WAW = 'Europe/Warsaw';
const LON = 'Europe/London';
const DUB = 'Europe/Dublin';

export const lines: Line[] = [
  ['ni', 'Wypisz mnie', '2026-02-04 19:30', WAW, 'Polish: unsubscribe me'],
  ['ni', 'Proszę więcej do mnie nie pisać', '2025-10-15 12:45', WAW, 'Polish: please do not write to me any more'],
  ['ni', 'Na podstawie RODO żądam usunięcia moich danych osobowych', '2026-06-09 10:20', WAW, 'Polish: under the GDPR (RODO) I demand the deletion of my personal data'],
  ['ni', 'Skąd macie mój numer? Nigdy się nigdzie nie zapisywałem', '2026-09-16 17:05', WAW, 'Polish: where did you get my number? I never signed up anywhere (hostile who-is + denial)'],
  ['ni', 'Dajcie mi spokój', '2025-12-29 21:40', WAW, 'Polish: leave me alone'],
  ['ni', 'Już mamy innego hydraulika, dzięki', '2026-04-16 14:14', WAW, 'Polish: we already have another plumber, thanks (found someone else)'],
  ['ni', 'Pomyłka, nie jestem panią Kowalską', '2026-08-05 11:11', WAW, 'Polish: mistake, I am not Mrs Kowalska (wrong person)'],
  ['ni', 'Przeprowadziłam się do Krakowa, już nieaktualne', '2026-11-03 18:28', WAW, 'Polish: I moved to Kraków, no longer relevant (moved)'],

  ['rt', 'pojutrze rano', '2026-01-21 20:00', WAW, '+2d 09:00', 120, 'Polish: the day after tomorrow in the morning ("pojutrze")'],
  ['rt', 'za dwa tygodnie', '2026-10-16 13:00', WAW, '+14d', 1440, 'Polish: in two weeks → +14 days, same wall time; CET from Oct 25'],
  ['rt', 'po majówce', '2026-04-22 10:00', WAW, 'date:2026-05-04 09:00', 1440, 'Polish: after the May long weekend (May 1 Fri – May 3 Sun 2026) → Mon May 4 09:00'],
  ['rt', 'o wpół do czwartej', '2025-11-17 09:30', WAW, '+0d 15:30', 0, 'Polish: at "half to four" → 15:30'],
  ['rt', 'po Wielkanocy', '2026-03-18 12:00', WAW, 'date:2026-04-07 09:00', 1440, 'Polish: after Easter (Apr 5 2026; Easter Monday is a holiday) → Tue Apr 7 09:00'],
  ['rt', 'jutro po pracy', '2026-07-08 15:20', DUB, '+1d 18:00', 90, 'Polish (Ireland): tomorrow after work → 18:00'],
  ['rt', 'w piątek koło 17', '2026-05-26 11:00', WAW, 'fri 17:00', 30, 'Polish: on Friday around 17'],
  ['rt', 'jestem na imprezie, napisz za pół godziny', '2026-03-29 00:50', LON, '+30m', 5, 'Polish (UK): at a party, write in half an hour; elapsed across the 01:00 GMT spring-forward → 02:20 BST'],
  ['rt', 'pod koniec przyszłego tygodnia', '2025-09-23 16:40', WAW, 'next:fri 17:00', 1440, 'Polish: towards the end of next week → Friday of next week 17:00'],

  ['bu', 'później', '2026-03-06 13:25', WAW, 'Polish: later ("później" is no time)'],
  ['bu', 'Jestem na zebraniu', '2025-11-25 10:05', WAW, 'Polish: I am at a meeting ("zebranie")'],
  ['bu', 'Jestem u klienta, odezwę się', '2026-06-19 12:35', WAW, 'Polish: I am at a client\'s, I will get in touch'],
  ['bu', 'Kończy mi się bateria', '2026-09-01 20:50', LON, 'Polish (UK): my battery is running out'],
  ['bu', 'zaraz mam egzamin, potem', '2026-01-29 08:40', WAW, 'Polish: I have an exam any moment, later'],
  ['bu', 'Jestem z dziećmi na basenie, potem pogadamy', '2026-10-10 16:15', WAW, 'Polish: at the swimming pool with the kids, we will talk later'],

  ['bk', 'Zarezerwowałem przez link', '2026-02-19 21:00', WAW, 'Polish: I booked through the link'],
  ['bk', 'Do zobaczenia w czwartek!', '2025-10-07 17:45', WAW, 'Polish: see you Thursday! (farewell naming the appointment)'],
  ['bk', 'Wpłaciłam zaliczkę, termin potwierdzony', '2026-07-23 12:20', WAW, 'Polish: I paid the deposit, the date is confirmed'],

  ['en', 'Kto mówi?', '2026-04-07 11:50', WAW, 'Polish: who is speaking? (plain)'],
  ['en', 'Ile kosztuje wymiana opon?', '2025-10-27 15:30', WAW, 'Polish: how much is a tyre change?'],
  ['en', 'Do której jesteście otwarci w sobotę?', '2026-05-08 18:05', WAW, 'Polish: until what time are you open on Saturday? (question about time)'],
  ['en', 'Karnet roczny odpada, ale czy są wejścia jednorazowe?', '2026-08-28 19:40', WAW, 'Polish: the annual pass is out, but are there single entries? (scoped refusal)'],
  ['en', 'Dzwoniłam wczoraj, ale nikt nie odebrał', '2026-11-13 09:20', WAW, 'Polish: I called yesterday but nobody picked up (past reference)'],
  ['en', 'Czy mogę zapłacić BLIKiem?', '2026-03-21 14:45', WAW, 'Polish: can I pay with BLIK (mobile payment)?'],

  ['ni', 'Nie, i proszę więcej nie dzwonić', '2026-01-09 18:20', WAW, 'Polish: no, and please do not call any more'],
  ['ni', 'Nie jestem zainteresowana, ani teraz, ani za rok', '2026-05-12 12:10', WAW, 'Polish: not interested, not now and not in a year (a refusal that mentions a time stays a refusal)'],
  ['ni', 'Mąż już to załatwił, dziękuję', '2025-11-07 16:45', WAW, 'Polish: my husband already sorted it, thank you (relative / already fixed)'],
  ['ni', 'Jeszcze jeden SMS i zgłaszam sprawę do UODO', '2026-09-24 20:35', WAW, 'Polish: one more text and I report it to the data-protection office (UODO)'],
  ['rt', 'po Nowym Roku', '2025-12-10 14:00', WAW, 'date:2026-01-05 09:00', 4320, 'Polish: after New Year → first Monday after Jan 1'],
  ['rt', 'w poniedziałek o wpół do dziesiątej', '2026-02-11 17:30', WAW, 'mon 09:30', 0, 'Polish: on Monday at "half to ten" → 09:30'],
  ['rt', 'za tydzień o tej samej porze', '2026-03-25 19:00', WAW, '+7d', 30, 'Polish: in a week at the same time → +7 days, wall clock kept across the Mar 29 change (CEST)'],
  ['rt', 'jutro w południe', '2026-06-17 21:15Z', WAW, '+1d 12:00', 60, 'Polish: tomorrow at noon; now in UTC'],
  ['rt', 'po 11 listopada', '2026-11-02 10:30', WAW, 'date:2026-11-12 09:00', 1440, 'Polish: after November 11 (Independence Day, Wed 2026) → Thu Nov 12 09:00'],
  ['bu', 'Jestem w trakcie prezentacji', '2026-04-28 11:25', WAW, 'Polish: I am in the middle of a presentation'],
  ['bu', 'Prowadzę lekcję, odpiszę', '2025-10-20 09:50', WAW, 'Polish: I am teaching a lesson, I will reply'],
  ['bu', 'Cały tydzień jestem na delegacji, odezwę się', '2026-07-06 07:40', WAW, 'Polish: on a business trip all week, I will be in touch (a situation, not a time)'],
  ['bk', 'Umówiłem się przez stronę na wtorek', '2026-08-13 20:10', WAW, 'Polish: I made the appointment on the website for Tuesday'],
  ['en', 'Z jakiej firmy piszecie?', '2026-10-22 13:05', WAW, 'Polish: which company are you writing from?'],
  ['rt', 'Dzień dobry, przepraszam że dopiero teraz odpisuję. W tym tygodniu mam urwanie głowy, ale w przyszły wtorek po 15 mogę porozmawiać', '2026-02-25 20:00', WAW, 'next:tue 15:00', 30, 'Polish: long; sorry for the late reply, hectic week, but next Tuesday after 15 I can talk'],
  ['ni', 'Dziękuję, ale syn już zamówił u kogoś innego', '2026-06-01 11:30', WAW, 'Polish: thank you, but my son already ordered from someone else'],
  ['bu', 'Jestem na siłowni, odezwę się później', '2025-10-09 18:45', WAW, 'Polish: at the gym, I will get in touch later'],
  ['en', 'A ile trwa taki zabieg? I czy boli?', '2026-09-11 15:55', WAW, 'Polish: and how long does such a treatment take? does it hurt?'],
  ['rt', 'po świętach Bożego Narodzenia', '2026-11-20 12:00', WAW, 'date:2026-12-28 09:00', 1440, 'Polish: after the Christmas holidays (Dec 25–26 2026, Fri–Sat) → Mon Dec 28 09:00'],
  ['bk', 'Potwierdziłam wizytę SMS-em', '2026-04-10 17:00', WAW, 'Polish: I confirmed the visit by text'],
];
