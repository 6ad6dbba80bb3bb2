/**
 * SMS segment arithmetic. A message in the GSM-7 alphabet fits 160 septets in one segment and
 * 153 per segment when concatenated (extension characters such as € { } [ ] ~ | ^ \ count
 * twice); any other character switches the whole message to UCS-2: 70 UTF-16 units in one
 * segment, 67 per segment when concatenated. Two segments therefore hold 306 GSM-7 septets
 * or 134 UCS-2 units.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units still free in the last segment. */
  remaining: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

export function smsSegments(text: string): SegmentInfo {
  if (text.length === 0) return { encoding: 'GSM-7', units: 0, segments: 0, remaining: 160 };
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += EXTENDED.has(ch) ? 2 : 1;
    const segments = units <= 160 ? 1 : Math.ceil(units / 153);
    const capacity = segments === 1 ? 160 : segments * 153;
    return { encoding: 'GSM-7', units, segments, remaining: capacity - units };
  }
  const units = text.length;
  const segments = units <= 70 ? 1 : Math.ceil(units / 67);
  const capacity = segments === 1 ? 70 : segments * 67;
  return { encoding: 'UCS-2', units, segments, remaining: capacity - units };
}

/** Largest size in units that fits `segments` segments. */
export function capacity(encoding: SmsEncoding, segments: number): number {
  if (segments <= 1) return encoding === 'GSM-7' ? 160 : 70;
  return segments * (encoding === 'GSM-7' ? 153 : 67);
}

export function fitsSegments(text: string, maxSegments: number): boolean {
  return smsSegments(text).segments <= maxSegments;
}

/**
 * Shortens text to fit `maxSegments`: at the last sentence end that keeps at least half the
 * budget, else at a word boundary with an ellipsis. Never splits a surrogate pair or a URL.
 */
export function fitToSegments(text: string, maxSegments = 2): string {
  const t = text.trim();
  if (fitsSegments(t, maxSegments)) return t;
  const gsm = isGsm7(t);
  const budget = capacity(gsm ? 'GSM-7' : 'UCS-2', maxSegments);
  const chars = Array.from(t);
  // Longest prefix (in whole code points) that fits.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsSegments(chars.slice(0, mid).join(''), maxSegments)) lo = mid;
    else hi = mid - 1;
  }
  const prefix = chars.slice(0, lo).join('');
  const sentenceEnd = Math.max(prefix.lastIndexOf('. '), prefix.lastIndexOf('! '), prefix.lastIndexOf('? '));
  if (sentenceEnd >= budget / 2) return prefix.slice(0, sentenceEnd + 1).trim();
  const ellipsis = gsm ? '...' : '…';
  let cut = prefix.slice(0, Math.max(0, prefix.length - ellipsis.length));
  const space = cut.lastIndexOf(' ');
  if (space > budget / 3) cut = cut.slice(0, space);
  // Do not leave half a URL behind.
  cut = cut.replace(/\s*\S*(?:https?:\/\/|www\.)\S*$/i, '');
  return `${cut.replace(/[\s,;:–-]+$/, '')}${ellipsis}`;
}
