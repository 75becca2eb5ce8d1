import { eventsApi, type Team } from '../event/api.ts'
import { ErrorAlert, Link, useErrorText } from '../event/ui.tsx'
import { useLoad } from '../event/useRequest.ts'
import { paths } from '../event/paths.ts'
import { BoardReadError } from './boardSnapshot.ts'
import type { BundleProgress } from './bundle.ts'
import { exportUrls } from './download.ts'
import { type Say, useExportStrings } from './strings.ts'
import { type BundleState, type DownloadState, useBundle, useDownload } from './useExport.ts'
import './export.css'

const TEAM_FORMATS = [
  ['pdf', 'pdf'],
  ['md', 'markdown'],
  ['json', 'json'],
] as const

/**
 * Project sheets for organisers, facilitators and jury: each team's sheet, the event's files, and
 * the full bundle with pictures of the boards drawn in this browser. Every file needs the staff
 * token, so downloads go through fetch and a Blob, never a plain link.
 */
export function ExportPanel({ eventId, token }: { eventId: string; token: string }) {
  const { locale, say } = useExportStrings()
  const teams = useLoad(eventId, () => eventsApi.get(eventId, token), 30_000)
  const single = useDownload(token)
  const bundle = useBundle(eventId, token, locale)
  const pending = single.state.kind === 'pending'

  const eventFiles = [
    [say('notesCsv'), exportUrls.notesCsv(eventId, locale), 'notes.csv'],
    [say('eventPdf'), exportUrls.eventPdf(eventId, locale), 'fiches.pdf'],
    [say('eventZip'), exportUrls.eventZip(eventId, locale), 'export.zip'],
  ] as const

  return (
    <section className="card export-panel" aria-labelledby="export-heading" id="export">
      <h2 id="export-heading">{say('heading')}</h2>
      <p className="muted">{say('intro')}</p>

      <h3>{say('teamsHeading')}</h3>
      {teams.error ? <ErrorAlert error={teams.error} /> : null}
      <TeamSheets
        teams={teams.data?.teams}
        say={say}
        disabled={pending}
        onDownload={(team, format, label) => single.download(exportUrls.teamSheet(eventId, team.id, format, locale), label, `fiche.${format}`)}
      />

      <h3>{say('eventHeading')}</h3>
      <div className="button-row">
        {eventFiles.map(([label, url, fallback]) => (
          <button key={url} type="button" className="secondary" disabled={pending} onClick={() => single.download(url, label, fallback)}>
            {label}
          </button>
        ))}
      </div>
      <DownloadStatus state={single.state} say={say} />

      <h3>{say('bundleHeading')}</h3>
      <p className="muted">{say('bundleHelp')}</p>
      <div className="button-row">
        <button type="button" disabled={bundle.state.kind === 'running'} onClick={() => void bundle.start()}>
          {say('bundleStart')}
        </button>
        {bundle.state.kind === 'running' && (
          <button type="button" className="secondary" onClick={bundle.cancel}>
            {say('cancel')}
          </button>
        )}
      </div>
      <BundleStatus state={bundle.state} say={say} />
    </section>
  )
}

interface TeamSheetsProps {
  teams: Team[] | undefined
  say: Say
  disabled: boolean
  onDownload(team: Team, format: 'pdf' | 'md' | 'json', label: string): void
}

function TeamSheets({ teams, say, disabled, onDownload }: TeamSheetsProps) {
  if (!teams) return null
  if (teams.length === 0) return <p className="muted">{say('noTeams')}</p>
  return (
    <div className="table-scroll">
      <table className="boards-table export-teams">
        <thead>
          <tr>
            <th scope="col">{say('teamColumn')}</th>
            <th scope="col">{say('filesColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((team) => (
            <tr key={team.id} data-testid="export-team">
              <th scope="row">{team.name}</th>
              <td>
                <div className="export-formats">
                  {TEAM_FORMATS.map(([format, key]) => {
                    const label = say('downloadTeam', { team: team.name, format: say(key) })
                    return (
                      <button key={format} type="button" className="secondary" disabled={disabled} aria-label={label} onClick={() => onDownload(team, format, label)}>
                        {say(key)}
                      </button>
                    )
                  })}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DownloadStatus({ state, say }: { state: DownloadState; say: Say }) {
  return (
    <>
      <p role="status" className="export-status" data-testid="export-download-status">
        {state.kind === 'pending' && say('downloading', { file: state.label })}
        {state.kind === 'done' && say('downloaded', { file: state.filename })}
      </p>
      {state.kind === 'failed' && <ErrorAlert error={state.error} />}
    </>
  )
}

function stepText(progress: BundleProgress, say: Say): string {
  const { step } = progress
  switch (step.kind) {
    case 'start':
      return say('progressStart')
    case 'team':
      return say('progressTeam', { n: step.n, total: step.total })
    case 'event':
      return say('progressEvent')
    case 'done':
      return say('progressDone')
  }
}

function ProgressBar({ progress, say }: { progress: BundleProgress; say: Say }) {
  const percent = Math.round((100 * progress.done) / Math.max(progress.total, 1))
  const text = stepText(progress, say)
  return (
    <div className="export-progress">
      <div
        role="progressbar"
        aria-label={say('progressLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} % — ${text}`}
        className="export-progress-track"
      >
        <div className="export-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="export-progress-text" data-testid="export-progress-text">
        {text} <span className="muted">{percent}&nbsp;%</span>
      </p>
    </div>
  )
}

const DONE: BundleProgress = { step: { kind: 'done' }, done: 1, total: 1 }

function BundleStatus({ state, say }: { state: BundleState; say: Say }) {
  const errorText = useErrorText()
  const reason = (error: unknown) => {
    if (error instanceof BoardReadError) return error.reason === 'timeout' ? say('boardTimeout') : say('boardRefused', { code: error.code ?? '?' })
    return say('renderFailed')
  }
  return (
    <>
      {state.kind === 'running' && <ProgressBar progress={state.progress} say={say} />}
      {state.kind === 'done' && <ProgressBar progress={DONE} say={say} />}
      <p role="status" className="export-status" data-testid="export-bundle-status">
        {state.kind === 'done' && say('bundleDone', { file: state.filename })}
        {state.kind === 'cancelled' && say('bundleCancelled')}
      </p>
      {state.kind === 'done' &&
        state.missingPictures.map(({ teamId, team, error }) => (
          <p key={teamId} role="alert" className="alert alert-error">
            {say('missingPictures', { team, reason: reason(error) })}
          </p>
        ))}
      {state.kind === 'failed' && (
        <p role="alert" className="alert alert-error">
          {errorText(state.error)}
        </p>
      )}
    </>
  )
}

/** The way to the export page from the other staff pages (console, jury). */
export function ExportLink({ eventId }: { eventId: string }) {
  const { say } = useExportStrings()
  return (
    <p>
      <Link href={paths.exportSheets(eventId)}>{say('openPage')}</Link>
    </p>
  )
}
