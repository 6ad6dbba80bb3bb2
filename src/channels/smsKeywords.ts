/**
 * SMS compliance keywords (CTIA / carrier rules): a message consisting only of an opt-out,
 * opt-in or help keyword is handled by the service itself, never by the bot.
 *
 * Matching is on the whole message, case-insensitive, ignoring whitespace anywhere and
 * trailing punctuation ("Stop.", " stop ", "STOP ALL" → stop). "Please stop texting me"
 * is NOT a keyword: it goes to the classifier, which routes it to `stopped` too.
 */

export type SmsKeyword = 'stop' | 'start' | 'help';

const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  START: 'start',
  UNSTOP: 'start',
  YES: 'start',
  HELP: 'help',
  INFO: 'help',
};

/** The keywords, grouped, for docs and the console. */
export const SMS_KEYWORDS: Record<SmsKeyword, readonly string[]> = {
  stop: Object.keys(KEYWORDS).filter((k) => KEYWORDS[k] === 'stop'),
  start: Object.keys(KEYWORDS).filter((k) => KEYWORDS[k] === 'start'),
  help: Object.keys(KEYWORDS).filter((k) => KEYWORDS[k] === 'help'),
};

export function smsKeyword(text: string): SmsKeyword | null {
  if (typeof text !== 'string') return null;
  const normalized = text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[.!]+$/, '')
    .toUpperCase();
  return Object.hasOwn(KEYWORDS, normalized) ? KEYWORDS[normalized] : null;
}

export interface KeywordReplyContext {
  /** Shown so the contact knows who is texting (the bot / business name). */
  businessName: string;
  /** Optional contact line for HELP, e.g. "Call us at +1 555 0100" or an email address. */
  helpContact?: string | null;
}

/** The confirmation (STOP, START) or help text (HELP) sent back once by SMS. */
export function keywordReply(keyword: SmsKeyword, ctx: KeywordReplyContext): string {
  const name = ctx.businessName.trim() || 'This service';
  switch (keyword) {
    case 'stop':
      return `${name}: you are unsubscribed and will receive no more messages. Reply START to resubscribe.`;
    case 'start':
      return `${name}: you are subscribed again. Reply STOP to unsubscribe, HELP for help.`;
    case 'help': {
      const contact = ctx.helpContact?.trim() ? ` ${ctx.helpContact.trim()}.` : '';
      return `${name}: automated follow-up messages.${contact} Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.`;
    }
  }
}
