/**
 * Sends the latest value at most once per interval: the first at once, then the newest one at the
 * end of each interval. Cursors move sixty times a second; ten updates a second look as smooth once
 * tldraw interpolates them, and cost a sixth of the traffic for everyone in the room.
 */
export class Throttle<T> {
  private lastSent = Number.NEGATIVE_INFINITY
  private timer: ReturnType<typeof setTimeout> | undefined
  private pending: { value: T } | undefined

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(value: T): void {
    this.pending = { value }
    if (this.timer !== undefined) return
    const wait = this.lastSent + this.intervalMs - this.now()
    if (wait <= 0) this.flush()
    else this.timer = setTimeout(() => this.flush(), wait)
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.pending = undefined
  }

  private flush(): void {
    this.timer = undefined
    const pending = this.pending
    if (!pending) return
    this.pending = undefined
    this.lastSent = this.now()
    this.send(pending.value)
  }
}
