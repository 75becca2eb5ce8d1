import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { DefaultSharePanel, type Editor, Tldraw, type TLStoreWithStatus, useEditor, useValue } from 'tldraw'
import 'tldraw/tldraw.css'
import { type ClientConfig, loadConfig } from '../config.ts'
import { LanguageSwitch, useLocale } from '../i18n.tsx'
import { createAssetStore } from './assetStore.ts'
import { BOARD_SHAPE_UTILS } from './boardShapeUtils.tsx'
import { BoardConnection, type ConnectionSnapshot } from './boardConnection.ts'
import { BoardNotices } from './BoardNotices.tsx'
import { ConnectionIndicator } from './ConnectionIndicator.tsx'
import { TemplatePanel, templatesButtonLabel } from './TemplatePanel.tsx'
import { Announcer } from '../outline/announcer.tsx'
import { Outline } from '../outline/Outline.tsx'
import { outlineButtonLabel } from '../outline/strings.ts'
import { FollowController } from '../live/FollowController.tsx'
import { VoteBar, VoteOverlay, VoteResults, VotingProvider } from '../live/Voting.tsx'
import { LiveConnection, type LiveSnapshot, readToken, type TokenClaims } from '../live/liveConnection.ts'
import { BoardRestitution, PresentButton } from '../restitution/BoardRestitution.tsx'

// Fonts, icons and translations come from our own server: no request leaves the origin.
const assetUrls = getAssetUrlsByImport()
const ACCEPTED_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
const NO_VIDEOS: string[] = []
// Stable identities: tldraw rebuilds its UI when these props change.
const components = { SharePanel: BoardStatusPanel, TopPanel: BoardTopPanel, InFrontOfTheCanvas: VoteOverlay }

function BoardTopPanel() {
  const { boardId } = useBoardContext()
  return (
    <div className="board-top-panel">
      <BoardNotices />
      <VoteBar />
      <VoteResults boardId={boardId} />
    </div>
  )
}

declare global {
  interface Window {
    /** Set with `?e2e=1`: browser tests drive the editor through it. */
    __fabrique?: {
      editor: Editor
      doc: BoardConnection['doc']
      provider: BoardConnection['provider']
    }
  }
}

interface BoardContextValue {
  snapshot: ConnectionSnapshot
  notice: string | undefined
  dismissNotice(): void
  /** The event's live state (timer, broadcast, locks, follow), on event boards. */
  live: LiveSnapshot | undefined
  boardId: string
  claims: TokenClaims | undefined
  token: string | undefined
  /** The event page this person came from, for a way back. */
  eventHome: string | undefined
}

const BoardContext = createContext<BoardContextValue | null>(null)

export function useBoardContext(): BoardContextValue {
  const value = useContext(BoardContext)
  if (!value) throw new Error('useBoardContext outside BoardPage')
  return value
}

export interface BoardPageProps {
  boardId: string
  token?: string
  readOnly?: boolean
}

