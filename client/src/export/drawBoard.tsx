import { bindBoard, RECORDS_ARRAY } from '@fabrique/board'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createRoot, type Root } from 'react-dom/client'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type Editor, type TLStore, Tldraw } from 'tldraw'
import 'tldraw/tldraw.css'
import type * as Y from 'yjs'
import { type BoardPicture, type PicturesOptions, picturesOf } from './boardPictures.ts'
import { PICTURE_SHAPE_UTILS } from './pictureShapes.tsx'

export type { BoardPicture } from './boardPictures.ts'

// Fonts and translations from our own server, as on the boards themselves.
const assetUrls = getAssetUrlsByImport()

/** tldraw's shapes, labels drawn the pictures' way (pictureShapes.tsx); the store's schema is tldraw's. */
const CUSTOM_SHAPES = PICTURE_SHAPE_UTILS
const SHAPE_UTILS = [...defaultShapeUtils.filter((util) => !CUSTOM_SHAPES.some((custom) => custom.type === util.type)), ...CUSTOM_SHAPES]

/** tldraw shows its error screen rather than calling onMount when a board cannot be drawn. */
const MOUNT_TIMEOUT_MS = 20_000

export interface PainterOptions {
  licenseKey?: string
  /** Stops the mounting; each drawing has its own signal. */
  signal: AbortSignal
}

/**
 * One hidden tldraw editor that draws board after board: mounting tldraw is a good part of the
 * cost of a board, so the editor stays and the boards pass through its store.
 */
export interface BoardPainter {
  /**
   * The pictures of a board's document. The store is bound to the document (the binding brings
   * the board's records into the store and takes the previous board's out), drawn, then unbound:
   * whatever the binding writes goes into this copy only.
   */
  draw(doc: Y.Doc, options: PicturesOptions): Promise<BoardPicture[]>
  /** Unmounts the editor, once the last export has let go of it. */
  close(): Promise<void>
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

function mountEditor(root: Root, store: TLStore, licenseKey: string | undefined, signal: AbortSignal): Promise<Editor> {
  signal.throwIfAborted()
  let onAbort = () => {}
  return new Promise<Editor>((resolve, reject) => {
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
    root.render(<Tldraw store={store} shapeUtils={CUSTOM_SHAPES} hideUi autoFocus={false} assetUrls={assetUrls} licenseKey={licenseKey} onMount={onMount} />)
  }).finally(() => signal.removeEventListener('abort', onAbort))
}

/** A document that holds no record: a board nobody drew on; binding it would keep the previous board. */
const isEmpty = (doc: Y.Doc) => doc.getArray(RECORDS_ARRAY).length === 0

/** Mounts the hidden editor; everything is torn down again if it fails or is cancelled. */
export async function openPainter({ licenseKey, signal }: PainterOptions): Promise<BoardPainter> {
  signal.throwIfAborted()
  const store = createTLStore({ shapeUtils: SHAPE_UTILS, bindingUtils: defaultBindingUtils })
  const host = mountHidden()
  const root = createRoot(host)
  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      // tldraw removes each export's render target on the next task: let it, then tear down.
      await new Promise((resolve) => setTimeout(resolve, 0))
      root.unmount()
      host.remove()
      store.dispose()
    })()
    return closed
  }
  let editor: Editor
  try {
    editor = await mountEditor(root, store, licenseKey, signal)
  } catch (error) {
    await close()
    throw error
  }
  let drawing = false
  return {
    async draw(doc, options) {
      options.signal.throwIfAborted()
      if (closed) throw new Error('the board painter is closed')
      if (drawing) throw new Error('the board painter draws one board at a time')
      if (isEmpty(doc)) return []
      drawing = true
      const binding = bindBoard({ store, doc })
      try {
        binding.start()
        return await picturesOf(editor, options)
      } finally {
        binding.dispose()
        drawing = false
      }
    },
    close,
  }
}
