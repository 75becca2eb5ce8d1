import { type Locale, PROJECT_SHEET_FIELDS } from '@fabrique/templates'
import PDFDocument from 'pdfkit'
import { formatDate, formatDateTime, LABELS } from './labels.ts'
import type { ProjectSheet, SheetNote } from './types.ts'
import { toWinAnsi, typeset } from './typography.ts'

export interface PdfOptions {
  /** IANA time zone of the export time; Europe/Paris by default. */
  timeZone?: string
  /** The document's title when there are several sheets (the event PDF). */
  title?: string
}

type Doc = PDFKit.PDFDocument

const MARGIN = { top: 56, bottom: 64, left: 60, right: 60 }
const FOOTER_OFFSET = 36
const BULLET_INDENT = 14
/** The French State's blue, and the grey of its design system. */
const BLUE = '#000091'
const TEXT = '#161616'
const GREY = '#666666'
const RULE = '#dddddd'

const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const

/**
 * Project sheets as one A4 PDF, each team starting on a new page, with a bookmark per team and
 * page numbers. pdfkit's built-in Helvetica keeps the file small and needs no font file; it only
 * knows Windows-1252, so the text goes through `toWinAnsi` (French letters, « », ’, –, … are in it).
 */
export async function toPdf(sheets: readonly ProjectSheet[], locale: Locale, options: PdfOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const words = LABELS[locale]
  const title = options.title ?? (sheets.length === 1 ? `${words.sheet} – ${sheets[0].title}` : words.eventSheets)
  const created = sheets[0] ? new Date(sheets[0].exportedAt) : new Date()
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    lang: locale === 'fr' ? 'fr-FR' : 'en-GB',
    displayTitle: true,
    info: { Title: title, Creator: 'Fabrique', Producer: 'Fabrique', CreationDate: created, ModDate: created },
  })
  const chunks: Uint8Array[] = []
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })

  const footers: Footer[] = []
  if (sheets.length === 0) {
    doc.addPage()
    heading(doc, typeset(title, locale), 20)
    paragraph(doc, typeset(words.noTeams, locale), { font: FONT.italic, color: GREY })
    footers.push({ owner: '', page: 1, of: 1 })
  }
  for (const sheet of sheets) {
    const firstPage = doc.bufferedPageRange().count
    doc.addPage()
    doc.outline.addItem(`${sheet.title} – ${sheet.team.name}`)
    renderSheet(doc, sheet, locale, options)
    const pages = doc.bufferedPageRange().count - firstPage
    for (let page = 1; page <= pages; page++) footers.push({ owner: sheet.team.name, page, of: pages })
  }
  writeFooters(doc, footers, locale)
  doc.end()
  await finished
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function renderSheet(doc: Doc, sheet: ProjectSheet, locale: Locale, options: PdfOptions): void {
  const words = LABELS[locale]
  const t = (text: string) => typeset(text, locale)
  const colon = locale === 'fr' ? '\u00a0: ' : ': '

  paragraph(doc, `${t(words.sheet)} · ${t(sheet.event.title)} · ${formatDate(sheet.event.date, locale)}`, { size: 9, color: GREY })
  doc.y += 8
  heading(doc, t(sheet.title), 22)
  doc.y += 6

  labelled(doc, t(words.team) + colon, t(sheet.team.name))
  if (sheet.team.members.length > 0) labelled(doc, t(words.members) + colon, sheet.team.members.map(t).join(', '))
  labelled(doc, t(words.challenge) + colon, sheet.challenge ? t(sheet.challenge.title) : t(words.noChallenge))
  if (sheet.challenge?.description.trim()) paragraph(doc, t(sheet.challenge.description.trim()), { size: 10, color: GREY, gap: 4 })
  if (sheet.challenge && sheet.challenge.datasets.length > 0) {
    paragraph(doc, t(words.datasets) + colon.trimEnd(), { size: 10, font: FONT.bold, gap: 2 })
    for (const dataset of sheet.challenge.datasets) bullet(doc, t(dataset.title), '', { size: 10, link: dataset.url })
  }
  rule(doc)

  for (const field of PROJECT_SHEET_FIELDS) section(doc, t(sheet.fields[field].title[locale]), sheet.fields[field].notes, locale)
  if (sheet.otherNotes.length > 0) section(doc, t(words.otherNotes), sheet.otherNotes, locale)
  if (sheet.presentation) {
    ensureRoom(doc, 60)
    doc.y += 14
    heading(doc, t(words.presentation), 13)
    doc.y += 4
    for (const [i, slide] of sheet.presentation.entries()) bullet(doc, `${i + 1}. ${t(slide.title || slide.shapeId)}`, '')
  }
  if (sheet.juryScores) {
    const jury = sheet.juryScores
    const score = (value: number | null) => (value === null ? '–' : `${value.toLocaleString(locale)} ${words.outOfFive}`)
    ensureRoom(doc, 120)
    doc.y += 14
    heading(doc, t(words.jury), 13)
    doc.y += 4
    paragraph(doc, t(words.jurors(jury.jurors)), { size: 10, font: FONT.italic, color: GREY, gap: 4 })
    for (const criterion of jury.criteria) labelled(doc, t(criterion.title[locale]) + colon, score(criterion.average))
    labelled(doc, t(words.overall) + colon, score(jury.overall))
    for (const comment of jury.comments) paragraph(doc, t(locale === 'fr' ? `« ${comment} »` : `“${comment}”`), { size: 10, gap: 2 })
  }

  doc.y += 20
  paragraph(doc, `${t(words.exportedAt)} ${formatDateTime(sheet.exportedAt, locale, options.timeZone)}`, { size: 8, color: GREY })
}

