import { useEffect, useState, useSyncExternalStore } from 'react'
import { LiveConnection, type LiveSnapshot } from '../../live/liveConnection.ts'

const noLive = { subscribe: () => () => {}, getSnapshot: () => undefined }

/**
 * The event's live state (timer, broadcast, locks, vote, restitution) as every board sees it:
 * what the console shows is what the teams see, not what the console last asked for.
 */
export function useLiveSnapshot(liveBoardId: string | undefined, token: string): LiveSnapshot | undefined {
  const [connection, setConnection] = useState<LiveConnection>()
  useEffect(() => {
    if (!liveBoardId) return undefined
    // The board id only selects a follow request, which the console does not read.
    const created = new LiveConnection(liveBoardId, token, liveBoardId)
    setConnection(created)
    return () => {
      created.destroy()
      setConnection(undefined)
    }
  }, [liveBoardId, token])
  return useSyncExternalStore(connection?.subscribe ?? noLive.subscribe, connection?.getSnapshot ?? noLive.getSnapshot)
}

/** The server's clock, read again every `everyMs` while `ticking`. */
export function useServerNow(clockOffsetMs: number, ticking: boolean, everyMs = 500): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return undefined
    setNow(Date.now())
    const interval = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(interval)
  }, [ticking, everyMs])
  return now + clockOffsetMs
}

/** m:ss, or h:mm:ss past an hour; rounded up, so that 0:00 means over. */
export function formatClock(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}
