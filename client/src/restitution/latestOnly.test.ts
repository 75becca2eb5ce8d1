import { describe, expect, it } from 'vitest'
import { latestOnly } from './latestOnly.ts'

function deferred() {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { promise, resolve, reject }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('latestOnly', () => {
  it('sends one value at a time, then only the last of those that waited', async () => {
    const calls: Array<{ value: number; done: ReturnType<typeof deferred> }> = []
    const send = latestOnly(
      (value: number) => {
        const done = deferred()
        calls.push({ value, done })
        return done.promise
      },
      () => {},
    )
    send(1)
    send(2)
    send(3)
    expect(calls.map((c) => c.value)).toEqual([1])
    calls[0].done.resolve()
    await settle()
    expect(calls.map((c) => c.value)).toEqual([1, 3])
    calls[1].done.resolve()
    await settle()
    expect(calls).toHaveLength(2)
  })

  it('reports each outcome and goes on after a failure', async () => {
    const outcomes: unknown[] = []
    const results = [Promise.reject(new Error('offline')), Promise.resolve()]
    const send = latestOnly(
      () => results.shift() ?? Promise.resolve(),
      (error) => outcomes.push(error),
    )
    send(1)
    await settle()
    send(2)
    await settle()
    expect(outcomes).toEqual([new Error('offline'), undefined])
  })
})
