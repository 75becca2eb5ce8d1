import type { SerializedSchema, SerializedSchemaV2 } from 'tldraw'

/**
 * Which of two tldraw schemas is ahead. Every client that writes into a board records the newest
 * migration versions it knows in the board's `schema` map; a client that finds a sequence it does not
 * know, or a version above its own, must not write (its records would lack what newer clients expect)
 * and asks the person to reload.
 */
export type SchemaComparison = 'same' | 'board-is-older' | 'board-is-newer'

export function compareSchemas(ours: SerializedSchemaV2, board: SerializedSchemaV2): SchemaComparison {
  let older = false
  for (const [sequence, version] of Object.entries(board.sequences)) {
    const own = ours.sequences[sequence]
    if (own === undefined || version > own) return 'board-is-newer'
    if (version < own) older = true
  }
  for (const sequence of Object.keys(ours.sequences)) {
    if (board.sequences[sequence] === undefined) older = true
  }
  return older ? 'board-is-older' : 'same'
}

/** Reads a schema stored by any client; `undefined` when it is not one (never trust a board's content). */
export function parseStoredSchema(value: unknown): SerializedSchemaV2 | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const candidate = value as Partial<SerializedSchema> & { sequences?: unknown }
  if (candidate.schemaVersion !== 2 || typeof candidate.sequences !== 'object' || candidate.sequences === null) return undefined
  const sequences: Record<string, number> = {}
  for (const [sequence, version] of Object.entries(candidate.sequences as Record<string, unknown>)) {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return undefined
    sequences[sequence] = version
  }
  return { schemaVersion: 2, sequences }
}
