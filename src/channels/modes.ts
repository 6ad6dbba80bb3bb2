/**
 * Which outbound channels really reach people: SMS through Twilio or only into the log;
 * each Meta channel through the Graph API or not at all. Shown by the start line and the
 * console, so "switched to SMS" is never read as "texted" when it was only logged. No
 * imports beyond types: the start line reads it before the server's modules load.
 */
import type { ChannelsConfig } from './config.ts';

/** What each outbound channel does with a message. */
export interface ChannelModes {
  sms: 'twilio' | 'log';
  facebook: boolean;
  instagram: boolean;
  whatsapp: boolean;
}

/** The modes of the configured channels. */
export function channelModes(config: ChannelsConfig): ChannelModes {
  return {
    sms: config.sms.provider,
    facebook: config.meta.facebook !== null,
    instagram: config.meta.instagram !== null,
    whatsapp: config.meta.whatsapp !== null,
  };
}

/** Plain sentences for what is not really sent, one per channel group; empty when all are live. */
export function channelModeWarnings(modes: ChannelModes): string[] {
  const out: string[] = [];
  if (modes.sms === 'log')
    out.push(
      'SMS is in log-only mode: texts are written to the log, not sent to phones (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM to send them)',
    );
  const metaOff = (['facebook', 'instagram', 'whatsapp'] as const).filter((c) => !modes[c]);
  if (metaOff.length === 3)
    out.push(
      'Facebook, Instagram and WhatsApp are not connected: messages for them are not sent (set META_ACCESS_TOKEN with META_PAGE_ID, META_INSTAGRAM_ID or WHATSAPP_PHONE_NUMBER_ID)',
    );
  else if (metaOff.length)
    out.push(
      `${metaOff.join(' and ')} not connected: messages for ${metaOff.length === 1 ? 'it' : 'them'} are not sent`,
    );
  return out;
}
