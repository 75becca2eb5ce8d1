import { bindBoard } from '@fabrique/board'
import { getTemplate, isTemplateId, readTemplateMeta } from '@fabrique/templates'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createRoot } from 'react-dom/client'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type Editor, type TLImageExportOptions, type TLShape, type TLShapeId, Tldraw } from 'tldraw'
import 'tldraw/tldraw.css'
import type * as Y from 'yjs'
import type { Locale } from '../i18n.tsx'
import { slugify, uniqueNames } from './names.ts'

// Fonts and translations from our own server, as on the boards themselves.
const assetUrls = getAssetUrlsByImport()

/**
 * The pictures' settings: light, with the board's background, one pixel per board unit, a fixed
 * margin (tldraw's automatic trim reads back every pixel of the picture to find its edges).
 */
const PADDING = 32
const PICTURE: TLImageExportOptions = { format: 'png', background: true, scale: 1, pixelRatio: 1, padding: PADDING, darkMode: false }

/**
 * Longest side of a picture, in pixels. A board of 300 notes is several thousand units wide: drawn
 * at full size it costs seconds and hundreds of megabytes for nothing more to read than the frames'
 * own pictures give, so a larger board is scaled down to fit.
 */
const MAX_SIDE = 4096

/** tldraw shows its error screen rather than calling onMount when a board cannot be drawn. */
const MOUNT_TIMEOUT_MS = 20_000

export interface BoardPicture {
  /** File name without extension: `board` (then `board-2`... for further pages) or the frame's title. */
  name: string
  png: Blob
}

export interface DrawBoardOptions {
  locale: Locale
  licenseKey?: string
  signal: AbortSignal
}

function frameTitle(frame: TLShape, locale: Locale): string {
  const name = 'name' in frame.props && typeof frame.props.name === 'string' ? frame.props.name.trim() : ''
  if (name) return name
  const templateId = readTemplateMeta(frame.meta)?.templateId
  return templateId && isTemplateId(templateId) ? getTemplate(templateId).title[locale] : ''
}

async function picture(editor: Editor, ids: TLShapeId[], signal: AbortSignal): Promise<Blob> {
  signal.throwIfAborted()
  const bounds = editor.getShapesPageBounds(ids)
  const side = bounds ? Math.max(bounds.w, bounds.h) + 2 * PADDING : MAX_SIDE
  const { blob } = await editor.toImage(ids, { ...PICTURE, scale: Math.min(1, MAX_SIDE / side) })
  return blob
}

/** A picture of every page that has shapes, then of every template frame on it. */
async function picturesOf(editor: Editor, locale: Locale, signal: AbortSignal): Promise<BoardPicture[]> {
  const pictures: BoardPicture[] = []
  const nameOf = uniqueNames(['board'])
  for (const [i, page] of editor.getPages().entries()) {
    editor.setCurrentPage(page.id)
    const topLevel = editor.getSortedChildIdsForParent(page.id)
    if (topLevel.length === 0) continue
    pictures.push({ name: i === 0 ? 'board' : nameOf('board'), png: await picture(editor, topLevel, signal) })
    const frames = editor.getCurrentPageShapesSorted().filter((shape) => shape.type === 'frame' && readTemplateMeta(shape.meta)?.role === 'template')
    for (const frame of frames) {
      pictures.push({ name: nameOf(slugify(frameTitle(frame, locale), 'cadre')), png: await picture(editor, [frame.id], signal) })
    }
  }
  return pictures
}

function mountHidden(): HTMLDivElement {
  const host = document.createElement('div')
  host.setAttribute('aria-hidden', 'true')
  host.inert = true
  host.dataset.testid = 'export-renderer'
  // Laid out (tldraw measures text and exports from the DOM) but off screen and out of reach.
  Object.assign(host.style, {
    position: 'fixed',
    left: '-20000px',
    top: '0',
    width: '1600px',
    height: '1000px',
    overflow: 'hidden',
    pointerEvents: 'none',
    contain: 'strict',
  })
  document.body.append(host)
  return host
}

/**
 * Draws a board the way tldraw shows it, without showing it: a tldraw store bound to the document,
 * an editor mounted in a hidden container, `editor.toImage` for the whole board and each template
 * frame. Everything is torn down before it returns, cancelled or not.
 */
export async function drawBoard(doc: Y.Doc, { locale, licenseKey, signal }: DrawBoardOptions): Promise<BoardPicture[]> {
  signal.throwIfAborted()
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  const binding = bindBoard({ store, doc })
  binding.start()
  const host = mountHidden()
  const root = createRoot(host)
  let onAbort = () => {}
  try {
    const editor = await new Promise<Editor>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tldraw did not mount the board')), MOUNT_TIMEOUT_MS)
      onAbort = () => {
        clearTimeout(timer)
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const onMount = (mounted: Editor) => {
        clearTimeout(timer)
        resolve(mounted)
      }
      root.render(<Tldraw store={store} hideUi autoFocus={false} assetUrls={assetUrls} licenseKey={licenseKey} onMount={onMount} />)
    })
    return await picturesOf(editor, locale, signal)
  } finally {
    signal.removeEventListener('abort', onAbort)
    // tldraw removes each export's render target on the next task: let it, then tear down.
    await new Promise((resolve) => setTimeout(resolve, 0))
    root.unmount()
    host.remove()
    binding.dispose()
    store.dispose()
  }
}
