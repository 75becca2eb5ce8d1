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

  private row(boardName: string): Locator {
    return this.page.getByTestId('board-row').filter({ has: this.page.getByRole('rowheader', { name: boardName, exact: true }) })
  }

  /** The shape count of a board's row, as written there. */
  async shapes(boardName: string): Promise<string> {
    return flat(await this.row(boardName).getByTestId('board-shapes').textContent())
  }

  /** The preview of a board's row, found by its text alternative; the marks its picture draws. */
  async preview(boardName: string): Promise<{ alt: string | null; marks: number; opens: string | null } | undefined> {
    const image = this.row(boardName).getByRole('img')
    if ((await image.count()) === 0) return undefined
    // The console shows the SVG it fetched as a data: address.
    const src = (await image.getAttribute('src')) ?? ''
    const svg = src.startsWith('data:image/svg+xml') ? decodeURIComponent(src.slice(src.indexOf(',') + 1)) : ''
    const marks = svg.match(/<rect /g)?.length ?? 0
    const link = this.row(boardName).locator('a', { has: this.page.getByRole('img') })
    return { alt: (await image.getAttribute('alt')) ?? (await image.getAttribute('aria-label')), marks, opens: await link.getAttribute('href') }
  }

  /** The address the token of the link left: it is kept in the browser, not in the address bar. */
  url(): string {
    return this.page.url()
  }

  /** One tool of the console, by its heading. */
  section(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true })
  }

  /** What a section's status line says once its request answered (empty while it is waiting). */
  async status(title: string): Promise<string> {
    return flat(await this.section(title).getByRole('status').textContent())
  }

  async alerts(title: string): Promise<string[]> {
    return (await this.section(title).getByRole('alert').allTextContents()).map(flat)
  }

  /** Pushes a template (by its title) to every board; returns the per-board lines. */
  async pushTemplate(title: string): Promise<string[]> {
    const templates = this.section('Modèles')
    await templates.getByLabel('Modèle', { exact: true }).selectOption({ label: title })
    await templates.getByLabel(/^Tous les tableaux/).check()
    await templates.getByRole('button', { name: 'Envoyer sur les tableaux' }).click()
    const results = templates.getByTestId('push-results')
    await results.waitFor()
    return (await results.getByRole('listitem').allTextContents()).map(flat)
  }

  /** Withdraws the latest push from this browser; returns the per-board lines of the withdrawal. */
  async withdrawLatestPush(): Promise<string[]> {
    const push = this.section('Modèles').getByTestId('recent-push').first()
    await push.getByRole('button', { name: /^Retirer «/ }).click()
    const results = push.getByTestId('withdraw-results')
    await results.waitFor()
    return (await results.getByRole('listitem').allTextContents()).map(flat)
  }

  async startPhase(title: string): Promise<void> {
    await this.section('Programme et minuteur').getByRole('button', { name: quoted('Lancer la phase', title) }).click()
  }

  async timerButton(name: string | RegExp): Promise<void> {
    await this.section('Programme et minuteur').getByRole('button', { name, exact: true }).click()
  }

  /** The countdown as the console shows it, e.g. "Idéation 19:58 19:58 restantes en cours". */
  async timer(): Promise<string> {
    return flat(await this.page.getByTestId('console-timer').textContent())
  }

  async lockAll(): Promise<void> {
    await this.section('Verrouillage').getByRole('button', { name: 'Tout verrouiller' }).click()
  }

  async unlockBoard(boardName: string): Promise<void> {
    await this.boardRow(boardName).getByRole('button', { name: quoted('Déverrouiller le tableau', boardName) }).click()
  }

  async isLocked(boardName: string): Promise<boolean> {
    return (await this.boardRow(boardName).getAttribute('data-locked')) === 'true'
  }

  async broadcast(text: string): Promise<void> {
    const section = this.section('Message à tous')
    await section.getByLabel('Message (bandeau en haut de chaque tableau)').fill(text)
    await section.getByRole('button', { name: 'Envoyer', exact: true }).click()
  }

  async openVote(options: { votesPerPerson: number; maxPerNote: number; named: boolean }): Promise<void> {
    const votes = this.section('Vote par gommettes')
    await votes.getByLabel('Gommettes par personne').fill(String(options.votesPerPerson))
    await votes.getByLabel('Au plus par note').fill(String(options.maxPerNote))
    await votes.getByLabel(options.named ? /^Nominatifs/ : 'Anonymes').check()
    await votes.getByRole('button', { name: 'Ouvrir le vote' }).click()
  }

  /** The current vote as the live state shows it: its id, status and ranking rows. */
  async vote(): Promise<{ id: string; status: string; revealed: boolean; ranking: string[][] }> {
    const vote = this.page.getByTestId('console-vote')
    const rows = this.page.getByTestId('vote-ranking').locator('tbody tr')
    const ranking: string[][] = []
    for (const row of await rows.all()) ranking.push((await row.locator('th, td').allTextContents()).map(flat))
    return {
      id: (await vote.getAttribute('data-vote-id')) ?? '',
      status: (await vote.getAttribute('data-status')) ?? '',
      revealed: (await vote.getAttribute('data-revealed')) === 'true',
      ranking,
    }
  }

  async voteButton(name: string | RegExp): Promise<void> {
    await this.section('Vote par gommettes').getByRole('button', { name, exact: true }).click()
  }

  async runningOrder(): Promise<string[]> {
    return (await this.page.getByTestId('running-order').locator('li .console-list-text').allTextContents()).map(flat)
  }

  async moveTeamEarlier(teamName: string): Promise<void> {
    await this.section('Restitution').getByRole('button', { name: quoted('Faire passer', teamName, ' plus tôt') }).click()
  }

  async restitutionButton(name: string): Promise<void> {
    await this.section('Restitution').getByRole('button', { name, exact: true }).click()
  }

  async onStage(): Promise<string> {
    return flat((await this.page.getByTestId('console-on-stage').locator('p').allTextContents()).join(' '))
  }

  async switchLanguage(locale: 'fr' | 'en'): Promise<void> {
    await this.page.getByRole('combobox', { name: /^(Langue|Language)$/ }).selectOption(locale)
  }

  private boardRow(boardName: string): Locator {
    return this.page.getByTestId('board-row').filter({ has: this.page.getByRole('rowheader', { name: boardName, exact: true }) })
  }
}

/** Text as read, with the no-break spaces of French typography as plain spaces. */
const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()

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
