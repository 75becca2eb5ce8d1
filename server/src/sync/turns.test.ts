import { describe, expect, it } from 'vitest'
import { nextTurn } from './turns.ts'

describe('nextTurn', () => {
  it('lets one waiter go per turn of the event loop, in the order they came, whoever waits', async () => {
    let turn = 0
    let counting = true
    const tick = () => {
      turn++
      if (counting) setImmediate(tick)
    }
    setImmediate(tick)
    const order: number[] = []
    const turns: number[] = []
    // Two groups of waiters, as two pushes' workers and a room's steps would be.
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await nextTurn()
        order.push(i)
        turns.push(turn)
        if (i % 2 === 0) {
          await nextTurn()
          turns.push(turn)
        }
      }),
    )
    counting = false
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i))
    expect(turns).toHaveLength(18)
    expect(new Set(turns).size).toBe(18)
  })
})
