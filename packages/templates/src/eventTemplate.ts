// tldraw's light packages, not 'tldraw': the server imports this module (see place.ts).
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import {
  createBindingId,
  createShapeId,
  createTLSchema,
  type TLAsset,
  type TLBinding,
  type TLPageId,
  type TLParentId,
  type TLRecord,
  type TLShape,
  type TLShapeId,
} from '@tldraw/tlschema'
import { FABRIQUE_META_KEY } from './meta.ts'
import type { Localized, Point, Rect, Size } from './types.ts'

/**
 * A template a facilitator saved from a selection on a board: tldraw records normalised to the
 * origin. Top-level shapes hang from `TEMPLATE_ROOT_PARENT` until placed on a page; their children
 * keep tldraw's coordinates relative to their parent.
 */
export interface EventTemplateContent {
  size: Size
  shapes: TLShape[]
  /** Bindings between the template's own shapes (arrows to notes...). */
  bindings: TLBinding[]
  /** Images of the template: records pointing at files uploaded to this server, shared by every board. */
  assets: TLAsset[]
}

/** What `placeTemplate` needs of a saved template. */
export interface SavedTemplate {
  id: string
  content: EventTemplateContent
}

export const TEMPLATE_ROOT_PARENT = 'page:template' as TLPageId

export const EVENT_TEMPLATE_LIMITS = {
  /** Shapes, bindings and assets together: a full built-in canvas is about 60. */
  maxRecords: 1000,
  /** Of the request body: records travel as JSON. */
  maxBytes: 1_000_000,
  maxNameLength: 80,
  maxSide: 50_000,
} as const

/** Images uploaded to this server (POST /api/boards/{id}/assets), readable from any board. */
const SERVED_ASSET = /^\/api\/assets\/[A-Za-z0-9_-]{8,64}$/

export interface SelectionContent {
  shapes: TLShape[]
  bindings?: TLBinding[]
  assets?: TLAsset[]
  rootShapeIds: TLShapeId[]
}

/**
 * Turns what tldraw copies from a selection (`editor.getContentFromCurrentPage`, roots in page
 * space) into template records: roots moved so that `bounds` starts at (0, 0), who last edited a
 * note forgotten, Fabrique's push marks dropped.
 */
export function normaliseSelection(content: SelectionContent, bounds: Rect): { records: TLRecord[]; size: Size } {
  const roots = new Set<string>(content.rootShapeIds)
  const shapes = content.shapes.map((shape) => {
    const clean = { ...shape, meta: withoutPushId(shape.meta), props: forgetEditor(shape.props) } as TLShape
    return roots.has(shape.id) ? { ...clean, x: shape.x - bounds.x, y: shape.y - bounds.y, parentId: TEMPLATE_ROOT_PARENT } : clean
  })
  return { records: [...shapes, ...(content.bindings ?? []), ...(content.assets ?? [])], size: { w: Math.ceil(bounds.w), h: Math.ceil(bounds.h) } }
}

export type TemplateCheck = { ok: true; content: EventTemplateContent } | { ok: false; problem: Localized }

let schema: ReturnType<typeof createTLSchema> | undefined

/**
 * Checks records sent as a template before anyone stores them: only shapes, bindings and images,
 * each valid for this tldraw version, a tree of shapes with roots at the origin, bindings and
 * images that refer to the template's own shapes. The first problem is returned, in both languages.
 */
export function checkTemplateRecords(input: readonly unknown[], size: Size): TemplateCheck {
  const fail = (fr: string, en: string): TemplateCheck => ({ ok: false, problem: { fr, en } })
  const { maxRecords, maxSide } = EVENT_TEMPLATE_LIMITS
  if (input.length === 0) return fail('La sélection est vide : sélectionnez au moins une forme.', 'The selection is empty: select at least one shape.')
  if (input.length > maxRecords) return fail(`Trop d’éléments : ${maxRecords} au plus.`, `Too many records: ${maxRecords} at most.`)
  if (!(size.w > 0 && size.h > 0 && size.w <= maxSide && size.h <= maxSide)) {
    return fail(`Taille invalide : entre 1 et ${maxSide} unités de côté.`, `Invalid size: between 1 and ${maxSide} units a side.`)
  }
  schema ??= createTLSchema()
  const types = schema.types as unknown as Record<string, { validate(record: unknown): TLRecord }>
  const shapes: TLShape[] = []
  const bindings: TLBinding[] = []
  const assets: TLAsset[] = []
  const ids = new Set<string>()
  for (const [position, value] of input.entries()) {
    const typeName = typeof value === 'object' && value !== null ? (value as { typeName?: unknown }).typeName : undefined
    if (typeName !== 'shape' && typeName !== 'binding' && typeName !== 'asset') {
      return fail(
        `L’élément n° ${position + 1} (${String(typeName)}) n’a pas sa place dans un modèle : seulement des formes, des liaisons et des images.`,
        `Record #${position + 1} (${String(typeName)}) cannot go in a template: only shapes, bindings and images.`,
      )
    }
    let record: TLRecord
    try {
      record = (types[typeName] as { validate(record: unknown): TLRecord }).validate(value)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return fail(`L’élément n° ${position + 1} n’est pas valide pour tldraw : ${reason}`, `Record #${position + 1} is not valid for tldraw: ${reason}`)
    }
    if (ids.has(record.id)) return fail(`L’identifiant ${record.id} apparaît deux fois.`, `Id ${record.id} appears twice.`)
    ids.add(record.id)
    if (record.typeName === 'shape') shapes.push(record)
    else if (record.typeName === 'binding') bindings.push(record)
    else assets.push(record as TLAsset)
  }
  const problem = checkTree(shapes) ?? checkBindings(bindings, ids) ?? checkAssets(shapes, assets)
  if (problem) return { ok: false, problem }
  return { ok: true, content: { size: { w: size.w, h: size.h }, shapes, bindings, assets } }
}

