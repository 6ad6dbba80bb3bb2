/**
 * Deep merge for configuration patches: plain objects merge key by key, everything else
 * (arrays, strings, numbers, null) replaces. Some values are replaced whole even though
 * they are objects, because merging them field by field would produce nonsense:
 *  - a message spec ({mode:'ai'} over {mode:'custom', text} must not keep the old text),
 *  - durations ({value, unit}),
 *  - the working-hours table (a day missing from the new table means "closed", not "unchanged").
 */
const REPLACED_WHOLE = new Set(['message', 'delay', 'botReplyTimeout', 'missedGrace', 'workingHours']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function mergeConfig(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) define(out, key, base[key]);
  for (const key of Object.keys(patch)) {
    const value = REPLACED_WHOLE.has(key)
      ? patch[key]
      : mergeConfig(Object.hasOwn(base, key) ? base[key] : undefined, patch[key]);
    if (value !== undefined) define(out, key, value);
  }
  return out;
}

// defineProperty, not assignment: a JSON key "__proto__" must stay an ordinary (and then
// rejected-as-unknown) field instead of swapping the object's prototype.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
