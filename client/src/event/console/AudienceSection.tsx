import type { LiveAudiencePrize } from '@fabrique/protocol'
import { useState } from 'react'
import { useSay } from '../../restitution/strings.ts'
import { api } from '../api.ts'
import { ErrorAlert } from '../ui.tsx'
import { useAction } from '../useRequest.ts'
import { ConsoleSection, whileBusy } from './ConsoleSection.tsx'

/** Opens and closes the audience prize; participants get a ballot on their board meanwhile. */
export function AudienceSection({ eventId, token, prize }: { eventId: string; token: string; prize: LiveAudiencePrize | undefined }) {
  const say = useSay()
  // The live board tells every screen; the server's answer covers the moment before it arrives.
  const [answered, setAnswered] = useState<{ prize: LiveAudiencePrize; liveThen: LiveAudiencePrize | undefined }>()
  const current = answered && answered.liveThen === prize ? answered.prize : (prize ?? answered?.prize)
  const open = current?.status === 'open'
  const toggle = useAction(async () => {
    const body = await api<{ prize: LiveAudiencePrize }>(`/events/${encodeURIComponent(eventId)}/audience-prize`, { method: 'POST', token, body: { open: !open } })
    setAnswered({ prize: body.prize, liveThen: prize })
  })
  const state = open ? say('audienceOpenNow') : current?.openedAt ? say('audienceClosedNow') : say('audienceNever')
  return (
    <ConsoleSection id="console-audience" title={say('audienceTitle')} busy={toggle.busy}>
      <p className="muted">{say('audienceIntro')}</p>
      <p role="status" data-testid="audience-state">
        {state}
      </p>
      <ErrorAlert error={toggle.error} />
      <button type="button" className={open ? 'secondary' : undefined} onClick={() => void toggle.run()} {...whileBusy(toggle.busy)}>
        {open ? say('audienceClose') : current?.openedAt ? say('audienceReopen') : say('audienceOpen')}
      </button>
    </ConsoleSection>
  )
}