export function BoardPage(props: BoardPageProps) {
  const { locale } = useLocale()
  const localeRef = useRef(locale)
  localeRef.current = locale
  const [config, setConfig] = useState<ClientConfig>()
  const [configError, setConfigError] = useState<string>()
  const [connection, setConnection] = useState<BoardConnection>()
  const [notice, setNotice] = useState<string>()

  useEffect(() => {
    loadConfig().then(setConfig, (error: unknown) => setConfigError(String(error)))
  }, [])

  const claims = useMemo(() => readToken(props.token), [props.token])
  const [live, setLive] = useState<LiveConnection>()
  const [joinCode, setJoinCode] = useState<string>()
  useEffect(() => {
    if (!claims || !props.token) return
    const token = props.token
    let created: LiveConnection | undefined
    let cancelled = false
    fetch(`/api/events/${encodeURIComponent(claims.eventId)}`, { headers: { authorization: `Bearer ${token}` } })
      .then((response) => (response.ok ? (response.json() as Promise<{ event: { liveBoardId?: string; joinCode?: string } }>) : undefined))
      .then((body) => {
        if (cancelled || !body?.event.liveBoardId) return
        setJoinCode(body.event.joinCode)
        created = new LiveConnection(body.event.liveBoardId, token, props.boardId)
        setLive(created)
      })
      .catch(() => {})
    return () => {
      cancelled = true
      created?.destroy()
    }
  }, [claims, props.token, props.boardId])

  useEffect(() => {
    const assets = createAssetStore(props.boardId, () => localeRef.current, setNotice, props.token)
    const created = new BoardConnection({ boardId: props.boardId, token: props.token, readOnly: props.readOnly, assets })
    setConnection(created)
    return () => created.destroy()
  }, [props.boardId, props.token, props.readOnly])

  if (!connection || !config) return <BoardLoading error={configError} />
  return (
    <BoardCanvas
      connection={connection}
      config={config}
      notice={notice}
      dismissNotice={() => setNotice(undefined)}
      live={live}
      boardId={props.boardId}
      claims={claims}
      token={props.token}
      readOnly={props.readOnly ?? false}
      eventHome={eventHomeOf(claims, joinCode)}
    />
  )
}

const noLive = { subscribe: () => () => {}, getSnapshot: () => undefined }

interface BoardCanvasProps {
  connection: BoardConnection
  config: ClientConfig
  notice: string | undefined
  dismissNotice(): void
  live: LiveConnection | undefined
  boardId: string
  claims: TokenClaims | undefined
  token: string | undefined
  readOnly: boolean
  eventHome: string | undefined
}

function BoardCanvas({ connection, config, notice, dismissNotice, live, boardId, claims, token, readOnly, eventHome }: BoardCanvasProps) {
  const { locale } = useLocale()
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const liveSnapshot = useSyncExternalStore(live?.subscribe ?? noLive.subscribe, live?.getSnapshot ?? noLive.getSnapshot)
  const locked = claims?.role === 'participant' && (liveSnapshot?.lockedBoardIds.includes(boardId) ?? false)
  useEffect(() => connection.setReadOnly(readOnly || locked), [connection, readOnly, locked])
  const context: BoardContextValue = { snapshot, notice, dismissNotice, live: liveSnapshot, boardId, claims, token, eventHome }
  const [editor, setEditor] = useState<Editor>()
  const connectionStatus = snapshot.state === 'connected' ? 'online' : 'offline'
  const store = useMemo<TLStoreWithStatus>(
    () => ({ status: 'synced-remote', connectionStatus, store: connection.store }),
    [connection, connectionStatus],
  )
  const localeRef = useRef(locale)
  localeRef.current = locale
  const onMount = useCallback(
    (mounted: Editor) => {
      mounted.user.updateUserPreferences({ locale: localeRef.current })
      setEditor(mounted)
      if (new URLSearchParams(location.search).has('e2e')) {
        window.__fabrique = {
          editor: mounted,
          doc: connection.doc,
          provider: connection.provider,
        }
      }
    },
    [connection],
  )

  useEffect(() => {
    editor?.user.updateUserPreferences({ locale })
  }, [editor, locale])

  if (!snapshot.ready) {
    return (
      <BoardContext.Provider value={context}>
        <BoardLoading />
        <BoardNotices />
      </BoardContext.Provider>
    )
  }

  return (
    <BoardContext.Provider value={context}>
      <VotingProvider vote={liveSnapshot?.vote} boardId={boardId} eventId={claims?.eventId} token={token} isParticipant={claims?.role === 'participant'}>
      <div className="board-page">
        <Tldraw
          store={store}
          shapeUtils={BOARD_SHAPE_UTILS}
          assetUrls={assetUrls}
          licenseKey={config.tldrawLicenseKey ?? undefined}
          maxAssetSize={config.maxAssetBytes}
          acceptedImageMimeTypes={ACCEPTED_IMAGES}
          acceptedVideoMimeTypes={NO_VIDEOS}
          components={components}
          onMount={onMount}
        >
          <BoardRestitution />
        </Tldraw>
      </div>
      </VotingProvider>
    </BoardContext.Provider>
  )
}

