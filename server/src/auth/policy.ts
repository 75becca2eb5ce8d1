import { CloseCode } from '@fabrique/protocol'
import type { EventRecord, Member } from '../events/types.ts'
import type { BoardAccess } from '../sync/access.ts'
import type { Capability } from './tokens.ts'

/** Everything one can ask of the API about an event. */
export type EventAction =
  | 'event.read'
  | 'event.update'
  | 'event.links'
  | 'team.create'
  | 'team.join'
  | 'member.remove'
  | 'boards.overview'
  /** Push templates, lock boards, run the timer: what facilitators do to the whole event. */
  | 'facilitate'
  /** Put dots on notes during a vote. */
  | 'vote'
  /** Download the teams' project sheets (JSON, Markdown, PDF, CSV, ZIP). */
  | 'export'

/** Which kind of board, seen from the person asking. */
export type BoardKind = 'own-team' | 'other-team' | 'plenary' | 'live'

const staffActions: Record<'organiser' | 'facilitator' | 'jury', ReadonlySet<EventAction>> = {
  organiser: new Set<EventAction>(['event.read', 'event.update', 'event.links', 'team.create', 'member.remove', 'boards.overview', 'facilitate', 'export']),
  facilitator: new Set<EventAction>(['event.read', 'team.create', 'boards.overview', 'facilitate', 'export']),
  jury: new Set<EventAction>(['event.read', 'boards.overview', 'export']),
}
const participantActions: ReadonlySet<EventAction> = new Set<EventAction>(['event.read', 'team.create', 'team.join', 'vote'])

/**
 * May this capability do this in this event? A participant also needs to still be a member
 * (removed members lose everything at once).
 */
export function canDo(capability: Capability, action: EventAction, eventId: string, member: Member | undefined): boolean {
  if (capability.eventId !== eventId) return false
  if (capability.role === 'participant') return member !== undefined && member.eventId === eventId && participantActions.has(action)
  return staffActions[capability.role].has(action)
}

const refuse = (code: CloseCode, reason: string): BoardAccess => ({ kind: 'refuse', code, reason })

/**
 * What a capability may do on one board of an event. The live board (timer, votes, locks) is
 * written by the server alone, through the API; a locked board is read-only for participants.
 */
export function boardAccess(capability: Capability, event: EventRecord, kind: BoardKind, member: Member | undefined, locked = false): BoardAccess {
  if (capability.eventId !== event.id) return refuse(CloseCode.Forbidden, 'token for another event')
  if (capability.role === 'participant' && !member) return refuse(CloseCode.Forbidden, 'no longer a member of this event')
  if (kind === 'live') return { kind: 'read' }
  const access = accessByRole(capability, event, kind)
  return locked && capability.role === 'participant' && access.kind === 'write' ? { kind: 'read' } : access
}

function accessByRole(capability: Capability, event: EventRecord, kind: Exclude<BoardKind, 'live'>): BoardAccess {
  switch (capability.role) {
    case 'organiser':
    case 'facilitator':
      return { kind: 'write' }
    case 'jury':
      return { kind: 'read' }
    case 'participant': {
      if (kind === 'own-team') return { kind: 'write' }
      if (kind === 'plenary') return event.settings.participantsCanWritePlenary ? { kind: 'write' } : { kind: 'read' }
      return event.settings.teamsCanViewOtherBoards ? { kind: 'read' } : refuse(CloseCode.Forbidden, 'boards of other teams are private')
    }
  }
}
