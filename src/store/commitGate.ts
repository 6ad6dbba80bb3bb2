/**
 * The committer's port to whatever keeps the WAL bounded under continuous writes (the
 * background checkpointer, src/store/checkpointer.ts): told after every commit, and asked
 * before every batch whether the batch must wait for a checkpoint to catch up first.
 */
export interface CommitGate {
  /** A batch has committed. */
  committed(): void;
  /** A promise to await before the next batch commits, or null: commit now. */
  roomToCommit(): Promise<void> | null;
}
