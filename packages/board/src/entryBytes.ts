/**
 * Reading stored entries (`["recordId/field",value]`, UTF-8 JSON as JSON.stringify writes it) from
 * their bytes. A board holds one entry per field of each record, 130,000 on a 5,000-shape board:
 * a TextDecoder call and a JSON.parse per entry cost more than the few characters most of them hold.
 */

export const OPEN_BRACKET = 0x5b
export const CLOSE_BRACKET = 0x5d
export const QUOTE = 0x22
export const COMMA = 0x2c
export const BACKSLASH = 0x5c
export const SLASH = 0x2f
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39
const MINUS = 0x2d

const LETTER_T = 0x74
const LETTER_F = 0x66
const LETTER_N = 0x6e

/** Longer ASCII runs go through TextDecoder, faster than building the string a character at a time. */
const SHORT_TEXT = 64

const decoder = new TextDecoder()
const TRUE = new TextEncoder().encode('true')
const FALSE = new TextEncoder().encode('false')
const NULL = new TextEncoder().encode('null')

/**
 * Where an entry's key ends (its closing quote) and its last slash, in one pass over the key, as
 * `slash * 0x10000 + end` (no object per entry); undefined for an escaped, non-ASCII or control
 * character in the key, a key without a slash, or one too long to say so: the caller parses those
 * entries whole.
 */
export function keyBounds(raw: Uint8Array): number | undefined {
  if (raw[0] !== OPEN_BRACKET || raw[1] !== QUOTE || raw[raw.length - 1] !== CLOSE_BRACKET) return undefined
  let slash = 0
  for (let i = 2; i < raw.length && i < 0xffff; i++) {
    const byte = raw[i] as number
    if (byte === QUOTE) return raw[i + 1] === COMMA && slash > 0 ? slash * 0x10000 + i : undefined
    if (byte === SLASH) slash = i
    else if (byte === BACKSLASH || byte >= 0x80 || byte < 0x20) return undefined
  }
  return undefined
}

/** Whether `a[2, aEnd)` and `b[2, bEnd)` hold the same bytes: two entries' record ids. */
export function sameRecordId(a: Uint8Array, aEnd: number, b: Uint8Array, bEnd: number): boolean {
  if (aEnd !== bEnd) return false
  for (let i = aEnd - 1; i >= 2; i--) if (a[i] !== b[i]) return false
  return true
}

/** Whether the bytes of `raw` between `from` and `to` are those of `spelling`. */
export function spells(raw: Uint8Array, from: number, to: number, spelling: Uint8Array): boolean {
  if (spelling.length !== to - from) return false
  for (let i = 0; i < spelling.length; i++) if (raw[from + i] !== spelling[i]) return false
  return true
}

/** Which of `spellings` the bytes of `raw` between `from` and `to` spell, or -1. */
export function spelledBy(raw: Uint8Array, from: number, to: number, spellings: readonly Uint8Array[]): number {
  for (let f = 0; f < spellings.length; f++) if (spells(raw, from, to, spellings[f] as Uint8Array)) return f
  return -1
}

/**
 * The bytes of `raw` between `from` and `to` as a string, built from them when they are few and all
 * ASCII; undefined when one is not ASCII, for the caller to decode them as UTF-8.
 */
function asciiText(raw: Uint8Array, from: number, to: number): string | undefined {
  let text = ''
  for (let i = from; i < to; i++) {
    const byte = raw[i] as number
    if (byte >= 0x80) return undefined
    text += String.fromCharCode(byte)
  }
  return text
}

/**
 * The characters of a JSON string's body when it needs no unescaping: ASCII, no quote, no backslash
 * and no control character (which JSON.parse refuses); undefined otherwise.
 */
function plainString(raw: Uint8Array, from: number, to: number): string | undefined {
  let text = ''
  for (let i = from; i < to; i++) {
    const byte = raw[i] as number
    if (byte >= 0x80 || byte < 0x20 || byte === QUOTE || byte === BACKSLASH) return undefined
    text += String.fromCharCode(byte)
  }
  return text
}

/** The bytes of `raw` between `from` and `to`, decoded as UTF-8. */
export function textOf(raw: Uint8Array, from: number, to: number): string {
  return (to - from <= SHORT_TEXT && asciiText(raw, from, to)) || decoder.decode(raw.subarray(from, to))
}

/**
 * The JSON value held by `raw` between `from` and `to`. Short plain strings (ids, indexes, parents,
 * colours), integers (most positions and sizes), `true`, `false` and `null` are read from their
 * bytes; anything else goes to JSON.parse, which also rejects what is not JSON.
 */
export function parseValue(raw: Uint8Array, from: number, to: number): unknown {
  const first = raw[from] as number
  if (first === LETTER_T && spells(raw, from, to, TRUE)) return true
  if (first === LETTER_F && spells(raw, from, to, FALSE)) return false
  if (first === LETTER_N && spells(raw, from, to, NULL)) return null
  if (first === QUOTE && to - from >= 2 && to - from <= SHORT_TEXT && raw[to - 1] === QUOTE) {
    const text = plainString(raw, from + 1, to - 1)
    if (text !== undefined) return text
  } else if (to - from <= 15 && ((first >= DIGIT_0 && first <= DIGIT_9) || first === MINUS)) {
    // At most 15 digits: exact in a double. No leading zero (JSON has none but "0" itself).
    const start = first === MINUS ? from + 1 : from
    if (start < to && (raw[start] !== DIGIT_0 || to - start === 1)) {
      let value = 0
      let i = start
      for (; i < to; i++) {
        const digit = (raw[i] as number) - DIGIT_0
        if (digit < 0 || digit > 9) break
        value = value * 10 + digit
      }
      if (i === to) return first === MINUS ? -value : value
    }
  }
  return JSON.parse(textOf(raw, from, to))
}
