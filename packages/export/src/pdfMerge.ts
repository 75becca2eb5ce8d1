import type { Locale } from '@fabrique/templates'

/**
 * Several PDFs made by toPdf (one sheet each) as one document: their pages in order, a bookmark per
 * part on its first page (the part's own), and the document's title. The event's PDF is its teams'
 * PDFs put together, which the server keeps: copying 50 of them takes milliseconds where typesetting
 * 50 sheets again took seconds.
 *
 * This reads what pdfkit writes (a classic cross-reference table, one outline item per sheet) and
 * nothing else: it is not a general PDF tool. Objects are copied byte for byte, their references
 * renumbered; streams are not decoded.
 */
export function mergePdfs(parts: readonly Uint8Array[], options: { title: string; locale: Locale; created: Date }): Uint8Array<ArrayBuffer> {
  const out = new PdfWriter()
  // Objects 1 to 3 are the catalog, the page tree and the outline root; the parts' objects follow.
  const catalog = out.reserve()
  const pageTree = out.reserve()
  const outlineRoot = out.reserve()
  const pages: number[] = []
  const bookmarks: Array<{ title: string; page: number }> = []
  for (const bytes of parts) {
    const part = readPdf(bytes)
    const first = out.nextNumber
    // Only what the pages reach is copied: not the part's catalog, page tree, outline or info.
    const kept = part.reachableFrom(part.pageIds, new Set(['/Parent']))
    const renumber = new Map<number, number>()
    for (const id of kept) renumber.set(id, out.reserve())
    for (const id of kept) {
      const object = part.objects.get(id) as string
      const body = renumberReferences(object, renumber, (key) => (key === '/Parent' ? `${pageTree} 0 R` : undefined))
      out.set(renumber.get(id) as number, body)
    }
    const firstPage = renumber.get(part.pageIds[0] as number)
    pages.push(...part.pageIds.map((id) => renumber.get(id) as number))
    if (firstPage !== undefined) bookmarks.push({ title: part.outlineTitle ?? pdfText(`Part ${bookmarks.length + 1}`), page: firstPage })
    if (out.nextNumber === first) throw new Error('a PDF without pages cannot be merged')
  }

  const items = bookmarks.map(() => out.reserve())
  for (const [i, bookmark] of bookmarks.entries()) {
    const links = [i > 0 && `/Prev ${items[i - 1]} 0 R`, i < items.length - 1 && `/Next ${items[i + 1]} 0 R`].filter(Boolean).join('\n')
    out.set(items[i] as number, `<<\n/Title ${bookmark.title}\n/Parent ${outlineRoot} 0 R\n/Dest [${bookmark.page} 0 R /Fit]\n${links}\n>>`)
  }
  out.set(outlineRoot, items.length > 0 ? `<<\n/Type /Outlines\n/First ${items[0]} 0 R\n/Last ${items.at(-1)} 0 R\n/Count ${items.length}\n>>` : '<<\n/Type /Outlines\n/Count 0\n>>')
  out.set(pageTree, `<<\n/Type /Pages\n/Count ${pages.length}\n/Kids [${pages.map((page) => `${page} 0 R`).join(' ')}]\n>>`)
  out.set(
    catalog,
    `<<\n/Type /Catalog\n/Pages ${pageTree} 0 R\n/Outlines ${outlineRoot} 0 R\n/PageMode /UseOutlines\n/Lang (${options.locale === 'fr' ? 'fr-FR' : 'en-GB'})\n/ViewerPreferences << /DisplayDocTitle true >>\n>>`,
  )
  const date = pdfDate(options.created)
  const info = out.add(`<<\n/Title ${pdfText(options.title)}\n/Creator (Fabrique)\n/Producer (Fabrique)\n/CreationDate ${date}\n/ModDate ${date}\n>>`)
  return out.finish(catalog, info)
}

