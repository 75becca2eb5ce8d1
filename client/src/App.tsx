import { isValidBoardId } from '@fabrique/protocol'
import { BoardPage } from './board/BoardPage.tsx'
import { EventBoardPage } from './event/EventBoardPage.tsx'
import { FacilitatePage } from './event/FacilitatePage.tsx'
import { JoinCodePage } from './event/JoinCodePage.tsx'
import { JoinEventPage } from './event/JoinEventPage.tsx'
import { JuryPage } from './event/JuryPage.tsx'
import { NewEventPage } from './event/NewEventPage.tsx'
import { OrganisePage } from './event/OrganisePage.tsx'
import { PosterPage } from './event/PosterPage.tsx'
import { ExportPage } from './export/ExportPage.tsx'
import { ProjectionScreenPage } from './restitution/ProjectionScreen.tsx'
import { HomePage } from './HomePage.tsx'
import { NotFound } from './NotFound.tsx'
import { matchPath, usePath } from './router.tsx'

/** A token travels in the link's fragment (`#token=...`): fragments never reach a server's logs. */
export function tokenFromHash(): string | undefined {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined
}

/** Pages of one event, `/e/{eventId}/...`; each staff page takes its token from the link's fragment. */
const eventPages = {
  organise: OrganisePage,
  facilitate: FacilitatePage,
  jury: JuryPage,
  poster: PosterPage,
  screen: ProjectionScreenPage,
  export: ExportPage,
} as const

export function App() {
  const path = usePath()
  if (path === '/') return <HomePage />
  if (matchPath('/organiser/new', path)) return <NewEventPage />
  if (matchPath('/join', path)) return <JoinCodePage />
  const join = matchPath('/join/:code', path)
  if (join) return <JoinEventPage key={join.code} code={join.code} />
  const eventPage = matchPath('/e/:eventId/:page', path)
  if (eventPage && Object.hasOwn(eventPages, eventPage.page)) {
    const Page = eventPages[eventPage.page as keyof typeof eventPages]
    return <Page key={`${eventPage.page}/${eventPage.eventId}`} eventId={eventPage.eventId} />
  }
  const eventBoard = matchPath('/e/:eventId/b/:boardId', path)
  if (eventBoard && isValidBoardId(eventBoard.boardId)) {
    return <EventBoardPage key={`${eventBoard.eventId}/${eventBoard.boardId}`} eventId={eventBoard.eventId} boardId={eventBoard.boardId} />
  }
  const board = matchPath('/b/:boardId', path)
  if (board && isValidBoardId(board.boardId)) return <BoardPage key={board.boardId} boardId={board.boardId} token={tokenFromHash()} />
  return <NotFound />
}
