/**
 * How many SMS segments a text needs. A message that fits the GSM 03.38 7-bit alphabet
 * uses 160 characters in one segment or 153 per segment when split (the rest is the
 * concatenation header), with the extension characters counting double; anything else
 * is sent as UCS-2: 70 UTF-16 code units alone, 67 per segment when split.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SmsSegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** characters as the network counts them (septets for GSM-7, UTF-16 units for UCS-2) */
  units: number;
  segments: number;
}

export function smsSegments(text: string): SmsSegmentInfo {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units: an emoji counts 2, as on the wire
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
