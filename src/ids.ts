import { randomBytes, randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// Random bytes for ids come from a pooled buffer refilled 4 KiB at a time: asking the
// kernel for 16 bytes per id cost ~5.5 µs an id, the pool ~0.3 µs (docs/benchmarks.md R4).
const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolNext = POOL_IDS;

function nextRandom(): Uint8Array {
  if (poolNext === POOL_IDS) {
    randomFillSync(pool);
    poolNext = 0;
  }
  const start = 16 * poolNext++;
  return pool.subarray(start, start + 16);
}

// uuid's own monotonic counter is used only when no options are given, so it is kept here
// (same rule as uuid's updateV7State): ids made within one millisecond stay ordered.
let lastMsecs = -Infinity;
let seq = 0;

/** Time-ordered ids (UUIDv7): primary keys stay append-mostly in SQLite's b-trees. */
export function newId(prefix: string): string {
  const random = nextRandom();
  const now = Date.now();
  if (now > lastMsecs) {
    seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    lastMsecs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMsecs++;
  }
  return `${prefix}_${uuidv7({ random, msecs: lastMsecs, seq }).replaceAll('-', '')}`;
}

/** Unguessable public tokens (widget keys, operator tokens). */
export function newSecret(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
