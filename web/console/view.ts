/** What every screen of the console gets, and what it gives back to the shell. */
import type { Me } from './api.ts';
import type { LiveEvent } from './live.ts';
import type { UndoOffer } from './undo.ts';

export interface Ctx {
  me: Me;
  botId: string;
  navigate(hash: string): void;
  toast(message: string, kind?: 'ok' | 'error'): void;
  /** An action shown as done now and sent when its undo toast closes (undo.ts). */
  undoable(offer: UndoOffer): void;
  /** Re-read the unread-notification count (after marking read). */
  refreshBadge(): void;
  /** Switch to a bot (adding it to the picker when it is new) and show `hash`. */
  openBot(bot: { id: string; name: string }, hash: string): void;
}

export interface View {
  el: HTMLElement;
  /** A live event for a contact in scope. */
  onLive?(event: LiveEvent): void;
  /** The route changed within the same view (e.g. another contact opened). */
  onRoute?(parts: string[]): void;
  /** True while leaving would lose the operator's edits (the shell asks first). */
  unsavedChanges?(): boolean;
  dispose?(): void;
}
