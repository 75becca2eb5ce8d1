import { isValidBoardId } from '@fabrique/protocol'
import { BoardPage } from './board/BoardPage.tsx'
import { HomePage } from './HomePage.tsx'
import { NotFound } from './NotFound.tsx'
import { matchPath, usePath } from './router.tsx'

/** A token travels in the link's fragment (`#token=...`): fragments never reach a server's logs. */
export function tokenFromHash(): string | undefined {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined
}

export function App() {
  const path = usePath()
  if (path === '/') return <HomePage />
  const board = matchPath('/b/:boardId', path)
  if (board && isValidBoardId(board.boardId)) return <BoardPage key={board.boardId} boardId={board.boardId} token={tokenFromHash()} />
  return <NotFound />
}
