import { useEffect, useState } from 'react'

type Listener = (message: string) => void

// One polite live region per board page, fed from anywhere: the outline, and any component that has
// something to say to a screen reader without a region of its own.
const listeners = new Set<Listener>()

/** Says `message` to screen-reader users, politely (after what they are hearing). */
export function announce(message: string): void {
  for (const listener of listeners) listener(message)
}

/** The function to call to announce; a hook so that components need not know where the region is. */
export function useAnnounce(): (message: string) => void {
  return announce
}

/** How long a message stays in the region: long enough to be read, short enough not to pile up. */
const KEEP_MS = 8000

interface Entry {
  id: number
  text: string
}

let nextId = 0

/**
 * The live region. Each message is a new node so that two identical messages in a row are both
 * read (screen readers announce additions, not unchanged text).
 */
export function Announcer() {
  const [entries, setEntries] = useState<Entry[]>([])
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>()
    const listener: Listener = (text) => {
      const entry = { id: nextId++, text }
      setEntries((list) => [...list.slice(-2), entry])
      const timer = setTimeout(() => {
        timers.delete(timer)
        setEntries((list) => list.filter((item) => item.id !== entry.id))
      }, KEEP_MS)
      timers.add(timer)
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
      for (const timer of timers) clearTimeout(timer)
    }
  }, [])
  return (
    <div className="visually-hidden" aria-live="polite" aria-relevant="additions" data-testid="announcer">
      {entries.map((entry) => (
        <p key={entry.id}>{entry.text}</p>
      ))}
    </div>
  )
}
