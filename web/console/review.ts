/**
 * Doubt in the console: the "needs review" marker of a contact row, and the contact panel's
 * card showing the held message with the classifier's top two readings as buttons. One click
 * decides (POST /api/contacts/:id/review); "request a time" asks for the instant, prefilled
 * with the time the classifier resolved, if any.
 */
import { INTENTS, type Intent } from '../../machines/vocabulary.ts';
import { ApiError, call } from './api.ts';
import type { components } from './apiTypes.ts';
import { h } from './dom.ts';
import { fromZonedInput, operatorMessage, shortTime, toZonedInput } from './format.ts';
import type { Ctx } from './view.ts';

/** A contact's pending review as the API gives it. */
export type Review = components['schemas']['Review'];

/** What each decision does, in the operator's words. */
const DECISION_LABELS: Record<Intent, string> = {
  not_interested: 'Not interested (stop)',
  booked: 'Booked',
  request_time: 'Asked for a time',
  busy: 'Busy (later)',
  engaged: 'Engaged (carry on)',
};

/** The state filter's value for "held for review" (not a state: a flag on any of them). */
export const NEEDS_REVIEW = 'needs-review';

/** The list row's marker, or null when nothing waits for review. */
export function reviewMarker(contact: { needsReview?: boolean }): HTMLElement | null {
  return contact.needsReview
    ? h(
        'span',
        {
          className: 'chip review-chip',
          testid: 'review-marker',
          title: 'A message waits for your decision; no follow-up goes out meanwhile',
        },
        'Needs review',
      )
    : null;
}

/**
 * The panel's card for a held message, or null when none is pending. `text` is the message
 * (null when it is not in the loaded conversation); `zone` is the one times are typed in.
 */
export function reviewCard(
  ctx: Ctx,
  input: {
    contactId: string;
    review: Review | null | undefined;
    text: string | null;
    zone: string;
    onDecided: () => void;
  },
): HTMLElement | null {
  const { review } = input;
  if (!review) return null;
  const error = h('p', { className: 'error', testid: 'review-error', hidden: true });
  const time = h('input', {
    type: 'datetime-local',
    testid: 'review-time',
    'aria-label': `Requested time (${input.zone})`,
    value: review.requestedAt ? toZonedInput(review.requestedAt, input.zone) : '',
  });
  const timeRow = h(
    'div',
    { className: 'row', testid: 'review-time-row', hidden: true },
    h('label', {}, `When (${input.zone}) `, time),
    h('button', { type: 'button', testid: 'review-time-confirm', onclick: () => void decideTime() }, 'Schedule'),
  );
  let busy = false;

  async function decide(intent: Intent, requestedAt?: number): Promise<void> {
    if (busy) return;
    busy = true;
    error.hidden = true;
    try {
      await call('POST', `/api/contacts/${encodeURIComponent(input.contactId)}/review`, {
        messageId: review!.messageId,
        intent,
        ...(requestedAt !== undefined ? { requestedAt: new Date(requestedAt).toISOString() } : {}),
      });
      ctx.toast(`Decided: ${DECISION_LABELS[intent]}`);
    } catch (failure) {
      // Someone else decided first, or a newer message replaced this one: show the fresh state.
      const stale = failure instanceof ApiError && failure.status === 409;
      ctx.toast(stale ? `Not applied: ${failure.message}` : operatorMessage(failure), 'error');
      if (!stale) {
        error.hidden = false;
        error.textContent = operatorMessage(failure);
      }
    } finally {
      busy = false;
      input.onDecided();
    }
  }

  async function decideTime(): Promise<void> {
    const at = fromZonedInput(time.value, input.zone);
    if (at === null) {
      error.hidden = false;
      error.textContent = 'Choose the date and time the contact asked for.';
      time.focus();
      return;
    }
    await decide('request_time', at);
  }

  const choose = (intent: Intent) => {
    if (intent !== 'request_time') return void decide(intent);
    timeRow.hidden = false;
    time.focus();
  };
  const percent = (p: number) => `${Math.round(p * 100)} %`;
  const readings = review.readings.length
    ? review.readings
    : [{ intent: review.intent, confidence: review.confidence ?? 1 }];
  const others = INTENTS.filter((intent) => !readings.some((r) => r.intent === intent));
  const other = h(
    'select',
    {
      testid: 'review-other',
      'aria-label': 'Another intent',
      onchange: () => other.value && choose(other.value as Intent),
    },
    h('option', { value: '' }, 'Something else…'),
    others.map((intent) => h('option', { value: intent }, DECISION_LABELS[intent])),
  );

  return h(
    'section',
    { className: 'card review-card', testid: 'review-card', 'data-message-id': review.messageId },
    h('h3', {}, 'Needs review'),
    h(
      'p',
      { className: 'muted' },
      `Not sure what the contact meant${review.refusalCue ? ' (it may be a refusal)' : ''}. No follow-up goes out until you decide. ${shortTime(review.at)}`,
    ),
    h(
      'blockquote',
      { className: 'review-text', testid: 'review-text' },
      input.text ?? '(message not in the recent conversation)',
    ),
    h(
      'div',
      { className: 'row review-readings' },
      readings.map((r) =>
        h(
          'button',
          { type: 'button', testid: `review-choose-${r.intent}`, onclick: () => choose(r.intent) },
          `${DECISION_LABELS[r.intent]} · ${percent(r.confidence)}`,
        ),
      ),
      other,
    ),
    timeRow,
    error,
  );
}
