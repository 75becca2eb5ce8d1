import { useState } from 'react'
import { ExportPanel } from '../export/ExportPanel.tsx'
import { useLocale } from '../i18n.tsx'
import { type EventInfo, eventsApi, type Links, qrCodeUrl } from './api.ts'
import { EventSummary } from './EventSummary.tsx'
import { paths } from './paths.ts'
import { LoadFailed, NoAccess, useStaffToken } from './StaffAccess.tsx'
import { takeCreatedEvent } from './session.ts'
import { CopyField, EventPageHeader, Link, Loading, useFormatDate } from './ui.tsx'
import { useLoad } from './useRequest.ts'

/** The organiser's page: the target of the private link, and the page shown right after creation. */
export function OrganisePage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['organiser'])
  if (!access) return <NoAccess what="organiser" />
  return <Organise eventId={eventId} token={access.token} />
}

function Organise({ eventId, token }: { eventId: string; token: string }) {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  const [created] = useState(() => takeCreatedEvent(eventId))
  const loaded = useLoad(eventId, async () => {
    const [{ event }, links] = await Promise.all([eventsApi.get(eventId, token), eventsApi.links(eventId, token)])
    return { event, links }
  })
  const data = loaded.data ?? created

  if (!data) {
    return (
      <div className="page">
        <EventPageHeader title={t('organise.pageTitle')} />
        <main>{loaded.error ? <LoadFailed error={loaded.error} /> : <Loading />}</main>
      </div>
    )
  }
  const { event, links } = data
  return (
    <div className="page">
      <EventPageHeader title={event.title} subtitle={formatDate(event.date)} />
      <main>
        {created && (
          <p role="status" className="alert alert-success">
            {t('organise.created')}
          </p>
        )}
        <JoinSection event={event} links={links} />
        <section className="card">
          <h2>{t('organise.staffLinks')}</h2>
          <CopyField label={t('organise.facilitatorLink')} value={links.facilitator} help={t('organise.facilitatorLinkHelp')} testId="link-facilitator" />
          <CopyField label={t('organise.juryLink')} value={links.jury} help={t('organise.juryLinkHelp')} testId="link-jury" />
        </section>
        <section className="card card-warning">
          <h2>{t('organise.privateLink')}</h2>
          <CopyField
            label={t('organise.privateLinkLabel')}
            value={links.organiser}
            help={<strong>{t('organise.privateLinkWarning')}</strong>}
            testId="link-organiser"
          />
        </section>
        <section className="card">
          <h2>{t('organise.run')}</h2>
          <ul className="plain-list">
            <li>
              <Link href={paths.facilitate(eventId)}>{t('organise.openConsole')}</Link>
            </li>
            <li>
              <Link href={paths.board(eventId, event.plenaryBoardId, { as: 'organiser' })}>{t('organise.openPlenary')}</Link>
            </li>
          </ul>
        </section>
        <ExportPanel eventId={eventId} token={token} />
        <EventSummary event={event} />
      </main>
    </div>
  )
}

function JoinSection({ event, links }: { event: EventInfo; links: Links }) {
  const { t } = useLocale()
  const printPoster = () => window.open(paths.poster(event.id), '_blank')
  return (
    <section className="card join-section" aria-labelledby="join-heading">
      <h2 id="join-heading">{t('organise.joinHeading')}</h2>
      <div className="join-layout">
        <div>
          <p className="muted">{t('organise.joinCode')}</p>
          <p className="join-code" data-testid="join-code">
            {links.joinCode}
          </p>
          <CopyField label={t('organise.joinUrl')} value={links.join} testId="link-join" />
          <button type="button" onClick={printPoster}>
            {t('organise.printPoster')}
          </button>
        </div>
        <img className="qr-code" src={qrCodeUrl(links.joinCode)} alt={t('organise.qrAlt', { url: links.join })} width={200} height={200} />
      </div>
    </section>
  )
}
