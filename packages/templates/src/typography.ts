import type { Localized } from './types.ts'

const NO_BREAK_SPACE = '\u00a0'
const NARROW_NO_BREAK_SPACE = '\u202f'

/**
 * French puts a space before two-part punctuation and inside guillemets, and that space must not
 * break a line: data is written with plain spaces and fixed here so it stays readable in source.
 */
export function frenchTypography(text: string): string {
  return text
    .replace(/ +:/g, `${NO_BREAK_SPACE}:`)
    .replace(/ +([;?!])/g, `${NARROW_NO_BREAK_SPACE}$1`)
    .replace(/« +/g, `«${NO_BREAK_SPACE}`)
    .replace(/ +»/g, `${NO_BREAK_SPACE}»`)
}

/** A localized string whose French half gets French typography. */
export function t(fr: string, en: string): Localized {
  return { fr: frenchTypography(fr), en }
}
