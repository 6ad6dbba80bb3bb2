/**
 * Channel configuration from the environment, and the adapters built from it.
 *
 * With nothing set, SMS goes to the log adapter and the Meta channels have no adapter (their
 * outbox rows fail with "no adapter configured", visibly). Every provider variable is
 * validated at start with an error naming it, never silently ignored.
 */
import type { Clock } from '../clock.ts';
import type { FetchLike } from './http.ts';
import { MetaGraphAdapter } from './meta.ts';
import { LogSmsAdapter, TwilioSmsAdapter } from './sms.ts';
import type { Channel, ChannelAdapter } from './types.ts';
import type { MetaWebhookConfig, SmsWebhookConfig } from './webhooks.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl: string;
  timeoutMs: number;
  /** A webhook signing key's secret: verifies HMAC-SHA256 inbound signatures (TWILIO_WEBHOOK_SIGNING_KEY). */
  webhookSigningKey?: string | null;
}

export interface MetaConfig {
  /** Verifies X-Hub-Signature-256 on inbound webhooks. */
  appSecret: string | null;
  /** Answers the GET handshake. */
  verifyToken: string | null;
  baseUrl: string;
  timeoutMs: number;
  facebook: { accessToken: string; pageId: string } | null;
  instagram: { accessToken: string; accountId: string } | null;
  whatsapp: { accessToken: string; phoneNumberId: string } | null;
}

export interface ChannelsConfig {
  /** Public base URL of this service as providers reach it (Twilio signs it), or null. */
  publicUrl: string | null;
  sms: { provider: 'log' } | ({ provider: 'twilio' } & TwilioConfig);
  meta: MetaConfig;
}

type Env = Record<string, string | undefined>;

