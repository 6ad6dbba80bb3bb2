/**
 * What a person would call a broken sentence in a message Nudge sends: a placeholder left
 * raw, punctuation with nothing before it, a sentence that starts in lowercase, a greeting
 * with no one in it. Shared by the template tests and the browser test of the Bot Goals
 * preview.
 */
const URL_RE = /https?:\/\/\S+/g;

/** Every problem found in `text`, as a short description; empty when the text reads well. */
export function wordingProblems(text: string): string[] {
  const problems: string[] = [];
  const plain = text.replace(URL_RE, 'LINK');
  if (!plain.trim()) problems.push('empty');
  // eslint-disable-next-line no-control-regex -- control characters are what this check looks for
  if (/\{\{|\}\}|[\u0000-\u0008]/.test(plain)) problems.push('a placeholder left in the text');
  if (/^[\s,;:.!?—–-]/u.test(plain)) problems.push('starts with punctuation');
  if (/^[¡¿"]?\p{Ll}/u.test(plain)) problems.push('starts with a lowercase word');
  if (/[.!?]\s+[¡¿"]?\p{Ll}/u.test(plain)) problems.push('a sentence starts with a lowercase word');
  // (French puts a space before ? ! : ;, so only , and . are judged here.)
  if (/\s[,.]/u.test(plain)) problems.push('a space before punctuation');
  if (/[,;:]\s*[,;:.!?]|[,;:]\s*$/u.test(plain)) problems.push('dangling punctuation');
  if (/\b(Hi|Hey|Hello|Hola|Olá|Oi|Bonjour|Hallo)\s*[,!]?\s*$/iu.test(plain))
    problems.push('a greeting with no one in it');
  if (/\bthere,\s/.test(plain) && !/\b(Hi|Hey|Hello) there,/.test(plain))
    problems.push('"there" standing in for a name');
  if (/ {2,}/.test(plain)) problems.push('double space');
  if (!/[.!?…)]["»]?$/u.test(plain.trim()) && !/LINK$/.test(plain.trim())) problems.push('does not end a sentence');
  return problems;
}
