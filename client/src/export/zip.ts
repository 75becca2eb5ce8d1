/**
 * A ZIP archive written in the browser. The client has no ZIP library (fflate is a dependency of
 * the server-side export package only), and a writer is small: local headers, data, a central
 * directory. Text is deflated with the browser's CompressionStream; PDFs and PNGs are compressed
 * already and stored as they are, like the server's bundle does.
 */

export interface ZipEntry {
  /** Path inside the archive, with `/` between folders. */
  name: string
  data: Uint8Array
  /** Deflate this entry (text); store it otherwise (PDF, PNG). */
  compress?: boolean
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** MS-DOS date and time, the only ones a plain ZIP header holds (local time, two-second steps). */
function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  }
}

const UTF8_NAMES = 1 << 11
const STORE = 0
const DEFLATE = 8

/** The archive as a Blob; entries keep their order. Fails on more than 65,535 entries or 4 GB. */
export async function zipFiles(entries: readonly ZipEntry[], modified = new Date()): Promise<Blob> {
  if (entries.length > 0xffff) throw new Error('Too many files for a ZIP archive without ZIP64')
  const encoder = new TextEncoder()
  const stamp = dosDateTime(modified)
  const parts: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const entry of entries) {
    const name = encoder.encode(entry.name)
    const crc = crc32(entry.data)
    let data = entry.data
    let method = STORE
    if (entry.compress) {
      const deflated = await deflateRaw(entry.data)
      if (deflated.length < entry.data.length) {
        data = deflated
        method = DEFLATE
      }
    }
    if (offset + data.length > 0xffffffff) throw new Error('ZIP archive larger than 4 GB')

    const local = new Uint8Array(30 + name.length)
    const header = new DataView(local.buffer)
    header.setUint32(0, 0x04034b50, true)
    header.setUint16(4, 20, true)
    header.setUint16(6, UTF8_NAMES, true)
    header.setUint16(8, method, true)
    header.setUint16(10, stamp.time, true)
    header.setUint16(12, stamp.date, true)
    header.setUint32(14, crc, true)
    header.setUint32(18, data.length, true)
    header.setUint32(22, entry.data.length, true)
    header.setUint16(26, name.length, true)
    local.set(name, 30)

    const record = new Uint8Array(46 + name.length)
    const directory = new DataView(record.buffer)
    directory.setUint32(0, 0x02014b50, true)
    directory.setUint16(4, 20, true)
    directory.setUint16(6, 20, true)
    directory.setUint16(8, UTF8_NAMES, true)
    directory.setUint16(10, method, true)
    directory.setUint16(12, stamp.time, true)
    directory.setUint16(14, stamp.date, true)
    directory.setUint32(16, crc, true)
    directory.setUint32(20, data.length, true)
    directory.setUint32(24, entry.data.length, true)
    directory.setUint16(28, name.length, true)
    directory.setUint32(42, offset, true)
    record.set(name, 46)

    parts.push(local, data)
    central.push(record)
    offset += local.length + data.length
  }
  const directorySize = central.reduce((sum, record) => sum + record.length, 0)
  const end = new Uint8Array(22)
  const trailer = new DataView(end.buffer)
  trailer.setUint32(0, 0x06054b50, true)
  trailer.setUint16(8, entries.length, true)
  trailer.setUint16(10, entries.length, true)
  trailer.setUint32(12, directorySize, true)
  trailer.setUint32(16, offset, true)
  return new Blob([...parts, ...central, end] as Uint8Array<ArrayBuffer>[], { type: 'application/zip' })
}
