/**
 * The server's side of packed sync answers (see @fabrique/protocol's packedState.ts): a whole state
 * or a large catch-up, deflated, for the clients that read them.
 */
import zlib from 'node:zlib'
import {
  diffEntryColumns,
  encodePackedAnswer,
  entryColumnsToV1,
  entryColumnsToV2,
  type PackedAnswer,
  PACKED_UPDATE,
  PackedFormat,
  readPackedAnswer,
} from '@fabrique/protocol'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/**
 * zlib level for packed answers. On a 5,000-shape board's state in Yjs's second format (6.9 MB):
 * level 1 gives 713 KB in 9 ms, level 2 679 KB in 9 ms, level 6 686 KB in 39 ms. In entry columns
 * (1.6 MB): level 2 212 KB in 5 ms, level 9 207 KB in 40 ms.
 */
const PACK_LEVEL = 2

/** A sync answer larger than this is packed for the clients that read packed answers. */
export const PACK_ANSWERS_OVER_BYTES = 64 * 1024

/** A packed answer holding `update` (in `format`). */
export function packAnswer(format: PackedFormat, update: Uint8Array): Uint8Array {
  return encodePackedAnswer(format, zlib.deflateRawSync(update, { level: PACK_LEVEL }))
}

/**
 * An update larger than this goes packed to the peers that read packed updates. A template pushed
 * into a board (60-90 KB in Yjs's first format) leaves as ~11 KB; an edit (under a kilobyte) plain.
 */
export const PACK_UPDATES_OVER_BYTES = 16 * 1024

/**
 * zlib level for packed updates: the fastest. A 90 KB template update: 15 KB in 0.4 ms at level 1,
 * made once for every peer of the board; compressing it better costs more than the bytes it saves
 * on the way to a board's dozen clients.
 */
const PACK_UPDATE_LEVEL = 1

/** A packed update holding `update` (in Yjs's first format). */
export function packUpdate(update: Uint8Array): Uint8Array {
  return encodePackedAnswer(PackedFormat.V1, zlib.deflateRawSync(update, { level: PACK_UPDATE_LEVEL }), PACKED_UPDATE)
}

/** The update a packed answer holds, inflated. */
export function unpackAnswer(message: Uint8Array): { format: PackedFormat; update: Uint8Array } {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  const answer: PackedAnswer = readPackedAnswer(decoder)
  return { format: answer.format, update: zlib.inflateRawSync(answer.deflated) }
}

/** A whole state or a diff in Yjs's first format, which is what plain y-websocket clients read. */
export function asV1(format: PackedFormat, update: Uint8Array): Uint8Array {
  if (format === PackedFormat.EntryColumns) return entryColumnsToV1(update)
  return format === PackedFormat.V2 ? Y.convertUpdateFormatV2ToV1(update) : update
}

/** The format of a packed answer, read from its header without inflating it. */
export function packedFormatOf(message: Uint8Array): PackedFormat {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  return decoding.readVarUint(decoder) as PackedFormat
}

/** A packed answer in entry columns as one in Yjs's second format, for a client that does not read columns. */
export function packedWithoutColumns(message: Uint8Array): Uint8Array {
  return packAnswer(PackedFormat.V2, entryColumnsToV2(unpackAnswer(message).update))
}

/** What a peer holding `stateVector` lacks of `update`, in Yjs's first format. */
export function diffAsV1(format: PackedFormat, update: Uint8Array, stateVector: Uint8Array): Uint8Array {
  if (format === PackedFormat.EntryColumns) return diffEntryColumns(update, stateVector)
  if (format === PackedFormat.V2) return Y.convertUpdateFormatV2ToV1(Y.diffUpdateV2(update, stateVector))
  return Y.diffUpdate(update, stateVector)
}
