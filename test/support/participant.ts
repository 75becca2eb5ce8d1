import { getTemplate, SECTION_HEADER_HEIGHT, type TemplateId } from '@fabrique/templates'
import { createShapeId, createUserId, getIndexAbove, type IndexKey, NoteShapeUtil, type TLParentId, type TLRecord, type TLShape, toRichText } from 'tldraw'
import type { Json } from './api.ts'
import { type BoardClient, connectBoardClient } from './boardClient.ts'

/** A participant at their board: writes sticky notes as tldraw would, through the real sync server. */
export class Participant {
  private index: IndexKey | null = getIndexAbove('a5' as IndexKey)
  constructor(
    readonly client: BoardClient,
    readonly userId: string,
  ) {}

  /** Connected to `boardId` on the sync endpoint `url` and synced; the caller destroys `client`. */
  static async open(url: string, boardId: string, token: string, userId: string, name: string): Promise<Participant> {
    const client = connectBoardClient(url, boardId, token)
    await client.synced
    client.store.put([client.store.schema.types.user.create({ id: createUserId(userId), name } as never) as TLRecord])
    return new Participant(client, userId)
  }

  frame(templateId: TemplateId): TLShape {
    const frame = this.client.shapes().find((shape) => shape.type === 'frame' && (shape.meta as Json).fabrique?.templateId === templateId)
    if (!frame) throw new Error(`no ${templateId} frame on the board`)
    return frame
  }

  note(id: string, text: string, place: { templateId: TemplateId; sectionKey: string; slot?: number } | { x: number; y: number }): string {
    let parentId = 'page:page'
    let x: number
    let y: number
    if ('templateId' in place) {
      const box = getTemplate(place.templateId).sections.find((section) => section.key === place.sectionKey)?.box
      if (!box) throw new Error(`no section ${place.sectionKey}`)
      parentId = this.frame(place.templateId).id
      x = box.x + 16 + (place.slot ?? 0) * 216
      y = box.y + SECTION_HEADER_HEIGHT
    } else {
      ;({ x, y } = place)
    }
    const shapeId = createShapeId(id)
    this.index = getIndexAbove(this.index)
    const props = { ...new NoteShapeUtil({} as never).getDefaultProps(), richText: toRichText(text), textLastEditedBy: this.userId }
    this.client.store.put([
      this.client.store.schema.types.shape.create({ id: shapeId, type: 'note', parentId: parentId as TLParentId, x, y, index: this.index, props } as never) as TLShape,
    ])
    this.client.binding.flush()
    return shapeId
  }
}