function checkTree(shapes: readonly TLShape[]): Localized | undefined {
  const byId = new Map<string, TLShape>(shapes.map((shape) => [shape.id, shape]))
  if (shapes.length === 0) return { fr: 'Le modèle ne contient aucune forme.', en: 'The template holds no shape.' }
  for (const shape of shapes) {
    let parent: string = shape.parentId
    for (let depth = 0; parent !== TEMPLATE_ROOT_PARENT; depth++) {
      const next = byId.get(parent)
      if (!next) {
        return {
          fr: `La forme ${shape.id} dépend de ${parent}, absent de la sélection : enregistrez le cadre ou le groupe entier.`,
          en: `Shape ${shape.id} belongs to ${parent}, which is not in the selection: save the whole frame or group.`,
        }
      }
      if (depth > shapes.length) return { fr: `Les formes autour de ${shape.id} s’emboîtent en boucle.`, en: `The shapes around ${shape.id} nest in a loop.` }
      parent = next.parentId
    }
  }
  return undefined
}

function checkBindings(bindings: readonly TLBinding[], ids: ReadonlySet<string>): Localized | undefined {
  const stray = bindings.find((binding) => !ids.has(binding.fromId) || !ids.has(binding.toId))
  if (!stray) return undefined
  return { fr: `La liaison ${stray.id} relie une forme absente du modèle.`, en: `Binding ${stray.id} connects a shape that is not in the template.` }
}

function checkAssets(shapes: readonly TLShape[], assets: readonly TLAsset[]): Localized | undefined {
  const known = new Set<string>(assets.map((asset) => asset.id))
  for (const shape of shapes) {
    const assetId = (shape.props as { assetId?: unknown }).assetId
    if (typeof assetId === 'string' && !known.has(assetId)) {
      return { fr: `L’image de la forme ${shape.id} manque au modèle.`, en: `The image of shape ${shape.id} is missing from the template.` }
    }
  }
  for (const asset of assets) {
    const src = (asset.props as { src?: unknown }).src
    if (typeof src !== 'string' || !SERVED_ASSET.test(src)) {
      return {
        fr: 'Seules les images déposées sur un tableau de Fabrique peuvent aller dans un modèle (pas les images en ligne ni les liens).',
        en: 'Only images dropped on a Fabrique board can go in a template (not images from the web or links).',
      }
    }
  }
  return undefined
}

export interface InstantiateSavedOptions {
  /** Page coordinates of the template's top-left corner. */
  origin: Point
  pageId: TLPageId
  /** Index of the first top-level shape; the others follow above it. */
  index?: IndexKey
  pushId?: string
  createId?: () => string
}

/**
 * Records of one instance of a saved template: fresh shape and binding ids, top-level shapes on
 * the page at `origin`, in their saved order; images keep their ids (the same file on every board).
 */
export function instantiateEventTemplate(content: EventTemplateContent, options: InstantiateSavedOptions): { shapes: TLShape[]; bindings: TLBinding[]; assets: TLAsset[] } {
  const { origin, pageId, pushId, createId } = options
  const shapeIds = new Map<string, TLShapeId>(content.shapes.map((shape) => [shape.id, createId ? createShapeId(createId()) : createShapeId()]))
  const roots = content.shapes.filter((shape) => shape.parentId === TEMPLATE_ROOT_PARENT).sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
  const rootIndexes = new Map<string, IndexKey>()
  let previous: IndexKey | null = null
  for (const root of roots) {
    const index: IndexKey = previous === null && options.index ? options.index : getIndexAbove(previous)
    rootIndexes.set(root.id, index)
    previous = index
  }
  const shapes = content.shapes.map((shape): TLShape => {
    const meta = pushId && FABRIQUE_META_KEY in shape.meta ? { ...shape.meta, [FABRIQUE_META_KEY]: { ...(shape.meta[FABRIQUE_META_KEY] as object), pushId } } : shape.meta
    const rootIndex = rootIndexes.get(shape.id)
    const placed = { ...shape, id: shapeIds.get(shape.id) as TLShapeId, meta }
    if (!rootIndex) return { ...placed, parentId: shapeIds.get(shape.parentId) as TLParentId }
    return { ...placed, parentId: pageId, index: rootIndex, x: shape.x + origin.x, y: shape.y + origin.y }
  })
  const bindings = content.bindings.map(
    (binding): TLBinding => ({
      ...binding,
      id: createId ? createBindingId(createId()) : createBindingId(),
      fromId: shapeIds.get(binding.fromId) as TLShapeId,
      toId: shapeIds.get(binding.toId) as TLShapeId,
    }),
  )
  return { shapes, bindings, assets: content.assets }
}

function withoutPushId(meta: TLShape['meta']): TLShape['meta'] {
  const fabrique = meta[FABRIQUE_META_KEY]
  if (typeof fabrique !== 'object' || fabrique === null || Array.isArray(fabrique) || !('pushId' in fabrique)) return meta
  const { pushId: _dropped, ...rest } = fabrique
  return { ...meta, [FABRIQUE_META_KEY]: rest }
}

function forgetEditor(props: object): object {
  return 'textLastEditedBy' in props ? { ...props, textLastEditedBy: null } : props
}
