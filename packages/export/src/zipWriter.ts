import * as zlib from 'node:zlib'

/**
 * A file made ready for ZIP archives: checksummed and compressed once, then written into any number
 * of them by copying its bytes. The server keeps the entries of each team's sheet between exports
 * (see the export thread's cache), so an archive of 50 teams is a concatenation, not 150 compressions.
 */
export interface ZipEntry {
  /** 8: deflated; 0: stored as is (PDFs, which are compressed already). */
  method: 0 | 8
  /** CRC-32 of the uncompressed bytes. */
  crc: number
  /** Uncompressed size. */
  size: number
  /** The bytes as they go into the archive. */
  data: Uint8Array
}

/** Level 1: three times faster than the default on the sheets' JSON and Markdown, for about a fifth more bytes. */
const DEFLATE_LEVEL = 1

/** A file's content as an entry, deflated unless `store` (for content compressed already). */
export function zipEntry(content: Uint8Array | string, options: { store?: boolean } = {}): ZipEntry {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
  const crc = crc32(bytes)
  if (options.store) return { method: 0, crc, size: bytes.byteLength, data: bytes }
  // Node's zlib (raw DEFLATE, as ZIP wants it): fflate's, in JavaScript, took a third of the time
  // event files took to make (notes.csv of 50 boards of 2,000 shapes). Its own buffer: entries move
  // between threads with their ArrayBuffer.
  return { method: 8, crc, size: bytes.byteLength, data: ownBytes(zlib.deflateRawSync(bytes, { level: DEFLATE_LEVEL })) }
}

/** The entry's uncompressed bytes. */
export function entryContent(entry: ZipEntry): Uint8Array {
  return entry.method === 0 ? entry.data : zlib.inflateRawSync(entry.data)
}

/** `bytes` alone in an ArrayBuffer of its size (zlib hands out Buffers on larger ones, whose `slice` is a view). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
}

/** Archives hold at most this many files and 4 GiB (no ZIP64): far beyond an event's export. */
const MAX_FILES = 0xffff
const MAX_BYTES = 0xffffffff

const LOCAL_HEADER = 30
const CENTRAL_HEADER = 46
const END_RECORD = 22
/** General purpose flag: names are UTF-8. */
const UTF8_NAMES = 0x0800

/**
 * A ZIP archive of `files` (path → entry), in that order, dated `date` (local time, as ZIP tools
 * read it). Entries are copied, never recompressed.
 */
export function writeZip(files: ReadonlyArray<readonly [string, ZipEntry]>, date = new Date()): Uint8Array<ArrayBuffer> {
  if (files.length > MAX_FILES) throw new RangeError(`a ZIP holds at most ${MAX_FILES} files (asked for ${files.length})`)
  const encoder = new TextEncoder()
  const names = files.map(([name]) => encoder.encode(name))
  let total = END_RECORD
  for (const [i, [, entry]] of files.entries()) total += LOCAL_HEADER + CENTRAL_HEADER + 2 * (names[i] as Uint8Array).byteLength + entry.data.byteLength
  if (total > MAX_BYTES) throw new RangeError(`a ZIP holds at most 4 GiB (asked for ${total} bytes)`)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  const time = ((date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1)) & 0xffff
  const day = (((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate()) & 0xffff

  // The fields a local header and its central record share, from "version needed" to the name's length.
  const common = (at: number, name: Uint8Array, entry: ZipEntry) => {
    view.setUint16(at, 20, true)
    view.setUint16(at + 2, UTF8_NAMES, true)
    view.setUint16(at + 4, entry.method, true)
    view.setUint16(at + 6, time, true)
    view.setUint16(at + 8, day, true)
    view.setUint32(at + 10, entry.crc, true)
    view.setUint32(at + 14, entry.data.byteLength, true)
    view.setUint32(at + 18, entry.size, true)
    view.setUint16(at + 22, name.byteLength, true)
  }

  let at = 0
  const offsets: number[] = []
  for (const [i, [, entry]] of files.entries()) {
    const name = names[i] as Uint8Array
    offsets.push(at)
    view.setUint32(at, 0x04034b50, true)
    common(at + 4, name, entry)
    // Extra field length (at + 28) stays 0.
    out.set(name, at + LOCAL_HEADER)
    out.set(entry.data, at + LOCAL_HEADER + name.byteLength)
    at += LOCAL_HEADER + name.byteLength + entry.data.byteLength
  }
  const directory = at
  for (const [i, [, entry]] of files.entries()) {
    const name = names[i] as Uint8Array
    view.setUint32(at, 0x02014b50, true)
    view.setUint16(at + 4, 20, true) // made by: MS-DOS, version 2.0
    common(at + 6, name, entry)
    // Extra and comment lengths, disk number, internal and external attributes stay 0.
    view.setUint32(at + 42, offsets[i] as number, true)
    out.set(name, at + CENTRAL_HEADER)
    at += CENTRAL_HEADER + name.byteLength
  }
  view.setUint32(at, 0x06054b50, true)
  view.setUint16(at + 8, files.length, true)
  view.setUint16(at + 10, files.length, true)
  view.setUint32(at + 12, at - directory, true)
  view.setUint32(at + 16, directory, true)
  return out
}

let table: Uint32Array | undefined

/** Node's own (zlib's, from Node 20.15): ten times faster than the table below. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32

/** CRC-32 (the ZIP and gzip one: polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(bytes) : tableCrc32(bytes)
}

export function tableCrc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  const t = table
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = (t[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
