import { acceptPackedAnswers, isFinalCloseCode, PACK_COLUMNS, PACK_PARAM, PROTOCOL_VERSION } from '@fabrique/protocol'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { syncServerUrl } from '../config.ts'

/** Why a board could not be read: the server closed for good (`code`), or it took too long. */
export class BoardReadError extends Error {
  constructor(
    readonly boardId: string,
    readonly reason: 'refused' | 'timeout',
    readonly code?: number,
  ) {
    super(reason === 'refused' ? `board ${boardId}: closed with ${code}` : `board ${boardId}: no sync in time`)
  }
}

export interface ReadBoardOptions {
  boardId: string
  token: string
  signal: AbortSignal
  timeoutMs?: number
}

/**
 * A copy of a board's document, read over the sync endpoint and disconnected at once. Pictures are
 * drawn from the copy: whatever tldraw or the binding write while opening it (a migration, a
 * default page) stays in this browser, and the board never sees the export. Presence is off, so the
 * team sees no visitor.
 */
export function readBoardCopy({ boardId, token, signal, timeoutMs = 30_000 }: ReadBoardOptions): Promise<Y.Doc> {
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    const remote = new Y.Doc()
    const provider = new WebsocketProvider(syncServerUrl(), boardId, remote, {
      connect: false,
      disableBc: true,
      params: { v: String(PROTOCOL_VERSION), [PACK_PARAM]: PACK_COLUMNS, token },
    })
    acceptPackedAnswers(provider, (error) => finish({ error }))
    provider.awareness.setLocalState(null)

    const finish = (outcome: { error: unknown } | { doc: Y.Doc }) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      provider.destroy()
      remote.destroy()
      if ('doc' in outcome) resolve(outcome.doc)
      else reject(outcome.error)
    }
    const onSync = (synced: boolean) => {
      if (!synced) return
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(remote))
      finish({ doc: copy })
    }
    const onClosed = (event: { code: number }) => {
      if (isFinalCloseCode(event.code)) finish({ error: new BoardReadError(boardId, 'refused', event.code) })
    }
    const onAbort = () => finish({ error: signal.reason })
    const timer = setTimeout(() => finish({ error: new BoardReadError(boardId, 'timeout') }), timeoutMs)

    provider.on('sync', onSync)
    provider.on('closed', onClosed)
    signal.addEventListener('abort', onAbort, { once: true })
    provider.connect()
  })
}
