/**
 * Packed sync answers: Fabrique's one message beyond y-websocket. A 5,000-shape board is 8 MB as a
 * plain sync answer; deflated in Yjs's second update format it is ~0.7 MB. The server encodes and
 * compresses a board's whole state once until it changes and hands the same bytes to every
 * newcomer, so a herd of joiners costs one compression, not one each (permessage-deflate would
 * compress every copy again, and keep a zlib context per socket).
 *
 * Only clients that ask for it with `?pack=deflate-raw` get it; every other y-websocket client gets
 * plain sync answers. Frame: [PACKED_SYNC_ANSWER][format][varUint8Array(deflate-raw(update))],
 * where format says which Yjs update encoding was compressed. It stands for a sync step 2.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** The message type (first varuint), far from y-websocket's 0-3. */
export const PACKED_SYNC_ANSWER = 100

/** The query parameter a client sends to receive packed answers, and the one value understood. */
export const PACK_PARAM = 'pack'
export const PACK_DEFLATE_RAW = 'deflate-raw'

/** Which Yjs update encoding a packed answer holds. */
export const PackedFormat = { V1: 1, V2: 2 } as const
export type PackedFormat = (typeof PackedFormat)[keyof typeof PackedFormat]

export interface PackedAnswer {
  format: PackedFormat
  /** The update, still compressed. */
  deflated: Uint8Array
}

/** The frame for an update already compressed with raw deflate. */
export function encodePackedAnswer(format: PackedFormat, deflated: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, PACKED_SYNC_ANSWER)
  encoding.writeVarUint(encoder, format)
  encoding.writeVarUint8Array(encoder, deflated)
  return encoding.toUint8Array(encoder)
}

/** Reads a packed answer after its message type; throws on anything else. */
export function readPackedAnswer(decoder: decoding.Decoder): PackedAnswer {
  const format = decoding.readVarUint(decoder)
  if (format !== PackedFormat.V1 && format !== PackedFormat.V2) throw new Error(`unknown packed update format ${format}`)
  return { format, deflated: decoding.readVarUint8Array(decoder) }
}

/** Raw inflate with the platform's DecompressionStream (browsers and Node alike), off the main thread. */
export async function inflateRaw(deflated: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([deflated as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** Decompresses a packed answer and applies it to `doc` with `origin` (as a sync step 2 would be). */
export async function applyPackedAnswer(doc: Y.Doc, answer: PackedAnswer, origin: unknown): Promise<void> {
  const update = await inflateRaw(answer.deflated)
  if (answer.format === PackedFormat.V2) Y.applyUpdateV2(doc, update, origin)
  else Y.applyUpdate(doc, update, origin)
}

/** What acceptPackedAnswers needs of y-websocket's WebsocketProvider. */
export interface PackingProvider {
  doc: Y.Doc
  ws: unknown
  synced: boolean
  messageHandlers: Array<(encoder: encoding.Encoder, decoder: decoding.Decoder, provider: never, emitSynced: boolean, messageType: number) => void>
}

/**
 * Teaches a WebsocketProvider to read packed answers (the provider must also send `pack=deflate-raw`
 * in its params). Decompression is asynchronous: messages that arrive meanwhile are applied first;
 * Yjs keeps an update whose base has not arrived aside and applies it with the base. The provider
 * counts as synced once the answer is applied, and only if it is still on the socket it came by;
 * an answer that cannot be read goes to `onError` and the provider stays unsynced.
 */
export function acceptPackedAnswers(provider: PackingProvider, onError: (error: Error) => void): void {
  provider.messageHandlers[PACKED_SYNC_ANSWER] = (_encoder, decoder, _provider, emitSynced) => {
    const answer = readPackedAnswer(decoder)
    const socket = provider.ws
    applyPackedAnswer(provider.doc, answer, provider).then(
      () => {
        if (emitSynced && provider.ws === socket && socket !== null && !provider.synced) provider.synced = true
      },
      (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
    )
  }
}
