import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { AwarenessRefused, AwarenessRelay } from './awarenessRelay.ts'

function update(...entries: Array<[number, number, unknown]>): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  return encoding.toUint8Array(e)
}

/** Decodes an awareness message back into [clientId, clock, state] entries. */
function entriesOf(message: Uint8Array): Array<[number, number, unknown]> {
  const outer = decoding.createDecoder(message)
  expect(decoding.readVarUint(outer)).toBe(1)
  const d = decoding.createDecoder(decoding.readVarUint8Array(outer))
  const n = decoding.readVarUint(d)
  return Array.from({ length: n }, () => [decoding.readVarUint(d), decoding.readVarUint(d), JSON.parse(decoding.readVarString(d))])
}

const peer = () => ({ clientIds: new Set<number>() })

describe('AwarenessRelay', () => {
  it('coalesces a turn of updates into one message, latest state per client', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    const b = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    relay.receive(update([1, 2, { x: 2 }]), a)
    relay.receive(update([2, 1, { x: 9 }]), b)
    const out = relay.flush()
    expect(out && entriesOf(out.message)).toEqual([
      [1, 2, { x: 2 }],
      [2, 1, { x: 9 }],
    ])
    expect(out?.onlyFrom).toBeUndefined()
    expect(relay.flush()).toBeUndefined()
  })

  it('says when a flush holds only one peer’s states, so it is not echoed to it', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    expect(relay.flush()?.onlyFrom).toBe(a)
  })

  it('ignores stale clocks and other peers speaking for a client id', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 5, { x: 5 }]), a)
    relay.flush()
    relay.receive(update([1, 4, { x: 4 }]), a)
    relay.receive(update([1, 9, null]), peer())
    expect(relay.flush()).toBeUndefined()
    expect(entriesOf(relay.snapshot() as Uint8Array)).toEqual([[1, 5, { x: 5 }]])
  })

  it('announces the removal of a departed peer’s states with a higher clock', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 3, { x: 1 }], [7, 1, { y: 2 }]), a)
    relay.flush()
    relay.removePeer(a)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([
      [1, 4, null],
      [7, 2, null],
    ])
    expect(relay.snapshot()).toBeUndefined()
  })

  it('refuses states that are not JSON or too large', () => {
    const relay = new AwarenessRelay(64)
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, '{oops')
    expect(() => relay.receive(encoding.toUint8Array(e), peer())).toThrow(AwarenessRefused)
    expect(() => relay.receive(update([1, 1, { text: 'x'.repeat(100) }]), peer())).toThrow(AwarenessRefused)
  })

  it('holds renewals (same state, newer clock) apart from changes, and sends them with the next flush', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    const b = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    relay.receive(update([2, 1, { y: 1 }]), b)
    relay.flush()
    relay.receive(update([1, 2, { x: 1 }]), a)
    expect(relay.hasPending).toBe(false)
    expect(relay.hasRenewals).toBe(true)
    // A newcomer sees the renewed clock at once.
    expect(entriesOf(relay.snapshot() as Uint8Array)).toContainEqual([1, 2, { x: 1 }])
    relay.receive(update([2, 2, { y: 2 }]), b)
    expect(relay.hasPending).toBe(true)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([
      [2, 2, { y: 2 }],
      [1, 2, { x: 1 }],
    ])
    expect(relay.hasRenewals).toBe(false)
    expect(relay.flush()).toBeUndefined()
  })

  it('sends a change that follows a held renewal, not the renewal', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    relay.flush()
    relay.receive(update([1, 2, { x: 1 }]), a)
    relay.receive(update([1, 3, { x: 5 }]), a)
    expect(relay.hasRenewals).toBe(false)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([[1, 3, { x: 5 }]])
  })

  it('keeps a change pending when its client renews it within the same turn', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    relay.flush()
    relay.receive(update([1, 2, { x: 2 }]), a)
    relay.receive(update([1, 3, { x: 2 }]), a)
    expect(relay.hasRenewals).toBe(false)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([[1, 3, { x: 2 }]])
  })

  it('drops the held renewals of a departed peer for its removal', () => {
    const relay = new AwarenessRelay(1024)
    const a = peer()
    relay.receive(update([1, 1, { x: 1 }]), a)
    relay.flush()
    relay.receive(update([1, 2, { x: 1 }]), a)
    relay.removePeer(a)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([[1, 3, null]])
  })

  it('sends a renewal relayed by another instance at once: it was held there already', () => {
    const relayPeer = peer()
    const relay = new AwarenessRelay(1024, relayPeer)
    relay.receive(update([1, 1, { x: 1 }]), relayPeer)
    relay.flush()
    relay.receive(update([1, 2, { x: 1 }]), relayPeer)
    expect(relay.hasRenewals).toBe(false)
    expect(entriesOf(relay.flush()?.message as Uint8Array)).toEqual([[1, 2, { x: 1 }]])
  })
})
