/** Waiters for a turn of the event loop of their own (see nextTurn). */
const waiting: Array<() => void> = []

/**
 * Resolves in a later turn of the event loop, one waiter per turn across the whole server: the
 * steps of background writes (a push to every board: wake a board, read its outline a slice at a
 * time, write it) each take a turn, with sockets served between them. Had each waited with its own
 * `setImmediate`, twenty workers' steps would resume in the same turn and run back to back (S6:
 * two 20-40 ms writes and a scavenge in one 134 ms stall).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve)
    if (waiting.length === 1) setImmediate(releaseOne)
  })
}

function releaseOne(): void {
  waiting.shift()?.()
  // Scheduled from within this turn's immediates, the next release waits for the next turn.
  if (waiting.length > 0) setImmediate(releaseOne)
}
