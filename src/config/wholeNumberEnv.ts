/**
 * The parsing the service's whole-number environment settings share (threads, the delay
 * floor, the heap growing percent); each words its own default, range and refusal.
 */

/**
 * `env[name]` as a whole number: undefined when unset or blank (the setting's default
 * applies), NaN when it is anything but digits (surrounding spaces allowed).
 */
export function wholeNumberEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}
