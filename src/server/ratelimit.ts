/**
 * Per-key request rate limits: a sliding window of the last minute (two fixed windows weighted,
 * as nginx/Cloudflare do), in memory. Restarting the server forgets the counts, which errs on the
 * side of the client.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; cur: number; prev: number }>();

  constructor(private windowMs = 60_000) {}

  /** Counts one request; returns 0 when allowed, else the seconds to wait. */
  take(id: string, limit: number, now = Date.now()): number {
    if (limit <= 0) return 0;
    const start = now - (now % this.windowMs);
    let w = this.windows.get(id);
    if (!w || start - w.start >= 2 * this.windowMs) w = { start, cur: 0, prev: 0 };
    else if (start !== w.start) w = { start, cur: 0, prev: w.cur };
    this.windows.set(id, w);
    const weight = 1 - (now - start) / this.windowMs;
    if (w.prev * weight + w.cur + 1 > limit) return Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
    w.cur++;
    return 0;
  }
}
