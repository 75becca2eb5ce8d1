import { useCallback, useEffect, useState } from 'react'
import type { Locale } from '../../i18n.tsx'
import type { PushReport } from './consoleApi.ts'

/** A template push made from this browser, kept so that it can be withdrawn after a reload. */
export interface RememberedPush {
  pushId: string
  templateId: string
  locale: Locale
  /** ISO time of the push. */
  at: string
  boards: PushReport['boards']
  /** What the last withdrawal did on each board. */
  withdrawal?: PushReport['boards']
}

const KEEP = 10
const storageKey = (eventId: string) => `fabrique-pushes:${eventId}`

function load(eventId: string): RememberedPush[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey(eventId)) ?? '[]')
    return Array.isArray(stored) ? stored.filter((push): push is RememberedPush => typeof push?.pushId === 'string' && Array.isArray(push.boards)) : []
  } catch {
    return []
  }
}

/** The latest pushes of this event, newest first, in this browser's storage. */
export function usePushHistory(eventId: string) {
  const [pushes, setPushes] = useState(() => load(eventId))
  useEffect(() => {
    try {
      localStorage.setItem(storageKey(eventId), JSON.stringify(pushes))
    } catch {
      // Storage full or refused (private mode): the list lasts as long as the page.
    }
  }, [eventId, pushes])
  const remember = useCallback((push: RememberedPush) => setPushes((list) => [push, ...list.filter((p) => p.pushId !== push.pushId)].slice(0, KEEP)), [])
  const withdrawn = useCallback(
    (pushId: string, withdrawal: PushReport['boards']) => setPushes((list) => list.map((p) => (p.pushId === pushId ? { ...p, withdrawal } : p))),
    [],
  )
  return { pushes, remember, withdrawn }
}

/** A push id the server accepts ([A-Za-z0-9_-], 8 to 64); not randomUUID, missing outside HTTPS. */
export function newPushId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `push-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}
