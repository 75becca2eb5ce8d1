import { useState } from 'react'
import { useLocale } from '../i18n.tsx'
import { ApiError, type Role } from './api.ts'
import { adoptTokenFromHash, storedToken } from './session.ts'
import { ErrorAlert, EventPageHeader, Link } from './ui.tsx'

/**
 * The token a staff page works with: the one of the link just opened (then kept in this browser),
 * or one kept from an earlier visit, the first of `roles` found.
 */
export function useStaffToken(eventId: string, roles: readonly Role[]): { role: Role; token: string } | undefined {
  const [found] = useState(() => {
    adoptTokenFromHash(eventId)
    return storedToken(eventId, roles)
  })
  return found
}

/** Shown instead of a staff page opened without its link (or with an expired one). */
export function NoAccess({ what }: { what: 'organiser' | 'facilitator' | 'jury' }) {
  const { t } = useLocale()
  return (
    <div className="page">
      <EventPageHeader title={t('access.title')} />
      <main>
        <p role="alert" className="alert alert-error">
          {t(`access.need.${what}`)}
        </p>
        <p>
          <Link href="/">{t('notFound.back')}</Link>
        </p>
      </main>
    </div>
  )
}

/** A failed load of a staff page; a refused token says so rather than "error". */
export function LoadFailed({ error }: { error: unknown }) {
  const { t } = useLocale()
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403)
  return (
    <>
      <ErrorAlert error={error} />
      {refused && <p>{t('access.askAgain')}</p>}
    </>
  )
}
