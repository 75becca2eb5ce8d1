import { type RefObject, useEffect } from 'react'
import type { Editor, TLNoteShape, TLRecord, TLShapeId } from 'tldraw'
import type { Locale } from '../i18n.tsx'
import { announce } from './announcer.tsx'
import { centerOf, plainText, readSections, sectionAt } from './outlineModel.ts'
import { say, shortText } from './strings.ts'

/** The group of the outline the person is in: a section's id, or `OUTSIDE` for the notes outside any. */
export type CurrentGroup = TLShapeId | typeof OUTSIDE | undefined
export const OUTSIDE = 'outside'

const isNote = (record: TLRecord): record is TLNoteShape => record.typeName === 'shape' && record.type === 'note'

/**
 * Announces the notes someone else adds to the group the person is in. Only remote changes count:
 * one's own notes are announced by the action that made them.
 */
export function useRemoteNoteAnnouncements(editor: Editor, current: RefObject<CurrentGroup>, locale: Locale, outsideTitle: string): void {
  useEffect(
    () =>
      editor.store.listen(
        ({ changes }) => {
          const group = current.current
          if (!group) return
          const added = Object.values(changes.added).filter(isNote)
          if (added.length === 0) return
          const sections = readSections(editor).flatMap((frame) => frame.sections)
          const mine = added.filter((note) => {
            const bounds = editor.getShapePageBounds(note.id)
            if (!bounds) return false
            const section = sectionAt(sections, centerOf(bounds))
            return group === OUTSIDE ? !section : section?.id === group
          })
          if (mine.length === 0) return
          const title = group === OUTSIDE ? outsideTitle : (sections.find((section) => section.id === group)?.title ?? '')
          if (mine.length > 1) {
            announce(say(locale, 'remoteAddedMany', { count: mine.length, section: title }))
            return
          }
          const text = shortText(plainText(mine[0].props.richText), 80)
          announce(text ? say(locale, 'remoteAdded', { section: title, text }) : say(locale, 'remoteAddedEmpty', { section: title }))
        },
        { source: 'remote', scope: 'document' },
      ),
    [editor, current, locale, outsideTitle],
  )
}