/** Where each role's event page is; participants return to the join page of their event. */
function eventHomeOf(claims: TokenClaims | undefined, joinCode: string | undefined): string | undefined {
  if (!claims) return undefined
  const event = encodeURIComponent(claims.eventId)
  switch (claims.role) {
    case 'organiser':
      return `/e/${event}/organise`
    case 'facilitator':
      return `/e/${event}/facilitate`
    case 'jury':
      return `/e/${event}/jury`
    case 'participant':
      return joinCode ? `/join/${encodeURIComponent(joinCode)}` : undefined
  }
}

function BoardStatusPanel() {
  const { snapshot, live, claims, boardId, eventHome, token } = useBoardContext()
  const isStaff = claims?.role === 'organiser' || claims?.role === 'facilitator'
  const eventAccess = useMemo(() => (claims && token ? { eventId: claims.eventId, token, canSave: isStaff } : undefined), [claims, token, isStaff])
  const editor = useEditor()
  const isReadonly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const { locale } = useLocale()
  const [templatesOpen, setTemplatesOpen] = useState(false)
  const [outlineOpen, setOutlineOpen] = useState(false)
  return (
    <div className="board-status-panel">
      {eventHome && (
        <a className="button-link secondary" href={eventHome}>
          {locale === 'fr' ? '← Événement' : '← Event'}
        </a>
      )}
      {!isReadonly && (
        <button type="button" className="secondary" aria-expanded={templatesOpen} onClick={() => setTemplatesOpen((open) => !open)}>
          {templatesButtonLabel(locale)}
        </button>
      )}
      {templatesOpen && <TemplatePanel editor={editor} onClose={() => setTemplatesOpen(false)} eventAccess={eventAccess} />}
      <button type="button" className="secondary" aria-expanded={outlineOpen} onClick={() => { setOutlineOpen((open) => !open); setTemplatesOpen(false) }}>
        {outlineButtonLabel(locale)}
      </button>
      {outlineOpen && <Outline editor={editor} boardId={boardId} onClose={() => setOutlineOpen(false)} />}
      <Announcer />
      <PresentButton />
      {isStaff && <BringEveryoneButton />}
      <FollowController request={live?.follow} />
      <ConnectionIndicator snapshot={snapshot} />
      <LanguageSwitch />
      {/* tldraw's people menu: who is here, follow someone, change one's name and colour. */}
      <DefaultSharePanel />
    </div>
  )
}

/** A facilitator brings everyone on this board to their view, and lets them go. */
function BringEveryoneButton() {
  const editor = useEditor()
  const { live, boardId, claims, token } = useBoardContext()
  const { locale } = useLocale()
  const [error, setError] = useState<string>()
  const own = editor.store.props.users.currentUser.get()
  const active = live?.follow !== undefined && live.follow.userId === own?.id
  const toggle = async () => {
    if (!claims || !token || !own) return
    const response = await fetch(`/api/events/${encodeURIComponent(claims.eventId)}/follow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ boardId, active: !active, userId: own.id, userName: own.name }),
    })
    setError(response.ok ? undefined : `HTTP ${response.status}`)
  }
  const label = active
    ? locale === 'fr'
      ? 'Libérer les participants'
      : 'Release everyone'
    : locale === 'fr'
      ? 'Tous vers moi'
      : 'Bring everyone to me'
  return (
    <button type="button" className="secondary" aria-pressed={active} onClick={toggle} title={error}>
      {label}
    </button>
  )
}

function BoardLoading({ error }: { error?: string }) {
  const { t } = useLocale()
  const [slow, setSlow] = useState(false)
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), 4000)
    return () => clearTimeout(timer)
  }, [])
  return (
    <main className="board-loading" aria-busy="true">
      <div className="spinner" aria-hidden="true" />
      <p role="status">{t('board.loading')}</p>
      {(slow || error) && <p className="muted">{error ?? t('board.loadingSlow')}</p>}
    </main>
  )
}