/** A parsed pdfkit file: its objects' text (streams included, as latin1), its pages, its bookmark. */
interface ParsedPdf {
  objects: Map<number, string>
  pageIds: number[]
  /** The first outline item's title, as written (a PDF string token). */
  outlineTitle: string | undefined
  /** Ids reached from `roots` through references, except under the keys of `skip`. */
  reachableFrom(roots: readonly number[], skip: ReadonlySet<string>): number[]
}

function readPdf(bytes: Uint8Array): ParsedPdf {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1])
  if (!Number.isInteger(startxref) || !text.startsWith('xref', startxref)) throw new Error('not a PDF with a cross-reference table')
  const header = /^xref\s+(\d+)\s+(\d+)\s+/.exec(text.slice(startxref, startxref + 64))
  if (!header) throw new Error('unreadable cross-reference table')
  const firstId = Number(header[1])
  const count = Number(header[2])
  const tableStart = startxref + header[0].length
  const offsets: Array<{ id: number; at: number }> = []
  for (let i = 0; i < count; i++) {
    const line = text.slice(tableStart + i * 20, tableStart + i * 20 + 18)
    if (line.endsWith(' n')) offsets.push({ id: firstId + i, at: Number(line.slice(0, 10)) })
  }
  // An object ends where the next one starts: whatever its content (strings, binary streams).
  offsets.sort((a, b) => a.at - b.at)
  const objects = new Map<number, string>()
  for (const [i, { id, at }] of offsets.entries()) {
    const end = offsets[i + 1]?.at ?? startxref
    const chunk = text.slice(at, end)
    const head = `${id} 0 obj`
    const close = chunk.lastIndexOf('endobj')
    if (!chunk.startsWith(head) || close < 0) throw new Error(`object ${id} is not where the table says`)
    objects.set(id, chunk.slice(head.length, close).trim())
  }
  const trailer = text.slice(startxref)
  const root = referenceAt(trailer, '/Root')
  const catalog = objects.get(root) ?? ''
  const pageIds: number[] = []
  const collect = (id: number) => {
    const node = objects.get(id) ?? ''
    if (/\/Type\s*\/Pages\b/.test(dictionaryOf(node))) {
      for (const kid of (/\/Kids\s*\[([^\]]*)\]/.exec(dictionaryOf(node))?.[1] ?? '').matchAll(/(\d+)\s+0\s+R/g)) collect(Number(kid[1]))
    } else pageIds.push(id)
  }
  collect(referenceAt(catalog, '/Pages'))
  let outlineTitle: string | undefined
  if (/\/Outlines\s+\d+\s+0\s+R/.test(catalog)) {
    const outlines = objects.get(referenceAt(catalog, '/Outlines')) ?? ''
    const first = /\/First\s+(\d+)\s+0\s+R/.exec(outlines)
    if (first) outlineTitle = stringAfter(objects.get(Number(first[1])) ?? '', '/Title')
  }
  return {
    objects,
    pageIds,
    outlineTitle,
    reachableFrom(roots, skip) {
      const seen = new Set<number>()
      const visit = (id: number) => {
        if (seen.has(id) || !objects.has(id)) return
        seen.add(id)
        // Only the dictionary holds references (a stream's bytes are not looked at).
        renumberReferences(dictionaryOf(objects.get(id) as string), new Map(), (key, target) => {
          if (!skip.has(key)) visit(target)
          return undefined
        })
      }
      for (const id of roots) visit(id)
      return [...seen].sort((a, b) => a - b)
    },
  }
}

/** The dictionary of an object, without its stream. */
function dictionaryOf(object: string): string {
  const stream = object.indexOf('\nstream')
  return stream < 0 ? object : object.slice(0, stream)
}

function referenceAt(dictionary: string, key: string): number {
  const match = new RegExp(`${key.replace('/', '\\/')}\\s+(\\d+)\\s+0\\s+R`).exec(dictionary)
  if (!match) throw new Error(`no ${key} reference`)
  return Number(match[1])
}

