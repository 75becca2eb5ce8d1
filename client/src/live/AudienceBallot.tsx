import type { LiveAudiencePrize } from '@fabrique/protocol'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { api } from '../event/api.ts'
import { ErrorAlert } from '../event/ui.tsx'
import { useAction } from '../event/useRequest.ts'
import { type Locale, useLocale } from '../i18n.tsx'

const strings = {
  fr: {
    title: 'Prix du public',
    intro: 'Votez pour le projet d’une autre équipe. Une voix par personne : vous pouvez changer d’avis jusqu’à la clôture.',
    vote: 'Voter',
    change: 'Changer mon vote',
    voted: 'Votre vote : {team}. Vous pouvez le changer jusqu’à la clôture.',
    pick: 'Choisissez une équipe.',
    noChoice: 'Aucune autre équipe pour l’instant.',
    hide: 'Masquer',
    show: 'Prix du public : voter',
  },
  en: {
    title: 'Audience prize',
    intro: 'Vote for another team’s project. One vote each: you can change your mind until the vote closes.',
    vote: 'Vote',
    change: 'Change my vote',
    voted: 'Your vote: {team}. You can change it until the vote closes.',
    pick: 'Choose a team.',
    noChoice: 'No other team yet.',
    hide: 'Hide',
    show: 'Audience prize: vote',
  },
} satisfies Record<Locale, Record<string, string>>

interface Ballot {
  choices: Array<{ teamId: string; name: string }>
  mine: string | null
}

const eventPath = (eventId: string) => `/events/${encodeURIComponent(eventId)}/audience-prize`

/**
 * The audience prize ballot a participant sees on their board while the facilitators keep it
 * open: a radio group of the other teams and one button; the server refuses one's own team.
 */
export function AudienceBallot({ prize, eventId, token }: { prize: LiveAudiencePrize | undefined; eventId: string; token: string }) {
  const { locale } = useLocale()
  const s = strings[locale]
  const baseId = useId()
  const [ballot, setBallot] = useState<Ballot>()
  const [picked, setPicked] = useState<string>()
  const [editing, setEditing] = useState(false)
  const [hidden, setHidden] = useState(false)
  const [loadError, setLoadError] = useState<unknown>()
  const open = prize?.status === 'open'
  const opening = open ? (prize?.openedAt ?? 'open') : undefined

  // Read again at each opening: teams may have been created since, and the ballot is per person.
  useEffect(() => {
    if (!opening) return
    let cancelled = false
    api<Ballot>(eventPath(eventId), { token }).then(
      (body) => {
        if (cancelled) return
        setBallot(body)
        setPicked(body.mine ?? undefined)
        setEditing(body.mine === null)
      },
      (error) => !cancelled && setLoadError(error),
    )
    return () => {
      cancelled = true
    }
  }, [opening, eventId, token])

  const cast = useAction(async (teamId: string) => {
    const { mine } = await api<{ mine: string }>(`${eventPath(eventId)}/ballot`, { method: 'PUT', token, body: { teamId } })
    setBallot((current) => current && { ...current, mine })
    setEditing(false)
  })
  const [pickError, setPickError] = useState(false)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setPickError(!picked)
    if (picked) void cast.run(picked)
  }

  if (!open) return null
  if (hidden) {
    return (
      <button type="button" className="secondary audience-show" onClick={() => setHidden(false)}>
        {s.show}
      </button>
    )
  }
  const votedFor = ballot?.choices.find((choice) => choice.teamId === ballot.mine)?.name
  return (
    <section className="notice audience-ballot" aria-labelledby={`${baseId}-title`} data-testid="audience-ballot">
      <h2 id={`${baseId}-title`} className="audience-title">
        {s.title}
      </h2>
      <ErrorAlert error={loadError} />
      {ballot && !editing && votedFor ? (
        <>
          <p role="status" data-testid="audience-voted">
            {s.voted.replace('{team}', votedFor)}
          </p>
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            {s.change}
          </button>
        </>
      ) : ballot ? (
        <form onSubmit={submit}>
          <fieldset className="audience-choices">
            <legend>{s.intro}</legend>
            {ballot.choices.length === 0 && <p>{s.noChoice}</p>}
            {ballot.choices.map((choice) => (
              <label key={choice.teamId} className="audience-choice">
                <input type="radio" name={`${baseId}-team`} value={choice.teamId} checked={picked === choice.teamId} onChange={() => setPicked(choice.teamId)} />
                <span>{choice.name}</span>
              </label>
            ))}
          </fieldset>
          {pickError && !picked && (
            <p role="alert" className="alert alert-error">
              {s.pick}
            </p>
          )}
          <ErrorAlert error={cast.error} />
          <button type="submit" aria-disabled={cast.busy || undefined} disabled={ballot.choices.length === 0}>
            {s.vote}
          </button>
        </form>
      ) : null}
      <button type="button" className="secondary" onClick={() => setHidden(true)}>
        {s.hide}
      </button>
    </section>
  )
}
