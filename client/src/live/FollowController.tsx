import type { FollowRequest } from '@fabrique/protocol'
import { useEffect, useRef } from 'react'
import { type TLUserId, useEditor } from 'tldraw'

/**
 * Follows the facilitator's view while a "bring everyone to me" request is on for this board.
 * Esc steps out; the same request is not forced on again, a new one is.
 */
export function FollowController({ request }: { request: FollowRequest | undefined }) {
  const editor = useEditor()
  const steppedOut = useRef<number | undefined>(undefined)

  useEffect(() => {
    const own = editor.store.props.users.currentUser.get()?.id
    if (!request) {
      if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
      return
    }
    if (request.userId === own || steppedOut.current === request.at) return
    const follow = () => {
      const leaderHere = editor.getCollaborators().some((presence) => presence.userId === request.userId)
      if (leaderHere && editor.getInstanceState().followingUserId !== request.userId) editor.startFollowingUser(request.userId as TLUserId)
    }
    follow()
    // The leader's presence may arrive a moment after the request.
    const retry = setInterval(follow, 1000)
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !editor.getInstanceState().followingUserId) return
      steppedOut.current = request.at
      clearInterval(retry)
      editor.stopFollowingUser()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      clearInterval(retry)
      window.removeEventListener('keydown', onKey)
    }
  }, [editor, request])

  return null
}
