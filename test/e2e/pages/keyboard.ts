import type { Page } from 'playwright-core'

/** What the focused element is, for a person who only hears it: its accessible-ish name and marks. */
export interface Focused {
  tag: string
  text: string
  label: string
  /** The text of its `<label>`, for form fields. */
  labelledBy: string
  /** The heading of the section it is in, when it is in one. */
  section: string
  templateId: string | null
  noteId: string | null
}

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    const flat = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim()
    const labels = element && 'labels' in element ? (element as HTMLInputElement).labels : null
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: flat(element?.textContent),
      label: element?.getAttribute('aria-label') ?? '',
      labelledBy: flat(labels?.[0]?.textContent),
      section: flat(element?.closest('section')?.querySelector('h2, h3')?.textContent),
      templateId: element?.getAttribute('data-template-id') ?? null,
      noteId: element?.getAttribute('data-outline-note') ?? null,
    }
  })
}

/** Presses Tab (Shift+Tab with `backwards`) until `wanted` holds for the focused element. */
export async function tabTo(page: Page, wanted: (focused: Focused) => boolean, what: string, { backwards = false, max = 120 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (wanted(await focused(page))) return
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached ${what}; last focused: ${JSON.stringify(await focused(page))}`)
}
