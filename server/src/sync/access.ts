import type { CloseCode } from '@fabrique/protocol'

/** What a connection may do on a board, decided once per connection. */
export type BoardAccess =
  | { kind: 'write'; memberId?: string; eventId?: string }
  | { kind: 'read'; memberId?: string; eventId?: string }
  | { kind: 'refuse'; code: CloseCode; reason: string }

/** Decides access from the board id and the token the client passed as `?token=`. */
export type BoardAccessPolicy = (boardId: string, token: string | undefined) => Promise<BoardAccess> | BoardAccess

/** Boards outside any event: whoever knows the unguessable id may edit. */
export const openBoards: BoardAccessPolicy = () => ({ kind: 'write' })
