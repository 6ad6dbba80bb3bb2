/**
 * mulberry32: a tiny seeded pseudo-random generator (32-bit state, uniform in [0, 1)). Used
 * wherever a run must be repeatable from its seed: the trainer's shuffles, the corpus
 * builder, the benchmarks' traffic and the fault tests' victims and moments. Not for secrets.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