function section(doc: Doc, title: string, notes: readonly SheetNote[], locale: Locale): void {
  const words = LABELS[locale]
  // Keep a heading with its first note: never a heading alone at the foot of a page.
  ensureRoomFor(doc, 40 + MAX_KEPT_TOGETHER, () => 40 + (notes[0] ? noteHeight(doc, notes[0], locale) : 14))
  doc.y += 14
  heading(doc, title, 13)
  doc.y += 4
  if (notes.length === 0) {
    paragraph(doc, typeset(words.empty, locale), { size: 10, font: FONT.italic, color: GREY })
    return
  }
  for (const note of notes) {
    ensureRoomFor(doc, MAX_KEPT_TOGETHER, () => noteHeight(doc, note, locale))
    bullet(doc, typeset(note.text, locale), details(note, locale))
  }
}

function details(note: SheetNote, locale: Locale): string {
  return [note.author ?? '', note.votes > 0 ? LABELS[locale].votes(note.votes) : ''].filter(Boolean).join(' · ')
}

const contentWidth = (doc: Doc) => doc.page.width - MARGIN.left - MARGIN.right

function noteHeight(doc: Doc, note: SheetNote, locale: Locale): number {
  const extra = details(note, locale)
  doc.font(FONT.regular).fontSize(11)
  return doc.heightOfString(toWinAnsi(typeset(note.text, locale) + (extra ? ` — ${extra}` : '')), { width: contentWidth(doc) - BULLET_INDENT }) + 4
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage()
}

/** A note taller than this may start at the foot of a page and go on over the next one. */
const MAX_KEPT_TOGETHER = 120

/**
 * Starts a new page unless the next `height()` points fit, `height` counting at most `max`. It is
 * only measured near the foot of a page: measuring wraps the text, which costs as much as writing it.
 */
function ensureRoomFor(doc: Doc, max: number, height: () => number): void {
  if (doc.y + max <= doc.page.height - MARGIN.bottom) return
  ensureRoom(doc, Math.min(height(), max))
}

function heading(doc: Doc, text: string, size: number): void {
  doc.font(FONT.bold).fontSize(size).fillColor(BLUE).text(toWinAnsi(text), MARGIN.left, doc.y, { width: contentWidth(doc) })
}

/** `gap`: points of space after the paragraph. */
function paragraph(doc: Doc, text: string, style: { size?: number; font?: string; color?: string; gap?: number } = {}): void {
  doc
    .font(style.font ?? FONT.regular)
    .fontSize(style.size ?? 11)
    .fillColor(style.color ?? TEXT)
    .text(toWinAnsi(text), MARGIN.left, doc.y, { width: contentWidth(doc) })
  doc.y += style.gap ?? 0
}

function labelled(doc: Doc, label: string, value: string): void {
  doc.font(FONT.bold).fontSize(11).fillColor(TEXT).text(toWinAnsi(label), MARGIN.left, doc.y, { width: contentWidth(doc), continued: true })
  doc.font(FONT.regular).text(toWinAnsi(value))
}

function bullet(doc: Doc, text: string, extra: string, style: { size?: number; link?: string } = {}): void {
  const size = style.size ?? 11
  const y = doc.y
  const width = contentWidth(doc) - BULLET_INDENT
  doc.font(FONT.bold).fontSize(size).fillColor(BLUE).text('•', MARGIN.left, y, { width: BULLET_INDENT, lineBreak: false })
  doc
    .font(FONT.regular)
    .fontSize(size)
    .fillColor(style.link ? BLUE : TEXT)
    .text(toWinAnsi(text), MARGIN.left + BULLET_INDENT, y, { width, continued: extra !== '', link: style.link, underline: Boolean(style.link) })
  if (extra) doc.font(FONT.italic).fontSize(size - 2).fillColor(GREY).text(toWinAnsi(` — ${extra}`), { underline: false })
  doc.y += 3
}

function rule(doc: Doc): void {
  doc.y += 10
  const y = doc.y
  doc.moveTo(MARGIN.left, y).lineTo(doc.page.width - MARGIN.right, y).lineWidth(0.5).strokeColor(RULE).stroke()
  doc.y += 4
}

/** Each page's foot: the team, and the page's number among its sheet's pages. */
interface Footer {
  owner: string
  page: number
  of: number
}

/**
 * "Team — Page 2 of 3" at the foot of every page, written once the page count is known. Pages are
 * numbered within their sheet: the event's PDF (mergePdfs) is its sheets' PDFs one after the other.
 */
function writeFooters(doc: Doc, footers: readonly Footer[], locale: Locale): void {
  const { start, count } = doc.bufferedPageRange()
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i)
    // Writing in the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0
    const y = doc.page.height - FOOTER_OFFSET
    const width = contentWidth(doc)
    doc.font(FONT.regular).fontSize(8).fillColor(GREY)
    const footer = footers[i] ?? { owner: '', page: i + 1, of: count }
    doc.text(toWinAnsi(typeset(footer.owner, locale)), MARGIN.left, y, { width: width * 0.7, lineBreak: false, ellipsis: true })
    doc.text(toWinAnsi(LABELS[locale].page(footer.page, footer.of)), MARGIN.left, y, { width, align: 'right', lineBreak: false })
    doc.page.margins.bottom = MARGIN.bottom
  }
}
