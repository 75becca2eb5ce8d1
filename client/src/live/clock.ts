/** This device's clock and the server's, as /api/time answers; injected in tests. */
export interface ClockSource {
  /** This device's clock, epoch ms: may be minutes off. */
  now(): number
  /** The server's clock, epoch ms, as its answer says. */
  serverTime(): Promise<number>
}

export const browserClock: ClockSource = {
  now: () => Date.now(),
  serverTime: async () => {
    const response = await fetch('/api/time', { cache: 'no-store' })
    return ((await response.json()) as { now: number }).now
  },
}

/**
 * Server clock minus ours, from a few round trips; the one with the shortest trip is the most
 * exact (its answer was read closest to the middle of the trip). Timers show
 * `timeLeft(timer, clock.now() + offset)`, the same on every device whatever its clock says.
 */
export async function measureClockOffset(samples = 3, clock: ClockSource = browserClock): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 }
  for (let i = 0; i < samples; i++) {
    const sent = clock.now()
    const now = await clock.serverTime()
    const received = clock.now()
    const rtt = received - sent
    if (rtt < best.rtt) best = { rtt, offset: now - (sent + received) / 2 }
  }
  return best.offset
}
