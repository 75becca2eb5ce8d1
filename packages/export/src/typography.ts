import type { Locale } from '@fabrique/templates'

const NBSP = '\u00a0'
const NARROW_NBSP = '\u202f'

/**
 * French typography for text people typed: a non-breaking space before : ; ! ? and », after «,
 * whether they typed a plain space or none. Only punctuation that ends a word and is followed by a
 * space or the end gets one, so that links (https://, ?q=) and times (10:30) stay as they are.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`)
    .replace(/([^\s«:;!?])[ \u00a0\u202f]*([:;!?]+)(?=\s|$|[»"”’])/gu, (_match, before: string, marks: string) =>
      `${before}${marks.startsWith(':') ? NBSP : NARROW_NBSP}${marks}`,
    )
}

/** Text as it should read in the given language. */
export function typeset(text: string, locale: Locale): string {
  return locale === 'fr' ? frenchSpacing(text) : text
}

/**
 * Characters outside Windows-1252 that have a plain equivalent. pdfkit's built-in fonts (Helvetica)
 * only know that code page; anything else would print as garbage.
 */
const WIN_ANSI_REPLACEMENTS: Record<string, string> = {
  [NARROW_NBSP]: NBSP,
  '\u2007': NBSP,
  '\u2060': '',
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\ufeff': '',
  '\u00ad': '',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': '’',
  '\u2033': '”',
  '\u2039': '‹',
  '\u2043': '•',
  '\u25cf': '•',
  '\u25aa': '•',
  '\u25e6': '•',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2194': '<->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u2717': 'x',
  '\u2718': 'x',
  // Latin letters with a stroke have no decomposition to fall back on.
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
}

/** Code points above 0xFF that Windows-1252 has (at 0x80-0x9F). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0
  if (code >= 0x20 && code < 0x7f) return true
  if (code === 0x0a) return true
  if (code >= 0xa0 && code <= 0xff) return true
  return WIN_ANSI_EXTRA.has(char)
}

/**
 * The text made printable with a WinAnsi font: known look-alikes replaced, accented letters the
 * code page lacks reduced to their base letter (ő → o), pictographs dropped, anything else as "?".
 */
export function toWinAnsi(text: string): string {
  let out = ''
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    if (isWinAnsi(char)) {
      out += char
      continue
    }
    const replacement = WIN_ANSI_REPLACEMENTS[char]
    if (replacement !== undefined) {
      out += replacement
      continue
    }
    if (/^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Cc}|\p{Cf}|\u20e3|\ufe0e|\ufe0f)$/u.test(char)) continue
    if (/\p{Zs}/u.test(char)) {
      out += ' '
      continue
    }
    const reduced = char.normalize('NFKD').replace(/\p{M}/gu, '')
    out += reduced && [...reduced].every(isWinAnsi) ? reduced : '?'
  }
  // A dropped pictograph leaves its two surrounding spaces.
  return out.replace(/ {2,}/g, ' ')
}
