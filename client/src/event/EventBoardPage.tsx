import { useState } from 'react'
import { BoardPage } from '../board/BoardPage.tsx'
import { useLocale } from '../i18n.tsx'
import type { Role } from './api.ts'
import { setCanvasName } from './canvasName.ts'
import { storedMember, storedToken } from './session.ts'
import { EventPageHeader, Link } from './ui.tsx'

const ROLES: readonly Role[] = ['participant', 'organiser', 'facilitator', 'jury']

/**
 * A board of an event, opened with the token this browser keeps for it (`?as=` picks the role when
 * it keeps several). `?view=1` and the jury open it read-only; the server enforces it either way.
 */
export function EventBoardPage({ eventId, boardId }: { eventId: string; boardId: string }) {
  const { t } = useLocale()
  const [access] = useState(() => {
    const params = new URLSearchParams(location.search)
    const as = params.get('as')
    const roles = ROLES.includes(as as Role) ? [as as Role] : ROLES
    const found = storedToken(eventId, roles)
    if (found?.role === 'participant') {
      const member = storedMember(eventId)
      if (member) setCanvasName(member.pseudonym)
    }
    return found && { ...found, readOnly: params.has('view') || found.role === 'jury' }
  })
  if (!access) {
    return (
      <div className="page">
        <EventPageHeader title={t('access.title')} />
        <main>
          <p role="alert" className="alert alert-error">
            {t('access.needBoard')}
          </p>
          <p>
            <Link href="/join">{t('home.join')}</Link>
          </p>
        </main>
      </div>
    )
  }
  return <BoardPage key={boardId} boardId={boardId} token={access.token} readOnly={access.readOnly} />
}
