import { useId } from 'react'
import { fetchFile, saveBlob } from '../../export/download.ts'
import { useLocale } from '../../i18n.tsx'
import { JURY_CRITERIA_TITLES, type JuryCriterion } from '../../restitution/criteria.ts'
import { useSay } from '../../restitution/strings.ts'
import { api } from '../api.ts'
import { ErrorAlert } from '../ui.tsx'
import { useAction, useLoad } from '../useRequest.ts'
import { ConsoleSection, whileBusy } from './ConsoleSection.tsx'

/** GET /api/events/{id}/results.json (server/src/http/results.ts). */
export interface EventResults {
  criteria: Array<{ key: JuryCriterion }>
  jury: Array<{ rank: number | null; teamId: string; teamName: string; averages: Partial<Record<JuryCriterion, number>>; overall: number | null; jurors: number }>
  audience: { prize: { status: 'open' | 'closed' }; ballots: number; ranking: Array<{ rank: number; teamId: string; teamName: string; votes: number }> }
}

const REFRESH_MS = 10_000

/** The organiser's ranked results, jury and audience, refreshed while the day goes on, and their export. */
export function ResultsSection({ eventId, token }: { eventId: string; token: string }) {
  const say = useSay()
  const { locale } = useLocale()
  const ids = { jury: useId(), audience: useId() }
  const path = (format: 'json' | 'csv') => `/events/${encodeURIComponent(eventId)}/results.${format}`
  const results = useLoad(eventId, () => api<EventResults>(path('json'), { token }), REFRESH_MS)
  const download = useAction(async (format: 'json' | 'csv') => {
    const file = await fetchFile(`/api${path(format)}`, token)
    saveBlob(file.blob, file.filename ?? `resultats.${format}`)
  })
  const number = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toLocaleString(locale))
  const data = results.data

  return (
    <ConsoleSection id="console-results" title={say('resultsTitle')} busy={download.busy}>
      <p className="muted">{say('resultsIntro')}</p>
      <ErrorAlert error={results.error ?? download.error} />
      {data && data.jury.length === 0 && <p>{say('resultsNoTeams')}</p>}
      {data && data.jury.length > 0 && (
        <>
          <h3 id={ids.jury}>{say('resultsJury')}</h3>
          <div className="table-scroll">
            <table aria-labelledby={ids.jury} data-testid="results-jury">
              <thead>
                <tr>
                  <th scope="col">{say('resultsRank')}</th>
                  <th scope="col">{say('resultsTeam')}</th>
                  {data.criteria.map(({ key }) => (
                    <th scope="col" key={key}>
                      {JURY_CRITERIA_TITLES[key][locale]}
                    </th>
                  ))}
                  <th scope="col">{say('resultsOverall')}</th>
                  <th scope="col">{say('resultsJurors')}</th>
                </tr>
              </thead>
              <tbody>
                {data.jury.map((row) => (
                  <tr key={row.teamId}>
                    <td>{row.rank ?? '–'}</td>
                    <th scope="row">{row.teamName}</th>
                    {data.criteria.map(({ key }) => (
                      <td key={key}>{number(row.averages[key])}</td>
                    ))}
                    <td>{row.overall === null ? say('resultsNotScored') : number(row.overall)}</td>
                    <td>{row.jurors}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 id={ids.audience}>{say('resultsAudience')}</h3>
          <p>
            {say('resultsBallots', {
              n: data.audience.ballots,
              state: data.audience.prize.status === 'open' ? say('resultsStateOpen') : say('resultsStateClosed'),
            })}
          </p>
          <div className="table-scroll">
            <table aria-labelledby={ids.audience} data-testid="results-audience">
              <thead>
                <tr>
                  <th scope="col">{say('resultsRank')}</th>
                  <th scope="col">{say('resultsTeam')}</th>
                  <th scope="col">{say('resultsVotes')}</th>
                </tr>
              </thead>
              <tbody>
                {data.audience.ranking.map((row) => (
                  <tr key={row.teamId}>
                    <td>{row.rank}</td>
                    <th scope="row">{row.teamName}</th>
                    <td>{row.votes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={results.reload} {...whileBusy(results.loading)}>
          {say('resultsRefresh')}
        </button>
        <button type="button" onClick={() => void download.run('csv')} {...whileBusy(download.busy)}>
          {say('resultsCsv')}
        </button>
        <button type="button" className="secondary" onClick={() => void download.run('json')} {...whileBusy(download.busy)}>
          {say('resultsJson')}
        </button>
      </div>
    </ConsoleSection>
  )
}
