/**
 * Sends one value at a time and, of those that came meanwhile, only the last: a presenter who
 * clicks fast never has an older slide overtake a newer one on the way to the server.
 */
export function latestOnly<T>(send: (value: T) => Promise<unknown>, onResult: (error: unknown) => void): (value: T) => void {
  let inFlight = false
  let waiting: { value: T } | undefined
  const pump = () => {
    if (inFlight || !waiting) return
    const { value } = waiting
    waiting = undefined
    inFlight = true
    send(value)
      .then(
        () => onResult(undefined),
        (error: unknown) => onResult(error ?? new Error('send failed')),
      )
      .finally(() => {
        inFlight = false
        pump()
      })
  }
  return (value) => {
    waiting = { value }
    pump()
  }
}
