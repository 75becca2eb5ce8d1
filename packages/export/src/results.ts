import { csvField, UTF8_BOM } from './csv.ts'

/** One team's line of the event's results: the jury's ranking and the audience prize's. */
export interface ResultsRow {
  teamId: string
  team: string
  /** null: no juror scored the team. */
  juryRank: number | null
  /** Mean of the jurors' 1-5 scores per criterion key; null when nobody scored it. */
  averages: Readonly<Record<string, number | null>>
  overall: number | null
  jurors: number
  audienceRank: number | null
  audienceVotes: number
}

const line = (fields: ReadonlyArray<string | number>) => `${fields.map(csvField).join(',')}\r\n`
const cell = (value: number | null) => (value === null ? '' : value)

/** The columns, stable for scripts: the criteria keys sit between the jury rank and the overall mean. */
export const resultsCsvColumns = (criteria: readonly string[]) => ['team_id', 'team', 'jury_rank', ...criteria, 'jury_overall', 'jurors', 'audience_rank', 'audience_votes']

/**
 * The organiser's results, one team per line in the order given (the jury's ranking): means with a
 * dot as decimal separator, empty cells where there is nothing yet. CRLF and a BOM, for Excel.
 */
export function resultsCsv(criteria: readonly string[], rows: readonly ResultsRow[]): string {
  let out = UTF8_BOM + line(resultsCsvColumns(criteria))
  for (const row of rows) {
    out += line([
      row.teamId,
      row.team,
      cell(row.juryRank),
      ...criteria.map((key) => cell(row.averages[key] ?? null)),
      cell(row.overall),
      row.jurors,
      cell(row.audienceRank),
      row.audienceVotes,
    ])
  }
  return out
}
