/** Hinglish (Hindi in Latin script mixed with English): India, the Gulf, the UK. */
import type { Line } from '../intl.ts';

const KOL = 'Asia/Kolkata';
const DXB = 'Asia/Dubai';
const LON = 'Europe/London';

export const lines: Line[] = [
  ['ni', 'bas karo yaar, roz roz message', '2026-02-16 21:10', KOL, 'Hinglish: enough, man, messages every single day (annoyance)'],
  ['ni', 'galat number hai, yeh Rohit ka number nahi hai', '2025-10-23 12:30', KOL, 'Hinglish: wrong number, this is not Rohit\'s number (wrong person)'],
  ['ni', 'mera number apni list se hata do please', '2026-05-05 17:45', KOL, 'Hinglish: remove my number from your list please'],
  ['ni', 'already kisi aur se karwa liya, thanks', '2026-08-20 11:15', KOL, 'Hinglish: already got it done by someone else, thanks (found someone else)'],
  ['ni', 'ab zarurat nahi hai, papa ne handle kar liya', '2025-12-15 19:20', KOL, 'Hinglish: no need now, dad handled it (relative handles it / already fixed)'],
  ['ni', 'phir se msg aaya toh consumer court mein complaint karunga', '2026-03-19 14:05', KOL, 'Hinglish: if a message comes again I will complain to the consumer court (legal threat)'],
  ['ni', 'mat bhejo yeh sab, DND pe hu main', '2026-10-07 09:55', KOL, 'Hinglish: do not send all this, I am on DND (the do-not-disturb registry)'],
  ['ni', 'hum Pune shift ho gaye, ab nahi chahiye', '2026-06-26 20:30', KOL, 'Hinglish: we moved to Pune, do not need it now (moved)'],

  ['rt', 'kal subah 10 baje', '2026-01-07 18:00', KOL, '+1d 10:00', 0, 'Hinglish: tomorrow at 10 in the morning'],
  ['rt', 'parso shaam ko', '2026-04-14 12:00', KOL, '+2d 18:00', 120, 'Hinglish: the day after tomorrow in the evening ("parso")'],
  ['rt', 'Diwali ke baad', '2025-10-08 15:00', KOL, 'date:2025-10-24 09:00', 4320, 'Hinglish: after Diwali (Oct 20–21 2025, festival to Bhai Dooj Oct 23) → Fri Oct 24 09:00'],
  ['rt', '2 hafte baad call karna', '2026-09-03 11:30', KOL, '+14d', 1440, 'Hinglish: call after 2 weeks → +14 days, same wall time'],
  ['rt', 'aadhe ghante mein', '2025-11-19 16:10', KOL, '+30m', 5, 'Hinglish: in half an hour'],
  ['rt', 'office ke baad, around 7', '2026-07-16 10:00', KOL, '+0d 19:00', 30, 'Hinglish: after office, around 7 → 19:00'],
  ['rt', 'Holi ke baad baat karte hain', '2026-02-20 13:00', KOL, 'date:2026-03-05 09:00', 1440, 'Hinglish: let us talk after Holi (Wed Mar 4 2026) → Thu Mar 5 09:00'],
  ['rt', 'agle hafte Monday ko', '2026-11-05 17:00', KOL, 'next:mon 09:00', 240, 'Hinglish: next week on Monday'],
  ['rt', 'shaam 5:30 ke baad', '2026-03-08 09:00', DXB, '+0d 17:30', 30, 'Hinglish (Dubai): after 5:30 in the evening → 17:30'],

  ['bu', 'baad mein', '2026-05-28 13:20', KOL, 'Hinglish: later ("baad mein" is no time)'],
  ['bu', 'client ke saath hu', '2025-09-24 11:05', KOL, 'Hinglish: I am with a client'],
  ['bu', 'meeting chal rahi hai', '2026-01-27 15:30', KOL, 'Hinglish: a meeting is going on'],
  ['bu', 'phone ki battery khatam hone wali hai', '2026-08-11 21:45', LON, 'Hinglish (UK): the phone battery is about to die'],
  ['bu', 'exams chal rahe hain, free hoke batata hu', '2026-03-02 19:10', KOL, 'Hinglish: exams are on, I will tell you once I am free (no time)'],
  ['bu', 'bacche ko tuition chhodne ja rahi hu', '2026-10-19 16:35', KOL, 'Hinglish: I am going to drop my child at tuition'],

  ['bk', 'link se slot book kar liya', '2026-06-02 22:00', KOL, 'Hinglish: booked the slot through the link'],
  ['bk', 'Chalo, Saturday ko milte hain!', '2025-11-12 18:25', KOL, 'Hinglish: ok, see you Saturday! (farewell naming the appointment)'],
  ['bk', 'advance pay kar diya, booking confirm hai', '2026-09-22 12:50', DXB, 'Hinglish (Dubai): paid the advance, the booking is confirmed'],

  ['en', 'kaun?', '2026-04-25 10:40', KOL, 'Hinglish: who? (plain who-is)'],
  ['en', 'full body checkup kitne ka hai?', '2025-12-03 09:30', KOL, 'Hinglish: how much is a full-body check-up?'],
  ['en', 'Sunday ko khula hai kya?', '2026-07-29 14:15', KOL, 'Hinglish: is it open on Sunday? (question about time)'],
  ['en', 'yearly plan nahi chahiye, monthly ka kitna hai?', '2026-01-16 20:05', KOL, 'Hinglish: do not want the yearly plan, how much is the monthly? (scoped refusal)'],
  ['en', 'kal call kiya tha kisi ne uthaya nahi', '2026-10-30 11:45', KOL, 'Hinglish: I called yesterday, nobody picked up (past reference)'],
  ['en', 'EMI option hai kya?', '2026-05-14 17:55', KOL, 'Hinglish: is there an EMI (instalment) option?'],

  ['ni', 'unsubscribe karo mujhe', '2026-02-25 10:45', KOL, 'Hinglish: unsubscribe me'],
  ['ni', 'maine kabhi enquiry nahi ki, number kahan se mila?', '2025-11-26 13:30', KOL, 'Hinglish: I never made an enquiry, where did you get the number? (hostile who-is + denial)'],
  ['ni', 'le liya already dusri jagah se', '2026-07-02 18:15', KOL, 'Hinglish: already bought it somewhere else'],
  ['ni', 'bhai roz 3 call? block kar raha hu', '2026-09-29 21:20', KOL, 'Hinglish: bro, 3 calls a day? I am blocking you (annoyance)'],
  ['rt', 'kal lunch time pe', '2026-01-20 17:00', KOL, '+1d 12:00', 60, 'Hinglish: tomorrow at lunchtime'],
  ['rt', 'Monday subah 11 baje', '2026-06-10 15:00', KOL, 'mon 11:00', 0, 'Hinglish: Monday at 11 in the morning'],
  ['rt', 'weekend ke baad', '2025-10-31 19:00', KOL, 'mon 09:00', 240, 'Hinglish: after the weekend → Monday 09:00'],
  ['rt', '15 minute mein call karo', '2026-04-08 16:20Z', KOL, '+15m', 5, 'Hinglish: call in 15 minutes; now in UTC'],
  ['rt', 'Eid ke baad baat karenge', '2026-05-15 12:00', KOL, 'date:2026-05-28 09:00', 2880, 'Hinglish: we will talk after Eid (Eid al-Adha expected May 27 2026, moon sighting) → May 28 09:00, wide tolerance'],
  ['bu', 'abhi puja mein hu', '2025-10-20 19:05', KOL, 'Hinglish: I am at a puja (prayer) right now'],
  ['bu', 'interview de raha hu abhi', '2026-03-13 11:40', KOL, 'Hinglish: I am giving an interview right now'],
  ['bu', 'net slow hai, ghar pahunch ke baat karta hu', '2026-08-31 18:50', KOL, 'Hinglish: the internet is slow, I will talk once I get home (no time)'],
  ['bk', 'confirmation SMS aa gaya, Tuesday 4 baje', '2026-11-16 20:30', KOL, 'Hinglish: the confirmation SMS came, Tuesday at 4 (the appointment time)'],
  ['en', 'aap log home visit karte ho?', '2026-06-20 09:35', KOL, 'Hinglish: do you do home visits?'],
  ['rt', 'sorry yaar late reply, aaj poora din site pe tha. kal shaam 7 ke baad free hu, tab call karo please', '2026-02-09 22:15', KOL, '+1d 19:00', 30, 'Hinglish: long; sorry, late reply, was on site all day; free tomorrow evening after 7, call then'],
  ['ni', 'humne already Urban Company se karwa liya, ab zarurat nahi', '2026-08-03 12:40', KOL, 'Hinglish: we already got it done through Urban Company, no need now'],
  ['bu', 'train mein hu, network nahi hai', '2025-12-09 08:50', KOL, 'Hinglish: on the train, no network'],
  ['en', 'aapka office kahan hai exactly? Google maps pe nahi dikh raha', '2026-05-21 16:25', KOL, 'Hinglish: where exactly is your office? it does not show on Google Maps'],
  ['rt', 'mahine ke end mein call karna', '2026-03-09 11:00', KOL, 'eom 17:00', 1440, 'Hinglish: call at the end of the month → Mar 31 17:00'],
  ['bk', 'slot confirm ho gaya, kal milte hain', '2026-09-15 20:10', KOL, 'Hinglish: the slot is confirmed, see you tomorrow'],
];
