/**
 * The statements of write programs on SQLite: each step runs its prepared statement at once
 * and completes without yielding, so the group committer runs a whole program synchronously
 * inside its better-sqlite3 transaction (src/store/port.ts, "the async boundary").
 */
/* eslint-disable require-yield -- a synchronous store's steps complete without yielding */
import type {
  ContactFields,
  ContactRow,
  FollowUpRow,
  FollowUpStatus,
  MessageRow,
  NewFollowUp,
  NewMessage,
  NewOutboxRow,
  NewTransition,
  Step,
  StoreTx,
} from './port.ts';
import type { Store } from './store.ts';

export class SqliteTx implements StoreTx {
  constructor(private readonly store: Store) {}

  *getContact(id: string): Step<ContactRow | undefined> {
    return this.store.getContact(id);
  }
  *getFollowUp(id: string): Step<FollowUpRow | undefined> {
    return this.store.getFollowUp(id);
  }
  *insertMessage(draft: NewMessage): Step<MessageRow> {
    return this.store.insertMessage(draft);
  }
  *insertFollowUp(row: NewFollowUp): Step<boolean> {
    return this.store.insertFollowUp(row);
  }
  *cancelPendingFollowUps(contactId: string, reason: string, actor: string | null, at: number): Step<number> {
    return this.store.cancelPendingFollowUps(contactId, reason, actor, at);
  }
  *cancelFollowUp(id: string, reason: string, actor: string | null, at: number): Step<boolean> {
    return this.store.cancelFollowUp(id, reason, actor, at);
  }
  *finishFollowUp(
    id: string,
    status: Exclude<FollowUpStatus, 'pending'>,
    reason: string | null,
    at: number,
    channel?: { channel: string; reason: string },
  ): Step<boolean> {
    return this.store.finishFollowUp(id, status, reason, at, channel);
  }
  *retimeFollowUp(
    id: string,
    dueAt: number,
    deferReason: string | null,
    actor: string | null,
    at: number,
  ): Step<boolean> {
    return this.store.retimeFollowUp(id, dueAt, deferReason, actor, at);
  }
  *insertOutbox(row: NewOutboxRow): Step<boolean> {
    return this.store.insertOutbox(row);
  }
  *saveMachineState(
    id: string,
    state: string,
    epoch: number,
    snapshot: unknown,
    at: number,
    storedState?: string,
    readEpoch?: number,
  ): Step<boolean> {
    return this.store.saveMachineState(id, state, epoch, snapshot, at, storedState, readEpoch);
  }
  *updateContactFields(id: string, fields: ContactFields, at: number): Step<void> {
    this.store.updateContactFields(id, fields, at);
  }
  *setLastChannel(id: string, channel: string): Step<void> {
    this.store.setLastChannel(id, channel);
  }
  *setTags(id: string, tags: string[], at: number): Step<void> {
    this.store.setTags(id, tags, at);
  }
  *setAssignedUser(id: string, userId: string, at: number): Step<void> {
    this.store.setAssignedUser(id, userId, at);
  }
  *setLastTemplate(id: string, templateId: string | null): Step<void> {
    this.store.setLastTemplate(id, templateId);
  }
  *setLanguage(id: string, language: string): Step<void> {
    this.store.setLanguage(id, language);
  }
  *setReview(id: string, review: { at: number; json: string } | null): Step<void> {
    this.store.setReview(id, review);
  }
  *appendTransition(row: NewTransition, policy: { id: string; json: string } | null): Step<number> {
    return this.store.appendTransition(row, policy);
  }
}
