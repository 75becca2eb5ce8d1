import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useLocale } from '../i18n.tsx'
import { navigate } from '../router.tsx'
import { ApiError, eventsApi, type Member, type PublicEventInfo, type Team } from './api.ts'
import { setCanvasName } from './canvasName.ts'
import { paths } from './paths.ts'
import { forgetMember, saveMember, storedMember } from './session.ts'
import { type TeamActions, TeamList } from './TeamList.tsx'
import { ErrorAlert, EventPageHeader, Link, Loading, useFormatDate } from './ui.tsx'
import { useAction, useLoad } from './useRequest.ts'

interface Session {
  token: string
  member: Member
}

/**
 * `/join/CODE`: see the event, its challenges and teams; pick a pseudonym; join or create a team;
 * go to the team's board. A returning browser is recognised from the token it kept.
 */
export function JoinEventPage({ code }: { code: string }) {
  const { t } = useLocale()
  // GET /api/join/{code} is rate-limited per address (a whole room may share one): asked once.
  const preview = useLoad(code, () => eventsApi.preview(code))
  const event = preview.data?.event
  const [session, setSession] = useState<Session | null>()
  const [restoreError, setRestoreError] = useState<unknown>()

  useEffect(() => {
    if (!event) return
    const stored = storedMember(event.id)
    if (!stored) {
      setSession(null)
      return
    }
    eventsApi.me(event.id, stored.token).then(
      (me) => {
        if (me.member) {
          saveMember(event.id, { ...stored, pseudonym: me.member.pseudonym })
          setSession({ token: stored.token, member: me.member })
        } else {
          forgetMember(event.id)
          setSession(null)
        }
      },
      (error: unknown) => {
        // A removed member or an expired token joins again; a network failure keeps the token.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          forgetMember(event.id)
          setSession(null)
        } else {
          setRestoreError(error)
        }
      },
    )
  }, [event])

  if (!event) {
    return (
      <div className="page">
        <EventPageHeader title={t('home.join')} />
        <main>
          {preview.error ? (
            <>
              <ErrorAlert error={preview.error} />
              <p>
                <Link href="/join">{t('join.otherCode')}</Link>
              </p>
            </>
          ) : (
            <Loading />
          )}
        </main>
      </div>
    )
  }

  return (
    <JoinedEvent
      code={code}
      event={event}
      initialTeams={preview.data?.teams ?? []}
      session={session}
      restoreError={restoreError}
      onSession={setSession}
    />
  )
}

interface JoinedEventProps {
  code: string
  event: PublicEventInfo
  initialTeams: Team[]
  /** undefined: still finding out who this browser is; null: nobody yet. */
  session: Session | null | undefined
  restoreError: unknown
  onSession(session: Session | null): void
}

