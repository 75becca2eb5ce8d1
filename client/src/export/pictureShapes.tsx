import {
  type BoxModel,
  type Editor,
  GeoShapeUtil,
  getDisplayValues,
  Group2d,
  NoteShapeUtil,
  Rectangle2d,
  renderPlaintextFromRichText,
  type SvgExportContext,
  type TLDefaultHorizontalAlignStyle,
  type TLGeoShape,
  type TLNoteShape,
  type TLRichText,
  type TLTextShape,
  TextShapeUtil,
  toRichText,
} from 'tldraw'

/**
 * Shapes as the export pictures draw them: their words in SVG text, wrapped where the browser wraps
 * them on the board. tldraw's own export puts each label in HTML inside the SVG and copies every
 * computed style of it into the picture; on boards of hundreds of notes and template labels that
 * copy was the largest part of a picture's cost. Formatting inside a text (bold, lists, links) is
 * left out of the pictures; the sheets keep the words.
 */

const ALIGN: Record<'start' | 'center' | 'middle' | 'end', TLDefaultHorizontalAlignStyle> = { start: 'start', center: 'middle', middle: 'middle', end: 'end' }

interface LabelOptions {
  richText: TLRichText
  width: number
  height: number
  padding: number
  fontSize: number
  fontFamily: string
  fontStyle: string
  fontWeight: string
  lineHeight: number
  align: keyof typeof ALIGN
  verticalAlign: 'start' | 'middle' | 'end'
  color: string
}

/** A label in SVG text, placed as tldraw places the labels it exports as SVG text (frame headings). */
function Label({ editor, options }: { editor: Editor; options: LabelOptions }) {
  const { width, height, padding, fontSize, verticalAlign } = options
  const text = renderPlaintextFromRichText(editor, options.richText)
  if (!text) return null
  const spans: Array<{ text: string; box: BoxModel }> = editor.textMeasure.measureTextSpans(text, {
    overflow: 'wrap',
    width,
    height,
    padding,
    fontSize,
    fontFamily: options.fontFamily,
    fontStyle: options.fontStyle,
    fontWeight: options.fontWeight,
    lineHeight: options.lineHeight,
    textAlign: ALIGN[options.align],
  })
  if (spans.length === 0) return null
  let top = Number.POSITIVE_INFINITY
  let bottom = Number.NEGATIVE_INFINITY
  for (const { box } of spans) {
    top = Math.min(top, box.y)
    bottom = Math.max(bottom, box.y + box.h)
  }
  const textHeight = bottom - top
  const offsetY = fontSize / 2 + (verticalAlign === 'start' ? padding : verticalAlign === 'end' ? height - padding - textHeight : (Math.ceil(height) - textHeight) / 2)
  return (
    <text
      fontSize={fontSize}
      fontFamily={options.fontFamily}
      fontStyle={options.fontStyle}
      fontWeight={options.fontWeight}
      dominantBaseline="mathematical"
      alignmentBaseline="mathematical"
      fill={options.color}
    >
      {spans.map(({ text: words, box }, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: spans are a fixed list, in order.
        <tspan key={i} alignmentBaseline="mathematical" x={box.x + padding} y={box.y + offsetY} unicodeBidi="plaintext">
          {words.replace(/ /g, '\u00a0')}
        </tspan>
      ))}
    </text>
  )
}

/** A sticky note: its colour, its words, and the author's first name in its corner. */
export class PictureNoteShapeUtil extends NoteShapeUtil {
  /**
   * The note's rectangle alone. tldraw adds the label's box, for pointing at the text, which it
   * measures in the DOM for every note of every board the export opens; the bounds are the same.
   */
  override getGeometry(shape: TLNoteShape) {
    const dv = getDisplayValues(this, shape)
    const { scale, growY } = shape.props
    return new Group2d({ children: [new Rectangle2d({ width: dv.noteWidth * scale, height: (dv.noteHeight + growY) * scale, isFilled: true })] })
  }

  override toSvg(shape: TLNoteShape, ctx: SvgExportContext) {
    const dv = getDisplayValues(this, shape, ctx.colorMode)
    const width = dv.noteWidth
    const height = dv.noteHeight + shape.props.growY
    const { textLastEditedBy, richText } = shape.props
    const hasText = renderPlaintextFromRichText(this.editor, richText) !== ''
    const author = textLastEditedBy && hasText ? (this.editor.getAttributionDisplayName(textLastEditedBy)?.split(' ')[0] ?? null) : null
    const label: LabelOptions = {
      richText,
      width,
      height,
      padding: dv.labelPadding,
      fontSize: (shape.props.fontSizeAdjustment ?? 1) * dv.labelFontSize,
      fontFamily: dv.labelFontFamily,
      fontStyle: dv.labelFontStyle,
      fontWeight: dv.labelFontWeight,
      lineHeight: dv.labelLineHeight,
      align: dv.labelHorizontalAlign,
      verticalAlign: dv.labelVerticalAlign,
      color: dv.labelColor,
    }
    return (
      <>
        <rect rx={1} width={width} height={height} fill={dv.noteBackgroundColor} stroke={dv.borderColor} strokeWidth={1} />
        <Label editor={this.editor} options={label} />
        {author && (
          <text x={width - 8} y={height - 6} textAnchor="end" fontSize={11} fontFamily="sans-serif" fill={dv.labelColor} opacity={0.6}>
            {author}
          </text>
        )}
      </>
    )
  }
}

/** A text shape: its words alone. */
export class PictureTextShapeUtil extends TextShapeUtil {
  override toSvg(shape: TLTextShape, ctx: SvgExportContext) {
    const bounds = this.editor.getShapeGeometry(shape).bounds
    const scale = shape.props.scale ?? 1
    const dv = getDisplayValues(this, shape, ctx.colorMode)
    const label: LabelOptions = {
      richText: shape.props.richText,
      width: bounds.width / scale,
      height: bounds.height / scale,
      padding: 0,
      fontSize: dv.fontSize,
      fontFamily: dv.fontFamily,
      fontStyle: dv.fontStyle,
      fontWeight: dv.fontWeight,
      lineHeight: dv.lineHeight,
      align: shape.props.textAlign,
      verticalAlign: 'middle',
      color: dv.color,
    }
    return <Label editor={this.editor} options={label} />
  }
}

const NO_TEXT = toRichText('')

/** A geometric shape: tldraw's own drawing of it, its label in SVG text. */
export class PictureGeoShapeUtil extends GeoShapeUtil {
  override toSvg(shape: TLGeoShape, ctx: SvgExportContext) {
    const body = super.toSvg({ ...shape, props: { ...shape.props, richText: NO_TEXT } }, ctx)
    const dv = getDisplayValues(this, shape, ctx.colorMode)
    const { scale, w, h, growY, richText } = shape.props
    const label: LabelOptions = {
      richText,
      width: w / scale,
      height: (h + growY) / scale,
      padding: dv.labelPadding,
      fontSize: dv.labelFontSize,
      fontFamily: dv.labelFontFamily,
      fontStyle: dv.labelFontStyle,
      fontWeight: dv.labelFontWeight,
      lineHeight: dv.labelLineHeight,
      align: dv.labelHorizontalAlign,
      verticalAlign: dv.labelVerticalAlign,
      color: dv.labelColor,
    }
    return (
      <>
        {body}
        <Label editor={this.editor} options={label} />
      </>
    )
  }
}

/** The shapes above, each replacing tldraw's own of its type. */
export const PICTURE_SHAPE_UTILS = [PictureNoteShapeUtil, PictureTextShapeUtil, PictureGeoShapeUtil]
