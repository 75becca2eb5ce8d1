import type { BrowserContext, Page } from 'playwright-core'

/** A tldraw rich-text document holding one paragraph. */
export function richText(text: string) {
  return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
}

interface NoteSummary {
  id: string
  text: string
  x: number
  y: number
}

/**
 * One person on one board. Reads and drives the canvas through the editor the client exposes
 * with `?e2e=1` (window.__fabrique), and the page's own controls otherwise.
 */
export class BoardPage {
  /** Every request the page made, to check that none leaves the server's origin. */
  readonly requests: string[] = []
  /** The URL of every WebSocket the page opened. */
  readonly sockets: string[] = []

  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('request', (request) => this.requests.push(request.url()))
    page.on('websocket', (socket) => this.sockets.push(socket.url()))
  }

  static async open(context: BrowserContext, baseUrl: string, boardId: string): Promise<BoardPage> {
    const page = await context.newPage()
    const board = new BoardPage(page, baseUrl)
    await board.goto(boardId)
    return board
  }

  /** A page the app itself led to a board (after joining a team, from a list of boards). */
  static async attach(page: Page, baseUrl: string): Promise<BoardPage> {
    const board = new BoardPage(page, baseUrl)
    await board.waitForCanvas()
    return board
  }

  async goto(boardId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/b/${boardId}?e2e=1`)
    await this.waitForCanvas()
  }

  async waitForCanvas(): Promise<void> {
    await this.page.waitForFunction(() => Boolean((window as unknown as { __fabrique?: { editor?: unknown } }).__fabrique?.editor), undefined, {
      timeout: 30_000,
    })
  }

  async reload(): Promise<void> {
    await this.page.reload()
    await this.waitForCanvas()
  }

  /** Resolves once the provider reports the first sync with the server. */
  async waitForSync(): Promise<void> {
    await this.page.waitForFunction(() => (window as unknown as { __fabrique: { provider: { synced: boolean } } }).__fabrique.provider.synced, undefined, {
      timeout: 30_000,
    })
  }

  /** Whether the provider's socket is the one the page opened before the app loaded (earlySocket.ts). */
  usesEarlySocket(): Promise<boolean> {
    return this.page.evaluate(() => {
      const { provider } = (window as unknown as { __fabrique: { provider: { ws: unknown } } }).__fabrique
      return provider.ws !== null && !(provider.ws instanceof WebSocket)
    })
  }

  async addNote(text: string, x: number, y: number): Promise<void> {
    await this.page.evaluate(
      ({ text, x, y, rich }) => {
        const { editor } = (window as unknown as { __fabrique: { editor: { createShape(s: unknown): void } } }).__fabrique
        editor.createShape({ type: 'note', x, y, props: { richText: rich } })
        void text
      },
      { text, x, y, rich: richText(text) },
    )
  }

  async notes(): Promise<NoteSummary[]> {
    return this.page.evaluate(() => {
      type Shape = { id: string; type: string; x: number; y: number; props: { richText?: unknown } }
      const { editor } = (window as unknown as { __fabrique: { editor: { getCurrentPageShapes(): Shape[] } } }).__fabrique
      const textOf = (node: unknown): string => {
        if (!node || typeof node !== 'object') return ''
        const n = node as { text?: string; content?: unknown[] }
        return (n.text ?? '') + (n.content ?? []).map(textOf).join('')
      }
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note')
        .map((s) => ({ id: s.id, text: textOf(s.props.richText), x: s.x, y: s.y }))
        .sort((a, b) => a.text.localeCompare(b.text))
    })
  }

  async noteTexts(): Promise<string[]> {
    return (await this.notes()).map((n) => n.text)
  }

  /** Names of the collaborators this page currently sees on its page. */
  async collaboratorNames(): Promise<string[]> {
    return this.page.evaluate(() => {
      const { editor } = (
        window as unknown as { __fabrique: { editor: { getCollaboratorsOnCurrentPage(): Array<{ userName: string; cursor: unknown }> } } }
      ).__fabrique
      return editor.getCollaboratorsOnCurrentPage().map((c) => c.userName)
    })
  }

  async setUserName(name: string): Promise<void> {
    await this.page.evaluate((name) => {
      const { editor } = (window as unknown as { __fabrique: { editor: { user: { updateUserPreferences(p: unknown): void } } } }).__fabrique
      editor.user.updateUserPreferences({ name })
    }, name)
  }

  /** The name tldraw shows for this person to the others. */
  async userName(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as { __fabrique: { editor: { user: { getName(): string } } } }).__fabrique.editor.user.getName())
  }

  async isReadonly(): Promise<boolean> {
    return this.page.evaluate(() => (window as unknown as { __fabrique: { editor: { getIsReadonly(): boolean } } }).__fabrique.editor.getIsReadonly())
  }

  async moveMouseOverCanvas(): Promise<void> {
    for (let i = 0; i < 10; i++) await this.page.mouse.move(300 + i * 20, 300 + i * 10)
  }

  /** Cuts the page from the network and from the server, as when the Wi-Fi drops. */
  async goOffline(): Promise<void> {
    await this.page.context().setOffline(true)
    await this.page.evaluate(() => (window as unknown as { __fabrique: { provider: { disconnect(): void } } }).__fabrique.provider.disconnect())
  }

  async goOnline(): Promise<void> {
    await this.page.context().setOffline(false)
    await this.page.evaluate(() => (window as unknown as { __fabrique: { provider: { connect(): void } } }).__fabrique.provider.connect())
  }

  indicator() {
    return this.page.getByTestId('connection-indicator')
  }

  /** Requests that went anywhere but the server's origin (data: and blob: URLs are local). */
  foreignRequests(): string[] {
    const origin = new URL(this.baseUrl).origin
    return this.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))
  }
}
