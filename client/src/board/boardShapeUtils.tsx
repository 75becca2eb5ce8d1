/**
 * tldraw's shapes as the board uses them: note and geo labels measured when first needed
 * (lazyLabel.ts), and the pattern fill's images drawn once the page is idle. Same types, props and
 * migrations as tldraw's own: they replace them in the editor, documents do not change.
 */
import { ArrowShapeUtil, DrawShapeUtil, GeoShapeUtil, NoteShapeUtil, type TLGeoShape, type TLNoteShape } from 'tldraw'
import { withLazyLabel } from './lazyLabel.ts'
import { whenIdle } from './whenIdle.tsx'

export class BoardNoteShapeUtil extends NoteShapeUtil {
  override getGeometry(shape: TLNoteShape) {
    return withLazyLabel(shape, (s) => super.getGeometry(s))
  }
}

type CanvasSvgDef = ReturnType<GeoShapeUtil['getCanvasSvgDefs']>[number]

/**
 * The pattern fill's definition (tldraw's draw, geo and arrow shapes share it) draws its tiles on
 * canvases for nine zoom levels and two themes as the editor mounts: 0.3-0.4 s before any board
 * appears, however small. Drawn once the page is idle instead; until then pattern fills are empty.
 */
function drawnWhenIdle(defs: CanvasSvgDef[]): CanvasSvgDef[] {
  return defs.map(({ key, component }) => ({ key, component: whenIdle(component) }))
}

export class BoardDrawShapeUtil extends DrawShapeUtil {
  override getCanvasSvgDefs() {
    return drawnWhenIdle(super.getCanvasSvgDefs())
  }
}

export class BoardArrowShapeUtil extends ArrowShapeUtil {
  override getCanvasSvgDefs() {
    return drawnWhenIdle(super.getCanvasSvgDefs())
  }
}

export class BoardGeoShapeUtil extends GeoShapeUtil {
  override getCanvasSvgDefs() {
    return drawnWhenIdle(super.getCanvasSvgDefs())
  }

  override getGeometry(shape: TLGeoShape) {
    return withLazyLabel(shape, (s) => super.getGeometry(s))
  }
}

/** For `<Tldraw shapeUtils>`, a stable array: tldraw rebuilds the editor when it changes. */
export const BOARD_SHAPE_UTILS = [BoardNoteShapeUtil, BoardGeoShapeUtil, BoardDrawShapeUtil, BoardArrowShapeUtil]
