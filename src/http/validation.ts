/**
 * How a failed zod validation reads in an API error: one line naming the first problem,
 * and every problem as `details`. Kept apart from errors.ts (which maps the runtime's
 * errors) so the console reader thread can word its validation errors the same way
 * without loading the runtime.
 */
import type { ZodError } from 'zod';

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
