import type { BrowserContext, Page } from 'playwright-core'
import { BoardPage } from './boardPage.ts'
import { type Focused, focused, tabTo } from './keyboard.ts'

// A participant who uses the keyboard alone, in French: Tab to a control, type, Enter. Nothing is
// clicked; the DOM is only read, to know where the focus is and when a step is done.

const flat = (text: string) => text.replace(/\s+/g, ' ').trim()

export class KeyboardParticipant {
  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** The home page, as typed in the address bar (`e2e=1`: the board then exposes its editor). */
  static async open(context: BrowserContext, baseUrl: string): Promise<KeyboardParticipant> {
    const page = await context.newPage()
    await page.goto(`${baseUrl}/?e2e=1`)
    return new KeyboardParticipant(page, baseUrl)
  }

  focused(): Promise<Focused> {
    return focused(this.page)
  }

  /** Types the code read on the poster into the home page's field; the event's page opens. */
  async typeCode(code: string): Promise<void> {
    await tabTo(this.page, (f) => f.tag === 'input' && f.labelledBy === 'Code de l’événement', 'the event code field')
    await this.page.keyboard.type(code)
    await this.page.keyboard.press('Enter')
    await this.page.waitForURL(`**/join/${code}?e2e=1`)
  }

  /** Tabs to the pseudonym field, types it, Enter; resolves once the greeting is there. */
  async choosePseudonym(pseudonym: string): Promise<void> {
    await tabTo(this.page, (f) => f.tag === 'input' && f.labelledBy === 'Pseudonyme', 'the pseudonym field')
    await this.page.keyboard.type(pseudonym)
    await this.page.keyboard.press('Enter')
    await this.page.getByRole('heading', { level: 2, name: new RegExp(`^Bonjour ${pseudonym}\\s*!$`) }).waitFor()
  }

  /** Names a new team in the field under a challenge, Enter; the team's board opens. */
  async createTeam(challengeTitle: string, teamName: string): Promise<BoardPage> {
    await tabTo(
      this.page,
      (f) => f.tag === 'input' && f.labelledBy === 'Nom de la nouvelle équipe' && f.section === challengeTitle,
      `the new team field of “${challengeTitle}”`,
    )
    await this.page.keyboard.type(teamName)
    await this.page.keyboard.press('Enter')
    return this.board()
  }

  /** Tabs to the team's Join button, Enter; the team's board opens. */
  async joinTeam(teamName: string): Promise<BoardPage> {
    await tabTo(this.page, (f) => f.tag === 'button' && flat(f.label) === `Rejoindre l’équipe « ${teamName} »`, `the Join button of “${teamName}”`)
    await this.page.keyboard.press('Enter')
    return this.board()
  }

  private async board(): Promise<BoardPage> {
    await this.page.waitForURL(/\/e\/[^/]+\/b\/[^/?]+/)
    const board = await BoardPage.attach(this.page, this.baseUrl)
    await board.waitForSync()
    return board
  }
}
