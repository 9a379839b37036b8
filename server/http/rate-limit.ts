/**
 * Per-admin rate limit: a token bucket per tid + oid, refilled continuously at `perMinute / 60` per second and
 * holding up to a fifth of a minute's allowance, so a page's bursts pass and a runaway loop gets 429.
 */
import { HttpError } from './errors.ts';

export interface RateLimiter {
  /** Takes one token for `key`, or throws a 429 HttpError with Retry-After. */
  take(key: string): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A limiter allowing `perMinute` requests per key (`now` is injectable for tests). */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const capacity = Math.max(1, Math.ceil(perMinute / 5));
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return {
    take(key) {
      const t = now();
      if (buckets.size > 10_000) prune(buckets, capacity, t, perMs);
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      const retryAfter = Math.ceil((1 - b.tokens) / perMs / 1000);
      throw new HttpError(429, 'rate_limited', `Too many requests; try again in ${retryAfter} s.`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    },
  };
}

/** Drops buckets that have refilled completely (they behave exactly like absent ones). */
function prune(buckets: Map<string, Bucket>, capacity: number, t: number, perMs: number): void {
  for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= capacity) buckets.delete(key);
}
