import { type BoardBinding, type BoardProblem, bindBoard, bindPresence, RECORDS_ARRAY } from '@fabrique/board'
import { acceptPackedAnswers, isFinalCloseCode, PACK_PARAM } from '@fabrique/protocol'
import {
  atom,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  defaultUserStore,
  type TLAssetStore,
  type TLStore,
} from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { syncServerUrl } from '../config.ts'
import { boardSocketParams, EarlyWebSocket } from './earlySocket.ts'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed'

export interface ConnectionSnapshot {
  state: ConnectionState
  /** Local changes made since the connection was last in sync with the server. */
  pending: number
  /** The canvas can show: the board came from the server or from this browser's copy. */
  ready: boolean
  problems: BoardProblem[]
  /** Set when the server closed the connection for good (bad token, unknown board...). */
  closeCode?: number
}

export interface BoardConnectionOptions {
  boardId: string
  token?: string
  /** Viewers and jury: the server drops their writes anyway; the editor should not offer them. */
  readOnly?: boolean
  assets: TLAssetStore
}

/**
 * Everything that keeps one board in sync in the browser: the Yjs document, its copy in
 * IndexedDB (edits survive a reload or a lost connection), the WebSocket provider, the tldraw store
 * and the binding between them. The React layer only subscribes to snapshots.
 */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly store: TLStore
  readonly provider: WebsocketProvider
  readonly binding: BoardBinding
  private readonly local: IndexeddbPersistence
  private readonly $status = atom<'online' | 'offline'>('fabrique connection status', 'offline')
  private readonly $mode = atom<'readonly' | 'readwrite'>('fabrique mode', 'readwrite')
  private readonly listeners = new Set<() => void>()
  private readonly cleanups: Array<() => void> = []
  private everConnected = false
  private snapshot: ConnectionSnapshot = { state: 'connecting', pending: 0, ready: false, problems: [] }

  constructor({ boardId, token, readOnly = false, assets }: BoardConnectionOptions) {
    this.$mode.set(readOnly ? 'readonly' : 'readwrite')
    this.store = createTLStore({
      shapeUtils: defaultShapeUtils,
      bindingUtils: defaultBindingUtils,
      assets,
      users: defaultUserStore,
      collaboration: { status: this.$status, mode: this.$mode },
    })
    this.binding = bindBoard({
      store: this.store,
      doc: this.doc,
      onProblemsChange: (problems) => {
        if (problems.some((problem) => problem.kind === 'client-outdated')) this.$mode.set('readonly')
        this.update({ problems })
      },
    })

    this.local = new IndexeddbPersistence(`fabrique-board-${boardId}`, this.doc)
    this.local.on('synced', () => {
      // A board this browser has synced before opens at once from its copy; a new one waits for the server.
      if (this.doc.getArray(RECORDS_ARRAY).length > 0) this.start()
    })

    this.provider = new WebsocketProvider(syncServerUrl(), boardId, this.doc, {
      params: boardSocketParams(token),
      // The socket the page opened before the app had loaded, when there is one (earlySocket.ts).
      WebSocketPolyfill: EarlyWebSocket as unknown as typeof WebSocket,
    })
    // A board, and a large change (a pushed template), arrive packed (a tenth of the bytes); should
    // this browser fail to read one, it asks again for everything plain.
    acceptPackedAnswers(this.provider, (error) => {
      console.error('could not read a packed message, asking for the board unpacked', error)
      delete this.provider.params[PACK_PARAM]
      this.provider.disconnect()
      this.provider.connect()
    })
    this.provider.on('status', ({ status }) => {
      this.$status.set(status === 'connected' ? 'online' : 'offline')
      if (status === 'connected') this.everConnected = true
      this.update({ state: this.stateFor(status) })
    })
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return
      this.start()
      this.update({ pending: 0 })
    })
    this.provider.on('closed', (event: { code: number }) => {
      if (isFinalCloseCode(event.code)) this.update({ state: 'closed', closeCode: event.code })
    })

    const countPending = (_update: Uint8Array, origin: unknown) => {
      if (origin === this.provider || origin === this.local) return
      if (!this.provider.wsconnected || !this.provider.synced) this.update({ pending: this.snapshot.pending + 1 })
    }
    this.doc.on('update', countPending)
    this.cleanups.push(() => this.doc.off('update', countPending))

    const goOffline = () => this.update({ state: 'offline' })
    window.addEventListener('offline', goOffline)
    this.cleanups.push(() => window.removeEventListener('offline', goOffline))

    // tldraw hands local changes over at the next animation frame, and a hidden tab gets none: a
    // change made just before the person switched tabs would wait until they came back, and go
    // with the tab if the browser discarded it. Written at once instead (then stored and sent).
    const writeWaitingChanges = () => {
      if (document.visibilityState === 'hidden') this.binding.flush()
    }
    const writeBeforeLeaving = () => this.binding.flush()
    document.addEventListener('visibilitychange', writeWaitingChanges)
    window.addEventListener('pagehide', writeBeforeLeaving)
    this.cleanups.push(() => {
      document.removeEventListener('visibilitychange', writeWaitingChanges)
      window.removeEventListener('pagehide', writeBeforeLeaving)
    })
  }

  /**
   * Read-only while the board is locked (or for viewers): the server drops writes anyway, this stops
   * offering the pen. An outdated client stays read-only whatever happens.
   */
  setReadOnly(readOnly: boolean): void {
    const outdated = this.snapshot.problems.some((problem) => problem.kind === 'client-outdated')
    this.$mode.set(readOnly || outdated ? 'readonly' : 'readwrite')
  }

  private stateFor(status: 'connected' | 'disconnected' | 'connecting'): ConnectionState {
    if (this.snapshot.state === 'closed') return 'closed'
    if (status === 'connected') return 'connected'
    if (!navigator.onLine || status === 'disconnected') return this.everConnected ? 'offline' : 'connecting'
    return this.everConnected ? 'reconnecting' : 'connecting'
  }

  private start(): void {
    if (this.binding.started) return
    this.binding.start()
    this.cleanups.push(bindPresence({ store: this.store, awareness: this.provider.awareness, user: defaultUserStore.currentUser }))
    this.update({ ready: true })
  }

  getSnapshot = (): ConnectionSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private update(change: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change }
    for (const listener of this.listeners) listener()
  }

  destroy(): void {
    // Leaving the board (another page of the app): the last frame's changes go before the socket does.
    this.binding.flush()
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.binding.dispose()
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }
}
