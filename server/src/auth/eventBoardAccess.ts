import { CloseCode } from '@fabrique/protocol'
import type { EventStore } from '../events/types.ts'
import type { BoardAccess, BoardAccessPolicy } from '../sync/access.ts'
import { type BoardKind, boardAccess } from './policy.ts'
import type { TokenSigner } from './tokens.ts'

/**
 * Boards of an event need a token; a board outside any event (a scratch board opened from the
 * home page) is open to whoever knows its unguessable id. A token for a board no event owns is
 * answered 4404, so a mistyped link says so.
 */
export function eventBoardAccess(store: EventStore, signer: TokenSigner): BoardAccessPolicy {
  return async (boardId, token): Promise<BoardAccess> => {
    const owner = await store.findBoardOwner(boardId)
    if (!owner) return token ? { kind: 'refuse', code: CloseCode.UnknownBoard, reason: 'unknown board' } : { kind: 'write' }
    if (!token) return { kind: 'refuse', code: CloseCode.BadToken, reason: 'this board needs an access link' }
    const check = signer.verify(token)
    if (!check.ok) return { kind: 'refuse', code: CloseCode.BadToken, reason: `token ${check.reason}` }
    const event = await store.getEvent(owner.eventId)
    if (!event) return { kind: 'refuse', code: CloseCode.UnknownBoard, reason: 'unknown event' }
    const { capability } = check
    const member = capability.memberId ? await store.getMember(capability.memberId) : undefined
    const kind: BoardKind = owner.kind !== 'team' ? owner.kind : member?.teamId === owner.teamId ? 'own-team' : 'other-team'
    const locked = kind !== 'live' && (await store.lockedBoards(event.id)).includes(boardId)
    const decision = boardAccess(capability, event, kind, member?.eventId === event.id ? member : undefined, locked)
    return decision.kind === 'refuse' ? decision : { ...decision, memberId: capability.memberId, eventId: event.id }
  }
}
