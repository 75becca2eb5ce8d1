import { createShapeId, type Editor, Mat, type TLNoteShape, type TLShapeId, toRichText } from 'tldraw'
import { findNoteSlot, type NoteSlot, type Rect } from './noteSlot.ts'
import { readNotes, readSections, type SectionPlacement } from './outlineModel.ts'

// Every change goes through the editor: the board's binding sends it to everyone, and each one is
// its own step in tldraw's undo history.

function findSection(editor: Editor, sectionId: TLShapeId): SectionPlacement | undefined {
  return readSections(editor)
    .flatMap((frame) => frame.sections)
    .find((section) => section.id === sectionId)
}

const intersects = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

function slotIn(editor: Editor, section: SectionPlacement, except?: TLShapeId): NoteSlot {
  const occupied = readNotes(editor)
    .filter(({ note, bounds }) => note.id !== except && intersects(bounds, section.bounds))
    .map(({ bounds }) => bounds)
  return findNoteSlot(section.bounds, occupied)
}

/** A new note with `text` in a free spot of the section, inside the section's frame. */
export function addNoteToSection(editor: Editor, sectionId: TLShapeId, text: string): TLShapeId | undefined {
  const section = findSection(editor, sectionId)
  if (!section) return undefined
  const slot = slotIn(editor, section)
  const local = Mat.applyToPoint(Mat.Inverse(editor.getShapePageTransform(section.frameId)), slot)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('outline: add note')
  editor.createShape<TLNoteShape>({
    id,
    type: 'note',
    parentId: section.frameId,
    x: local.x,
    y: local.y,
    props: { richText: toRichText(text), scale: slot.scale, textLastEditedBy: text ? editor.getAttributionUserId() : null },
  })
  return id
}

export function setNoteText(editor: Editor, noteId: TLShapeId, text: string): void {
  editor.markHistoryStoppingPoint('outline: edit note')
  // tldraw records who wrote the text (textLastEditedBy) when the rich text changes.
  editor.updateShape<TLNoteShape>({ id: noteId, type: 'note', props: { richText: toRichText(text) } })
}

/** Puts the note in a free spot of another section, and in that section's frame. */
export function moveNoteToSection(editor: Editor, noteId: TLShapeId, sectionId: TLShapeId): boolean {
  const section = findSection(editor, sectionId)
  const note = editor.getShape<TLNoteShape>(noteId)
  if (!section || !note) return false
  const slot = slotIn(editor, section, noteId)
  editor.markHistoryStoppingPoint('outline: move note')
  editor.run(() => {
    if (note.parentId !== section.frameId) editor.reparentShapes([noteId], section.frameId)
    const local = editor.getPointInParentSpace(noteId, slot)
    editor.updateShape<TLNoteShape>({ id: noteId, type: 'note', x: local.x, y: local.y, props: { scale: slot.scale } })
  })
  return true
}

export function deleteNote(editor: Editor, noteId: TLShapeId): void {
  editor.markHistoryStoppingPoint('outline: delete note')
  editor.deleteShapes([noteId])
}

/**
 * A new note outside any section, in a free spot of what the canvas shows: clear of frames and
 * other shapes, so that it does not land in a section by chance.
 */
export function addNoteOnPage(editor: Editor, text: string): TLShapeId {
  const viewport = editor.getViewportPageBounds()
  const area = { x: viewport.x, y: viewport.y, w: viewport.w, h: viewport.h }
  const occupied = editor
    .getCurrentPageShapes()
    .flatMap((shape) => {
      const bounds = editor.getShapePageBounds(shape)
      return bounds ? [{ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }] : []
    })
    .filter((bounds) => intersects(bounds, area))
  const slot = findNoteSlot(area, occupied)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('outline: add note')
  editor.createShape<TLNoteShape>({
    id,
    type: 'note',
    x: slot.x,
    y: slot.y,
    props: { richText: toRichText(text), scale: slot.scale, textLastEditedBy: text ? editor.getAttributionUserId() : null },
  })
  return id
}
