/**
 * Packed sync answers: Fabrique's one message beyond y-websocket. A 5,000-shape board is 8 MB as a
 * plain sync answer; deflated in Yjs's second update format it is ~0.7 MB. The server encodes and
 * compresses a board's whole state once until it changes and hands the same bytes to every
 * newcomer, so a herd of joiners costs one compression, not one each (permessage-deflate would
 * compress every copy again, and keep a zlib context per socket).
 *
 * Only clients that ask for it get it; every other y-websocket client gets plain sync answers. With
 * `?pack=columns` (Fabrique's client), a whole state comes with the board's entries in columns
 * (entryColumns.ts: a 5,000-shape board 0.2 MB instead of 0.7); with `?pack=deflate-raw` (earlier
 * clients) in Yjs's second format. Frame: [PACKED_SYNC_ANSWER][format][varUint8Array(deflate-raw(update))],
 * where format says which update encoding was compressed. It stands for a sync step 2.
 *
 * With `?pack=columns-updates`, a client also reads large updates packed the same way
 * ([PACKED_UPDATE][format][varUint8Array(deflate-raw(update))], standing for a sync update): a
 * template pushed into a board is ~60 KB in Yjs's first format, ~11 KB deflated, sent to each of the
 * board's clients. Clients asking only `pack=columns` or `pack=deflate-raw` (built before) get them
 * plain, as they cannot read them.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { applyEntryColumns } from './entryColumns.ts'

/** The message type (first varuint), far from y-websocket's 0-3. */
export const PACKED_SYNC_ANSWER = 100
/** A packed update (a sync update, not an answer): see the top of this file. */
export const PACKED_UPDATE = 101

/** The query parameter a client sends to receive packed answers, and its values. */
export const PACK_PARAM = 'pack'
/** Reads packed answers in Yjs's first and second formats. */
export const PACK_DEFLATE_RAW = 'deflate-raw'
/** Reads them in entry columns too. */
export const PACK_COLUMNS = 'columns'
/** Reads them in entry columns, and large updates packed too (PACKED_UPDATE). */
export const PACK_COLUMNS_UPDATES = 'columns-updates'

/** Which update encoding a packed answer holds: Yjs's first or second format, or entry columns. */
export const PackedFormat = { V1: 1, V2: 2, EntryColumns: 3 } as const
export type PackedFormat = (typeof PackedFormat)[keyof typeof PackedFormat]

/** The format of the whole states a client asking with `pack` gets; undefined: it gets no packed answer. */
export function wholeStateFormat(pack: string | undefined): PackedFormat | undefined {
  if (pack === PACK_COLUMNS || pack === PACK_COLUMNS_UPDATES) return PackedFormat.EntryColumns
  if (pack === PACK_DEFLATE_RAW) return PackedFormat.V2
  return undefined
}

/** Whether a client asking with `pack` reads packed updates. */
export function readsPackedUpdates(pack: string | undefined): boolean {
  return pack === PACK_COLUMNS_UPDATES
}

export interface PackedAnswer {
  format: PackedFormat
  /** The update, still compressed. */
  deflated: Uint8Array
}

/** The frame of a packed answer (or, with `type` PACKED_UPDATE, a packed update) already compressed with raw deflate. */
export function encodePackedAnswer(format: PackedFormat, deflated: Uint8Array, type: typeof PACKED_SYNC_ANSWER | typeof PACKED_UPDATE = PACKED_SYNC_ANSWER): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint(encoder, format)
  encoding.writeVarUint8Array(encoder, deflated)
  return encoding.toUint8Array(encoder)
}

/** Reads a packed answer (or update) after its message type; throws on anything else. */
export function readPackedAnswer(decoder: decoding.Decoder): PackedAnswer {
  const format = decoding.readVarUint(decoder)
  if (format !== PackedFormat.V1 && format !== PackedFormat.V2 && format !== PackedFormat.EntryColumns) throw new Error(`unknown packed update format ${format}`)
  return { format, deflated: decoding.readVarUint8Array(decoder) }
}

/** Raw inflate with the platform's DecompressionStream (browsers and Node alike), off the main thread. */
export async function inflateRaw(deflated: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([deflated as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** Applies an update in `format` (a packed answer's, inflated) to `doc` with `origin`. */
export function applyUpdateIn(format: PackedFormat, doc: Y.Doc, update: Uint8Array, origin?: unknown): void {
  if (format === PackedFormat.EntryColumns) applyEntryColumns(doc, update, origin)
  else if (format === PackedFormat.V2) Y.applyUpdateV2(doc, update, origin)
  else Y.applyUpdate(doc, update, origin)
}

/** Decompresses a packed answer and applies it to `doc` with `origin` (as a sync step 2 would be). */
export async function applyPackedAnswer(doc: Y.Doc, answer: PackedAnswer, origin: unknown): Promise<void> {
  applyUpdateIn(answer.format, doc, await inflateRaw(answer.deflated), origin)
}

/** What acceptPackedAnswers needs of y-websocket's WebsocketProvider. */
export interface PackingProvider {
  doc: Y.Doc
  ws: unknown
  synced: boolean
  messageHandlers: Array<(encoder: encoding.Encoder, decoder: decoding.Decoder, provider: never, emitSynced: boolean, messageType: number) => void>
}

/**
 * Teaches a WebsocketProvider to read packed answers and packed updates (the provider must also send
 * `pack=columns-updates`, or `pack=columns` / `pack=deflate-raw` for answers only, in its params).
 * Decompression is asynchronous: messages that arrive meanwhile are applied first; Yjs keeps an
 * update whose base has not arrived aside and applies it with the base. The provider counts as
 * synced once the answer is applied, and only if it is still on the socket it came by; an answer or
 * update that cannot be read goes to `onError` and the provider stays unsynced.
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
  provider.messageHandlers[PACKED_UPDATE] = (_encoder, decoder) => {
    applyPackedAnswer(provider.doc, readPackedAnswer(decoder), provider).catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))))
  }
}
