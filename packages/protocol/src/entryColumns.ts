/**
 * Entry columns: Yjs's second update format with a board's entries laid out in columns, so that
 * deflate finds what repeats. A board stores each field of each record as one binary entry,
 * `["recordId/field",value]` in JSON (see @fabrique/board's fieldMap.ts): 130,000 of them on a
 * 5,000-shape board, 6.9 MB in Yjs's second format. One after the other, every entry names its
 * record again and its field again, and its value sits between unrelated ones; deflate then pays a
 * back-reference for each of those (~0.13 KB a shape). In columns (record ids once each, field names
 * once each, the values of each field together) the same board deflates to a third of that size.
 *
 * The codec plugs into Yjs's own encoder and decoder (it replaces how binary contents are written
 * and read), so a document is encoded straight into columns and applied straight from them:
 *
 *   update  = varUint8Array(columns) · the second-format update, binary contents left out
 *   columns = varUint(entry bytes)    of every entry rebuilt (the decoder writes them into one buffer)
 *             varUint8Array(kinds)    UintOptRle per binary content: 0 left in the update, 1 an entry
 *             varUint8Array(records)  UintOptRle per entry: 0 the previous entry's record, 1 a new
 *                                     record (its id next in `ids`), n ≥ 2 the (n − 2)th record
 *             varUint8Array(ids)      varUint8Array per new record
 *             varUint8Array(fields)   UintOptRle per entry: 0 a new field (next in `names`), n ≥ 1 the (n − 1)th
 *             varUint8Array(names)    varUint8Array per new field
 *             varUint(field count) · per field varUint8Array(values: varUint8Array per entry, its JSON)
 *
 * An entry is rebuilt byte for byte (`["` id `/` field `",` value `]`), so the document is exactly
 * the one encoded. Binary contents of any other form (a key with escapes or beyond ASCII, no `/`)
 * stay in the update as Yjs writes them.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const COMMA = 0x2c
const SLASH = 0x2f
const BACKSLASH = 0x5c

const RAW = 0
const ENTRY = 1
const SAME_RECORD = 0
const NEW_RECORD = 1
const NEW_FIELD = 0

/** Bytes around an entry's id, field and value: `["` `/` `",` `]`. */
const FRAME_BYTES = 6

/**
 * Rebuilt entries are written into one buffer of the size the encoder announced (up to this), and
 * into further ones of CHUNK_BYTES should that be short; they are handed out as views of them.
 */
const MAX_FIRST_CHUNK_BYTES = 64 * 1024 * 1024
const CHUNK_BYTES = 64 * 1024

/**
 * Where an entry's key ends (its closing quote) and where its last `/` is, or undefined when `buf`
 * is not an entry whose key is plain ASCII (no escape, no control character) holding a `/`.
 */
function entryKey(buf: Uint8Array): { slash: number; quote: number } | undefined {
  const last = buf.length - 1
  if (last < 4 || buf[0] !== OPEN_BRACKET || buf[1] !== QUOTE || buf[last] !== CLOSE_BRACKET) return undefined
  let slash = -1
  for (let i = 2; i < last; i++) {
    const byte = buf[i] as number
    if (byte === QUOTE) return slash > 0 && buf[i + 1] === COMMA ? { slash, quote: i } : undefined
    if (byte === SLASH) slash = i
    else if (byte === BACKSLASH || byte >= 0x80 || byte < 0x20) return undefined
  }
  return undefined
}

/** The ASCII bytes of `buf` from `from` to `to` as a string. */
function ascii(buf: Uint8Array, from: number, to: number): string {
  let text = ''
  for (let i = from; i < to; i++) text += String.fromCharCode(buf[i] as number)
  return text
}

function sameBytes(a: Uint8Array, b: Uint8Array, from: number, to: number): boolean {
  if (a.length !== to - from) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[from + i]) return false
  return true
}

/** A growing byte buffer: a column written a few bytes at a time, without a view per write. */
class ByteColumn {
  bytes = new Uint8Array(1024)
  length = 0

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count))
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
  }

  writeVarUint(value: number): void {
    this.reserve(5)
    let rest = value
    while (rest > 0x7f) {
      this.bytes[this.length++] = 0x80 | (rest & 0x7f)
      rest >>>= 7
    }
    this.bytes[this.length++] = rest
  }

  /** `count` bytes of `from` from `start`, after their count. */
  writeBytes(from: Uint8Array, start: number, count: number): void {
    this.writeVarUint(count)
    this.reserve(count)
    this.length = copy(from, start, count, this.bytes, this.length)
  }

  toUint8Array(): Uint8Array {
    return this.bytes.subarray(0, this.length)
  }
}

