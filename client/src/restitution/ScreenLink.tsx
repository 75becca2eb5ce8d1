import { useLocale } from '../i18n.tsx'
import { screenLinkLabel } from './strings.ts'

/** Where the projection screen lives; browser tests' `?e2e=1` carries over, as in event/paths.ts. */
export function screenPath(eventId: string): string {
  const test = new URLSearchParams(location.search).has('e2e') ? '?e2e=1' : ''
  return `/e/${encodeURIComponent(eventId)}/screen${test}`
}

/** From the console to the room's screen: a new tab, to drag onto the projector. */
export function ScreenLink({ eventId }: { eventId: string }) {
  const { locale } = useLocale()
  return (
    <p>
      <a href={screenPath(eventId)} target="_blank" rel="noopener" data-testid="screen-link">
        {screenLinkLabel(locale)}
      </a>
    </p>
  )
}
