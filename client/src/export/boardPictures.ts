import { getTemplate, isTemplateId, readTemplateMeta } from '@fabrique/templates'
import type { Box, Editor, TLImageExportOptions, TLShape, TLShapeId } from 'tldraw'
import type { Locale } from '../i18n.tsx'
import { type BoardImageArea, type PixelBox, pixelsOf, pixelsPerUnit, scaleToFit } from './cutOut.ts'
import { slugify, uniqueNames } from './names.ts'

/**
 * The pictures' settings: light, with the board's background, a fixed margin (tldraw's automatic
 * trim reads back every pixel of the picture to find its edges), one pixel per unit before scaling.
 */
const PADDING = 32
const PICTURE: TLImageExportOptions = { format: 'png', background: true, pixelRatio: 1, padding: PADDING, darkMode: false }

/**
 * Longest side of a board's picture, in pixels. Each board is drawn once and each template frame's
 * picture is cut out of it, so the board's resolution is the frames'. Pushed templates land side by
 * side: four frames and a few loose notes make a board some 11,000 units across, which 4096 px
 * draws at 0.35 px per unit: frames of 1,600 to 2,300 units come out 560 to 800 px, a note's words
 * still read (about 8 px high), and the picture is 4.5 to 6.5 megapixels (against 23 when the board
 * and every frame were drawn apart at full size). At 2400 px every such frame came out under 500 px
 * and had to be drawn again on its own, which cost more than the larger board.
 */
export const BOARD_MAX_SIDE = 4096

/**
 * A frame cut out smaller than this, on its longest side, is drawn again on its own (a frame much
 * smaller than the board, or a board much larger than a day's): below it, notes are mere squares.
 */
export const FRAME_MIN_SIDE = 500
/** ...at this size at most: 1,600 units drawn 1:1 (a template frame is 1,600 to 3,200 units). */
export const FRAME_MAX_SIDE = 1600

/** Board units kept around a cut-out frame: its border and a little of what surrounds it. */
const FRAME_MARGIN = 16

/** A board's progress once its whole picture is drawn; cutting the frames out brings the rest. */
const BOARD_SHARE = 0.7

export interface BoardPicture {
  /** File name without extension: `board` (then `board-2`... for further pages) or the frame's title. */
  name: string
  png: Blob
}

export interface PicturesOptions {
  locale: Locale
  signal: AbortSignal
  /** The share of this board's pictures made so far, from 0 to 1. */
  onProgress?(fraction: number): void
}

function frameTitle(frame: TLShape, locale: Locale): string {
  const name = 'name' in frame.props && typeof frame.props.name === 'string' ? frame.props.name.trim() : ''
  if (name) return name
  const templateId = readTemplateMeta(frame.meta)?.templateId
  return templateId && isTemplateId(templateId) ? getTemplate(templateId).title[locale] : ''
}

interface BoardImage {
  png: Blob
  bitmap: ImageBitmap
  area: BoardImageArea
}

/** The page's shapes `ids`, `bounds` and PADDING around them, in one picture of at most BOARD_MAX_SIDE px. */
async function drawPage(editor: Editor, ids: TLShapeId[], bounds: Box): Promise<BoardImage> {
  const page = { x: bounds.x - PADDING, y: bounds.y - PADDING, w: bounds.w + 2 * PADDING, h: bounds.h + 2 * PADDING }
  const { blob } = await editor.toImage(ids, { ...PICTURE, bounds, scale: scaleToFit(page.w, page.h, BOARD_MAX_SIDE) })
  // The picture's own size, not the one asked for: the browser may have capped the canvas.
  const bitmap = await createImageBitmap(blob)
  return { png: blob, bitmap, area: { page, width: bitmap.width, height: bitmap.height } }
}

async function cutOut(bitmap: ImageBitmap, box: PixelBox): Promise<Blob> {
  const canvas = new OffscreenCanvas(box.w, box.h)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2D canvas to cut a frame out of the board')
  context.drawImage(bitmap, box.x, box.y, box.w, box.h, 0, 0, box.w, box.h)
  return canvas.convertToBlob({ type: 'image/png' })
}

/** A frame's picture: cut out of the board's, unless that leaves it too small to read. */
async function framePicture(editor: Editor, frame: TLShape, image: BoardImage): Promise<Blob> {
  const bounds = editor.getShapePageBounds(frame.id)
  const pixels = bounds && pixelsOf(image.area, bounds, FRAME_MARGIN)
  if (bounds && pixels) {
    const ownScale = scaleToFit(bounds.w, bounds.h, FRAME_MAX_SIDE)
    const tooSmall = Math.max(pixels.w, pixels.h) < FRAME_MIN_SIDE && ownScale > pixelsPerUnit(image.area) * 1.05
    if (!tooSmall) return cutOut(image.bitmap, pixels)
  }
  const side = bounds ? Math.max(bounds.w, bounds.h) : FRAME_MAX_SIDE
  const { blob } = await editor.toImage([frame.id], { ...PICTURE, scale: Math.min(1, FRAME_MAX_SIDE / side) })
  return blob
}

/**
 * A picture of every page that has shapes, drawn once, then of every template frame on it, cut out
 * of the page's picture.
 */
export async function picturesOf(editor: Editor, { locale, signal, onProgress }: PicturesOptions): Promise<BoardPicture[]> {
  const pictures: BoardPicture[] = []
  const nameOf = uniqueNames(['board'])
  const pages = editor
    .getPages()
    .map((page, i) => ({ page, name: i === 0 ? 'board' : '', topLevel: editor.getSortedChildIdsForParent(page.id) }))
    .filter(({ topLevel }) => topLevel.length > 0)
  for (const [n, { page, name, topLevel }] of pages.entries()) {
    signal.throwIfAborted()
    const progress = (share: number) => onProgress?.((n + share) / pages.length)
    editor.setCurrentPage(page.id)
    const bounds = editor.getShapesPageBounds(topLevel)
    if (!bounds) continue
    const image = await drawPage(editor, topLevel, bounds)
    try {
      pictures.push({ name: name || nameOf('board'), png: image.png })
      progress(BOARD_SHARE)
      const frames = editor.getCurrentPageShapesSorted().filter((shape) => shape.type === 'frame' && readTemplateMeta(shape.meta)?.role === 'template')
      for (const [i, frame] of frames.entries()) {
        signal.throwIfAborted()
        pictures.push({ name: nameOf(slugify(frameTitle(frame, locale), 'cadre')), png: await framePicture(editor, frame, image) })
        progress(BOARD_SHARE + ((1 - BOARD_SHARE) * (i + 1)) / frames.length)
      }
    } finally {
      image.bitmap.close()
    }
  }
  return pictures
}
