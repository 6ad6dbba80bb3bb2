/**
 * What retention deleted of one contact's history (`contact_pruning`, src/store/retention.ts),
 * as the store, the console and the visualizer read it. Kept apart from the pruner so the
 * store, loaded first at start-up, imports nothing more.
 */
/** What was deleted of one contact's history (a `contact_pruning` row). */
export interface PrunedHistory {
  messagesBefore: number | null;
  followUpsBefore: number | null;
  transitionsThrough: number | null;
  transitionsAt: number | null;
  /** The persisted machine snapshot after entry `transitionsThrough`. */
  transitionsSnapshot: unknown | null;
  prunedAt: number;
}

export interface ContactPruningRow {
  contact_id: string;
  messages_before: number | null;
  followups_before: number | null;
  transitions_through: number | null;
  transitions_at: number | null;
  transitions_snapshot: string | null;
  pruned_at: number;
}

/** The API's view of a `contact_pruning` row. */
export function prunedHistory(row: ContactPruningRow): PrunedHistory {
  let snapshot: unknown = null;
  try {
    snapshot = row.transitions_snapshot === null ? null : JSON.parse(row.transitions_snapshot);
  } catch {
    snapshot = null;
  }
  return {
    messagesBefore: row.messages_before,
    followUpsBefore: row.followups_before,
    transitionsThrough: row.transitions_through,
    transitionsAt: row.transitions_at,
    transitionsSnapshot: snapshot,
    prunedAt: row.pruned_at,
  };
}
