import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** A small seeded generator (mulberry32): a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number
const int = (r: Rand, n: number) => Math.floor(r() * n)
const pick = <T>(r: Rand, items: readonly T[]): T => items[int(r, items.length)] as T

function frame(build: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  build(e)
  return encoding.toUint8Array(e)
}

/** A real Yjs update of a few random edits, from a throwaway document. */
function realUpdate(r: Rand): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 1 + int(r, 2 ** 30)
  doc.transact(() => {
    for (let i = 0; i < 1 + int(r, 5); i++) {
      const kind = int(r, 3)
      if (kind === 0) doc.getMap('records').set(`shape:${int(r, 100)}`, { x: r() * 1000, y: r() * 1000, text: 'x'.repeat(int(r, 50)) })
      else if (kind === 1) doc.getArray('a').insert(0, [int(r, 1000)])
      else doc.getText('t').insert(0, 'fuzz')
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

const syncUpdate = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, update)
  })

function awareness(r: Rand, entries: number, stateBytes: number): Uint8Array {
  const inner = frame((e) => {
    encoding.writeVarUint(e, entries)
    for (let i = 0; i < entries; i++) {
      encoding.writeVarUint(e, 1 + int(r, 2 ** 30))
      encoding.writeVarUint(e, int(r, 100))
      encoding.writeVarString(e, JSON.stringify({ cursor: { x: r(), y: r() }, pad: 'p'.repeat(stateBytes) }))
    }
  })
  return frame((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, inner)
  })
}

function mutate(r: Rand, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes)
  switch (int(r, 5)) {
    case 0: // flip a few bits
      for (let i = 0; i < 1 + int(r, 4); i++) if (out.length) out[int(r, out.length)] ^= 1 << int(r, 8)
      return out
    case 1: // truncate
      return out.subarray(0, int(r, out.length))
    case 2: // overwrite with a varint claiming a huge length
      if (out.length > 3) out.set([0xff, 0xff, 0xff, 0xff, 0x0f].slice(0, out.length - 2), 2)
      return out
    case 3: // duplicate a slice in the middle
      return Uint8Array.from([...out.subarray(0, out.length / 2), ...out, ...out.subarray(out.length / 2)])
    default: // random byte values
      for (let i = 0; i < out.length / 8; i++) out[int(r, out.length)] = int(r, 256)
      return out
  }
}

/** One fuzz frame: garbage, a valid message mutated, a corrupt update, or an awareness flood. */
export function fuzzFrame(r: Rand): Uint8Array {
  switch (int(r, 8)) {
    case 0:
      return Uint8Array.from({ length: int(r, 300) }, () => int(r, 256))
    case 1:
      return mutate(r, syncUpdate(realUpdate(r)))
    case 2:
      return syncUpdate(mutate(r, realUpdate(r)))
    case 3:
      return awareness(r, 1 + int(r, 200), int(r, 200))
    case 4:
      return mutate(r, awareness(r, 1 + int(r, 5), 20))
    case 5:
      return frame((e) => {
        encoding.writeVarUint(e, 0)
        encoding.writeVarUint(e, 0)
        encoding.writeVarUint8Array(e, mutate(r, Y.encodeStateVector(new Y.Doc())))
      })
    case 6:
      return frame((e) => encoding.writeVarUint(e, pick(r, [2, 3, 4, 99, 2 ** 31])))
    default:
      return syncUpdate(realUpdate(r))
  }
}
