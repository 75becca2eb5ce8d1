// tldraw's light packages, not 'tldraw' itself: the server imports this package, and 'tldraw'
// (editor, UI, React) would cost it some 130 MB and 3 s at start.
import { react, type Signal } from '@tldraw/state'
import { createPresenceStateDerivation, InstancePresenceRecordType, type TLInstancePresence, type TLStore, type TLUser } from '@tldraw/tlschema'
import type { Awareness } from 'y-protocols/awareness'
import { Throttle } from './throttle.ts'

/** The awareness field that carries a tldraw presence record. */
export const PRESENCE_STATE_FIELD = 'presence'

export interface PresenceOptions {
  store: TLStore
  awareness: Awareness
  /** Who this person is (name and colour); `null` publishes no presence. */
  user: Signal<TLUser | null>
  /** At most one presence update per interval (default 100 ms: 10 a second). */
  throttleMs?: number
}

/**
 * Publishes this person's cursor, selection and camera through the awareness, and turns everyone
 * else's into `instance_presence` records, which tldraw draws as cursors and uses to follow someone.
 */
export function bindPresence({ store, awareness, user, throttleMs = 100 }: PresenceOptions): () => void {
  const ownId = presenceIdOf(awareness.clientID)
  const $presence = createPresenceStateDerivation(user, { instanceId: ownId })(store)
  const throttle = new Throttle<TLInstancePresence | null>(throttleMs, (presence) => {
    awareness.setLocalStateField(PRESENCE_STATE_FIELD, presence)
  })
  const stopPublishing = react('fabrique: publish presence', () => {
    throttle.push($presence.get())
  })

  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    const puts: TLInstancePresence[] = []
    const removals: TLInstancePresence['id'][] = []
    const states = awareness.getStates()
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const presence = readPresence(store, clientId, states.get(clientId)?.[PRESENCE_STATE_FIELD])
      if (presence) puts.push(presence)
      else if (store.has(presenceIdOf(clientId))) removals.push(presenceIdOf(clientId))
    }
    for (const clientId of removed) {
      if (store.has(presenceIdOf(clientId))) removals.push(presenceIdOf(clientId))
    }
    if (puts.length === 0 && removals.length === 0) return
    store.mergeRemoteChanges(() => {
      if (removals.length > 0) store.remove(removals)
      if (puts.length > 0) store.put(puts)
    })
  }
  awareness.on('change', onChange)
  onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })

  return () => {
    stopPublishing()
    throttle.cancel()
    awareness.off('change', onChange)
    const mine = store.query.records('instance_presence').get().map((record) => record.id)
    if (mine.length > 0) store.mergeRemoteChanges(() => store.remove(mine))
  }
}

export function presenceIdOf(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(String(clientId))
}

/**
 * A peer's presence, validated, under an id derived from its awareness client id: a peer cannot
 * impersonate another one's cursor, and a malformed state is ignored rather than thrown.
 */
function readPresence(store: TLStore, clientId: number, value: unknown): TLInstancePresence | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const candidate = { ...(value as object), id: presenceIdOf(clientId), typeName: 'instance_presence' } as TLInstancePresence
  try {
    return store.schema.validateRecord(store, candidate, 'createRecord', null) as TLInstancePresence
  } catch {
    return undefined
  }
}
