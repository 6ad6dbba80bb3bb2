/** The channel layer's public surface, for the runtime and the server to wire in. */
export * from './types.ts';
export {
  OutboxDispatcher,
  backoffDelay,
  type OutboxRow,
  type OutboxStatus,
  type OutboxDispatcherOptions,
  type OutboxDispatcherDeps,
} from './dispatcher.ts';
export {
  LogSmsAdapter,
  TwilioSmsAdapter,
  TWILIO_PERMANENT_CODES,
  type LoggedSms,
  type TwilioSmsAdapterOptions,
} from './sms.ts';
export {
  MetaGraphAdapter,
  MetaPayloadError,
  parseMetaWebhook,
  parseMetaWebhookEvents,
  verifyMetaHandshake,
  type MetaInboundMessage,
  type MetaStatusUpdate,
  type MetaWebhookEvents,
} from './meta.ts';
export { WebhookAdapter } from './webhookOut.ts';
export * from './signatures.ts';
export { smsKeyword, keywordReply, SMS_KEYWORDS, type SmsKeyword } from './smsKeywords.ts';
export * from './switching.ts';
export * from './webhooks.ts';
export * from './config.ts';
