import type { Dataset, NewEventBody } from './api.ts'

/** The new-event form as typed: strings everywhere, rows with a stable key for React. */
export interface PhaseDraft {
  key: number
  title: string
  start: string
  duration: string
}

export interface ChallengeDraft {
  key: number
  title: string
  description: string
  /** One resource a line: an address, or a title then an address. */
  datasets: string
}

export interface EventDraft {
  title: string
  date: string
  agenda: PhaseDraft[]
  challenges: ChallengeDraft[]
  maxTeamSize: string
  teamsCanViewOtherBoards: boolean
  participantsCanWritePlenary: boolean
}

let nextKey = 1
export const rowKey = () => nextKey++

export const emptyPhase = (): PhaseDraft => ({ key: rowKey(), title: '', start: '', duration: '60' })
export const emptyChallenge = (): ChallengeDraft => ({ key: rowKey(), title: '', description: '', datasets: '' })

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

export const initialDraft = (): EventDraft => ({
  title: '',
  date: today(),
  agenda: [],
  challenges: [],
  // The server's defaults.
  maxTeamSize: '8',
  teamsCanViewOtherBoards: false,
  participantsCanWritePlenary: true,
})

const URL_IN_LINE = /https?:\/\/\S+/i

/**
 * Reads the resource lines of a challenge. A line without a web address is returned in `invalid`
 * (1-based line numbers) rather than dropped, so the organiser can fix it.
 */
export function parseDatasets(text: string): { datasets: Dataset[]; invalid: number[] } {
  const datasets: Dataset[] = []
  const invalid: number[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (!line) return
    const match = URL_IN_LINE.exec(line)
    if (!match || !isHttpUrl(match[0])) {
      invalid.push(index + 1)
      return
    }
    const url = match[0]
    const title = (line.slice(0, match.index) + line.slice(match.index + url.length)).replace(/^[\s:|–—-]+|[\s:|–—-]+$/g, '').trim()
    datasets.push({ title: (title || readableUrl(url)).slice(0, 200), url })
  })
  return { datasets, invalid }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** `https://www.data.gouv.fr/fr/datasets/x/` -> `data.gouv.fr/fr/datasets/x` */
function readableUrl(text: string): string {
  const url = new URL(text)
  return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/$/, '')}`
}

export type DraftProblem = { kind: 'datasets'; challenge: number; lines: number[] }

/** The body of POST /api/events, or what stops the form from being sent. */
export function toNewEventBody(draft: EventDraft): { body: NewEventBody } | { problems: DraftProblem[] } {
  const problems: DraftProblem[] = []
  const challenges = draft.challenges.map((challenge, index) => {
    const { datasets, invalid } = parseDatasets(challenge.datasets)
    if (invalid.length > 0) problems.push({ kind: 'datasets', challenge: index + 1, lines: invalid })
    return { title: challenge.title.trim(), description: challenge.description.trim(), datasets }
  })
  if (problems.length > 0) return { problems }
  return {
    body: {
      title: draft.title.trim(),
      date: draft.date,
      agenda: draft.agenda.map((phase) => ({ title: phase.title.trim(), start: phase.start, durationMinutes: Number(phase.duration) })),
      challenges,
      settings: {
        maxTeamSize: Number(draft.maxTeamSize),
        teamsCanViewOtherBoards: draft.teamsCanViewOtherBoards,
        participantsCanWritePlenary: draft.participantsCanWritePlenary,
      },
    },
  }
}
