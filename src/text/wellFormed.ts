/**
 * Text must be well-formed Unicode before it is stored. JSON's `\ud800` escape yields a
 * lone UTF-16 surrogate, which has no UTF-8 form: SQLite stored it as invalid bytes and it
 * read back mangled, after the sender had been told it was saved. Such input is refused
 * with the path of the offending string (keys included); nothing is replaced silently.
 */

/** A lone high surrogate, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where in a parsed JSON value a string holds an unpaired surrogate (`$.text`), or null. */
export function unpairedSurrogateAt(value: unknown, path = '$', depth = 0): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  // Bodies are bounded in size and nesting by their parsers; the depth bound is a backstop.
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unpairedSurrogateAt(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return `${path} (a key)`;
    const found = unpairedSurrogateAt(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The refusal's wording, shared by the API and the widget protocol. */
export function unpairedSurrogateMessage(path: string): string {
  return `${path} contains an unpaired UTF-16 surrogate (a lone \\ud800-\\udfff escape); send well-formed Unicode`;
}
