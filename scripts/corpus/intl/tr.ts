/** Turkish: Turkey and the German diaspora. */
import type { Line } from '../intl.ts';

const IST = 'Europe/Istanbul';
const BER = 'Europe/Berlin';

export const lines: Line[] = [
  ['ni', 'RET', '2026-03-10 20:15', IST, 'Turkish: RET = refuse, the Turkish commercial-message opt-out keyword (İYS)'],
  ['ni', 'Rahatsız etmeyin artık', '2025-11-05 13:40', IST, 'Turkish: stop disturbing me now'],
  ['ni', 'KVKK kapsamında kişisel verilerimin silinmesini talep ediyorum', '2026-06-24 10:30', IST, 'Turkish: under the KVKK (data-protection law) I request deletion of my personal data'],
  ['ni', 'Numaramı nereden buldunuz? Hiçbir yere üye olmadım', '2026-09-14 18:12', IST, 'Turkish: where did you find my number? I never signed up anywhere (hostile who-is)'],
  ['ni', 'Yanlış kişi, ben Ayşe değilim', '2026-01-19 15:05', IST, 'Turkish: wrong person, I am not Ayşe'],
  ['ni', 'Başka bir firmayla anlaştık, sağ olun', '2025-12-11 11:25', IST, 'Turkish: we agreed with another company, thanks (found someone else)'],
  ['ni', "Bir daha yazarsanız Şikayetvar'a yazacağım", '2026-04-30 21:50', IST, 'Turkish: if you write again I will post on Şikayetvar (complaint site)'],
  ['ni', 'Gerek yok, artık oğlum ilgileniyor', '2026-08-18 12:42', BER, 'Turkish (Germany): no need, my son handles it now (relative handles it)'],

  ['rt', 'öbür gün öğleden sonra', '2026-02-10 19:00', IST, '+2d 14:00', 120, 'Turkish: the day after tomorrow ("öbür gün") in the afternoon'],
  ['rt', 'yarın saat 3 buçukta', '2025-10-01 12:00', IST, '+1d 15:30', 0, 'Turkish: tomorrow at half past 3 ("buçuk") → 15:30'],
  ['rt', "Kurban Bayramı'ndan sonra arayın", '2026-05-14 11:00', IST, 'date:2026-06-01 09:00', 2880, 'Turkish: call after the Feast of Sacrifice (expected May 27–30 2026, moon sighting) → Mon Jun 1 09:00'],
  ['rt', 'iki hafta sonra', '2026-07-15 16:30', IST, '+14d', 1440, 'Turkish: in two weeks → +14 days, same wall time'],
  ['rt', '10 dakika sonra', '2026-10-06 14:20', IST, '+10m', 5, 'Turkish: in 10 minutes'],
  ['rt', 'haftaya', '2026-03-26 17:00', BER, 'next:mon 09:00', 1440, 'Turkish (Germany): next week ("haftaya") → Monday 09:00; CEST from Sunday'],
  ['rt', 'akşam 8 gibi', '2025-12-22 10:15', IST, '+0d 20:00', 30, 'Turkish: around 8 in the evening → 20:00'],
  ['rt', "ayın 15'inde", '2026-11-02 13:30', IST, 'dom:15 09:00', 240, 'Turkish: on the 15th of the month → Nov 15 09:00'],
  ['rt', "29 Ekim'den sonra", '2026-10-20 09:45', IST, 'date:2026-10-30 09:00', 1440, 'Turkish: after October 29 (Republic Day, Thu 2026) → Fri Oct 30 09:00'],

  ['bu', 'sonra', '2026-05-19 14:10', IST, 'Turkish: later ("sonra" alone is no time)'],
  ['bu', 'Müşterim var, sonra dönerim', '2025-09-18 11:35', IST, 'Turkish: I have a customer, I will get back later'],
  ['bu', 'derste', '2026-02-24 10:20', IST, 'Turkish: in class'],
  ['bu', 'şarjım bitmek üzere', '2026-07-04 20:05', BER, 'Turkish (Germany): my battery is about to die'],
  ['bu', 'sınavdayım', '2026-01-13 09:10', IST, 'Turkish: I am in an exam'],
  ['bu', 'çocukları okuldan alıyorum, sonra konuşalım', '2026-10-28 15:40', IST, 'Turkish: picking up the kids from school, let us talk later'],

  ['bk', 'Linkten rezervasyon yaptım', '2026-04-02 22:10', IST, 'Turkish: I made a reservation through the link'],
  ['bk', 'Perşembe görüşürüz!', '2025-11-20 18:30', IST, 'Turkish: see you Thursday! (farewell naming the appointment)'],
  ['bk', 'Kaporayı yatırdım', '2026-09-09 13:55', IST, 'Turkish: I paid the deposit'],

  ['en', 'Kimsiniz?', '2026-06-11 12:25', IST, 'Turkish: who are you? (plain)'],
  ['en', 'Cumartesi kaçta kapanıyorsunuz?', '2026-03-16 17:30', IST, 'Turkish: what time do you close on Saturday? (question about time)'],
  ['en', 'Yıllık üyelik istemiyorum ama günlük giriş var mı?', '2025-10-09 19:15', IST, 'Turkish: I do not want the annual membership, but is there a day pass? (scoped refusal)'],
  ['en', 'Geçen hafta aradım kimse açmadı', '2026-08-06 10:50', IST, 'Turkish: I called last week, nobody answered (past reference)'],
  ['en', 'Taksit yapıyor musunuz?', '2026-11-21 08:30Z', IST, 'Turkish: do you do instalments? now in UTC'],
  ['en', 'Almanca konuşan doktor var mı?', '2026-02-27 16:16', BER, 'Turkish (Germany): is there a German-speaking doctor?'],

  ['ni', 'İstemiyorum, bir daha aramayın', '2026-01-28 19:25', IST, 'Turkish: I do not want it, do not call again'],
  ['ni', 'Taşındık, artık gerek yok', '2025-10-29 12:15', IST, 'Turkish: we moved, no need any more'],
  ['ni', 'Bu kaçıncı mesaj, bıktım artık', '2026-07-21 21:40', IST, 'Turkish: how many messages is this, I am fed up (annoyance)'],
  ['ni', 'Zaten hallettim, usta geldi baktı', '2026-04-13 16:05', IST, 'Turkish: I already sorted it, a repairman came and fixed it (already fixed)'],
  ['rt', 'yarın öğlen', '2026-03-04 18:00', IST, '+1d 12:00', 60, 'Turkish: tomorrow at noon'],
  ['rt', "pazartesi sabah 10'da", '2025-11-26 14:30', IST, 'mon 10:00', 0, 'Turkish: Monday morning at 10'],
  ['rt', 'bir saat sonra ara', '2026-08-25 10:20Z', IST, '+1h', 15, 'Turkish: call in an hour; now in UTC'],
  ['rt', 'hafta sonundan sonra', '2026-06-12 17:15', IST, 'mon 09:00', 240, 'Turkish: after the weekend → Monday 09:00'],
  ['rt', 'ay sonunda', '2026-09-08 11:00', IST, 'eom 17:00', 1440, 'Turkish: at the end of the month → Sep 30 17:00'],
  ['bu', 'sunumdayım şu an', '2026-02-18 14:40', IST, 'Turkish: I am in a presentation right now'],
  ['bu', 'direksiyondayım', '2025-12-05 08:35', IST, 'Turkish: I am at the wheel'],
  ['bu', 'bebek yeni uyudu, sonra yazarım', '2026-10-14 20:50', BER, 'Turkish (Germany): the baby just fell asleep, I will write later'],
  ['bk', 'Randevu onaylandı, salı görüşürüz', '2026-05-06 13:20', IST, 'Turkish: appointment confirmed, see you Tuesday'],
  ['en', 'Hafta içi kaça kadar açıksınız?', '2026-11-10 10:10', IST, 'Turkish: until what time are you open on weekdays? (question about time)'],
  ['rt', 'Merhaba, kusura bakmayın geç dönüyorum. Bu hafta çok yoğunum ama perşembe öğleden sonra müsait olurum, o zaman arayabilir misiniz?', '2026-04-06 19:10', IST, 'thu 14:00', 120, 'Turkish: long; sorry for the late reply, very busy this week, free Thursday afternoon, can you call then?'],
  ['ni', 'Teşekkürler ama başka yerden aldık', '2025-12-16 13:10', IST, 'Turkish: thanks but we bought it elsewhere'],
  ['bu', 'camideyim, sonra ararım', '2026-07-24 13:20', IST, 'Turkish: I am at the mosque, I will call later'],
  ['en', 'Kargo ücretsiz mi?', '2026-02-03 21:35', IST, 'Turkish: is shipping free?'],
  ['ni', 'Listeden çıkarın beni', '2026-05-28 22:05', IST, 'Turkish: take me off the list'],
  ['bk', 'Pazartesi 11:00 için randevum oluşturuldu, teşekkürler', '2025-11-14 15:45', IST, 'Turkish: my appointment for Monday 11:00 was created, thanks'],
];
