/**
 * Per-bot HMAC secrets: `calendar` verifies the calendar booking webhook, `webhook` signs
 * the outgoing webhooks of the `notifyUser` workflow action. They are created on first
 * use, so a bot always has one when a webhook needs it, and can be rotated. An HMAC key
 * has to be readable to sign or verify, so unlike operator tokens it is stored as is
 * (src/store/botSecrets.ts).
 */
import type { DB } from '../store/db.ts';
import { botSecretRecords } from '../store/botSecrets.ts';
import { newSecret } from '../ids.ts';

export const SECRET_KINDS = ['calendar', 'webhook'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

const PREFIX: Record<SecretKind, string> = { calendar: 'ncal', webhook: 'nwh' };

export function getBotSecret(db: DB, botId: string, kind: SecretKind): string | null {
  return botSecretRecords(db).get(botId, kind)?.secret ?? null;
}

/** The bot's secret of that kind, created now if it has none yet (the bot must exist). */
export function ensureBotSecret(db: DB, botId: string, kind: SecretKind, now: number): string {
  const existing = getBotSecret(db, botId, kind);
  if (existing) return existing;
  botSecretRecords(db).createIfMissing(botId, kind, newSecret(PREFIX[kind], 32), now);
  return getBotSecret(db, botId, kind)!;
}

export function rotateBotSecret(db: DB, botId: string, kind: SecretKind, now: number): string {
  const secret = newSecret(PREFIX[kind], 32);
  botSecretRecords(db).replace(botId, kind, secret, now);
  return secret;
}

export function botSecretCreatedAt(db: DB, botId: string, kind: SecretKind): number | null {
  return botSecretRecords(db).get(botId, kind)?.created_at ?? null;
}

/**
 * For the outbox's webhook adapter (`new WebhookAdapter({ secretFor: webhookSecretFor(db, clock) })`):
 * the signing secret of the row's bot, created on first use; null for a row without a
 * bot or a bot that no longer exists.
 */
export function webhookSecretFor(db: DB, now: () => number = Date.now): (botId: string | undefined) => string | null {
  const records = botSecretRecords(db);
  return (botId) => {
    if (!botId || !records.botExists(botId)) return null;
    return ensureBotSecret(db, botId, 'webhook', now());
  };
}
