import { useEffect, useState, useSyncExternalStore } from 'react'
import { LiveConnection, type LiveSnapshot } from '../live/liveConnection.ts'

const none = { subscribe: () => () => {}, getSnapshot: () => undefined }

/** The event's live state (running order, countdown) for a page that is not a board. */
export function useEventLive(liveBoardId: string | undefined, token: string): LiveSnapshot | undefined {
  const [connection, setConnection] = useState<LiveConnection>()
  useEffect(() => {
    if (!liveBoardId) return undefined
    // No board of its own: the slides of each board are read by that board's page.
    const created = new LiveConnection(liveBoardId, token, '')
    setConnection(created)
    return () => {
      created.destroy()
      setConnection(undefined)
    }
  }, [liveBoardId, token])
  return useSyncExternalStore(connection?.subscribe ?? none.subscribe, connection?.getSnapshot ?? none.getSnapshot)
}

/** The server's clock, ticking while `running`. */
export function useServerNow(clockOffsetMs: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!running) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [running])
  return now + clockOffsetMs
}
