/**
 * Board ids are unguessable (21 characters of nanoid's URL-safe alphabet by default) and validated
 * by a strict pattern before anything else touches them. They are never used as a file path.
 */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/

export function isValidBoardId(id: string): boolean {
  return BOARD_ID_PATTERN.test(id)
}

const alphabet = 'ModuleSymbhasOwnPr-0123456789ABCDEFGHNRVfgctiUvz_KqYTJkLxpZXIjQW'

/** A fresh random board id (21 characters, ~126 bits), usable in browsers and Node. */
export function newBoardId(size = 21): string {
  const bytes = crypto.getRandomValues(new Uint8Array(size))
  let id = ''
  for (const byte of bytes) id += alphabet[byte & 63]
  return id
}
