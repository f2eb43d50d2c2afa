/** A stage throttle as API Gateway takes it: steady requests per second and bucket size. */
export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * API Gateway's throttle algorithm: a bucket of `burstLimit` tokens, refilled at `rateLimit` tokens
 * per second; each request takes one, and a request that finds the bucket empty is refused.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = limits.burstLimit;
    this.last = nowMs();
  }

  /** Takes a token; false when the request is to be throttled. */
  take(): boolean {
    const now = this.nowMs();
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + ((now - this.last) / 1_000) * this.limits.rateLimit);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
