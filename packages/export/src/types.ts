import type { Locale, Localized, ProjectSheetField } from '@fabrique/templates'

/** Bumped on any change that could break a reader of the JSON; documented in docs/project-sheet.schema.md. */
export const PROJECT_SHEET_SCHEMA_VERSION = 1

/** One sticky note (or text) written by the team. */
export interface SheetNote {
  /** The tldraw shape id, as votes refer to it. */
  shapeId: string
  /** Plain text; paragraphs and list items on their own lines. */
  text: string
  /** Who last edited the text, when the board knows it. */
  author?: string
  /** Dots received in revealed or closed votes. */
  votes: number
}

/** Where a section lives: a template and the key of one of its sections. */
export interface SectionSource {
  templateId: string
  sectionKey: string
}

export interface SheetField {
  title: Localized
  notes: SheetNote[]
  /** The section the notes come from (the first one when several were merged); null when there is none. */
  source: SectionSource | null
}

export interface SheetSection {
  key: string
  title: Localized
  /** The project-sheet field this section feeds, if any. */
  exportField: ProjectSheetField | null
  notes: SheetNote[]
}

/** One template frame on the board, with the notes of each of its sections. */
export interface SheetTemplate {
  templateId: string
  frameId: string
  title: Localized
  /** The language the template was placed in. */
  locale: Locale
  sections: SheetSection[]
  /** Notes inside the frame but in none of its sections. */
  otherNotes: SheetNote[]
}

export interface SheetDataset {
  title: string
  url: string
}

/** A team's "fiche projet": what the organisers hand to the jury and the incubators. */
export interface ProjectSheet {
  schemaVersion: typeof PROJECT_SHEET_SCHEMA_VERSION
  /** The project's name: the notes of the title field, else the team name. */
  title: string
  event: { id: string; title: string; date: string }
  team: { id: string; name: string; boardId: string; members: string[] }
  challenge: { title: string; description: string; datasets: SheetDataset[] } | null
  fields: Record<ProjectSheetField, SheetField>
  /** Notes in no section of any template (anywhere on the board). */
  otherNotes: SheetNote[]
  templates: SheetTemplate[]
  /** The jury's evaluation, when there is one the reader may see; null otherwise. */
  juryScores: SheetJury | null
  /** The slides the team presented, in its order (restitution); null when it did not present. */
  presentation: SheetSlide[] | null
  /** ISO 8601. */
  exportedAt: string
}

/** What the board does not know: the event, the team, its members, its challenge, the votes. */
export interface SheetContext {
  event: { id: string; title: string; date: string }
  team: { id: string; name: string; boardId: string }
  /** Pseudonyms, in the order to print them. */
  members: readonly string[]
  challenge: { title: string; description: string; datasets: readonly SheetDataset[] } | null
  /** Dots per shape id on this board. */
  votes?: Readonly<Record<string, number>>
  /** The jury's evaluation of this team, when the reader may see it. */
  jury?: SheetJury | null
  /** Shape ids of the presented slides (sections or frames), in the presenter's order. */
  slides?: readonly string[] | null
  /** Defaults to now. */
  exportedAt?: Date
}

export interface SheetJury {
  /** Mean of the jurors' scores (1 to 5) per criterion, in the grid's order. */
  criteria: Array<{ key: string; title: { fr: string; en: string }; average: number | null }>
  /** Mean of the criteria means. */
  overall: number | null
  jurors: number
  comments: string[]
}

export interface SheetSlide {
  shapeId: string
  /** The section or frame title shown on that slide. */
  title: string
}
