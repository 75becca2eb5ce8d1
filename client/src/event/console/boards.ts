import type { BoardCard } from '../api.ts'

/** A board as the console names it: its team's name, or the plenary's. */
export interface BoardOption {
  boardId: string
  name: string
  /** null for the plenary board. */
  teamId: string | null
}

export function boardOptions(boards: readonly BoardCard[], plenaryName: string): BoardOption[] {
  return boards.map((board) => ({ boardId: board.boardId, name: board.team?.name ?? plenaryName, teamId: board.team?.id ?? null }))
}

/** The name of a board for a report line; an id the list does not know (a board just created) stays an id. */
export function boardName(boards: readonly BoardOption[], boardId: string): string {
  return boards.find((board) => board.boardId === boardId)?.name ?? boardId
}

/** Which boards an action targets: all of them (now and any created meanwhile), or those ticked. */
export interface BoardChoice {
  all: boolean
  chosen: string[]
}

export const ALL_BOARDS: BoardChoice = { all: true, chosen: [] }
