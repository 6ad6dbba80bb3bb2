/**
 * One log line per follow-up decision, with the follow-up's id: sent (its message is in
 * the outbox), refused (the re-check at send time said no, with the reason) or deferred
 * (working hours, quiet hours or a missed-while-down slot moved it, with the new instant).
 * Read from the runtime's post-commit events, so a line never names a rolled-back decision.
 */
import type { ContactEffect } from '../../machines/contact.ts';
import type { Logger } from '../log.ts';
import type { FollowUpRow, Store } from '../store/store.ts';
import type { ContactRuntime } from './runtime.ts';

interface TransitionInfo {
  effects: ContactEffect[];
}

/** Subscribes the logger to the runtime; returns the unsubscribe function. */
export function logFollowUpOutcomes(runtime: ContactRuntime, store: Store, log: Logger): () => void {
  const onTransition = (contactId: string, info: TransitionInfo) => {
    for (const effect of info.effects) {
      if (effect.type === 'skipFollowUp') {
        log.info(
          { followUpId: effect.params.followUpId, contactId, outcome: 'refused', reason: effect.params.reason },
          'follow-up refused',
        );
      } else if (effect.type === 'sendFollowUp') {
        const row = store.getFollowUp(effect.params.followUpId);
        if (row?.status === 'sent') {
          log.info(
            {
              followUpId: row.id,
              contactId,
              botId: row.bot_id,
              outcome: 'sent',
              scenario: row.scenario,
              step: row.step,
              channel: row.channel,
            },
            'follow-up sent',
          );
        } else {
          log.info(
            {
              followUpId: effect.params.followUpId,
              contactId,
              outcome: 'refused',
              reason: row?.reason ?? row?.status ?? 'gone',
            },
            'follow-up refused',
          );
        }
      }
    }
  };
  const onDeferred = (row: FollowUpRow, until: number, reason: string) => {
    log.info(
      {
        followUpId: row.id,
        contactId: row.contact_id,
        outcome: 'deferred',
        until: new Date(until).toISOString(),
        reason,
      },
      'follow-up deferred',
    );
  };
  runtime.events.on('transition', onTransition);
  runtime.events.on('deferred', onDeferred);
  return () => {
    runtime.events.off('transition', onTransition);
    runtime.events.off('deferred', onDeferred);
  };
}
