import fs from 'node:fs/promises'
import type { BrowserContext, Download, Locator, Page } from 'playwright-core'
import { withTestFlag } from './eventPages.ts'

/** Text as read, with the no-break spaces of French typography as plain spaces. */
const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()

export interface SavedDownload {
  filename: string
  bytes: Uint8Array
}

/** What the progress bar said, recorded in the page as it changed (no sampling from the test). */
export interface ProgressRecord {
  values: number[]
  texts: string[]
}

/** The "Exporter les fiches projet" card, on the organiser's page or the export page (French labels). */
export class ExportPanel {
  private constructor(readonly page: Page) {}

  /** Opens a staff link (organiser, facilitator, jury page) and waits for the export card. */
  static async openOrganiserPage(context: BrowserContext, organiserLink: string): Promise<ExportPanel> {
    const page = await context.newPage()
    await page.goto(withTestFlag(organiserLink))
    const panel = new ExportPanel(page)
    await panel.region.getByTestId('export-team').first().waitFor()
    return panel
  }

  /** From a staff page (console, jury page), follows its link to the export page. */
  static async followLink(context: BrowserContext, staffLink: string): Promise<ExportPanel> {
    const page = await context.newPage()
    await page.goto(withTestFlag(staffLink))
    await page.getByRole('link', { name: 'Exporter les fiches projet', exact: true }).click()
    await page.waitForURL(/\/e\/[^/]+\/export/)
    const panel = new ExportPanel(page)
    await panel.region.getByTestId('export-team').first().waitFor()
    return panel
  }

  get region(): Locator {
    return this.page.getByRole('region', { name: 'Exporter les fiches projet', exact: true })
  }

  get progressBar(): Locator {
    return this.region.getByRole('progressbar', { name: 'Préparation de l’archive complète' })
  }

  async teamNames(): Promise<string[]> {
    return (await this.region.getByTestId('export-team').getByRole('rowheader').allTextContents()).map(flat)
  }

  /** Clicks a button and returns the file the browser downloaded. */
  async download(button: Locator, timeout = 30_000): Promise<SavedDownload> {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout }), button.click()])
    return saved(download)
  }

  teamButton(team: string, format: 'PDF' | 'Markdown' | 'JSON'): Locator {
    return this.region.getByRole('button', { name: new RegExp(`^Fiche de «\\s*${escapeRegExp(team)}\\s*» en ${format}$`) })
  }

  button(name: string): Locator {
    return this.region.getByRole('button', { name, exact: true })
  }

  /** Starts recording every value and text the progress bar takes from now on. */
  async recordProgress(): Promise<void> {
    await this.page.evaluate(() => {
      const record = { values: [] as number[], texts: [] as string[] }
      ;(window as unknown as { __exportProgress: typeof record }).__exportProgress = record
      const read = () => {
        const bar = document.querySelector('[role="progressbar"]')
        if (!bar) return
        const value = Number(bar.getAttribute('aria-valuenow'))
        const text = (bar.getAttribute('aria-valuetext') ?? '').replace(/\s+/g, ' ')
        if (record.values.at(-1) !== value) record.values.push(value)
        if (record.texts.at(-1) !== text) record.texts.push(text)
      }
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuetext'] })
    })
  }

  async recordedProgress(): Promise<ProgressRecord> {
    return this.page.evaluate(() => (window as unknown as { __exportProgress: ProgressRecord }).__exportProgress)
  }

  async bundleStatus(): Promise<string> {
    return flat(await this.region.getByTestId('export-bundle-status').textContent())
  }

  async progressText(): Promise<string> {
    return flat(await this.region.getByTestId('export-progress-text').textContent())
  }

  async alerts(): Promise<string[]> {
    return (await this.region.getByRole('alert').allTextContents()).map(flat)
  }
}

async function saved(download: Download): Promise<SavedDownload> {
  const file = await download.path()
  return { filename: download.suggestedFilename(), bytes: new Uint8Array(await fs.readFile(file)) }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
