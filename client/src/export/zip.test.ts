import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32, zipFiles } from './zip.ts'

/** Reads an archive back through its central directory, as unzip tools do. */
function unzip(bytes: Uint8Array): Map<string, { data: Uint8Array; method: number; crc: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = bytes.length - 22
  expect(view.getUint32(end, true)).toBe(0x06054b50)
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const files = new Map<string, { data: Uint8Array; method: number; crc: number }>()
  const decoder = new TextDecoder()
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50)
    const method = view.getUint16(at + 10, true)
    const crc = view.getUint32(at + 16, true)
    const size = view.getUint32(at + 20, true)
    const nameLength = view.getUint16(at + 28, true)
    const local = view.getUint32(at + 42, true)
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength))
    expect(view.getUint32(local, true)).toBe(0x04034b50)
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
    const stored = bytes.subarray(start, start + size)
    files.set(name, { data: method === 8 ? new Uint8Array(inflateRawSync(stored)) : stored, method, crc })
    at += 46 + nameLength
  }
  return files
}

describe('zipFiles', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
  })

  it('writes an archive whose files read back byte for byte, text deflated and binaries stored', async () => {
    const text = new TextEncoder().encode('Équipe « Mobilités »\n'.repeat(200))
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
    const blob = await zipFiles([
      { name: 'mobilites/fiche.md', data: text, compress: true },
      { name: 'mobilites/pictures/board.png', data: png },
      { name: 'vide.txt', data: new Uint8Array(), compress: true },
    ])
    expect(blob.type).toBe('application/zip')
    const files = unzip(new Uint8Array(await blob.arrayBuffer()))
    expect([...files.keys()]).toEqual(['mobilites/fiche.md', 'mobilites/pictures/board.png', 'vide.txt'])
    const md = files.get('mobilites/fiche.md')
    expect(md?.method).toBe(8)
    expect(md?.data).toEqual(text)
    expect(md?.crc).toBe(crc32(text))
    expect(files.get('mobilites/pictures/board.png')).toMatchObject({ method: 0, data: png })
    expect(files.get('vide.txt')?.data).toEqual(new Uint8Array())
  })
})
