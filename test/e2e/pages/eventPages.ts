import type { BrowserContext, Locator, Page } from 'playwright-core'
import { BoardPage } from './boardPage.ts'

// Page objects of the event pages, driven through their French labels (contexts use locale fr-FR).

/** Adds `e2e=1` to a link the app handed out, keeping its `#token=...`: boards then expose their editor. */
export function withTestFlag(link: string): string {
  const url = new URL(link)
  url.searchParams.set('e2e', '1')
  return url.toString()
}

/** Matches a French label with « » whatever spaces surround the name (the app uses no-break spaces). */
const quoted = (before: string, name: string, after = '') =>
  new RegExp(`^${escapeRegExp(before)}\\s*«\\s*${escapeRegExp(name)}\\s*»${escapeRegExp(after)}$`)
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export interface ChallengeInput {
  title: string
  description: string
  /** One line per dataset. */
  datasets: string[]
}

export interface EventInput {
  title: string
  date: string
  phases: Array<{ title: string; start: string; minutes: number }>
  challenges: ChallengeInput[]
  maxTeamSize: number
  teamsCanViewOtherBoards: boolean
}

export interface EventLinks {
  organiser: string
  facilitator: string
  jury: string
  join: string
  joinCode: string
}

/** `/organiser/new`: the organiser's form. */
export class NewEventForm {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, baseUrl: string): Promise<NewEventForm> {
    const page = await context.newPage()
    await page.goto(`${baseUrl}/?e2e=1`)
    // From the home page, as an organiser would.
    await page.getByRole('button', { name: 'Organiser un événement' }).click()
    await page.getByRole('heading', { level: 1, name: 'Organiser un événement' }).waitFor()
    return new NewEventForm(page)
  }

  async fill(input: EventInput): Promise<void> {
    const { page } = this
    await page.getByLabel('Titre', { exact: true }).fill(input.title)
    await page.getByLabel('Date', { exact: true }).fill(input.date)
    for (const [i, phase] of input.phases.entries()) {
      await page.getByRole('button', { name: 'Ajouter une phase' }).click()
      const row = page.getByTestId('phase-row').nth(i)
      // The new row takes the focus: typing goes to its first field.
      await page.keyboard.type(phase.title)
      await row.getByLabel('Début').fill(phase.start)
      await row.getByLabel('Durée (minutes)').fill(String(phase.minutes))
    }
    for (const [i, challenge] of input.challenges.entries()) {
      await page.getByRole('button', { name: 'Ajouter un défi' }).click()
      const row = page.getByTestId('challenge-row').nth(i)
      await row.getByLabel('Titre du défi').fill(challenge.title)
      await row.getByLabel('Description').fill(challenge.description)
      await row.getByLabel('Jeux de données et ressources').fill(challenge.datasets.join('\n'))
    }
    await page.getByLabel('Nombre maximal de personnes par équipe').fill(String(input.maxTeamSize))
    await page.getByLabel('Les équipes peuvent consulter les tableaux des autres équipes (en lecture seule)').setChecked(input.teamsCanViewOtherBoards)
  }

  async submit(): Promise<OrganiserPage> {
    await this.page.getByRole('button', { name: 'Créer l’événement' }).click()
    await this.page.waitForURL(/\/e\/[^/]+\/organise/)
    return OrganiserPage.attach(this.page)
  }
}

/** `/e/{id}/organise`: links, join code, QR code, poster. */
export class OrganiserPage {
  private constructor(readonly page: Page) {}

  static async attach(page: Page): Promise<OrganiserPage> {
    await page.getByTestId('join-code').waitFor()
    return new OrganiserPage(page)
  }

  async links(): Promise<EventLinks> {
    const value = (id: string) => this.page.getByTestId(id).inputValue()
    return {
      organiser: await value('link-organiser'),
      facilitator: await value('link-facilitator'),
      jury: await value('link-jury'),
      join: await value('link-join'),
      joinCode: ((await this.page.getByTestId('join-code').textContent()) ?? '').trim(),
    }
  }

  async createdNotice(): Promise<string> {
    return (await this.page.getByRole('status').filter({ hasText: 'créé' }).textContent()) ?? ''
  }

  /** Whether the QR code image loaded and has a size (an SVG from the server). */
  async qrCodeShown(): Promise<boolean> {
    const img = this.page.getByRole('img', { name: /^QR code/ }).first()
    await img.waitFor()
    return img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)
  }

  /** Clicks "Imprimer l'affiche" and returns the poster's tab. */
  async openPoster(): Promise<Page> {
    const [poster] = await Promise.all([
      this.page.context().waitForEvent('page'),
      this.page.getByRole('button', { name: 'Imprimer l’affiche' }).click(),
    ])
    await poster.getByTestId('poster-code').waitFor()
    return poster
  }
}

