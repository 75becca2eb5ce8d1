/** A fixed-window counter per key (an address): enough to make guessing join codes slow. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when this key is already over the limit, or 0; counts nothing. */
  blocked(key: string): number {
    const now = this.now()
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs || w.count < this.limit) return 0
    return Math.ceil((w.start + this.windowMs - now) / 1000)
  }

  /** Counts one attempt; returns the seconds to wait when over the limit, or 0. */
  hit(key: string): number {
    const now = this.now()
    let w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 }
      this.windows.set(key, w)
      if (this.windows.size > 10_000) this.sweep(now)
    }
    w.count++
    return w.count > this.limit ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key)
  }
}
