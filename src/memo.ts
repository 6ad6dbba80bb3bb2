import { LruCache } from './runtime/lru.ts';

/**
 * A pure one-argument function with its last `capacity` results remembered (least
 * recently used first out). Only for functions whose result depends on the argument alone
 * (a zone's UTC offset at an instant, what a phone number says): such a memo can never go
 * stale. `undefined` results are not remembered.
 */
export function memoized<K, V>(fn: (key: K) => V, capacity: number): (key: K) => V {
  const cache = new LruCache<K, V>(capacity);
  return (key: K): V => {
    let value = cache.get(key);
    if (value === undefined) {
      value = fn(key);
      cache.set(key, value);
    }
    return value;
  };
}
