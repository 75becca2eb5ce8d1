import { useRef } from 'react'
import { LanguageSwitch, useLocale } from '../i18n.tsx'
import { eventsApi, qrCodeUrl } from './api.ts'
import { paths } from './paths.ts'
import { LoadFailed, NoAccess, useStaffToken } from './StaffAccess.tsx'
import { Link, Loading, useFormatDate } from './ui.tsx'
import { useLoad } from './useRequest.ts'

/** An A4 poster to pin at the entrance and project: title, join address, QR code, code. */
export function PosterPage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['organiser', 'facilitator'])
  if (!access) return <NoAccess what="organiser" />
  return <Poster eventId={eventId} token={access.token} />
}

function Poster({ eventId, token }: { eventId: string; token: string }) {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  const loaded = useLoad(eventId, () => eventsApi.get(eventId, token))
  const printed = useRef(false)
  const event = loaded.data?.event

  // The page was opened by "Print the poster": print once the QR code is there.
  const onQrLoaded = () => {
    if (printed.current || new URLSearchParams(location.search).has('e2e')) return
    printed.current = true
    setTimeout(() => window.print(), 100)
  }

  if (!event) return <main className="page">{loaded.error ? <LoadFailed error={loaded.error} /> : <Loading />}</main>
  const joinUrl = `${location.origin}/join/${event.joinCode}`
  return (
    <>
      <div className="poster-tools no-print">
        <Link href={paths.organise(eventId)}>{t('poster.back')}</Link>
        <LanguageSwitch />
        <button type="button" onClick={() => window.print()}>
          {t('poster.print')}
        </button>
      </div>
      <main className="poster">
        <p className="poster-kicker">{t('poster.kicker')}</p>
        <h1 className="poster-title">{event.title}</h1>
        <p className="poster-date">{formatDate(event.date)}</p>
        <img className="poster-qr" src={qrCodeUrl(event.joinCode)} alt={t('organise.qrAlt', { url: joinUrl })} onLoad={onQrLoaded} />
        <p className="poster-instructions">{t('poster.open')}</p>
        <p className="poster-url" data-testid="poster-url">
          {joinUrl}
        </p>
        <p className="poster-instructions">{t('poster.orCode')}</p>
        <p className="poster-code" data-testid="poster-code">
          {event.joinCode}
        </p>
        <p className="poster-footer">{t('poster.noEmail')}</p>
      </main>
    </>
  )
}
