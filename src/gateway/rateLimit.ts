/**
 * Token bucket on the injected clock: `burst` tokens at most, refilled continuously at
 * `perSecond`. Refill is computed lazily from elapsed time, so an idle bucket costs nothing.
 */
import type { Clock } from '../clock.ts';

export interface BucketLimit {
  burst: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {
    if (!(limit.burst >= 1) || !(limit.perSecond >= 0)) {
      throw new Error(`bad bucket limit: burst ${limit.burst}, perSecond ${limit.perSecond}`);
    }
    this.tokens = limit.burst;
    this.last = clock.now();
  }

  /** Takes one token; false when the bucket is empty (the caller is over its rate). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely, i.e. forgetting it loses nothing. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.perSecond);
  }
}
