import type { Locator, Page } from 'playwright-core'

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** What the focused element is, for a person who only hears it: its accessible-ish name and marks. */
export interface Focused {
  tag: string
  text: string
  label: string
  templateId: string | null
  noteId: string | null
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

  async focused(): Promise<Focused> {
    return this.page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null
      return {
        tag: element?.tagName.toLowerCase() ?? '',
        text: (element?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        label: element?.getAttribute('aria-label') ?? '',
        templateId: element?.getAttribute('data-template-id') ?? null,
        noteId: element?.getAttribute('data-outline-note') ?? null,
      }
    })
  }

  /** Presses Tab (Shift+Tab with `backwards`) until `wanted` holds for the focused element. */
  async tabTo(wanted: (focused: Focused) => boolean, what: string, { backwards = false, max = 120 } = {}): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (wanted(await this.focused())) return
      await this.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    }
    throw new Error(`Tab never reached ${what}; last focused: ${JSON.stringify(await this.focused())}`)
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