/** `/join/{code}`: a participant's way in. */
export class JoinPage {
  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(context: BrowserContext, joinUrl: string): Promise<JoinPage> {
    const page = await context.newPage()
    await page.goto(withTestFlag(joinUrl))
    await page.getByRole('heading', { level: 2, name: 'Les défis et leurs équipes' }).waitFor()
    return new JoinPage(page, new URL(joinUrl).origin)
  }

  async eventTitle(): Promise<string> {
    return (await this.page.getByRole('heading', { level: 1 }).textContent()) ?? ''
  }

  async challengeTitles(): Promise<string[]> {
    return this.page.getByTestId('challenge').getByRole('heading', { level: 3 }).allTextContents()
  }

  team(name: string): Locator {
    return this.page.getByTestId('team').filter({ has: this.page.getByText(name, { exact: true }) })
  }

  async choosePseudonym(pseudonym: string): Promise<void> {
    await this.page.getByLabel('Pseudonyme').fill(pseudonym)
    await this.page.getByRole('button', { name: 'Participer' }).click()
    await this.greeting(pseudonym).waitFor()
  }

  greeting(pseudonym: string): Locator {
    return this.page.getByRole('heading', { level: 2, name: new RegExp(`^Bonjour ${escapeRegExp(pseudonym)}\\s*!$`) })
  }

  async createTeam(challengeTitle: string, teamName: string): Promise<void> {
    const challenge = this.page.getByRole('region', { name: challengeTitle })
    await challenge.getByLabel('Nom de la nouvelle équipe').fill(teamName)
    await challenge.getByRole('button', { name: 'Créer l’équipe' }).click()
  }

  async joinTeam(teamName: string): Promise<void> {
    await this.page.getByRole('button', { name: quoted('Rejoindre l’équipe', teamName) }).click()
  }

  async openOwnBoard(): Promise<void> {
    await this.page.getByRole('button', { name: 'Ouvrir le tableau de l’équipe' }).click()
  }

  /** Waits until the app moved to a board of the event, and drives that board. */
  async board(): Promise<BoardPage> {
    await this.page.waitForURL(/\/e\/[^/]+\/b\/[^/?]+/)
    return BoardPage.attach(this.page, this.baseUrl)
  }

  async alerts(): Promise<string[]> {
    return this.page.getByRole('alert').allTextContents()
  }

  async switchLanguage(locale: 'fr' | 'en'): Promise<void> {
    await this.page.getByRole('combobox', { name: /^(Langue|Language)$/ }).selectOption(locale)
  }
}

/** The facilitator link's page: every board, who is online. */
export class FacilitatorConsole {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, facilitatorLink: string): Promise<FacilitatorConsole> {
    const page = await context.newPage()
    await page.goto(withTestFlag(facilitatorLink))
    await page.getByTestId('board-row').first().waitFor()
    return new FacilitatorConsole(page)
  }

  async boardNames(): Promise<string[]> {
    return this.page.getByTestId('board-row').getByRole('rowheader').allTextContents()
  }

  async online(boardName: string): Promise<number> {
    const row = this.page.getByTestId('board-row').filter({ has: this.page.getByRole('rowheader', { name: boardName, exact: true }) })
    return Number(await row.getByTestId('board-online').locator('.online-count').textContent())
  }

  /** The address the token of the link left: it is kept in the browser, not in the address bar. */
  url(): string {
    return this.page.url()
  }
}

/** The jury link's page: the teams' boards, read-only. */
export class JuryList {
  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(context: BrowserContext, juryLink: string): Promise<JuryList> {
    const page = await context.newPage()
    await page.goto(withTestFlag(juryLink))
    await page.getByTestId('jury-team').first().waitFor()
    return new JuryList(page, new URL(juryLink).origin)
  }

  async teamNames(): Promise<string[]> {
    return this.page.getByTestId('jury-team').locator('.team-name').allTextContents()
  }

  async openBoard(teamName: string): Promise<BoardPage> {
    await this.page.getByRole('link', { name: quoted('Consulter le tableau de l’équipe', teamName, ' (lecture seule)') }).click()
    await this.page.waitForURL(/\/e\/[^/]+\/b\//)
    return BoardPage.attach(this.page, this.baseUrl)
  }
}
