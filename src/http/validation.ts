/**
 * How a failed zod validation reads in an API error: one line naming the first problem,
 * and every problem as `details`; and the schemas routes share. Kept apart from errors.ts
 * (which maps the runtime's errors) so the visualizer's replay thread can validate and word
 * its errors the same way without loading the runtime.
 */
import { z, type ZodError } from 'zod';

export interface ValidationProblem {
  path: string;
  message: string;
}

export function zodDetails(error: ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** "invalid request body: afterSeq: must be …" (`what`: where the value came from). */
export function validationMessage(details: ValidationProblem[], what: string): string {
  const first = details[0];
  return `invalid ${what}: ${first ? `${first.path}: ${first.message}` : 'see details'}`;
}

/** An IANA time zone name this runtime knows (Intl accepts it). */
export const zoneNameSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/London');
