import type { Locator, Page } from 'playwright-core'
import { type Focused, focused, tabTo } from './keyboard.ts'

export type { Focused }

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/**
 * The outline of a board, driven from the keyboard alone: Tab until the wanted control has focus,
 * then keys. Reads back through the DOM (what a screen reader reads) and, to check the canvas,
 * through the editor exposed with `?e2e=1`.
 */
export class OutlinePanel {
  constructor(readonly page: Page) {}

  panel(): Locator {
    return this.page.getByTestId('outline')
  }

  focused(): Promise<Focused> {
    return focused(this.page)
  }

  /** Presses Tab (Shift+Tab with `backwards`) until `wanted` holds for the focused element. */
  tabTo(wanted: (focused: Focused) => boolean, what: string, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
    return tabTo(this.page, wanted, what, options)
  }

  /** The text of each note of a section of the outline, as listed. */
  async notesIn(sectionTitle: string): Promise<string[]> {
    return this.page.evaluate((title) => {
      const sections = [...document.querySelectorAll<HTMLElement>('[data-testid="outline"] [data-section-id]')]
      const section = sections.find((element) => element.querySelector('h2, h3')?.textContent?.startsWith(title))
      return [...(section?.querySelectorAll<HTMLElement>('[data-outline-note]') ?? [])].map((note) => (note.textContent ?? '').trim())
    }, sectionTitle)
  }

  /** The id of the section (in the outline) that lists the note. */
  async sectionOf(noteId: string): Promise<string | undefined> {
    return this.page.evaluate(
      (id) => document.querySelector(`[data-outline-note="${id}"]`)?.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId,
      noteId,
    )
  }

  async noteText(noteId: string): Promise<string | null> {
    return this.page.evaluate((id) => document.querySelector(`[data-outline-note="${id}"]`)?.textContent?.trim() ?? null, noteId)
  }

  async announcements(): Promise<string> {
    return (await this.page.getByTestId('announcer').textContent()) ?? ''
  }
}

/** Page bounds of a shape, from the editor of the page. */
export function pageBounds(page: Page, id: string): Promise<Rect | undefined> {
  return page.evaluate((shapeId) => {
    type Box = { x: number; y: number; w: number; h: number }
    const { editor } = (window as unknown as { __fabrique: { editor: { getShapePageBounds(id: string): Box | undefined } } }).__fabrique
    const box = editor.getShapePageBounds(shapeId)
    return box ? { x: box.x, y: box.y, w: box.w, h: box.h } : undefined
  }, id)
}

export function centreInside(inner: Rect, outer: Rect): boolean {
  const x = inner.x + inner.w / 2
  const y = inner.y + inner.h / 2
  return x >= outer.x && x <= outer.x + outer.w && y >= outer.y && y <= outer.y + outer.h
}