function JoinedEvent({ code, event, initialTeams, session, restoreError, onSession }: JoinedEventProps) {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  // Once one is a member, the teams come from the authenticated (not rate-limited) endpoint.
  const fresh = useLoad(session ? `${event.id}:${session.token}` : undefined, () => eventsApi.get(event.id, session?.token ?? ''), 10_000)
  const teams = fresh.data?.teams ?? initialTeams
  const plenaryBoardId = fresh.data?.event.plenaryBoardId

  const openBoard = (boardId: string, member: Member) => {
    setCanvasName(member.pseudonym)
    navigate(paths.board(event.id, boardId, { as: 'participant' }))
  }

  const teamAction = useAction(async (act: () => Promise<{ member: Member; boardId: string }>) => {
    if (!session) return
    try {
      const { member, boardId } = await act()
      onSession({ token: session.token, member })
      openBoard(boardId, member)
    } catch (error) {
      // Removed from the event, or the token expired: back to choosing a pseudonym, with the reason.
      if (error instanceof ApiError && (error.status === 401 || error.code === 'member_removed')) {
        forgetMember(event.id)
        onSession(null)
      }
      throw error
    } finally {
      fresh.reload()
    }
  })

  const actions: TeamActions | undefined = session
    ? {
        myTeamId: session.member.teamId,
        busy: teamAction.busy,
        join: (team) =>
          void teamAction.run(async () => {
            const { member } = await eventsApi.joinTeam(event.id, session.token, team.id)
            return { member, boardId: team.boardId }
          }),
        create: (name, challengeId) =>
          void teamAction.run(async () => {
            const { team } = await eventsApi.createTeam(event.id, session.token, name, challengeId)
            return { member: { ...session.member, teamId: team.id }, boardId: team.boardId }
          }),
        viewHref: event.settings.teamsCanViewOtherBoards
          ? (team) => paths.board(event.id, team.boardId, { as: 'participant', view: true })
          : undefined,
      }
    : undefined

  const myTeam = session?.member.teamId ? teams.find((team) => team.id === session.member.teamId) : undefined

  // The pseudonym form gives way to the greeting: the focus goes there rather than to the page's top.
  const greeting = useRef<HTMLHeadingElement>(null)
  const [justJoined, setJustJoined] = useState(false)
  useEffect(() => {
    if (justJoined) greeting.current?.focus()
  }, [justJoined])
  const joined = (joinedSession: Session) => {
    onSession(joinedSession)
    setJustJoined(true)
  }

  return (
    <div className="page">
      <EventPageHeader title={event.title} subtitle={formatDate(event.date)} />
      <main>
        <ErrorAlert error={restoreError} />
        {session === undefined && !restoreError && <Loading />}
        {session === null && <PseudonymForm code={code} eventId={event.id} onJoined={joined} />}
        {session && (
          <section className="card" aria-labelledby="me-heading">
            <h2 id="me-heading" ref={greeting} tabIndex={-1}>
              {t('join.hello', { name: session.member.pseudonym })}
            </h2>
            <p>{myTeam ? t('join.inTeam', { name: myTeam.name }) : t('join.pickTeam')}</p>
            <div className="button-row">
              {myTeam && (
                <button type="button" onClick={() => openBoard(myTeam.boardId, session.member)}>
                  {t('join.openTeamBoard')}
                </button>
              )}
              {plenaryBoardId && (
                <Link className="button-link secondary" href={plenaryHref(event, plenaryBoardId)}>
                  {t('join.openPlenary')}
                </Link>
              )}
            </div>
          </section>
        )}
        <section aria-labelledby="teams-heading">
          <h2 id="teams-heading">{event.challenges.length > 0 ? t('join.challenges') : t('join.teams')}</h2>
          <ErrorAlert error={teamAction.error} />
          {teamAction.busy && (
            <p role="status" className="muted">
              {t('join.working')}
            </p>
          )}
          <TeamList challenges={event.challenges} teams={teams} maxTeamSize={event.settings.maxTeamSize} actions={actions} />
        </section>
      </main>
    </div>
  )
}

function plenaryHref(event: PublicEventInfo, plenaryBoardId: string): string {
  return paths.board(event.id, plenaryBoardId, { as: 'participant', view: !event.settings.participantsCanWritePlenary })
}

function PseudonymForm({ code, eventId, onJoined }: { code: string; eventId: string; onJoined(session: Session): void }) {
  const { t } = useLocale()
  const [pseudonym, setPseudonym] = useState('')
  const [invalid, setInvalid] = useState(false)
  const join = useAction(async () => {
    const name = pseudonym.trim()
    // The server refuses these characters; saying so here spares a round trip and a technical message.
    if (!name || /[<>]/.test(name)) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    const joined = await eventsApi.join(code, name)
    saveMember(joined.eventId || eventId, { token: joined.token, memberId: joined.member.id, pseudonym: joined.member.pseudonym })
    onJoined({ token: joined.token, member: joined.member })
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void join.run()
  }
  return (
    <section className="card" aria-labelledby="pseudonym-heading">
      <h2 id="pseudonym-heading">{t('join.whoAreYou')}</h2>
      <form onSubmit={submit} className="inline-form" aria-busy={join.busy}>
        <label htmlFor="pseudonym">{t('join.pseudonym')}</label>
        <input
          id="pseudonym"
          value={pseudonym}
          onChange={(e) => setPseudonym(e.target.value)}
          required
          maxLength={40}
          autoComplete="nickname"
          aria-describedby="pseudonym-help"
          aria-invalid={invalid || undefined}
        />
        <button type="submit" disabled={join.busy}>
          {join.busy ? t('join.joining') : t('join.submit')}
        </button>
      </form>
      <p id="pseudonym-help" className="field-help">
        {t('join.pseudonymHelp')}
      </p>
      {invalid && (
        <p role="alert" className="alert alert-error">
          {t('join.pseudonymInvalid')}
        </p>
      )}
      <ErrorAlert error={join.error} />
    </section>
  )
}
