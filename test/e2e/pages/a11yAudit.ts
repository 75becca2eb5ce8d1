import type { Page } from 'playwright-core'
import { type AxeExclusion, axeViolations, type Violation } from './axe.ts'

/**
 * Nodes of tldraw's own canvas and UI that fail a rule we cannot fix from the app, each with why.
 * Everything else on a board page, tldraw's included, is audited.
 */
export const TLDRAW_EXCLUSIONS: readonly AxeExclusion[] = []

type Locale = 'fr' | 'en'

/**
 * axe-core on each page of a tour, in both languages: the page as it is (French), then switched to
 * English with its own language menu, then back. Collects what fails rather than stopping at the
 * first page, so that one run lists everything.
 */
export class AccessibilityAudit {
  private readonly found: Record<string, Violation[]> = {}
  private readonly checked: string[] = []

  /**
   * Audits the page in French and in English. With `inLanguage`, only in the language it shows, for
   * states that hide the language menu (a presentation).
   */
  async check(page: Page, name: string, { inLanguage, exclusions = TLDRAW_EXCLUSIONS }: { inLanguage?: boolean; exclusions?: readonly AxeExclusion[] } = {}): Promise<void> {
    const locales = inLanguage ? [(await documentLanguage(page)) as Locale] : (['fr', 'en', 'fr'] as const)
    for (const locale of locales) {
      if ((await documentLanguage(page)) !== locale) await switchLanguage(page, locale)
      if (this.checked.includes(`${name} (${locale})`)) continue
      const violations = await axeViolations(page, exclusions)
      this.checked.push(`${name} (${locale})`)
      if (violations.length > 0) this.found[`${name} (${locale})`] = violations
    }
  }

  /** Violations by page, `{}` when every page passed. */
  failures(): Record<string, Violation[]> {
    return this.found
  }
}

function documentLanguage(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang)
}

/** Picks the language in the page's own menu (the first one: a board inside a page has its own too). */
export async function switchLanguage(page: Page, locale: Locale): Promise<void> {
  await page.getByRole('combobox', { name: /^(Langue|Language)$/ }).first().selectOption(locale)
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, locale)
  // Two frames: React has rendered the new strings and the browser has laid them out.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

/**
 * What a 200 % zoom loses on the page as it is laid out now: a horizontal scroll bar on the page, or
 * a control, heading or paragraph that sticks out of the window sideways (it could not be read
 * without scrolling both ways). Wide tables scroll inside their own box, as WCAG 1.4.10 allows.
 */
export function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const width = document.documentElement.clientWidth
    const overflow = document.documentElement.scrollWidth - width
    if (overflow > 1) problems.push(`the page scrolls sideways by ${overflow}px`)
    const selector = 'a[href], button, input, select, textarea, label, h1, h2, h3, p, li, dt, dd, legend'
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.closest('.table-scroll, .visually-hidden, .tl-container')) continue
      const box = element.getBoundingClientRect()
      if (box.width <= 1 || box.height <= 1 || getComputedStyle(element).visibility === 'hidden') continue
      if (box.left < -1 || box.right > width + 1) {
        const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)
        problems.push(`<${element.tagName.toLowerCase()}> “${name}” spans ${Math.round(box.left)}–${Math.round(box.right)}px of ${width}px`)
      }
    }
    return problems
  })
}

/**
 * Tabs through every stop of the page (until the focus comes back where it started) and lists
 * those that show no focus ring: no outline and no box shadow while focused.
 */
export async function stopsWithoutVisibleFocus(page: Page, max = 150): Promise<string[]> {
  const missing: string[] = []
  const seen = new Set<string>()
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null
      if (!element || element === document.body) return undefined
      const path: string[] = []
      for (let node: Element | null = element; node && node !== document.body; node = node.parentElement) {
        path.unshift(`${node.tagName.toLowerCase()}:${[...(node.parentElement?.children ?? [])].indexOf(node)}`)
      }
      const style = getComputedStyle(element)
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1
      const shadow = style.boxShadow !== 'none'
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? element.getAttribute('name') ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)
      return { path: path.join('/'), visible: outline || shadow, what: `<${element.tagName.toLowerCase()}> “${name}”` }
    })
    if (!stop) continue
    if (seen.has(stop.path)) break
    seen.add(stop.path)
    if (!stop.visible) missing.push(stop.what)
  }
  return missing
}

/**
 * Controls inside `container` that a person cannot reach on screen: once scrolled into view, part
 * of them is outside the window, or something else (tldraw's toolbar, another panel) covers them.
 */
export function controlsOutOfReach(page: Page, container: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const problems: string[] = []
    for (const element of document.querySelectorAll<HTMLElement>(`:is(${selector}) :is(a[href], button, input, select, textarea)`)) {
      if (element.closest('.visually-hidden')) continue
      element.scrollIntoView({ block: 'nearest', inline: 'nearest' })
      const box = element.getBoundingClientRect()
      if (box.width === 0 && box.height === 0) continue
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)
      const what = `<${element.tagName.toLowerCase()}> “${name}”`
      if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) {
        problems.push(`${what} at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} in ${innerWidth}×${innerHeight}`)
        continue
      }
      const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
      if (onTop && onTop !== element && !element.contains(onTop) && !(onTop instanceof HTMLLabelElement && onTop.control === element)) {
        problems.push(`${what} is covered by <${onTop.tagName.toLowerCase()} class="${onTop.className}">`)
      }
    }
    return problems
  }, container)
}
