/**
 * Consent before SMS to a number typed into the widget (the bot's `smsConsent`, default
 * on): anyone can type anyone's number there, so the business must not text it until its
 * owner agrees. The number gets one question ("Reply YES to get texts from <business>");
 * until the YES comes back by SMS, follow-ups stay on live chat. Numbers a contact texted
 * in from, or an operator entered, are not asked.
 */
import type { SmsConsentStore } from '../store/smsConsent.ts';
import type { Store } from '../store/store.ts';

/** The question, sent once per number. */
export function consentQuestion(businessName: string): string {
  return `${businessName}: Reply YES to get texts from ${businessName} about your request. Reply STOP to opt out.`;
}

/** A reply that gives consent: YES or Y, in any case, with trailing punctuation. */
export function isConsentReply(text: string): boolean {
  return /^\s*(yes|y)\s*[.!]*\s*$/i.test(text.normalize('NFKC'));
}

/** Asks a newly typed number once (an outbox SMS); true when a question was queued. */
export function askSmsConsent(
  store: Store,
  consent: SmsConsentStore,
  input: { botId: string; businessName: string; contactId: string; phone: string; at: number },
): boolean {
  if (!consent.request(input.contactId, input.phone, input.at)) return false;
  return store.insertOutbox({
    idempotency_key: `consent:${input.contactId}:${input.phone}`,
    bot_id: input.botId,
    contact_id: input.contactId,
    channel: 'sms',
    recipient: input.phone,
    body: consentQuestion(input.businessName),
    meta: JSON.stringify({ consent: 'question' }),
    next_attempt_at: input.at,
    created_at: input.at,
    updated_at: input.at,
  });
}
