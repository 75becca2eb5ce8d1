// tldraw's light packages, not 'tldraw': the server imports this package (see place.ts).
import {
  createShapeId,
  type TLFrameShape,
  type TLGeoShape,
  type TLLineShape,
  type TLNoteShape,
  type TLPageId,
  type TLParentId,
  type TLShape,
  type TLShapeId,
  type TLTextShape,
  toRichText,
} from '@tldraw/tlschema'
import { getIndexAbove, getIndices, type IndexKey, type JsonObject } from '@tldraw/utils'
import { templateMeta } from './meta.ts'
import { placeholderPositions, promptBox } from './sectionLayout.ts'
import type {
  DividerDefinition,
  Locale,
  Point,
  SectionDefinition,
  TemplateDefinition,
} from './types.ts'

export interface InstantiateOptions {
  locale: Locale
  /** Page coordinates of the frame's top-left corner (see `findFreeSpace`). */
  origin: Point
  /** The page the frame goes on. */
  pageId: TLPageId
  /** The part of each shape id after `shape:`; random by default. Tests pass a counter. */
  createId?: () => string
  /** Set when a facilitator pushes the template to several boards at once. */
  pushId?: string
  /** The frame's index among the page's shapes; pass one above the page's highest to put it on top. */
  index?: IndexKey
  /** Lock section rectangles, prompts and dividers so that teams cannot move them by accident. */
  lockSections?: boolean
}

/** How far a divider's line sits below the top of its band, under its label. */
const DIVIDER_LINE_OFFSET = 36

interface Context {
  template: TemplateDefinition
  options: InstantiateOptions
  frameId: TLShapeId
  newId: () => TLShapeId
  nextIndex: () => IndexKey
}

function base(context: Context, id: TLShapeId, x: number, y: number, meta: JsonObject, locked = false) {
  return {
    id,
    typeName: 'shape' as const,
    x,
    y,
    rotation: 0,
    index: context.nextIndex(),
    parentId: context.frameId as TLParentId,
    isLocked: locked,
    opacity: 1,
    meta,
  }
}

function sectionShapes(context: Context, section: SectionDefinition): TLShape[] {
  const { template, options } = context
  const { locale, pushId, lockSections = false } = options
  const meta = (role: 'section' | 'prompt' | 'placeholder') =>
    templateMeta({ templateId: template.id, role, sectionKey: section.key, pushId })
  const { box } = section

  const rectangle: TLGeoShape = {
    ...base(context, context.newId(), box.x, box.y, meta('section'), lockSections),
    type: 'geo',
    props: {
      geo: 'rectangle',
      w: box.w,
      h: box.h,
      color: section.color ?? 'grey',
      labelColor: 'black',
      // No fill: a drag that starts inside a section selects the notes, not the section.
      fill: 'none',
      dash: 'solid',
      size: 's',
      font: 'sans',
      align: 'start',
      verticalAlign: 'start',
      richText: toRichText(section.title[locale]),
      url: '',
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
    },
  }

  const promptArea = promptBox(box)
  const prompt: TLTextShape = {
    ...base(context, context.newId(), promptArea.x, promptArea.y, meta('prompt'), lockSections),
    type: 'text',
    props: {
      color: 'grey',
      size: 's',
      font: 'sans',
      textAlign: 'start',
      w: promptArea.w,
      richText: toRichText(section.prompt[locale]),
      scale: 1,
      autoSize: false,
    },
  }

  const notes = placeholderPositions(box, section.placeholders ?? 0).map(
    (position): TLNoteShape => ({
      ...base(context, context.newId(), position.x, position.y, meta('placeholder')),
      type: 'note',
      props: {
        color: 'yellow',
        labelColor: 'black',
        size: 'm',
        font: 'sans',
        fontSizeAdjustment: 1,
        align: 'middle',
        verticalAlign: 'middle',
        growY: 0,
        url: '',
        richText: toRichText(''),
        scale: 1,
        textLastEditedBy: null,
      },
    }),
  )

  return [rectangle, prompt, ...notes]
}

function dividerShapes(context: Context, divider: DividerDefinition): TLShape[] {
  const { template, options } = context
  const meta = templateMeta({
    templateId: template.id,
    role: 'divider',
    dividerKey: divider.key,
    pushId: options.pushId,
  })
  const { box } = divider
  const locked = options.lockSections ?? false

  const label: TLTextShape = {
    ...base(context, context.newId(), box.x, box.y, meta, locked),
    type: 'text',
    props: {
      color: 'grey',
      size: 's',
      font: 'sans',
      textAlign: 'start',
      w: box.w,
      richText: toRichText(divider.label[options.locale]),
      scale: 1,
      autoSize: false,
    },
  }

  const [start, end] = getIndices(1)
  const line: TLLineShape = {
    ...base(context, context.newId(), box.x, box.y + DIVIDER_LINE_OFFSET, meta, locked),
    type: 'line',
    props: {
      color: 'grey',
      dash: 'dashed',
      size: 's',
      spline: 'line',
      points: {
        [start]: { id: start, index: start, x: 0, y: 0 },
        [end]: { id: end, index: end, x: box.w, y: 0 },
      },
      scale: 1,
    },
  }

  return [label, line]
}

/**
 * The shapes of one instance of a template, ready for `editor.createShapes` or `store.put`: the
 * frame first, then its children (section rectangles, prompts, placeholder notes, dividers) with
 * coordinates relative to the frame. Ids are fresh on every call; everything else depends only on
 * the arguments, so a counter `createId` gives the same records every time.
 */
export function instantiateTemplate(template: TemplateDefinition, options: InstantiateOptions): TLShape[] {
  const { createId, locale, origin, pageId, pushId } = options
  const newId = () => (createId ? createShapeId(createId()) : createShapeId())
  const frameId = newId()

  const frame: TLFrameShape = {
    id: frameId,
    typeName: 'shape',
    type: 'frame',
    x: origin.x,
    y: origin.y,
    rotation: 0,
    index: options.index ?? getIndexAbove(null),
    parentId: pageId,
    isLocked: false,
    opacity: 1,
    meta: templateMeta({ templateId: template.id, role: 'template', locale, pushId }),
    props: {
      w: template.size.w,
      h: template.size.h,
      name: template.title[locale],
      color: 'black',
    },
  }

  let lastIndex: IndexKey | null = null
  const context: Context = {
    template,
    options,
    frameId,
    newId,
    nextIndex: () => {
      lastIndex = getIndexAbove(lastIndex)
      return lastIndex
    },
  }

  return [
    frame,
    ...template.sections.flatMap((section) => sectionShapes(context, section)),
    ...(template.dividers ?? []).flatMap((divider) => dividerShapes(context, divider)),
  ]
}
