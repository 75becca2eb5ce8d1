import type { Locale } from '../i18n.tsx'

// The jury's grid, as the server knows it (server/src/jury/types.ts): the API checks the keys.
export const JURY_CRITERIA = ['relevance', 'technical', 'feasibility', 'originality'] as const
export type JuryCriterion = (typeof JURY_CRITERIA)[number]

export const JURY_CRITERIA_TITLES: Record<JuryCriterion, Record<Locale, string>> = {
  relevance: { fr: 'Pertinence et impact', en: 'Relevance and impact' },
  technical: { fr: 'Qualité technique (données, UX)', en: 'Technical quality (data, UX)' },
  feasibility: { fr: 'Faisabilité et pérennité', en: 'Feasibility and sustainability' },
  originality: { fr: 'Originalité', en: 'Originality' },
}

/** The grid's scale (shared/templates.md): 1 to 5, no 0; the API refuses anything else. */
export const SCORE_VALUES = [1, 2, 3, 4, 5] as const

/** 1 to 5 per criterion; a criterion not scored yet is absent. */
export type Scores = Partial<Record<JuryCriterion, number>>

export interface JuryScore {
  teamId: string
  jurorId: string
  jurorName: string
  scores: Scores
  comment: string
  updatedAt: string
}
