import { type Locale, PROJECT_SHEET_FIELDS } from '@fabrique/templates'
import { formatDate, formatDateTime, LABELS } from './labels.ts'
import type { ProjectSheet, SheetNote } from './types.ts'
import { typeset } from './typography.ts'

export interface MarkdownOptions {
  /** IANA time zone of the export time; Europe/Paris by default. */
  timeZone?: string
}

/** Text typed on a board must not turn into Markdown structure (headings, links, HTML). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|]/g, '\\$&')
    .replace(/^(\s*)([#+-])(?=\s|$)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2')
}

/** A sheet as Markdown, headings and fixed words in the given language. */
export function toMarkdown(sheet: ProjectSheet, locale: Locale, options: MarkdownOptions = {}): string {
  const words = LABELS[locale]
  const text = (value: string) => escapeMarkdown(typeset(value, locale))
  const colon = locale === 'fr' ? '\u00a0:' : ':'
  const lines: string[] = []

  lines.push(`# ${text(sheet.title)}`, '')
  lines.push(`- **${words.event}**${colon} ${text(sheet.event.title)}, ${formatDate(sheet.event.date, locale)}`)
  const members = sheet.team.members.length > 0 ? ` (${sheet.team.members.map(text).join(', ')})` : ''
  lines.push(`- **${words.team}**${colon} ${text(sheet.team.name)}${members}`)
  lines.push(`- **${words.challenge}**${colon} ${sheet.challenge ? text(sheet.challenge.title) : `_${words.noChallenge}_`}`)
  if (sheet.challenge?.description.trim()) {
    lines.push('', ...sheet.challenge.description.trim().split(/\r?\n/).map((line) => `> ${text(line)}`.trimEnd()))
  }
  if (sheet.challenge && sheet.challenge.datasets.length > 0) {
    lines.push('', `**${words.datasets}**${colon}`, '')
    for (const dataset of sheet.challenge.datasets) lines.push(`- [${text(dataset.title)}](<${dataset.url.replace(/[<>\s]/g, encodeURIComponent)}>)`)
  }

  for (const field of PROJECT_SHEET_FIELDS) {
    const { title, notes } = sheet.fields[field]
    lines.push('', `## ${text(title[locale])}`, '', ...noteList(notes, locale))
  }
  if (sheet.otherNotes.length > 0) lines.push('', `## ${words.otherNotes}`, '', ...noteList(sheet.otherNotes, locale))
  if (sheet.presentation) {
    lines.push('', `## ${words.presentation}`, '', ...sheet.presentation.map((slide, i) => `${i + 1}. ${text(slide.title || slide.shapeId)}`))
  }
  if (sheet.juryScores) {
    const jury = sheet.juryScores
    const score = (value: number | null) => (value === null ? '–' : `${value.toLocaleString(locale)} ${words.outOfFive}`)
    lines.push('', `## ${words.jury}`, '', `_${words.jurors(jury.jurors)}_`, '')
    for (const criterion of jury.criteria) lines.push(`- **${text(criterion.title[locale])}**${colon} ${score(criterion.average)}`)
    lines.push(`- **${words.overall}**${colon} ${score(jury.overall)}`)
    if (jury.comments.length > 0) lines.push('', `**${words.comments}**${colon}`, '', ...jury.comments.map((comment) => `> ${text(comment)}`))
  }

  lines.push('', '---', '', `_${words.sheet} · ${words.exportedAt} ${formatDateTime(sheet.exportedAt, locale, options.timeZone)}_`, '')
  return lines.join('\n')
}

function noteList(notes: readonly SheetNote[], locale: Locale): string[] {
  const words = LABELS[locale]
  if (notes.length === 0) return [`_${words.empty}_`]
  return notes.map((note) => {
    const [first, ...rest] = escapeMarkdown(typeset(note.text, locale))
      .split('\n')
      .filter((line) => line.trim())
    const details = [note.author ? `_${escapeMarkdown(note.author)}_` : '', note.votes > 0 ? words.votes(note.votes) : ''].filter(Boolean)
    const body = [first, ...rest.map((line) => `  ${line}`)].join('\\\n')
    return `- ${body}${details.length > 0 ? ` — ${details.join(' · ')}` : ''}`
  })
}