/** Yjs's second-format encoder writing entries into columns (see the top of this file). */
export class EntryColumnsEncoder extends Y.UpdateEncoderV2 {
  private readonly kinds = new encoding.UintOptRleEncoder()
  private readonly records = new encoding.UintOptRleEncoder()
  private readonly ids = new ByteColumn()
  private readonly fields = new encoding.UintOptRleEncoder()
  private readonly names = new ByteColumn()
  private readonly values: ByteColumn[] = []
  private readonly recordNumbers = new Map<string, number>()
  private readonly fieldNumbers = new Map<string, number>()
  /** Each field's name, and the field that followed it last: records list their fields in the same order. */
  private readonly fieldNames: Uint8Array[] = []
  private readonly nextField: number[] = []
  private previousId: Uint8Array = new Uint8Array(0)
  private previousField = -1
  /** Of every entry rebuilt: the decoder's hint for the buffer it writes them into. */
  private entryBytes = 0

  override writeBuf(buf: Uint8Array): void {
    const key = entryKey(buf)
    if (!key) {
      this.kinds.write(RAW)
      super.writeBuf(buf)
      return
    }
    this.kinds.write(ENTRY)
    this.entryBytes += buf.length
    const { slash, quote } = key
    if (sameBytes(this.previousId, buf, 2, slash)) {
      this.records.write(SAME_RECORD)
    } else {
      this.previousId = buf.slice(2, slash)
      const id = ascii(buf, 2, slash)
      const number = this.recordNumbers.get(id)
      if (number === undefined) {
        this.recordNumbers.set(id, this.recordNumbers.size)
        this.records.write(NEW_RECORD)
        this.ids.writeBytes(buf, 2, slash - 2)
      } else {
        this.records.write(number + 2)
      }
    }
    const field = this.fieldOf(buf, slash + 1, quote)
    if (this.previousField >= 0) this.nextField[this.previousField] = field
    this.previousField = field
    const valueStart = quote + 2
    ;(this.values[field] as ByteColumn).writeBytes(buf, valueStart, buf.length - 1 - valueStart)
  }

  /** The number of the field named by `buf` from `start` to `end`, a new one written to `names`. */
  private fieldOf(buf: Uint8Array, start: number, end: number): number {
    const guess = this.previousField >= 0 ? this.nextField[this.previousField] : undefined
    if (guess !== undefined && sameBytes(this.fieldNames[guess] as Uint8Array, buf, start, end)) {
      this.fields.write(guess + 1)
      return guess
    }
    const name = ascii(buf, start, end)
    const known = this.fieldNumbers.get(name)
    if (known !== undefined) {
      this.fields.write(known + 1)
      return known
    }
    const number = this.values.length
    this.fieldNumbers.set(name, number)
    this.fieldNames.push(buf.slice(start, end))
    this.values.push(new ByteColumn())
    this.fields.write(NEW_FIELD)
    this.names.writeBytes(buf, start, end - start)
    return number
  }

  override toUint8Array(): Uint8Array {
    const columns = encoding.createEncoder()
    encoding.writeVarUint(columns, this.entryBytes)
    encoding.writeVarUint8Array(columns, this.kinds.toUint8Array())
    encoding.writeVarUint8Array(columns, this.records.toUint8Array())
    encoding.writeVarUint8Array(columns, this.ids.toUint8Array())
    encoding.writeVarUint8Array(columns, this.fields.toUint8Array())
    encoding.writeVarUint8Array(columns, this.names.toUint8Array())
    encoding.writeVarUint(columns, this.values.length)
    for (const values of this.values) encoding.writeVarUint8Array(columns, values.toUint8Array())
    const update = encoding.createEncoder()
    encoding.writeVarUint8Array(update, encoding.toUint8Array(columns))
    encoding.writeUint8Array(update, super.toUint8Array())
    return encoding.toUint8Array(update)
  }
}

/** Yjs's second-format decoder reading entries from columns (see the top of this file). */
export class EntryColumnsDecoder extends Y.UpdateDecoderV2 {
  private readonly kinds: decoding.UintOptRleDecoder
  private readonly records: decoding.UintOptRleDecoder
  private readonly ids: decoding.Decoder
  private readonly fields: decoding.UintOptRleDecoder
  private readonly names: decoding.Decoder
  private readonly values: decoding.Decoder[] = []
  private readonly recordIds: Uint8Array[] = []
  private readonly fieldNames: Uint8Array[] = []
  private id: Uint8Array | undefined
  private chunk: Uint8Array
  private used = 0

  constructor(decoder: decoding.Decoder) {
    const columns = decoding.createDecoder(decoding.readVarUint8Array(decoder))
    super(decoder)
    // Every entry in one buffer, as Yjs's own decoder hands out views of the update.
    this.chunk = new Uint8Array(Math.min(decoding.readVarUint(columns), MAX_FIRST_CHUNK_BYTES))
    this.kinds = new decoding.UintOptRleDecoder(decoding.readVarUint8Array(columns))
    this.records = new decoding.UintOptRleDecoder(decoding.readVarUint8Array(columns))
    this.ids = decoding.createDecoder(decoding.readVarUint8Array(columns))
    this.fields = new decoding.UintOptRleDecoder(decoding.readVarUint8Array(columns))
    this.names = decoding.createDecoder(decoding.readVarUint8Array(columns))
    const fieldCount = decoding.readVarUint(columns)
    for (let i = 0; i < fieldCount; i++) this.values.push(decoding.createDecoder(decoding.readVarUint8Array(columns)))
  }

