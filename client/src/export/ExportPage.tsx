import { useLocale } from '../i18n.tsx'
import { paths } from '../event/paths.ts'
import { NoAccess, useStaffToken } from '../event/StaffAccess.tsx'
import { EventPageHeader, Link } from '../event/ui.tsx'
import { ExportPanel } from './ExportPanel.tsx'
import { useExportStrings } from './strings.ts'

/** `/e/{id}/export`: the export panel for whoever holds a staff link (organiser, facilitator, jury). */
export function ExportPage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['organiser', 'facilitator', 'jury'])
  const { t } = useLocale()
  const { say } = useExportStrings()
  if (!access) return <NoAccess what="facilitator" />
  const back =
    access.role === 'organiser'
      ? { href: paths.organise(eventId), label: t('facilitate.backToOrganise') }
      : access.role === 'facilitator'
        ? { href: paths.facilitate(eventId), label: t('facilitate.title') }
        : { href: paths.jury(eventId), label: t('jury.title') }
  return (
    <div className="page">
      <EventPageHeader title={say('pageTitle')} />
      <main>
        <ExportPanel eventId={eventId} token={access.token} />
        <p>
          <Link href={back.href}>{back.label}</Link>
        </p>
      </main>
    </div>
  )
}