function get(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function url(env: Env, name: string, fallback: string | null): string | null {
  const value = get(env, name) ?? fallback;
  if (value === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function ms(env: Env, name: string, fallback: number): number {
  const raw = get(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 120_000) {
    throw new Error(`${name} must be a whole number of milliseconds between 100 and 120000, got "${raw}"`);
  }
  return value;
}

function requireAll(env: Env, names: string[], why: string): Record<string, string> {
  const missing = names.filter((n) => get(env, n) === null);
  if (missing.length > 0) throw new Error(`${why} needs ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, get(env, n) as string]));
}

/**
 * Reads:
 *  NUDGE_PUBLIC_URL, NUDGE_SMS_PROVIDER (log | twilio; default twilio when TWILIO_ACCOUNT_SID is set),
 *  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, TWILIO_BASE_URL, TWILIO_TIMEOUT_MS,
 *  TWILIO_WEBHOOK_SIGNING_KEY (HMAC-SHA256 webhook signatures),
 *  META_APP_SECRET, META_VERIFY_TOKEN, META_ACCESS_TOKEN, META_GRAPH_BASE_URL, META_TIMEOUT_MS,
 *  META_PAGE_ID, META_INSTAGRAM_ID, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN.
 * Throws an Error naming the variable when something is inconsistent.
 */
export function channelsConfigFromEnv(env: Env): ChannelsConfig {
  const publicUrl = url(env, 'NUDGE_PUBLIC_URL', null);
  const providerRaw = get(env, 'NUDGE_SMS_PROVIDER') ?? (get(env, 'TWILIO_ACCOUNT_SID') ? 'twilio' : 'log');
  if (providerRaw !== 'log' && providerRaw !== 'twilio') {
    throw new Error(`NUDGE_SMS_PROVIDER must be "log" or "twilio", got "${providerRaw}"`);
  }
  let sms: ChannelsConfig['sms'] = { provider: 'log' };
  if (providerRaw === 'twilio') {
    const v = requireAll(env, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'], 'the Twilio SMS provider');
    if (!/^\+[1-9]\d{6,14}$/.test(v.TWILIO_FROM) && !/^MG[0-9a-f]{32}$/i.test(v.TWILIO_FROM)) {
      throw new Error(
        `TWILIO_FROM must be an E.164 number (+15550001111) or a Messaging Service SID (MG...), got "${v.TWILIO_FROM}"`,
      );
    }
    sms = {
      provider: 'twilio',
      accountSid: v.TWILIO_ACCOUNT_SID,
      authToken: v.TWILIO_AUTH_TOKEN,
      from: v.TWILIO_FROM,
      baseUrl: url(env, 'TWILIO_BASE_URL', 'https://api.twilio.com') as string,
      timeoutMs: ms(env, 'TWILIO_TIMEOUT_MS', 10_000),
      webhookSigningKey: get(env, 'TWILIO_WEBHOOK_SIGNING_KEY') ?? null,
    };
  }

  const accessToken = get(env, 'META_ACCESS_TOKEN');
  const pageId = get(env, 'META_PAGE_ID');
  const instagramId = get(env, 'META_INSTAGRAM_ID');
  const phoneNumberId = get(env, 'WHATSAPP_PHONE_NUMBER_ID');
  const waToken = get(env, 'WHATSAPP_ACCESS_TOKEN') ?? accessToken;
  if ((pageId || instagramId) && !accessToken) {
    throw new Error('META_PAGE_ID / META_INSTAGRAM_ID need META_ACCESS_TOKEN');
  }
  if (phoneNumberId && !waToken)
    throw new Error('WHATSAPP_PHONE_NUMBER_ID needs WHATSAPP_ACCESS_TOKEN or META_ACCESS_TOKEN');
  const appSecret = get(env, 'META_APP_SECRET');
  const verifyToken = get(env, 'META_VERIFY_TOKEN');
  if ((appSecret === null) !== (verifyToken === null)) {
    throw new Error('Meta webhooks need both META_APP_SECRET and META_VERIFY_TOKEN');
  }
  const meta: MetaConfig = {
    appSecret,
    verifyToken,
    baseUrl: url(env, 'META_GRAPH_BASE_URL', 'https://graph.facebook.com') as string,
    timeoutMs: ms(env, 'META_TIMEOUT_MS', 10_000),
    facebook: pageId && accessToken ? { accessToken, pageId } : null,
    instagram: instagramId && accessToken ? { accessToken, accountId: instagramId } : null,
    whatsapp: phoneNumberId && waToken ? { accessToken: waToken, phoneNumberId } : null,
  };
  return { publicUrl, sms, meta };
}

export interface BuildAdaptersDeps {
  clock: Clock;
  /** Receives the log SMS adapter's lines (tests). */
  log?: (line: string) => void;
  /** The service's logger, for the log SMS adapter's structured lines (src/log.ts). */
  logger?: { info(obj: object, msg: string): void };
  fetch?: FetchLike;
}

/** The outbound adapters for the configured channels (live chat and webhook are wired elsewhere). */
export function buildChannelAdapters(
  config: ChannelsConfig,
  deps: BuildAdaptersDeps,
): Partial<Record<Channel, ChannelAdapter>> {
  const adapters: Partial<Record<Channel, ChannelAdapter>> = {};
  if (config.sms.provider === 'twilio') {
    const publicUrl = config.publicUrl;
    adapters.sms = new TwilioSmsAdapter({
      ...config.sms,
      fetch: deps.fetch,
      clock: deps.clock,
      // Delivery reports only make sense when Twilio can reach us.
      statusCallbackUrl: publicUrl
        ? (botId) => (botId ? `${publicUrl}/webhooks/sms/${encodeURIComponent(botId)}/status` : null)
        : undefined,
    });
  } else {
    adapters.sms = new LogSmsAdapter({ log: deps.log, logger: deps.logger, clock: deps.clock });
  }
  const common = {
    baseUrl: config.meta.baseUrl,
    timeoutMs: config.meta.timeoutMs,
    fetch: deps.fetch,
    clock: deps.clock,
  };
  if (config.meta.facebook) {
    adapters.facebook = new MetaGraphAdapter({
      channel: 'facebook',
      ...common,
      accessToken: config.meta.facebook.accessToken,
      pageId: config.meta.facebook.pageId,
    });
  }
  if (config.meta.instagram) {
    adapters.instagram = new MetaGraphAdapter({
      channel: 'instagram',
      ...common,
      accessToken: config.meta.instagram.accessToken,
      pageId: config.meta.instagram.accountId,
    });
  }
  if (config.meta.whatsapp) {
    adapters.whatsapp = new MetaGraphAdapter({
      channel: 'whatsapp',
      ...common,
      accessToken: config.meta.whatsapp.accessToken,
      phoneNumberId: config.meta.whatsapp.phoneNumberId,
    });
  }
  return adapters;
}

/** The inbound SMS webhook config (same for every bot), or null when inbound SMS is not set up. */
export function smsWebhookConfig(config: ChannelsConfig): SmsWebhookConfig | null {
  if (config.sms.provider !== 'twilio' || !config.publicUrl) return null;
  return {
    authToken: config.sms.authToken,
    signingKey: config.sms.webhookSigningKey ?? null,
    publicUrl: config.publicUrl,
  };
}

/** The inbound Meta webhook config (same for every bot), or null when not set up. */
export function metaWebhookConfig(config: ChannelsConfig): MetaWebhookConfig | null {
  const { appSecret, verifyToken } = config.meta;
  return appSecret && verifyToken ? { appSecret, verifyToken } : null;
}
