/**
 * Senders' numbers in E.164, as contacts store them. Providers and gateways do not all send
 * the `+` (`14155550164`, `0014155550164`, `+1 (415) 555-0164`); matched as typed, such a
 * sender became a second contact, and its STOP missed the real customer.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The number in E.164, or null when it is not a phone number (a short code, an alphanumeric
 * sender). Digits without a country prefix marker are read as international: a provider's
 * sender field carries the country code.
 */
export function toE164(raw: string): string | null {
  let candidate = raw.trim().replace(/[\s().-]/g, '');
  if (candidate.startsWith('00')) candidate = `+${candidate.slice(2)}`;
  else if (/^\d{8,15}$/.test(candidate)) candidate = `+${candidate}`;
  if (!/^\+\d{8,15}$/.test(candidate)) return null;
  const parsed = parsePhoneNumberFromString(candidate);
  return parsed?.isPossible() ? (parsed.number as string) : null;
}
