import type { RestitutionState } from '@fabrique/protocol'

/** A team is on stage while it pitches or answers questions. */
export const isOnStage = (state: RestitutionState): boolean => (state.phase === 'pitch' || state.phase === 'questions') && state.index >= 0

/** The team the projection shows: the one on stage, or the one the order stopped at. */
export function currentTeamId(state: RestitutionState): string | undefined {
  return state.phase === 'done' || state.index < 0 ? undefined : state.order[state.index]
}

export function nextTeamId(state: RestitutionState): string | undefined {
  return state.phase === 'done' ? undefined : state.order[state.index + 1]
}

/** The live board's id, which the events API gives alongside the event. */
export const liveBoardIdOf = (event: object): string | undefined => {
  const id = (event as { liveBoardId?: unknown }).liveBoardId
  return typeof id === 'string' ? id : undefined
}
