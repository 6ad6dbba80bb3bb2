/**
 * The placeholders a custom follow-up text may use. Config naming any other placeholder is
 * refused: a typo such as {{frist_name}} would otherwise reach the contact verbatim.
 * Whoever renders templates must support exactly this list.
 */
export const KNOWN_PLACEHOLDERS = ['first_name', 'last_name', 'full_name', 'business_name', 'booking_url'] as const;
export type PlaceholderName = (typeof KNOWN_PLACEHOLDERS)[number];

/** `{{ name }}` with optional inner spaces; the name is what sits between the braces. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every placeholder name used in a text, in order of appearance (duplicates kept). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export function isKnownPlaceholder(name: string): name is PlaceholderName {
  return (KNOWN_PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Fill placeholders from `values`; unknown or missing values become empty strings. Exposed
 * for previews (e.g. the Bot Goals editor) and the SMS-length estimate in warnings.
 */
export function fillPlaceholders(text: string, values: Partial<Record<PlaceholderName, string>>): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => (isKnownPlaceholder(name) ? (values[name] ?? '') : ''));
}