  override readBuf(): Uint8Array {
    if (this.kinds.read() === RAW) return super.readBuf()
    const record = this.records.read()
    if (record === NEW_RECORD) {
      this.id = decoding.readVarUint8Array(this.ids)
      this.recordIds.push(this.id)
    } else if (record !== SAME_RECORD) {
      this.id = this.recordIds[record - 2]
    }
    const id = this.id
    if (!id) throw new Error(`entry columns: unknown record ${record}`)
    const field = this.fields.read()
    let name: Uint8Array | undefined
    let values: decoding.Decoder | undefined
    if (field === NEW_FIELD) {
      name = decoding.readVarUint8Array(this.names)
      values = this.values[this.fieldNames.length]
      this.fieldNames.push(name)
    } else {
      name = this.fieldNames[field - 1]
      values = this.values[field - 1]
    }
    if (!name || !values) throw new Error(`entry columns: unknown field ${field}`)
    return this.entry(id, name, values)
  }

  /** `["` id `/` name `",` value `]`, the value read from `values`, as a view of the current chunk. */
  private entry(id: Uint8Array, name: Uint8Array, values: decoding.Decoder): Uint8Array {
    const valueLength = decoding.readVarUint(values)
    const valueStart = values.pos
    if (valueStart + valueLength > values.arr.length) throw new Error('entry columns: a value runs past its column')
    values.pos += valueLength
    const length = id.length + name.length + valueLength + FRAME_BYTES
    if (this.used + length > this.chunk.length) {
      this.chunk = new Uint8Array(Math.max(CHUNK_BYTES, length))
      this.used = 0
    }
    const out = this.chunk
    let at = this.used
    out[at++] = OPEN_BRACKET
    out[at++] = QUOTE
    at = copy(id, 0, id.length, out, at)
    out[at++] = SLASH
    at = copy(name, 0, name.length, out, at)
    out[at++] = QUOTE
    out[at++] = COMMA
    at = copy(values.arr, valueStart, valueLength, out, at)
    out[at++] = CLOSE_BRACKET
    const entry = out.subarray(this.used, at)
    this.used = at
    return entry
  }
}

/** Longer runs are copied with `set`; a loop is faster for the few bytes of most ids, names and values. */
const SHORT_COPY = 48

function copy(from: Uint8Array, start: number, length: number, to: Uint8Array, at: number): number {
  if (length > SHORT_COPY) {
    to.set(from.subarray(start, start + length), at)
    return at + length
  }
  for (let i = 0; i < length; i++) to[at + i] = from[start + i] as number
  return at + length
}

/** The document's whole state in entry columns. */
export function encodeStateAsEntryColumns(doc: Y.Doc): Uint8Array {
  // With updates waiting for missing ones, Yjs merges them into its answer only for its own encoders.
  if (doc.store.pendingStructs || doc.store.pendingDs) return v2ToEntryColumns(Y.encodeStateAsUpdateV2(doc))
  return Y.encodeStateAsUpdateV2(doc, undefined, new EntryColumnsEncoder())
}

const EMPTY_STATE_VECTOR = new Uint8Array([0])

/** A second-format update in entry columns. */
export function v2ToEntryColumns(update: Uint8Array): Uint8Array {
  return Y.diffUpdateV2(update, EMPTY_STATE_VECTOR, Y.UpdateDecoderV2, EntryColumnsEncoder)
}

/** An update in entry columns in Yjs's second format. */
export function entryColumnsToV2(update: Uint8Array): Uint8Array {
  return Y.diffUpdateV2(update, EMPTY_STATE_VECTOR, EntryColumnsDecoder, Y.UpdateEncoderV2)
}

/** What a peer holding `stateVector` lacks of an update in entry columns, in Yjs's first format. */
export function diffEntryColumns(update: Uint8Array, stateVector: Uint8Array): Uint8Array {
  return Y.diffUpdateV2(update, stateVector, EntryColumnsDecoder, Y.UpdateEncoderV1)
}

/** An update in entry columns in Yjs's first format: all of it, to a peer holding nothing. */
export function entryColumnsToV1(update: Uint8Array): Uint8Array {
  return diffEntryColumns(update, EMPTY_STATE_VECTOR)
}

export function applyEntryColumns(doc: Y.Doc, update: Uint8Array, origin?: unknown): void {
  Y.applyUpdateV2(doc, update, origin, EntryColumnsDecoder)
}
