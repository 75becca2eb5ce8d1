/**
 * A board's labels measured in one layout instead of one layout per shape.
 *
 * tldraw sizes the label of a note or a geo shape by putting its HTML in a hidden element and
 * reading that element's size: a forced layout for each shape, ~0.45 ms in Chromium on this
 * project's machines, 2.2 s of the 10 s a 5,000-shape board took to open, since the editor computes
 * every shape's geometry as it builds its spatial index. tldraw's text manager can also measure many
 * pieces of HTML in one layout (`measureHtmlBatch`).
 *
 * The board's note and geo utils call {@link measureLabelsAhead} before tldraw's geometry: when a
 * geometry is asked for and at least {@link MIN_BATCH} shapes of the page have never been seen, the
 * measurements those shapes will ask for are collected first, by computing each one's geometry on a
 * copy of its record with a measure that only writes the request down (the utils cache label sizes by record object, so
 * the copy's placeholder sizes are never read again), then measured in one batch. Until the end of
 * the task, a measurement asked for with exactly the same HTML and options is answered from the
 * batch; anything else (a note whose text needs a smaller font, a label edited meanwhile) is measured
 * as before, one at a time.
 */
import { type Editor, type ShapeUtil, type TLShape, unsafe__withoutCapture } from 'tldraw'

type TextMeasure = Editor['textMeasure']
type MeasureRequest = Parameters<TextMeasure['measureHtmlBatch']>[0][number]
type Measured = ReturnType<TextMeasure['measureHtml']>

/** A shape util whose label measurements can be written down ahead: tldraw's geometry, without the batching step. */
export interface MeasuredAhead {
  measuredGeometry(shape: TLShape): unknown
}

function isMeasuredAhead(util: ShapeUtil): util is ShapeUtil & MeasuredAhead {
  return typeof (util as Partial<MeasuredAhead>).measuredGeometry === 'function'
}

/** Fewer shapes than this, never seen, are measured one by one, as tldraw does. */
export const MIN_BATCH = 16
/** Measured per layout: the measuring elements of one batch are in the page at the same time. */
const CHUNK = 1000

/** What the measure answers while requests are written down; a note stops at its first try with it. */
const PLACEHOLDER: Measured = { x: 0, y: 0, w: 0, h: 0, scrollWidth: 0 }

function requestKey(html: string, opts: MeasureRequest['opts']): string {
  return `${html}\u0000${JSON.stringify(opts)}`
}

/** One per editor: the shapes seen so far, and the measurements made in a batch during this task. */
class LabelBatcher {
  /** How many measurements were answered from a batch (for tests and profiling). */
  answered = 0
  private readonly seen = new WeakSet<TLShape>()
  private readonly textMeasure: TextMeasure
  private results: Map<string, Measured> | undefined
  private recording: MeasureRequest[] | undefined
  private scanned = false

  constructor(private readonly editor: Editor) {
    const textMeasure = editor.textMeasure
    this.textMeasure = textMeasure
    const measureOne = textMeasure.measureHtml.bind(textMeasure)
    textMeasure.measureHtml = (html, opts) => {
      if (this.recording) {
        this.recording.push({ html, opts })
        return { ...PLACEHOLDER }
      }
      const known = this.results?.get(requestKey(html, opts))
      if (!known) return measureOne(html, opts)
      this.answered++
      return { ...known }
    }
  }

  /** Before a geometry is computed: the first time in a task, measure the labels never seen in one go. */
  beforeGeometry(): void {
    if (this.scanned || this.recording) return
    this.scanned = true
    setTimeout(() => {
      this.scanned = false
      this.results = undefined
    }, 0)
    // Inside the editor's geometry cache: reading the page's shapes here must not make every
    // shape's geometry depend on them.
    unsafe__withoutCapture(() => this.measureUnseen())
  }

  private measureUnseen(): void {
    const fresh: Array<{ util: MeasuredAhead; shape: TLShape }> = []
    for (const shape of this.editor.getCurrentPageShapes()) {
      if (this.seen.has(shape)) continue
      this.seen.add(shape)
      const util = this.editor.getShapeUtil(shape)
      if (isMeasuredAhead(util)) fresh.push({ util, shape })
    }
    if (fresh.length < MIN_BATCH) return

    const requests = new Map<string, MeasureRequest>()
    this.recording = []
    try {
      for (const { util, shape } of fresh) {
        try {
          util.measuredGeometry({ ...shape })
        } catch {
          // This shape's real geometry will say what is wrong with it; its label is measured then.
        }
        for (const request of this.recording) requests.set(requestKey(request.html, request.opts), request)
        this.recording.length = 0
      }
    } finally {
      this.recording = undefined
    }

    const keys = [...requests.keys()]
    const unique = [...requests.values()]
    const results = new Map<string, Measured>()
    for (let start = 0; start < unique.length; start += CHUNK) {
      const sizes = this.textMeasure.measureHtmlBatch(unique.slice(start, start + CHUNK))
      sizes.forEach((size, i) => {
        results.set(keys[start + i] as string, size)
      })
    }
    // The text manager keeps as many measuring elements as the last batch had: back to one.
    if (unique.length > 1) this.textMeasure.measureHtmlBatch(unique.slice(0, 1))
    this.results = results
  }
}

const batchers = new WeakMap<Editor, LabelBatcher>()

/**
 * To call before a shape's geometry is computed: the first time in a task, the labels of the page's
 * shapes never seen are measured in one batch.
 */
export function measureLabelsAhead(editor: Editor): void {
  let batcher = batchers.get(editor)
  if (!batcher) {
    batcher = new LabelBatcher(editor)
    batchers.set(editor, batcher)
  }
  batcher.beforeGeometry()
}

/** How many label measurements of this editor were answered from a batch so far. */
export function batchedMeasurements(editor: Editor): number {
  return batchers.get(editor)?.answered ?? 0
}
