/**
 * The export benchmark's event: team boards written as a day leaves them. Templates are placed as a
 * facilitator's push places them (the project sheet and three others), notes are written in their
 * sections by a participant's tldraw store bound to the document (SeededBoard, the export package's
 * test helper), a few notes lie outside any template; then each board goes to the server through
 * y-websocket with a staff token, as a browser would send it.
 */
import { PROTOCOL_VERSION } from '@fabrique/protocol'
import { getTemplate, type TemplateId } from '@fabrique/templates'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { SeededBoard } from '../../packages/export/src/fixtures.ts'
import { nextEvent } from '../support/wait.ts'

/** Two sets of templates, alternating between teams: extraction falls back on the others' sections. */
const TEMPLATE_SETS: TemplateId[][] = [
  ['project-sheet', 'lean-canvas', 'problem-tree', 'persona'],
  ['project-sheet', 'journey-map', 'empathy-map', 'problem-statement'],
]
/** Notes on the page, outside every template: the export lists them apart. */
const LOOSE_NOTES = 5

const WORDS = [
  'horaires en temps réel',
  'accès aux droits',
  'données ouvertes',
  'parcours usager',
  'guichet unique',
  'délais de réponse',
  'formulaire simplifié',
  'agents d’accueil',
  'zones rurales',
  'accessibilité',
  'jeu de données INSEE',
  'prototype testé',
]

export interface SeededEvent {
  /** Shapes per board (templates and notes). */
  shapes: number
  /** Notes per board. */
  notes: number
  /** Y.encodeStateAsUpdate of a board. */
  docBytes: number
}

/** A team's board: four templates, then notes spread over their sections until `shapes` shapes. */
export function buildBoard(team: number, shapes: number): { update: Uint8Array; notes: number; shapes: number } {
  const board = new SeededBoard()
  try {
    const placed = (TEMPLATE_SETS[team % TEMPLATE_SETS.length] as TemplateId[]).map((templateId) => ({ templateId, frameId: board.place(templateId) }))
    const templateShapes = board.shapes().length
    const sections = placed.flatMap(({ templateId, frameId }) => getTemplate(templateId).sections.map((section) => ({ templateId, frameId, key: section.key, used: 0 })))
    const inSections = Math.max(0, shapes - templateShapes - LOOSE_NOTES)
    for (let n = 0; n < inSections; n++) {
      const section = sections[n % sections.length] as (typeof sections)[number]
      const text = `Équipe ${team + 1} : ${WORDS[(n * 7 + team) % WORDS.length]} (${n + 1})`
      board.noteInSection(section.frameId, section.templateId, section.key, text, { slot: section.used++ })
    }
    for (let n = 0; n < LOOSE_NOTES; n++) board.note('page:page', -3000 + n * 240, -1200, `Idée en vrac ${n + 1} de l’équipe ${team + 1}`)
    return { update: Y.encodeStateAsUpdate(board.doc), notes: inSections + LOOSE_NOTES, shapes: board.shapes().length }
  } finally {
    board.dispose()
  }
}

/** Sends a board's document to the server over the sync endpoint and waits for the server's echo of its state. */
export async function sendBoard(syncUrl: string, boardId: string, token: string, update: Uint8Array): Promise<void> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { v: String(PROTOCOL_VERSION), token },
    disableBc: true,
  })
  try {
    provider.awareness.setLocalState(null)
    if (!provider.synced) await nextEvent(provider, 'sync', 30_000)
    Y.applyUpdate(doc, update)
    // A second client's sync shows what the server holds; the board is read from storage by the export.
    await waitUntilServerHas(syncUrl, boardId, token, Y.encodeStateVector(doc))
  } finally {
    provider.destroy()
    doc.destroy()
  }
}

async function waitUntilServerHas(syncUrl: string, boardId: string, token: string, wanted: Uint8Array): Promise<void> {
  const want = Y.decodeStateVector(wanted)
  const deadline = performance.now() + 60_000
  while (performance.now() < deadline) {
    const doc = new Y.Doc()
    const reader = new WebsocketProvider(syncUrl, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { v: String(PROTOCOL_VERSION), token },
      disableBc: true,
    })
    try {
      reader.awareness.setLocalState(null)
      if (!reader.synced) await nextEvent(reader, 'sync', 30_000)
      const have = Y.decodeStateVector(Y.encodeStateVector(doc))
      if ([...want].every(([client, clock]) => (have.get(client) ?? 0) >= clock)) return
    } finally {
      reader.destroy()
      doc.destroy()
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`board ${boardId}: the server never held the seeded document`)
}
