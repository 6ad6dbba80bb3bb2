/**
 * Which partition a contact belongs to. The hash must never change: a contact's partition
 * is stored with its rows, and every node must compute the same one for the same id, on
 * any platform and version, so it is FNV-1a over the id's UTF-8 bytes (not a runtime's
 * string hash, not PostgreSQL's hashtext, whose output is not promised across versions).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, unsigned. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The partition (0 … partitions - 1) of a contact. */
export function partitionOf(contactId: string, partitions: number): number {
  return fnv1a32(contactId) % partitions;
}
