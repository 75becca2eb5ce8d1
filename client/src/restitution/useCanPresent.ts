import { useEffect, useState } from 'react'
import { useBoardContext } from '../board/BoardPage.tsx'
import { eventsApi } from '../event/api.ts'

/**
 * May this person present this board? A member of its team, or the event's staff, and only on a
 * team board: the server checks the same when the slides are sent.
 */
export function useCanPresent(): boolean {
  const { claims, token, boardId } = useBoardContext()
  const [canPresent, setCanPresent] = useState(false)
  useEffect(() => {
    if (!claims || !token || claims.role === 'jury') return undefined
    let cancelled = false
    eventsApi.get(claims.eventId, token).then(
      ({ teams }) => {
        const team = teams.find((candidate) => candidate.boardId === boardId)
        const staff = claims.role === 'organiser' || claims.role === 'facilitator'
        if (!cancelled) setCanPresent(team !== undefined && (staff || team.members.some((member) => member.id === claims.memberId)))
      },
      () => {},
    )
    return () => {
      cancelled = true
    }
  }, [claims, token, boardId])
  return canPresent
}
