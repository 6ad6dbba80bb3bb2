/**
 * Undo for actions an operator can regret (cancel a follow-up, stop all follow-ups, mark
 * booked): the action is shown as done at once, but sent to the server only when its toast
 * closes, a few seconds later. "Undo" in the toast drops it unsent, so nothing has to be
 * reversed on the server. Leaving the page or logging out sends whatever is still waiting.
 */
import { h } from './dom.ts';

export const UNDO_MS = 6000;

interface Waiting {
  commit(): void;
}

export interface UndoOffer {
  /** The toast's text, e.g. "Follow-up cancelled". */
  message: string;
  /** Sends the action; its failure is the caller's to show. */
  commit(): Promise<void>;
  /** Puts the screen back as it was (the action was never sent). */
  restore(): void;
}

export class UndoQueue {
  private readonly waiting = new Set<Waiting>();

  constructor(private readonly toasts: HTMLElement) {
    addEventListener('pagehide', () => this.flush());
  }

  /** Shows the toast with its Undo button; the action is sent when the toast closes. */
  offer(offer: UndoOffer, ms = UNDO_MS): void {
    let done = false;
    const toast = h(
      'div',
      { className: 'toast undo', role: 'status', testid: 'undo-toast' },
      h('span', {}, offer.message),
      ' ',
    );
    const entry: Waiting = {
      commit: () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiting.delete(entry);
        toast.remove();
        void offer.commit();
      },
    };
    const undo = h(
      'button',
      {
        type: 'button',
        className: 'ghost small undo-button',
        testid: 'undo',
        onclick: () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.waiting.delete(entry);
          toast.remove();
          offer.restore();
        },
      },
      'Undo',
    );
    toast.appendChild(undo);
    this.toasts.appendChild(toast);
    const timer = setTimeout(() => entry.commit(), ms);
    this.waiting.add(entry);
  }

  /** Sends every waiting action now (leaving the page, logging out). */
  flush(): void {
    for (const entry of [...this.waiting]) entry.commit();
  }
}
