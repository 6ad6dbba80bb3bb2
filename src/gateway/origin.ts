/**
 * Origin rules for widget connections. Browsers always send `Origin` on a WebSocket
 * handshake, so a page can only open the widget of a bot that lists that page's origin.
 * `*` in the list allows any origin (including none, for non-browser clients).
 */

/** `https://Shop.Example:443/` → `https://shop.example`; null for anything that is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  if (value === '*' || value === 'null') return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (origin === undefined) return false;
  const normalized = normalizeOrigin(origin);
  if (normalized === null) return false;
  return allowed.some((entry) => normalizeOrigin(entry) === normalized);
}
