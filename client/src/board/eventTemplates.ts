import {
  checkTemplateRecords,
  type EventTemplateContent,
  findFreeSpace,
  instantiateEventTemplate,
  normaliseSelection,
  type Size,
} from '@fabrique/templates'
import { type Editor, getIndexAbove, type IndexKey, type TLRecord, type TLShapeId } from 'tldraw'
import { api } from '../event/api.ts'

// Templates a facilitator saved for the event (server/src/http/eventTemplates.ts).

export interface EventTemplateInfo {
  id: string
  name: string
  createdAt: string
  size: Size
  shapeCount: number
  records: TLRecord[]
}

const templatesPath = (eventId: string) => `/events/${encodeURIComponent(eventId)}/templates`

export const eventTemplatesApi = {
  list: async (eventId: string, token: string) => (await api<{ templates: EventTemplateInfo[] }>(templatesPath(eventId), { token })).templates,
  save: (eventId: string, token: string, body: { name: string; size: Size; records: TLRecord[] }) =>
    api<EventTemplateInfo>(templatesPath(eventId), { method: 'POST', token, body }),
  remove: (eventId: string, token: string, templateId: string) =>
    api<void>(`${templatesPath(eventId)}/${encodeURIComponent(templateId)}`, { method: 'DELETE', token }),
}

/** The selected shapes with their descendants, the bindings between them and their images, ready to save; undefined when nothing is selected. */
export function captureSelection(editor: Editor): { size: Size; records: TLRecord[] } | undefined {
  const ids = editor.getSelectedShapeIds()
  const bounds = editor.getSelectionPageBounds()
  const content = ids.length > 0 ? editor.getContentFromCurrentPage(ids) : undefined
  if (!content || !bounds) return undefined
  return normaliseSelection(content, { x: bounds.x, y: bounds.y, w: Math.max(1, bounds.w), h: Math.max(1, bounds.h) })
}

/** The records as the server sent them, checked again: a board never takes in what tldraw would refuse. */
function contentOf(template: EventTemplateInfo): EventTemplateContent {
  const check = checkTemplateRecords(template.records, template.size)
  if (!check.ok) throw new Error(check.problem.en)
  return check.content
}

/** Puts an event template on the current page, in free space near the view, on top; selects it. */
export function insertEventTemplate(editor: Editor, template: EventTemplateInfo): TLShapeId[] {
  const pageId = editor.getCurrentPageId()
  const onPage = editor.getCurrentPageShapes().filter((shape) => shape.parentId === pageId)
  const occupied = onPage.flatMap((shape) => {
    const bounds = editor.getShapePageBounds(shape)
    return bounds ? [{ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }] : []
  })
  const viewport = editor.getViewportPageBounds()
  const origin = findFreeSpace(occupied, template.size, { viewport: { x: viewport.x, y: viewport.y, w: viewport.w, h: viewport.h } })
  const top = onPage.reduce<IndexKey | undefined>((highest, shape) => (!highest || shape.index > highest ? shape.index : highest), undefined)
  const { shapes, bindings, assets } = instantiateEventTemplate(contentOf(template), { origin, pageId, index: getIndexAbove(top) })
  editor.run(() => {
    const missing = assets.filter((asset) => !editor.getAsset(asset.id))
    if (missing.length > 0) editor.createAssets(missing)
    editor.createShapes(shapes)
    if (bindings.length > 0) editor.createBindings(bindings)
  })
  const roots = shapes.filter((shape) => shape.parentId === pageId).map((shape) => shape.id)
  editor.select(...roots)
  editor.zoomToSelection({ animation: { duration: 300 } })
  return roots
}