/** The string token (literal or hex) after `key`, as written. */
function stringAfter(dictionary: string, key: string): string | undefined {
  const at = dictionary.indexOf(`${key} `)
  if (at < 0) return undefined
  const start = at + key.length + 1
  const end = endOfString(dictionary, start)
  return end > start ? dictionary.slice(start, end) : undefined
}

/** Where the string token starting at `start` ends (after its closing delimiter); `start` when there is none. */
function endOfString(text: string, start: number): number {
  if (text[start] === '<' && text[start + 1] !== '<') {
    const close = text.indexOf('>', start)
    return close < 0 ? start : close + 1
  }
  if (text[start] !== '(') return start
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const char = text[i]
    if (char === '\\') i++
    else if (char === '(') depth++
    else if (char === ')' && --depth === 0) return i + 1
  }
  return start
}

/**
 * The object with every `n 0 R` outside strings and streams renumbered through `numbers`, or
 * replaced by what `replace` gives for the key it follows (the last name before it).
 */
function renumberReferences(object: string, numbers: ReadonlyMap<number, number>, replace: (key: string, target: number) => string | undefined): string {
  const dictionary = dictionaryOf(object)
  let out = ''
  let key = ''
  let i = 0
  while (i < dictionary.length) {
    const char = dictionary[i] as string
    if (char === '<' && dictionary[i + 1] === '<') {
      out += '<<'
      i += 2
      continue
    }
    if (char === '(' || char === '<') {
      const end = endOfString(dictionary, i)
      out += dictionary.slice(i, end)
      i = end > i ? end : i + 1
      continue
    }
    if (char === '/') {
      const name = /^\/[^\s/<>[\]()]*/.exec(dictionary.slice(i, i + 128))?.[0] ?? '/'
      key = name
      out += name
      i += name.length
      continue
    }
    const reference = char >= '0' && char <= '9' ? /^(\d+)\s+(\d+)\s+R\b/.exec(dictionary.slice(i, i + 32)) : null
    if (reference && (i === 0 || !/[\d.]/.test(dictionary[i - 1] as string))) {
      const target = Number(reference[1])
      out += replace(key, target) ?? `${numbers.get(target) ?? target} 0 R`
      i += reference[0].length
      continue
    }
    out += char
    i++
  }
  return out + object.slice(dictionary.length)
}

/** A text string: ASCII as a literal, anything else as UTF-16BE with its byte order mark, in hex. */
function pdfText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, '\\$&')})`
  let hex = 'FEFF'
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()
  return `<${hex}>`
}

function pdfDate(date: Date): string {
  const iso = date.toISOString()
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`
}

/** Objects numbered from 1, written with their cross-reference table. */
class PdfWriter {
  private readonly bodies: Array<string | undefined> = []

  get nextNumber(): number {
    return this.bodies.length + 1
  }

  reserve(): number {
    this.bodies.push(undefined)
    return this.bodies.length
  }

  set(id: number, body: string): void {
    this.bodies[id - 1] = body
  }

  add(body: string): number {
    const id = this.reserve()
    this.set(id, body)
    return id
  }

  finish(root: number, info: number): Uint8Array<ArrayBuffer> {
    const chunks = ['%PDF-1.3\n%\xff\xff\xff\xff\n']
    let length = chunks[0]?.length ?? 0
    const offsets: number[] = []
    for (const [i, body] of this.bodies.entries()) {
      if (body === undefined) throw new Error(`object ${i + 1} was reserved and never written`)
      offsets.push(length)
      const chunk = `${i + 1} 0 obj\n${body}\nendobj\n`
      chunks.push(chunk)
      length += chunk.length
    }
    const table = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')
    chunks.push(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${table}trailer\n<<\n/Size ${offsets.length + 1}\n/Root ${root} 0 R\n/Info ${info} 0 R\n>>\nstartxref\n${length}\n%%EOF\n`)
    const bytes = Buffer.from(chunks.join(''), 'latin1')
    return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  }
}
