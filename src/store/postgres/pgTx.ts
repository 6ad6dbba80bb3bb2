/**
 * The statements of write programs on PostgreSQL (src/store/port.ts, "the async boundary"):
 * each step yields its statement's promise on the batch's client and is resumed with the
 * result by `runAsync`, so the runtime's write programs run unchanged on either store.
 */
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
} from '../port.ts';
import type { PgStore } from './pgStore.ts';

/** One statement as a step: yield its promise, return what it resolved to. */
function* awaited<T>(statement: Promise<T>): Step<T> {
  return (yield statement) as T;
}

export class PgTx implements StoreTx {
  /** `store` runs on the client holding the transaction (`PgStore.on(client)`). */
  constructor(private readonly store: PgStore) {}

  getContact(id: string): Step<ContactRow | undefined> {
    return awaited(this.store.getContact(id));
  }
  getFollowUp(id: string): Step<FollowUpRow | undefined> {
    return awaited(this.store.getFollowUp(id));
  }
  insertMessage(draft: NewMessage): Step<MessageRow> {
    return awaited(this.store.insertMessage(draft));
  }
  insertFollowUp(row: NewFollowUp): Step<boolean> {
    return awaited(this.store.insertFollowUp(row));
  }
  cancelPendingFollowUps(contactId: string, reason: string, actor: string | null, at: number): Step<number> {
    return awaited(this.store.cancelPendingFollowUps(contactId, reason, actor, at));
  }
  cancelFollowUp(id: string, reason: string, actor: string | null, at: number): Step<boolean> {
    return awaited(this.store.cancelFollowUp(id, reason, actor, at));
  }
  finishFollowUp(
    id: string,
    status: Exclude<FollowUpStatus, 'pending'>,
    reason: string | null,
    at: number,
    channel?: { channel: string; reason: string },
  ): Step<boolean> {
    return awaited(this.store.finishFollowUp(id, status, reason, at, channel));
  }
  retimeFollowUp(
    id: string,
    dueAt: number,
    deferReason: string | null,
    actor: string | null,
    at: number,
  ): Step<boolean> {
    return awaited(this.store.retimeFollowUp(id, dueAt, deferReason, actor, at));
  }
  insertOutbox(row: NewOutboxRow): Step<boolean> {
    return awaited(this.store.insertOutbox(row));
  }
  saveMachineState(
    id: string,
    state: string,
    epoch: number,
    snapshot: unknown,
    at: number,
    storedState?: string,
    readEpoch?: number,
  ): Step<boolean> {
    return awaited(this.store.saveMachineState(id, state, epoch, snapshot, at, storedState, readEpoch));
  }
  updateContactFields(id: string, fields: ContactFields, at: number): Step<void> {
    return awaited(this.store.updateContactFields(id, fields, at));
  }
  setLastChannel(id: string, channel: string): Step<void> {
    return awaited(this.store.setLastChannel(id, channel));
  }
  setTags(id: string, tags: string[], at: number): Step<void> {
    return awaited(this.store.setTags(id, tags, at));
  }
  setAssignedUser(id: string, userId: string, at: number): Step<void> {
    return awaited(this.store.setAssignedUser(id, userId, at));
  }
  setLastTemplate(id: string, templateId: string | null): Step<void> {
    return awaited(this.store.setLastTemplate(id, templateId));
  }
  setLanguage(id: string, language: string): Step<void> {
    return awaited(this.store.setLanguage(id, language));
  }
  setReview(id: string, review: { at: number; json: string } | null): Step<void> {
    return awaited(this.store.setReview(id, review));
  }
  appendTransition(row: NewTransition, policy: { id: string; json: string } | null): Step<number> {
    return awaited(this.store.appendTransition(row, policy));
  }
}
