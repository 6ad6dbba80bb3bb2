/** Errors a caller can show to a user as-is (mapped to 4xx by the API). */
export class RuntimeError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid' | 'review_not_pending' | 'review_stale',
    message: string,
  ) {
    super(message);
  }
}
