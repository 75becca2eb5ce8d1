/**
 * Note and geo geometries whose label is measured when something first needs it.
 *
 * tldraw sizes the label of a note or a geo shape by putting its HTML in a hidden element and
 * reading that element's size: a forced layout per shape (~0.45 ms in Chromium here), and the editor
 * computes every shape's geometry as it builds its spatial index, so a 5,000-shape board measured
 * 5,000 labels before it could be shown. The label takes no part in the shape's bounds
 * (`excludeFromShapeBounds`): the spatial index, culling and selection bounds read only the body.
 * The label is read when a point or a line is tested against that one shape (hovering it, clicking
 * in a hollow shape's text, a brush over its edge), and measured then, as tldraw would have.
 *
 * The body is tldraw's own, computed on a copy of the record without its text (no measurement: an
 * empty label has a fixed size); the label is the one of tldraw's geometry of the record itself.
 */
import { Geometry2d, type Geometry2dFilters, Group2d, type MatModel, toRichText, type TLGeoShape, type TLNoteShape, type VecLike } from 'tldraw'

const NO_TEXT = toRichText('')

/** A label's geometry that calls `compute` the first time any of its points is needed. */
export class LazyLabel2d extends Geometry2d {
  private computed: Geometry2d | undefined

  constructor(private readonly compute: () => Geometry2d) {
    super({ isFilled: true, isClosed: true, isLabel: true, excludeFromShapeBounds: true })
  }

  /** Whether the label was measured (for tests). */
  get isMeasured(): boolean {
    return this.computed !== undefined
  }

  private get label(): Geometry2d {
    this.computed ??= this.compute()
    return this.computed
  }

  override getVertices(filters: Geometry2dFilters) {
    return this.label.getVertices(filters)
  }
  override nearestPoint(point: VecLike, filters?: Geometry2dFilters) {
    return this.label.nearestPoint(point, filters)
  }
  override hitTestPoint(point: VecLike, margin?: number, hitInside?: boolean, filters?: Geometry2dFilters) {
    return this.label.hitTestPoint(point, margin, hitInside, filters)
  }
  override distanceToPoint(point: VecLike, hitInside?: boolean, filters?: Geometry2dFilters) {
    return this.label.distanceToPoint(point, hitInside, filters)
  }
  override distanceToLineSegment(A: VecLike, B: VecLike, filters?: Geometry2dFilters) {
    return this.label.distanceToLineSegment(A, B, filters)
  }
  override hitTestLineSegment(A: VecLike, B: VecLike, distance?: number, filters?: Geometry2dFilters) {
    return this.label.hitTestLineSegment(A, B, distance, filters)
  }
  override intersectLineSegment(A: VecLike, B: VecLike, filters?: Geometry2dFilters) {
    return this.label.intersectLineSegment(A, B, filters)
  }
  override intersectCircle(center: VecLike, radius: number, filters?: Geometry2dFilters) {
    return this.label.intersectCircle(center, radius, filters)
  }
  override intersectPolygon(polygon: VecLike[], filters?: Geometry2dFilters) {
    return this.label.intersectPolygon(polygon, filters)
  }
  override intersectPolyline(polyline: VecLike[], filters?: Geometry2dFilters) {
    return this.label.intersectPolyline(polyline, filters)
  }
  override interpolateAlongEdge(t: number, filters?: Geometry2dFilters) {
    return this.label.interpolateAlongEdge(t, filters)
  }
  override uninterpolateAlongEdge(point: VecLike, filters?: Geometry2dFilters) {
    return this.label.uninterpolateAlongEdge(point, filters)
  }
  override isPointInBounds(point: VecLike, margin?: number) {
    return this.label.isPointInBounds(point, margin)
  }
  override overlapsPolygon(polygon: VecLike[]) {
    return this.label.overlapsPolygon(polygon)
  }
  override transform(matrix: MatModel, opts?: Parameters<Geometry2d['transform']>[1]) {
    return this.label.transform(matrix, opts)
  }
  override getBounds() {
    return this.label.getBounds()
  }
  override getArea() {
    return this.label.getArea()
  }
  override getLength(filters?: Geometry2dFilters) {
    return this.label.getLength(filters)
  }
  override ignoreHit(point: VecLike) {
    return this.label.ignoreHit(point)
  }
  override getSvgPathData(first: boolean) {
    return this.label.getSvgPathData(first)
  }
}

/**
 * tldraw's geometry of a note or geo shape (`geometryOf`, the util's own `getGeometry`), with the
 * label measured when first needed.
 */
export function withLazyLabel<S extends TLNoteShape | TLGeoShape>(shape: S, geometryOf: (shape: S) => Group2d): Group2d {
  // tldraw's utils cache label sizes by record: a copy's never reach the record's own cache.
  const body = geometryOf({ ...shape, props: { ...shape.props, richText: NO_TEXT } })
  const label = () => {
    const found = geometryOf(shape).children.find((child) => child.isLabel)
    if (!found) throw new Error(`no label in the geometry of shape ${shape.id}`)
    return found
  }
  return new Group2d({ children: [...body.children.filter((child) => !child.isLabel), ...body.ignoredChildren, new LazyLabel2d(label)] })
}
