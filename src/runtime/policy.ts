import type { Policy } from '../../machines/contact.ts';
import { durationToMs, type BotConfig } from '../config/botConfig.ts';

/** The slice of a bot's configuration that the contact machine decides with. */
export function policyFromConfig(config: BotConfig): Policy {
  const scenario = (s: BotConfig['scenarios']['busy']) => ({
    enabled: s.enabled,
    delaysMs: s.cadence.map((step) => durationToMs(step.delay)),
  });
  return {
    active: config.active,
    capPer24h: config.followUpCapPer24h,
    botReplyTimeoutMs: durationToMs(config.botReplyTimeout),
    uncertainThreshold: config.uncertainThreshold,
    onDoubt: config.onDoubt,
    scenarios: {
      stoppedReplying: scenario(config.scenarios.stoppedReplying),
      busy: scenario(config.scenarios.busy),
      requestedTime: scenario(config.scenarios.requestedTime),
    },
  };
}
