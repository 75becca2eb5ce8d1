/**
 * Builds the suite's boards in a process of its own (tldraw is heavy to load):
 * `fixtureWorker.ts <out file> <shapes> [template ids…]`. A board is written as a client writes it:
 * tldraw records (canvasFixtures.ts) through the real binding into a Y.Doc, in chunks of 1,000
 * shapes (each chunk one update, under every server's message limit). With template ids, the
 * templates are then placed on the board as the server's push does (placeTemplate), one update each:
 * what the peers' server-side script applies. Writes the result with v8.serialize and exits.
 */
import fs from 'node:fs'
import v8 from 'node:v8'
import zlib from 'node:zlib'
import { bindBoard, RECORDS_ARRAY } from '@fabrique/board'
import { getTemplate, placeTemplate } from '@fabrique/templates'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { boardShapes, installAnimationFrame, usableStore } from './canvasFixtures.ts'
import type { BoardFixture } from './fixtures.ts'

const CHUNK_SHAPES = 1000

function syncAnswer(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function build(shapes: number, templateIds: string[]): BoardFixture {
  installAnimationFrame()
  const doc = new Y.Doc()
  const store = usableStore()
  const binding = bindBoard({ store, doc })
  binding.start()
  const chunks: Uint8Array[] = []
  // From nothing: starting the binding already wrote the document and page records.
  let stateVector = Y.encodeStateVector(new Y.Doc())
  const all = boardShapes(store, shapes)
  for (let first = 0; first < all.length; first += CHUNK_SHAPES) {
    store.put(all.slice(first, first + CHUNK_SHAPES))
    binding.flush()
    chunks.push(Y.encodeStateAsUpdate(doc, stateVector))
    stateVector = Y.encodeStateVector(doc)
  }
  binding.dispose()
  const full = Y.encodeStateAsUpdate(doc)
  const message = syncAnswer(full)
  const pushIds: string[] = []
  const templateUpdates: Uint8Array[] = []
  let templateShapes = 0
  for (const templateId of templateIds) {
    const template = getTemplate(templateId)
    if (!template) throw new Error(`unknown template ${templateId}`)
    const pushId = `bench-push-${templateId}`
    const before = Y.encodeStateVector(doc)
    const placed = placeTemplate(doc, { template, locale: 'fr', pushId })
    templateShapes += placed.shapeIds.length
    pushIds.push(pushId)
    templateUpdates.push(Y.encodeStateAsUpdate(doc, before))
  }
  return {
    shapes,
    chunks,
    stateVector,
    docBytes: full.byteLength,
    entries: doc.getArray(RECORDS_ARRAY).length,
    syncMessageBytes: message.byteLength,
    deflatedSyncBytes: zlib.deflateRawSync(message).byteLength,
    templates: { ids: templateIds, pushIds, updates: templateUpdates, shapes: templateShapes },
  }
}

const [out, shapes, ...templateIds] = process.argv.slice(2)
try {
  fs.writeFileSync(out as string, v8.serialize(build(Number(shapes), templateIds)))
  process.exit(0)
} catch (error) {
  process.stderr.write(`fixture: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
}
