/** JSON shapes the API returns, built from rows (no row leaks out raw). */
import { inZone } from '../time/zonedLabel.ts';
import type { ContactRow, FollowUpRow, MessageRow, Store, TransitionRow } from '../store/store.ts';
import { smsConsentStore, smsConsentView } from '../store/smsConsent.ts';
import type { ReadServices } from '../readers/committedState.ts';
import type { PendingReview } from '../../machines/contact.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function messageView(m: MessageRow) {
  return {
    id: m.id,
    seq: m.seq,
    from: m.sender,
    channel: m.channel,
    text: m.text,
    at: iso(m.at),
    clientId: m.client_id,
    classification: parseJson(m.classification),
    followUpId: m.followup_id,
    meta: parseJson(m.meta),
  };
}

export function contactSummary(c: ContactRow) {
  return {
    id: c.id,
    botId: c.bot_id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    timezone: c.timezone,
    state: c.state,
    epoch: c.epoch,
    lastChannel: c.last_channel,
    tags: JSON.parse(c.tags) as string[],
    assignedUser: c.assigned_user,
    language: c.language,
    needsReview: c.review_at !== null,
    review: reviewView(c.review),
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

/**
 * What makes a contact recognisable when it left no name: its number ("Visitor 12") and
 * the place its zone names ("Lisbon" for Europe/Lisbon; none for UTC or Etc/…).
 */
export function contactLabel(timezone: string | null, visitorNumber: number | null) {
  const city =
    timezone && timezone.includes('/') && !timezone.startsWith('Etc/')
      ? timezone.split('/').pop()!.replace(/_/g, ' ')
      : null;
  return { visitorNumber, place: city };
}

/** A contact's pending review (a doubtful message held for an operator), or null. */
export function reviewView(json: string | null) {
  if (json === null) return null;
  const r = JSON.parse(json) as PendingReview;
  return {
    messageId: r.messageId,
    at: iso(r.at),
    intent: r.intent,
    confidence: r.confidence,
    readings: r.readings,
    refusalCue: r.refusalCue,
    requestedAt: iso(r.requestedAt),
  };
}

export function followUpView(f: FollowUpRow, store: Store, zones: { business: string; contact: string | null }) {
  const trigger = f.trigger_message_id ? store.getMessage(f.trigger_message_id) : undefined;
  return {
    id: f.id,
    kind: f.kind,
    scenario: f.scenario,
    step: f.step,
    epoch: f.epoch,
    status: f.status,
    reason: f.reason,
    actor: f.actor,
    dueAt: iso(f.due_at),
    rawDueAt: iso(f.raw_due_at),
    deferReason: f.defer_reason,
    dueInBusinessZone: inZone(f.due_at, zones.business),
    dueInContactZone: zones.contact ? inZone(f.due_at, zones.contact) : null,
    channel: f.channel,
    channelReason: f.channel_reason,
    messageMode: f.message_mode,
    sentAt: iso(f.sent_at),
    createdAt: iso(f.created_at),
    updatedAt: iso(f.updated_at),
    trigger: trigger
      ? {
          messageId: trigger.id,
          from: trigger.sender,
          text: trigger.text,
          at: iso(trigger.at),
          classification: parseJson(trigger.classification),
        }
      : null,
  };
}

export function transitionView(t: TransitionRow) {
  return {
    seq: t.seq,
    at: iso(t.at),
    event: JSON.parse(t.event) as Record<string, unknown>,
    from: t.from_state,
    to: t.to_state,
    actions: JSON.parse(t.actions) as unknown[],
  };
}

/** Where a contact's follow-up times are labelled: its bot's zone and its own. */
export function followUpZones(
  services: ReadServices,
  contact: ContactRow,
): { business: string; contact: string | null } {
  return { business: services.runtime.bot(contact.bot_id).config.timezone, contact: contact.timezone };
}

/** One contact's summary, machine state, context and log size: what its detail and its Response Info panel share. */
export function contactHead(services: ReadServices, contact: ContactRow) {
  const snapshot = services.runtime.snapshotOf(contact.id);
  return {
    contact: {
      ...contactSummary(contact),
      ...contactLabel(contact.timezone, services.store.visitorNumber(contact.id)),
    },
    state: snapshot.value,
    context: {
      epoch: snapshot.context.epoch,
      humanActive: snapshot.context.humanActive,
      bookingLinkSent: snapshot.context.bookingLinkSent,
      cadenceComplete: snapshot.context.cadenceComplete,
      requested: snapshot.context.requested
        ? { ...snapshot.context.requested, at: new Date(snapshot.context.requested.at).toISOString() }
        : null,
      timer: snapshot.context.timer
        ? { ...snapshot.context.timer, dueAt: new Date(snapshot.context.timer.dueAt).toISOString() }
        : null,
    },
    /** Consent to SMS of a number typed into the widget (src/delivery/smsConsent.ts); null when never asked. */
    smsConsent: smsConsentView(smsConsentStore(services.store.db).get(contact.id), contact.phone),
    transitions: services.store.lastTransitionSeq(contact.id),
  };
}

/**
 * The past follow-ups a contact's detail carries: the latest ones. They grow with its
 * history (3,299 for a contact of 6,600 transitions: 68–114 ms on the event loop and 2.2 MB
 * per answer when all were listed); the rest are a page away (GET /api/contacts/:id/followups).
 */
export const PAST_FOLLOWUPS_IN_DETAIL = 50;

/** One contact's head (above) with its follow-ups: pending, and the latest past ones with their total, each with its trigger. */
export function contactDetail(services: ReadServices, contactId: string) {
  const { store } = services;
  const contact = services.runtime.contact(contactId);
  const { transitions, ...head } = contactHead(services, contact);
  const zones = followUpZones(services, contact);
  const view = (f: FollowUpRow) => followUpView(f, store, zones);
  const past = store.latestPastFollowUpsOfContact(contactId, PAST_FOLLOWUPS_IN_DETAIL);
  return {
    ...head,
    pendingFollowUps: store.pendingFollowUpsOfContact(contactId).map(view),
    pastFollowUps: past.rows.map(view),
    pastFollowUpsTotal: past.total,
    transitions,
  };
}
