import {
  findFreeSpace,
  instantiateTemplate,
  listTemplates,
  searchTemplates,
  type TemplateCategory,
  type TemplateDefinition,
} from '@fabrique/templates'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { type Editor, getIndexAbove, type IndexKey, type TLShapeId } from 'tldraw'
import { type Locale, useLocale } from '../i18n.tsx'
import { type EventTemplateAccess, EventTemplateList } from './EventTemplateList.tsx'
import './templatePanel.css'

const strings = {
  fr: {
    open: 'Modèles',
    title: 'Modèles de la journée',
    search: 'Rechercher un modèle',
    insert: 'Insérer',
    close: 'Fermer',
    none: 'Aucun modèle ne correspond à « {query} ».',
    inserted: '« {title} » ajouté au tableau.',
    sections: '{count} sections',
    framing: 'Cadrer le problème',
    journey: 'Parcours usagers',
    pitch: 'Pitch et modèle',
    sheet: 'Fiche projet',
  },
  en: {
    open: 'Templates',
    title: 'Templates for the day',
    search: 'Search templates',
    insert: 'Insert',
    close: 'Close',
    none: 'No template matches “{query}”.',
    inserted: '“{title}” added to the board.',
    sections: '{count} sections',
    framing: 'Frame the problem',
    journey: 'User journeys',
    pitch: 'Pitch and model',
    sheet: 'Project sheet',
  },
} satisfies Record<Locale, Record<string, string>>

type Key = keyof (typeof strings)['fr']
const say = (locale: Locale, key: Key, values: Record<string, string | number> = {}) =>
  strings[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))

export const templatesButtonLabel = (locale: Locale): string => strings[locale].open

const CATEGORIES: TemplateCategory[] = ['framing', 'journey', 'pitch', 'sheet']

/**
 * Puts a template on the current page: fresh ids, in free space near what the person is looking at,
 * above everything else, then brings it into view. Returns the frame's id.
 */
export function insertTemplate(editor: Editor, template: TemplateDefinition, locale: Locale): TLShapeId {
  const pageId = editor.getCurrentPageId()
  const shapes = editor.getCurrentPageShapes().filter((shape) => shape.parentId === pageId)
  const occupied = shapes.flatMap((shape) => {
    const bounds = editor.getShapePageBounds(shape)
    return bounds ? [{ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }] : []
  })
  const viewport = editor.getViewportPageBounds()
  const origin = findFreeSpace(occupied, template.size, { viewport: { x: viewport.x, y: viewport.y, w: viewport.w, h: viewport.h } })
  const top = shapes.reduce<IndexKey | undefined>((highest, shape) => (!highest || shape.index > highest ? shape.index : highest), undefined)
  const records = instantiateTemplate(template, { locale, origin, pageId, index: getIndexAbove(top) })
  editor.run(() => editor.createShapes(records))
  const frameId = records[0].id
  editor.select(frameId)
  editor.zoomToSelection({ animation: { duration: 300 } })
  return frameId
}

/**
 * The template library beside the canvas: preview, search, insert; keyboard first. On an event's
 * board, the event's own templates come first, and facilitators save the selection as one.
 */
export function TemplatePanel({ editor, onClose, eventAccess }: { editor: Editor; onClose(): void; eventAccess?: EventTemplateAccess }) {
  const { locale } = useLocale()
  const [query, setQuery] = useState('')
  const [announcement, setAnnouncement] = useState('')
  const searchId = useId()
  const searchRef = useRef<HTMLInputElement>(null)

  useEffect(() => searchRef.current?.focus(), [])

  const results = useMemo(() => (query.trim() ? searchTemplates(query, locale) : listTemplates()), [query, locale])

  return (
    <aside className="template-panel" aria-label={say(locale, 'title')} onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <header>
        <h2>{say(locale, 'title')}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {say(locale, 'close')}
        </button>
      </header>
      <label htmlFor={searchId} className="visually-hidden">
        {say(locale, 'search')}
      </label>
      <input
        id={searchId}
        ref={searchRef}
        type="search"
        placeholder={say(locale, 'search')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {eventAccess && <EventTemplateList editor={editor} access={eventAccess} query={query} announce={setAnnouncement} />}
      {results.length === 0 && <p>{say(locale, 'none', { query })}</p>}
      {CATEGORIES.map((category) => {
        const inCategory = results.filter((template) => template.category === category)
        if (inCategory.length === 0) return null
        return (
          <section key={category}>
            <h3>{say(locale, category)}</h3>
            <ul>
              {inCategory.map((template) => (
                <li key={template.id} className="template-card">
                  <TemplatePreview template={template} />
                  <div>
                    <strong>{template.title[locale]}</strong>
                    <p>{template.description[locale]}</p>
                    <p className="muted">{say(locale, 'sections', { count: template.sections.length })}</p>
                    <button
                      type="button"
                      data-template-id={template.id}
                      onClick={() => {
                        insertTemplate(editor, template, locale)
                        setAnnouncement(say(locale, 'inserted', { title: template.title[locale] }))
                      }}
                    >
                      {say(locale, 'insert')}
                      <span className="visually-hidden"> {template.title[locale]}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        )
      })}
    </aside>
  )
}

/** A miniature of the template's sections, drawn from its definition. */
function TemplatePreview({ template }: { template: TemplateDefinition }) {
  const { w, h } = template.size
  return (
    <svg className="template-preview" viewBox={`0 0 ${w} ${h}`} aria-hidden="true" focusable="false">
      <rect x={0} y={0} width={w} height={h} fill="#f6f6f6" stroke="#929292" strokeWidth={w / 120} />
      {template.sections.map((section) => (
        <rect
          key={section.key}
          x={section.box.x}
          y={section.box.y}
          width={section.box.w}
          height={section.box.h}
          fill="#ffffff"
          stroke="#000091"
          strokeWidth={w / 200}
        />
      ))}
    </svg>
  )
}
