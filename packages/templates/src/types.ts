/** The two languages every template ships in. */
export type Locale = 'fr' | 'en'

export interface Localized {
  fr: string
  en: string
}

/** A rectangle in canvas units; tldraw's `Box` fits it. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface Size {
  w: number
  h: number
}

export interface Point {
  x: number
  y: number
}

export type TemplateCategory = 'framing' | 'journey' | 'pitch' | 'sheet'

export type TemplateId =
  | 'point-of-view'
  | 'problem-statement'
  | 'problem-statement-state'
  | 'five-whys'
  | 'problem-tree'
  | 'persona'
  | 'empathy-map'
  | 'stakeholder-map'
  | 'journey-map'
  | 'service-blueprint'
  | 'elevator-pitch'
  | 'restitution-pitch'
  | 'lean-canvas'
  | 'value-proposition-canvas'
  | 'business-model-canvas'
  | 'project-sheet'

/** The fields of the project sheet that a team fills on its board, in export order. */
export type ProjectSheetField =
  | 'title'
  | 'pitch'
  | 'problem'
  | 'users'
  | 'solution'
  | 'data'
  | 'impact'
  | 'deliverables'
  | 'achievements'
  | 'nextSteps'

/** tldraw colours a section outline may take. */
export type SectionColor =
  | 'black'
  | 'grey'
  | 'blue'
  | 'light-blue'
  | 'green'
  | 'light-green'
  | 'orange'
  | 'red'
  | 'light-red'
  | 'violet'
  | 'light-violet'
  | 'yellow'

export interface SectionDefinition {
  /** Stable within its template: export code finds the section by this key. */
  key: string
  title: Localized
  prompt: Localized
  /** Relative to the template's frame. */
  box: Rect
  /** Empty sticky notes laid out in the section as an invitation to write. */
  placeholders?: number
  /** The project-sheet field this section's notes feed, when it feeds one. */
  exportField?: ProjectSheetField
  color?: SectionColor
}

/** A labelled line between sections, such as the line of visibility of a service blueprint. */
export interface DividerDefinition {
  key: string
  label: Localized
  /** The band the line and its label occupy, relative to the frame. */
  box: Rect
}

export interface TemplateDefinition {
  id: TemplateId
  category: TemplateCategory
  title: Localized
  description: Localized
  size: Size
  sections: SectionDefinition[]
  dividers?: DividerDefinition[]
}
