import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, test } from 'vitest'
import { crc32, entryContent, tableCrc32, writeZip, zipEntry } from './zipWriter.ts'

describe('writeZip', () => {
  test('CRC-32 is the standard one', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
    // Node's own and the table's, which runs where Node has none (before 20.15), agree.
    expect(tableCrc32(strToU8('123456789'))).toBe(0xcbf43926)
    const random = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 24)
    expect(crc32(random)).toBe(tableCrc32(random))
  })

  test('an entry’s bytes are alone in their buffer: they can move to another thread', () => {
    const entry = zipEntry('{"notes":[]}\n'.repeat(2000))
    expect(entry.data.byteOffset).toBe(0)
    expect(entry.data.byteLength).toBe(entry.data.buffer.byteLength)
    expect(strFromU8(entryContent(entry))).toBe('{"notes":[]}\n'.repeat(2000))
  })

  test('another ZIP reader finds every file, deflated or stored, with its name in UTF-8', () => {
    const text = 'Équipe « Mobilités » '.repeat(500)
    const binary = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)
    const archive = writeZip([
      ['équipe/fiche.md', zipEntry(text)],
      ['équipe/fiche.pdf', zipEntry(binary, { store: true })],
      ['vide.csv', zipEntry('')],
    ])

    const files = unzipSync(archive)
    expect(Object.keys(files)).toEqual(['équipe/fiche.md', 'équipe/fiche.pdf', 'vide.csv'])
    expect(strFromU8(files['équipe/fiche.md'] as Uint8Array)).toBe(text)
    expect(files['équipe/fiche.pdf']).toEqual(binary)
    expect((files['vide.csv'] as Uint8Array).byteLength).toBe(0)
  })

  test('the system unzip tests the archive clean (CRCs, sizes, directory)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-zip-'))
    try {
      const file = path.join(dir, 'bundle.zip')
      fs.writeFileSync(file, writeZip([['a/fiche.json', zipEntry('{"a":1}\n'.repeat(100))], ['b.pdf', zipEntry(strToU8('%PDF-1.3'), { store: true })]]))
      let output: string
      try {
        output = execFileSync('unzip', ['-t', file], { encoding: 'utf8' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('this test needs Info-ZIP’s unzip: apt-get install -y unzip')
        throw error
      }
      expect(output).toContain('No errors detected')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an entry is made once and copied into several archives, and reads back', () => {
    const entry = zipEntry('{"title":"Fiche"}\n'.repeat(1000))
    expect(entry.data.byteLength).toBeLessThan(entry.size / 10)
    expect(strFromU8(entryContent(entry))).toBe('{"title":"Fiche"}\n'.repeat(1000))
    const one = unzipSync(writeZip([['x.json', entry]]))
    const two = unzipSync(writeZip([['y/x.json', entry]]))
    expect(one['x.json']).toEqual(two['y/x.json'])
  })

  test('dated in local time, as ZIP tools read it', () => {
    const date = new Date(2026, 11, 7, 16, 30, 42)
    const archive = writeZip([['a.txt', zipEntry('a')]], date)
    const view = new DataView(archive.buffer)
    expect(view.getUint16(10, true)).toBe((16 << 11) | (30 << 5) | 21)
    expect(view.getUint16(12, true)).toBe(((2026 - 1980) << 9) | (12 << 5) | 7)
    // fflate's own archive of the same file carries the same date fields.
    const reference = zipSync({ 'a.txt': [strToU8('a'), { mtime: date }] })
    expect(new DataView(reference.buffer).getUint16(10, true)).toBe(view.getUint16(10, true))
  })
})
