import { normalizeForSearch } from '@fabrique/templates'
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react'
import type { Editor } from 'tldraw'
import { ApiError } from '../event/api.ts'
import { type Locale, useLocale } from '../i18n.tsx'
import { captureSelection, type EventTemplateInfo, eventTemplatesApi, insertEventTemplate } from './eventTemplates.ts'

const strings = {
  fr: {
    title: 'Modèles de l’événement',
    none: 'Aucun modèle enregistré pour l’événement.',
    loadFailed: 'Impossible de charger les modèles de l’événement : {reason}',
    shapes: '{count} formes',
    insert: 'Insérer',
    inserted: '« {name} » ajouté au tableau.',
    saveTitle: 'Enregistrer la sélection comme modèle de l’événement',
    name: 'Nom du modèle',
    save: 'Enregistrer',
    saving: 'Enregistrement…',
    saved: '« {name} » enregistré : il apparaît dans les modèles de tous les tableaux de l’événement.',
    emptySelection: 'Sélectionnez d’abord des formes sur le tableau, puis enregistrez-les.',
    saveFailed: 'Le modèle n’a pas été enregistré : {reason}',
    network: 'le serveur ne répond pas. Vérifiez la connexion et réessayez.',
  },
  en: {
    title: 'Event templates',
    none: 'No template saved for the event yet.',
    loadFailed: 'Could not load the event’s templates: {reason}',
    shapes: '{count} shapes',
    insert: 'Insert',
    inserted: '“{name}” added to the board.',
    saveTitle: 'Save selection as event template',
    name: 'Template name',
    save: 'Save',
    saving: 'Saving…',
    saved: '“{name}” saved: it now shows in the templates of every board of the event.',
    emptySelection: 'Select some shapes on the board first, then save them.',
    saveFailed: 'The template was not saved: {reason}',
    network: 'the server does not answer. Check the connection and try again.',
  },
} satisfies Record<Locale, Record<string, string>>

type Key = keyof (typeof strings)['fr']
const say = (locale: Locale, key: Key, values: Record<string, string | number> = {}) =>
  strings[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))

const reasonOf = (error: unknown, locale: Locale) =>
  error instanceof ApiError ? (error.messages?.[locale] ?? (error.status === 0 ? say(locale, 'network') : error.message)) : String((error as Error)?.message ?? error)

export interface EventTemplateAccess {
  eventId: string
  token: string
  /** Facilitators and organisers save selections as templates; everyone inserts them. */
  canSave: boolean
}

/** The event's own templates in the board's template panel, and for facilitators a way to add one. */
export function EventTemplateList({ editor, access, query, announce }: { editor: Editor; access: EventTemplateAccess; query: string; announce(text: string): void }) {
  const { locale } = useLocale()
  const [templates, setTemplates] = useState<EventTemplateInfo[]>()
  const [loadError, setLoadError] = useState<string>()
  const { eventId, token } = access

  const reload = useCallback(async () => {
    try {
      setTemplates(await eventTemplatesApi.list(eventId, token))
      setLoadError(undefined)
    } catch (error) {
      setLoadError(reasonOf(error, locale))
    }
  }, [eventId, token, locale])
  useEffect(() => void reload(), [reload])

  const wanted = normalizeForSearch(query.trim())
  const shown = (templates ?? []).filter((template) => !wanted || normalizeForSearch(template.name).includes(wanted))
  if (wanted && shown.length === 0 && !access.canSave) return null

  return (
    <section className="event-templates" aria-labelledby={`${eventId}-event-templates`}>
      <h3 id={`${eventId}-event-templates`}>{say(locale, 'title')}</h3>
      {access.canSave && <SaveSelection editor={editor} access={access} onSaved={(name) => { announce(say(locale, 'saved', { name })); void reload() }} />}
      {loadError && (
        <p role="alert" className="alert alert-error">
          {say(locale, 'loadFailed', { reason: loadError })}
        </p>
      )}
      {templates && templates.length === 0 && <p className="muted">{say(locale, 'none')}</p>}
      <ul data-testid="event-templates">
        {shown.map((template) => (
          <li key={template.id} className="template-card event-template-card">
            <div>
              <strong>{template.name}</strong>
              <p className="muted">{say(locale, 'shapes', { count: template.shapeCount })}</p>
              <button
                type="button"
                data-event-template-id={template.id}
                onClick={() => {
                  insertEventTemplate(editor, template)
                  announce(say(locale, 'inserted', { name: template.name }))
                }}
              >
                {say(locale, 'insert')}
                <span className="visually-hidden"> {template.name}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}

function SaveSelection({ editor, access, onSaved }: { editor: Editor; access: EventTemplateAccess; onSaved(name: string): void }) {
  const { locale } = useLocale()
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const nameId = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const selection = captureSelection(editor)
    if (!selection) {
      setError(say(locale, 'emptySelection'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const saved = await eventTemplatesApi.save(access.eventId, access.token, { name: name.trim(), ...selection })
      setName('')
      onSaved(saved.name)
    } catch (caught) {
      setError(say(locale, 'saveFailed', { reason: reasonOf(caught, locale) }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="save-template" onSubmit={submit} aria-label={say(locale, 'saveTitle')}>
      <p className="save-template-title">{say(locale, 'saveTitle')}</p>
      <label htmlFor={nameId}>{say(locale, 'name')}</label>
      <div className="save-template-row">
        <input id={nameId} type="text" required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} />
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? say(locale, 'saving') : say(locale, 'save')}
        </button>
      </div>
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
    </form>
  )
}
