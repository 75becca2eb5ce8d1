import zlib from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeStateAsEntryColumns } from './entryColumns.ts'
import { acceptPackedAnswers, encodePackedAnswer, PACKED_SYNC_ANSWER, PackedFormat, type PackingProvider } from './packedState.ts'

/** The part of y-websocket's provider that packed answers touch, and its way of reading a frame. */
function fakeProvider() {
  const provider: PackingProvider & { errors: Error[]; receive(message: Uint8Array): void } = {
    doc: new Y.Doc(),
    ws: { id: 'first socket' },
    synced: false,
    messageHandlers: [],
    errors: [],
    receive(message) {
      const decoder = decoding.createDecoder(message)
      const type = decoding.readVarUint(decoder)
      provider.messageHandlers[type]?.(encoding.createEncoder(), decoder, undefined as never, true, type)
    },
  }
  acceptPackedAnswers(provider, (error) => provider.errors.push(error))
  return provider
}

function boardOf(notes: number): Y.Doc {
  const doc = new Y.Doc()
  for (let i = 0; i < notes; i++) doc.getMap('notes').set(`n${i}`, `note ${i}`)
  doc.getArray('records').push([new TextEncoder().encode(JSON.stringify(['shape:a/x', notes]))])
  return doc
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('packed answers in a provider', () => {
  it('are applied in any of their formats and make the provider synced', async () => {
    const board = boardOf(500)
    const encodings = {
      [PackedFormat.V1]: Y.encodeStateAsUpdate(board),
      [PackedFormat.V2]: Y.encodeStateAsUpdateV2(board),
      [PackedFormat.EntryColumns]: encodeStateAsEntryColumns(board),
    }
    for (const format of [PackedFormat.V1, PackedFormat.V2, PackedFormat.EntryColumns]) {
      const update = encodings[format]
      const provider = fakeProvider()
      provider.receive(encodePackedAnswer(format, zlib.deflateRawSync(update)))
      await settle()
      expect(provider.errors).toEqual([])
      expect(provider.synced).toBe(true)
      expect(provider.doc.getMap('notes').toJSON()).toEqual(board.getMap('notes').toJSON())
      expect(provider.doc.getArray('records').toJSON()).toEqual(board.getArray('records').toJSON())
    }
  })

  it('do not mark a provider synced once it has moved to another socket', async () => {
    const provider = fakeProvider()
    provider.receive(encodePackedAnswer(PackedFormat.V2, zlib.deflateRawSync(Y.encodeStateAsUpdateV2(boardOf(10)))))
    provider.ws = { id: 'after a reconnect' }
    await settle()
    expect(provider.doc.getMap('notes').size).toBe(10)
    expect(provider.synced).toBe(false)
  })

  it('report an answer they cannot read and leave the provider unsynced', async () => {
    const provider = fakeProvider()
    provider.receive(encodePackedAnswer(PackedFormat.V1, new Uint8Array([1, 2, 3, 4, 5])))
    await settle()
    expect(provider.errors).toHaveLength(1)
    expect(provider.synced).toBe(false)
    const unknownFormat = encoding.createEncoder()
    encoding.writeVarUint(unknownFormat, PACKED_SYNC_ANSWER)
    encoding.writeVarUint(unknownFormat, 9)
    encoding.writeVarUint8Array(unknownFormat, new Uint8Array(0))
    expect(() => provider.receive(encoding.toUint8Array(unknownFormat))).toThrow(/unknown packed update format 9/)
  })
})
