import {
  type BroadcastMessage,
  type FollowRequest,
  IDLE_RESTITUTION,
  IDLE_TIMER,
  LIVE_MAP,
  type LiveAudiencePrize,
  LiveKey,
  type LiveVote,
  PROTOCOL_VERSION,
  type RestitutionState,
  type SlideState,
  type TimerState,
} from '@fabrique/protocol'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { syncServerUrl } from '../config.ts'
import { measureClockOffset } from './clock.ts'

export interface LiveSnapshot {
  timer: TimerState
  broadcast: BroadcastMessage | undefined
  lockedBoardIds: string[]
  follow: FollowRequest | undefined
  vote: LiveVote | undefined
  /** The running order of the restitution and the team on stage. */
  restitution: RestitutionState
  /** This board's presenter slides (`slides:<boardId>`): followers show the current one. */
  slides: SlideState | undefined
  /** The audience prize: participants see a ballot while it is open. */
  audiencePrize: LiveAudiencePrize | undefined
  /** Server clock minus ours, measured against /api/time. */
  clockOffsetMs: number
}

/** What a capability token says (its payload is readable; only the server can sign one). */
export interface TokenClaims {
  role: 'organiser' | 'facilitator' | 'participant' | 'jury'
  eventId: string
  memberId?: string
}

export function readToken(token: string | undefined): TokenClaims | undefined {
  if (!token) return undefined
  try {
    const payload = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/')
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)))) as TokenClaims
    return typeof claims.eventId === 'string' && typeof claims.role === 'string' ? claims : undefined
  } catch {
    return undefined
  }
}

/**
 * The event's live board, read-only: timer, broadcast, locks and follow requests, written by the
 * server when a facilitator acts, seen by every board of the event at once.
 */
export class LiveConnection {
  private readonly doc = new Y.Doc()
  private readonly provider: WebsocketProvider
  private readonly listeners = new Set<() => void>()
  private snapshot: LiveSnapshot = { timer: IDLE_TIMER, broadcast: undefined, lockedBoardIds: [], follow: undefined, vote: undefined, restitution: IDLE_RESTITUTION, slides: undefined, audiencePrize: undefined, clockOffsetMs: 0 }

  constructor(
    liveBoardId: string,
    token: string,
    private readonly boardId: string,
  ) {
    this.provider = new WebsocketProvider(syncServerUrl(), liveBoardId, this.doc, { params: { v: String(PROTOCOL_VERSION), token } })
    const live = this.doc.getMap(LIVE_MAP)
    live.observe(() => this.read())
    measureClockOffset().then(
      (clockOffsetMs) => this.update({ clockOffsetMs }),
      () => {},
    )
  }

  private read(): void {
    const live = this.doc.getMap(LIVE_MAP)
    this.update({
      timer: (live.get(LiveKey.Timer) as TimerState | undefined) ?? IDLE_TIMER,
      broadcast: live.get(LiveKey.Broadcast) as BroadcastMessage | undefined,
      lockedBoardIds: (live.get(LiveKey.LockedBoards) as string[] | undefined) ?? [],
      follow: live.get(LiveKey.FollowPrefix + this.boardId) as FollowRequest | undefined,
      vote: live.get(LiveKey.Vote) as LiveVote | undefined,
      restitution: (live.get(LiveKey.Restitution) as RestitutionState | undefined) ?? IDLE_RESTITUTION,
      slides: live.get(LiveKey.SlidesPrefix + this.boardId) as SlideState | undefined,
      audiencePrize: live.get(LiveKey.AudiencePrize) as LiveAudiencePrize | undefined,
    })
  }

  private update(change: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change }
    for (const listener of this.listeners) listener()
  }

  getSnapshot = (): LiveSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.provider.destroy()
    this.doc.destroy()
  }
}
