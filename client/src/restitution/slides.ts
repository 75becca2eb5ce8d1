import { getTemplate, isTemplateId, readTemplateMeta } from '@fabrique/templates'
import { type Editor, renderPlaintextFromRichText, type TLShape, type TLShapeId } from 'tldraw'
import type { Locale } from '../i18n.tsx'

export const PITCH_TEMPLATE_ID = 'restitution-pitch'

/** A shape the team may show as a slide: a section of its pitch, or a whole template frame. */
export interface SlideCandidate {
  id: TLShapeId
  label: string
  /** A section of the restitution pitch: shown by default, first. */
  pitch: boolean
}

const textOf = (editor: Editor, shape: TLShape): string =>
  'richText' in shape.props && shape.props.richText ? renderPlaintextFromRichText(editor, shape.props.richText as never).trim() : ''

function frameLabel(shape: TLShape, templateId: string, locale: Locale): string {
  const name = 'name' in shape.props && typeof shape.props.name === 'string' ? shape.props.name.trim() : ''
  if (name) return name
  return isTemplateId(templateId) ? getTemplate(templateId).title[locale] : ''
}

/** The sections of one pitch frame, in the template's order (not the order they were moved to). */
function pitchSections(editor: Editor, frame: TLShape): TLShape[] {
  const order = getTemplate(PITCH_TEMPLATE_ID).sections.map((section) => section.key as string)
  const rank = (shape: TLShape) => {
    const meta = readTemplateMeta(shape.meta)
    const at = meta && 'sectionKey' in meta ? order.indexOf(meta.sectionKey) : -1
    return at < 0 ? order.length : at
  }
  return editor
    .getSortedChildIdsForParent(frame.id)
    .flatMap((id) => {
      const shape = editor.getShape(id)
      const meta = shape && readTemplateMeta(shape.meta)
      return shape && meta?.role === 'section' && meta.templateId === PITCH_TEMPLATE_ID ? [shape] : []
    })
    .sort((a, b) => rank(a) - rank(b))
}

/** Every possible slide on the current page: pitch sections first, then the other template frames. */
export function slideCandidates(editor: Editor, locale: Locale, untitled: string): SlideCandidate[] {
  const frames = editor.getCurrentPageShapesSorted().filter((shape) => shape.type === 'frame' && readTemplateMeta(shape.meta)?.role === 'template')
  const pitch: SlideCandidate[] = []
  const others: SlideCandidate[] = []
  for (const frame of frames) {
    const templateId = readTemplateMeta(frame.meta)?.templateId ?? ''
    if (templateId === PITCH_TEMPLATE_ID) {
      for (const section of pitchSections(editor, frame)) pitch.push({ id: section.id, label: textOf(editor, section) || untitled, pitch: true })
    } else {
      others.push({ id: frame.id, label: frameLabel(frame, templateId, locale) || untitled, pitch: false })
    }
  }
  return [...pitch, ...others]
}

/** Room around a slide, in screen pixels: its edges stay visible. */
const SLIDE_INSET = 48

/** Shows one slide, filling the view; false when the shape is not (yet) on this board. */
export function zoomToSlide(editor: Editor, shapeId: string): boolean {
  const bounds = editor.getShapePageBounds(shapeId as TLShapeId)
  if (!bounds) return false
  editor.zoomToBounds(bounds, { inset: SLIDE_INSET, immediate: true, force: true })
  return true
}
