/**
 * Link policy for generated text: a model may not invent links. The only URL allowed in a
 * composed or generated message is the bot's own booking URL; every other URL (or bare
 * domain) is removed and the sentence around it tidied.
 */

const URL_RE =
  /\b(?:https?:\/\/|www\.)[^\s<>"'`)\]]+|(?:[\w.+-]+@)?\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|net|org|io|co|us|uk|ca|de|fr|es|pt|br|mx|au|nz|in|app|info|biz|me|ly|link|site|online|store|shop|xyz|page|ai|dev|health|clinic|salon|realty|homes)(?![a-z0-9-])(?:\/[^\s<>"'`)\]]*)?/gi;

/** Canonical form for comparing URLs: no scheme, no "www.", lower-case host, no trailing slash. */
export function canonicalUrl(url: string): string {
  let u = url.trim().replace(/[.,!?;:]+$/, '');
  u = u.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const slash = u.indexOf('/');
  const host = (slash === -1 ? u : u.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : u.slice(slash);
  return (host + path).replace(/\/+$/, '');
}

export function findUrls(text: string): string[] {
  return Array.from(text.matchAll(URL_RE), (m) => m[0].replace(/[.,!?;:]+$/, ''));
}

/**
 * Removes every URL that is not `allowedUrl`. Returns the cleaned text and the removed URLs.
 * A lead-in left dangling ("Book here: ") is dropped with the link.
 */
export function enforceLinkPolicy(text: string, allowedUrl?: string | null): { text: string; removed: string[] } {
  const allowed = allowedUrl ? canonicalUrl(allowedUrl) : null;
  const removed: string[] = [];
  let out = text.replace(URL_RE, (raw) => {
    const trail = /[.,!?;:]+$/.exec(raw)?.[0] ?? '';
    const url = trail ? raw.slice(0, -trail.length) : raw;
    if (allowed && canonicalUrl(url) === allowed) return raw;
    removed.push(url);
    return `\u0000${trail}`;
  });
  if (removed.length) {
    out = out
      // "… at <removed>" / "here: <removed>" → drop the connector too.
      // eslint-disable-next-line no-control-regex -- U+0000 is the placeholder left where a link was cut
      .replace(/\s*(?:\b(?:at|via|on|through|using|here|from|visit|see|check out|go to)\b\s*)?[:\-–]?\s*\u0000/gi, '')
      .replace(/\(\s*\)/g, '')
      .replace(/\s+([.,!?;:])/g, '$1')
      .replace(/([.,!?;:]){2,}/g, '$1')
      .replace(/\s{2,}/g, ' ')
      .trim();
  }
  return { text: out, removed };
}
