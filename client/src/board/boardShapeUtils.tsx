/**
 * tldraw's shapes as the board uses them: note and geo labels measured ahead in batches
 * (labelMeasure.ts), note and geo content drawn once they come into view (drawWhenSeen.tsx), and the
 * pattern fill's images drawn once the page is idle. Same types, props and migrations as tldraw's
 * own: they replace them in the editor, documents do not change.
 */
import { ArrowShapeUtil, DrawShapeUtil, GeoShapeUtil, NoteShapeUtil, type TLGeoShape, type TLNoteShape } from 'tldraw'
import { DrawnWhenSeen, whenIdle } from './drawWhenSeen.tsx'
import { type MeasuredAhead, measureLabelsAhead } from './labelMeasure.ts'

export class BoardNoteShapeUtil extends NoteShapeUtil implements MeasuredAhead {
  override getGeometry(shape: TLNoteShape) {
    measureLabelsAhead(this.editor)
    return super.getGeometry(shape)
  }

  measuredGeometry(shape: TLNoteShape) {
    return super.getGeometry(shape)
  }

  override component(shape: TLNoteShape) {
    return <DrawnWhenSeen editor={this.editor} id={shape.id} draw={() => super.component(shape)} />
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

export class BoardGeoShapeUtil extends GeoShapeUtil implements MeasuredAhead {
  override getCanvasSvgDefs() {
    return drawnWhenIdle(super.getCanvasSvgDefs())
  }

  override getGeometry(shape: TLGeoShape) {
    measureLabelsAhead(this.editor)
    return super.getGeometry(shape)
  }

  measuredGeometry(shape: TLGeoShape) {
    return super.getGeometry(shape)
  }

  override component(shape: TLGeoShape) {
    return <DrawnWhenSeen editor={this.editor} id={shape.id} draw={() => super.component(shape)} />
  }
}

/** For `<Tldraw shapeUtils>`, a stable array: tldraw rebuilds the editor when it changes. */
export const BOARD_SHAPE_UTILS = [BoardNoteShapeUtil, BoardGeoShapeUtil, BoardDrawShapeUtil, BoardArrowShapeUtil]
