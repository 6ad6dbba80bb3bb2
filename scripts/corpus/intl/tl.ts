/** Tagalog and Taglish: the Philippines and Filipino workers in the Gulf. */
import type { Line } from '../intl.ts';

const MNL = 'Asia/Manila';
const DXB = 'Asia/Dubai';

export const lines: Line[] = [
  ['ni', 'Ayoko na po, salamat', '2026-03-03 19:40', MNL, 'Tagalog: I do not want it any more, thank you'],
  ['ni', 'Tigilan niyo na ako', '2025-10-14 21:15', MNL, 'Tagalog: leave me alone / stop bothering me'],
  ['ni', 'wrong send po kayo, hindi ako si Grace', '2026-06-16 12:05', MNL, 'Taglish: you sent it to the wrong person, I am not Grace'],
  ['ni', 'pakibura na po yung number ko sa list niyo', '2026-09-07 10:30', MNL, 'Taglish: please delete my number from your list'],
  ['ni', 'nakahanap na kami ng iba, salamat po', '2025-12-02 16:50', MNL, 'Tagalog: we already found someone else, thank you'],
  ['ni', 'Irereklamo ko kayo sa NTC pag di kayo tumigil', '2026-04-21 20:20', MNL, 'Tagalog: I will report you to the NTC (telecom regulator) if you do not stop'],
  ['ni', 'Lumipat na kami sa Cebu, di na kailangan', '2026-08-13 14:35', MNL, 'Tagalog: we moved to Cebu, not needed any more'],
  ['ni', 'ang kulit niyo, ilang beses na', '2026-01-22 22:05', MNL, 'Tagalog: you are so persistent, how many times now (annoyance)'],

  ['rt', 'bukas ng umaga', '2026-02-12 20:00', MNL, '+1d 09:00', 120, 'Tagalog: tomorrow morning'],
  ['rt', 'sa makalawa na lang po, mga 3pm', '2025-11-04 11:00', MNL, '+2d 15:00', 30, 'Taglish: the day after tomorrow instead ("makalawa"), around 3pm'],
  ['rt', 'pagkatapos ng Undas', '2025-10-24 13:00', MNL, 'date:2025-11-03 09:00', 1440, 'Tagalog: after All Saints/All Souls (Nov 1–2 2025, a weekend) → Mon Nov 3 09:00'],
  ['rt', 'after 2 weeks na lang po', '2026-05-20 15:45', MNL, '+14d', 1440, 'Taglish: in 2 weeks instead → +14 days, same wall time'],
  ['rt', 'mamayang gabi', '2026-07-09 13:30', MNL, '+0d 19:00', 120, 'Tagalog: tonight ("mamaya" with a part of the day is a time) → 19:00'],
  ['rt', 'after ng Holy Week na lang', '2026-03-25 10:00', MNL, 'date:2026-04-06 09:00', 1440, 'Taglish: after Holy Week instead (Maundy Thursday to Black Saturday, Easter Apr 5 2026) → Mon Apr 6 09:00'],
  ['rt', 'sa 15 po, sweldo na', '2026-10-05 18:00', MNL, 'dom:15 09:00', 240, 'Taglish: on the 15th, payday → Oct 15 09:00'],
  ['rt', 'in 1 hour po, nasa jeep pa ako', '2026-01-08 17:20', MNL, '+1h', 15, 'Taglish: in 1 hour, I am still on the jeepney'],
  ['rt', 'Biyernes ng hapon', '2026-11-09 09:00', DXB, 'fri 14:00', 120, 'Tagalog (Dubai): Friday afternoon'],

  ['bu', 'mamaya na', '2026-04-06 15:15', MNL, 'Tagalog: later ("mamaya" alone is no time)'],
  ['bu', 'nasa klase pa ako', '2025-09-29 09:40', MNL, 'Tagalog: I am still in class'],
  ['bu', 'may customer ako ngayon', '2026-06-30 11:25', MNL, 'Taglish: I have a customer now'],
  ['bu', 'lowbat na ako', '2026-02-28 21:30', MNL, 'Taglish: my phone is low on battery'],
  ['bu', 'nagluluto pa ako, teka lang', '2026-09-18 18:10', MNL, 'Tagalog: I am still cooking, hold on'],
  ['bu', 'busy sa work, chat na lang ulit ako', '2026-11-17 10:50', DXB, 'Taglish (Dubai): busy at work, I will chat again'],

  ['bk', 'naka-book na po ako for Saturday', '2026-05-07 20:45', MNL, 'Taglish: I am booked for Saturday'],
  ['bk', 'Sige po, kita tayo sa Huwebes!', '2025-10-30 17:30', MNL, 'Tagalog: ok, see you Thursday! (farewell naming the appointment)'],
  ['bk', 'nagbayad na po ako ng downpayment', '2026-08-26 12:15', MNL, 'Taglish: I already paid the down payment'],

  ['en', 'Sino po ito?', '2026-03-27 13:10', MNL, 'Tagalog: who is this? (polite, plain)'],
  ['en', 'Hanggang anong oras po kayo bukas?', '2025-12-18 16:40', MNL, 'Tagalog: until what time are you open? (question about time)'],
  ['en', 'Pwede po ba installment?', '2026-07-22 19:25', MNL, 'Taglish: is instalment possible?'],
  ['en', 'Tumawag po ako kahapon pero walang sumasagot', '2026-10-13 10:05', MNL, 'Tagalog: I called yesterday but nobody answered (past reference)'],
  ['en', 'Ayoko ng package, pero magkano po yung isang session lang?', '2026-01-31 14:50', MNL, 'Taglish: I do not want the package, but how much is just one session? (scoped refusal)'],
  ['en', 'May branch po ba kayo sa Dubai?', '2026-06-05 20:10', DXB, 'Taglish (Dubai): do you have a branch in Dubai?'],

  ['ni', 'di na po kailangan, naayos na', '2026-03-10 15:30', MNL, 'Tagalog: not needed any more, it is fixed already'],
  ['ni', 'hindi po ako interesado, wag na kayo mag-text', '2025-11-20 19:10', MNL, 'Taglish: I am not interested, stop texting'],
  ['ni', 'yung asawa ko na po bahala dun', '2026-07-15 12:40', MNL, 'Tagalog: my spouse takes care of that now (relative handles it)'],
  ['ni', 'Tama na po', '2026-10-21 21:55', MNL, 'Tagalog: enough, please stop'],
  ['rt', 'sa Lunes ng umaga', '2026-01-14 18:00', MNL, 'mon 09:00', 120, 'Tagalog: Monday morning'],
  ['rt', 'mamayang 4 po', '2026-05-26 10:15', MNL, '+0d 16:00', 0, 'Taglish: later at 4 (mamaya with an hour is a time) → 16:00'],
  ['rt', 'next week na lang po', '2026-09-02 14:00', MNL, 'next:mon 09:00', 1440, 'Taglish: next week instead → Monday 09:00'],
  ['rt', 'pagkatapos ng Pasko at Bagong Taon', '2025-12-08 11:00', MNL, 'date:2026-01-05 09:00', 4320, 'Tagalog: after Christmas and New Year → first Monday after Jan 1, wide tolerance'],
  ['rt', 'in 30 mins po', '2026-02-05 13:45Z', MNL, '+30m', 5, 'Taglish: in 30 minutes; now in UTC'],
  ['bu', 'nasa biyahe pa ako', '2025-10-03 17:50', MNL, 'Tagalog: I am still on the road / commuting'],
  ['bu', 'nasa ospital ako ngayon, sa susunod na lang', '2026-04-15 13:15', MNL, 'Tagalog: I am at the hospital now, next time ("sa susunod" is no time)'],
  ['bu', 'nagpapadede pa ako, mamaya', '2026-08-07 22:10', MNL, 'Tagalog: I am breastfeeding, later'],
  ['bk', 'confirmed na po yung slot ko sa Sabado, salamat!', '2026-06-24 19:45', DXB, 'Taglish (Dubai): my Saturday slot is confirmed, thanks!'],
  ['en', 'Ano pong kailangan dalhin?', '2026-11-04 09:20', MNL, 'Tagalog: what do I need to bring?'],
  ['rt', 'Hello po, pasensya na late reply, busy kasi sa work this week. Pwede po ba sa Sabado ng hapon na lang tayo mag-usap? mga 2pm', '2026-03-16 20:30', MNL, 'sat 14:00', 30, 'Taglish: long; sorry for the late reply, busy at work this week; can we talk Saturday afternoon instead, around 2pm?'],
  ['ni', 'Salamat po pero nakabili na kami sa iba', '2025-11-11 14:20', MNL, 'Tagalog: thank you but we already bought elsewhere'],
  ['bu', 'nasa palengke pa ako, mamaya na lang', '2026-09-26 08:15', MNL, 'Tagalog: still at the market, later'],
  ['en', 'Meron po ba kayong GCash?', '2026-06-09 17:00', MNL, 'Taglish: do you accept GCash?'],
  ['rt', 'sa katapusan ng buwan po, pagka-sweldo', '2026-04-07 12:30', MNL, 'eom 17:00', 1440, 'Tagalog: at the end of the month, after payday → Apr 30 17:00'],
  ['bk', 'nakapag-reserve na po ako online, see you sa Martes', '2026-10-26 21:00', MNL, 'Taglish: I already reserved online, see you on Tuesday'],
];
