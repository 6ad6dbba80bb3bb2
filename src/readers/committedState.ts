/**
 * What the console's reads need from the service: the store, and bots, contacts and
 * machine snapshots by id. On the event loop that is the live runtime (`NudgeServices`);
 * on the console reader thread it is `CommittedState` over the thread's own read-only
 * connection, which answers from what was last committed — the same rows the runtime wrote,
 * since every transition commits its snapshot in the contact's row.
 */
import type { ContactContext, ContactStateName } from '../../machines/contact.ts';
import { RuntimeError } from '../runtime/errors.ts';
import { loadBot, type LoadedBot } from '../runtime/loadedBot.ts';
import type { ContactRuntime } from '../runtime/runtime.ts';
import type { ContactRow, Store } from '../store/store.ts';

export type ContactReads = Pick<ContactRuntime, 'bot' | 'contact' | 'snapshotOf'>;

export interface ReadServices {
  store: Store;
  runtime: ContactReads;
}

export class CommittedState implements ContactReads {
  constructor(private readonly store: Store) {}

  bot(botId: string): LoadedBot {
    return loadBot(this.store, botId);
  }

  contact(contactId: string): ContactRow {
    const row = this.store.getContact(contactId);
    if (!row) throw new RuntimeError('not_found', `contact ${contactId} not found`);
    return row;
  }

  snapshotOf(contactId: string): { value: ContactStateName; context: ContactContext } {
    const stored = this.store.getSnapshot(contactId) as
      { value: ContactStateName; context: ContactContext } | undefined;
    if (!stored) throw new RuntimeError('not_found', `contact ${contactId} has no stored state`);
    return { value: stored.value, context: stored.context };
  }
}
