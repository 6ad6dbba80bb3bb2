/**
 * A bot as the runtime decides with it: its row, its parsed configuration and the machine
 * policy derived from it. In a module of its own so that readers without a runtime (the
 * console reader thread) load a bot exactly as the runtime does.
 */
import { createHash } from 'node:crypto';
import type { BotConfig } from '../config/botConfig.ts';
import type { BotRow, Store } from '../store/store.ts';
import { RuntimeError } from './errors.ts';
import { policyFromConfig } from './policy.ts';

export interface LoadedBot {
  row: BotRow;
  config: BotConfig;
  policy: ReturnType<typeof policyFromConfig>;
  /** The policy as logged once in `policies`, its id there, and whether a commit stored it. */
  policyJson: string;
  policyId: string;
  policyStored: boolean;
}

/** The id a policy is logged under: a hash of its JSON (equal policies share one row). */
function policyIdOf(policyJson: string): string {
  return createHash('sha256').update(policyJson).digest('hex').slice(0, 32);
}

/** Reads the bot's row and derives its policy; a missing bot is a `not_found` RuntimeError. */
export function loadBot(store: Pick<Store, 'getBot'>, botId: string): LoadedBot {
  const row = store.getBot(botId);
  if (!row) throw new RuntimeError('not_found', `bot ${botId} not found`);
  const config = JSON.parse(row.config) as BotConfig;
  const policy = policyFromConfig(config);
  const policyJson = JSON.stringify(policy);
  return { row, config, policy, policyJson, policyId: policyIdOf(policyJson), policyStored: false };
}
