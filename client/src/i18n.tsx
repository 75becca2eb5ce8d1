import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'

export type Locale = 'fr' | 'en'
export const LOCALES: readonly Locale[] = ['fr', 'en']
const STORAGE_KEY = 'fabrique-locale'

/** Every string the interface shows, French first. tldraw's own UI follows the same locale. */
const messages = {
  fr: {
    'app.name': 'Fabrique',
    'app.tagline': 'Le tableau blanc des journées d’idéation',
    'language.label': 'Langue',
    'language.fr': 'Français',
    'language.en': 'English',
    'home.newBoard': 'Nouveau tableau libre',
    'home.newBoardHelp': 'Un tableau hors événement, partagé par son adresse.',
    'home.join': 'Rejoindre un événement',
    'home.joinCode': 'Code de l’événement',
    'home.joinSubmit': 'Rejoindre',
    'home.organise': 'Organiser un événement',
    'home.organiseHelp': 'Créez l’événement, ses défis et ses liens d’accès.',
    'board.loading': 'Chargement du tableau…',
    'board.loadingSlow': 'Le serveur ne répond pas encore. Le tableau s’ouvrira dès que la connexion sera établie.',
    'board.home': 'Accueil',
    'connection.connected': 'Connecté',
    'connection.connecting': 'Connexion…',
    'connection.reconnecting': 'Reconnexion…',
    'connection.offline': 'Hors ligne',
    'connection.pending': '{count} modification(s) en attente',
    'connection.savedLocally': 'Vos modifications sont gardées sur cet appareil et seront envoyées au retour de la connexion.',
    'problem.outdated': 'Ce tableau a été modifié avec une version plus récente de Fabrique. Rechargez la page pour continuer à écrire.',
    'problem.heldBack': '{count} élément(s) de ce tableau ne peuvent pas être affichés par cette version. Rechargez la page.',
    'problem.reload': 'Recharger',
    'problem.closed': 'Connexion fermée',
    'upload.refused': 'Image refusée : {reason}',
    'upload.failed': 'L’envoi de l’image a échoué. Vérifiez la connexion et réessayez.',
    'notFound.title': 'Page introuvable',
    'notFound.back': 'Retour à l’accueil',
    'dismiss': 'Fermer',
  },
  en: {
    'app.name': 'Fabrique',
    'app.tagline': 'The whiteboard for ideation days',
    'language.label': 'Language',
    'language.fr': 'Français',
    'language.en': 'English',
    'home.newBoard': 'New free board',
    'home.newBoardHelp': 'A board outside any event, shared by its address.',
    'home.join': 'Join an event',
    'home.joinCode': 'Event code',
    'home.joinSubmit': 'Join',
    'home.organise': 'Organise an event',
    'home.organiseHelp': 'Create the event, its challenges and its access links.',
    'board.loading': 'Loading the board…',
    'board.loadingSlow': 'The server does not answer yet. The board will open as soon as the connection is up.',
    'board.home': 'Home',
    'connection.connected': 'Connected',
    'connection.connecting': 'Connecting…',
    'connection.reconnecting': 'Reconnecting…',
    'connection.offline': 'Offline',
    'connection.pending': '{count} change(s) waiting',
    'connection.savedLocally': 'Your changes are kept on this device and will be sent when the connection returns.',
    'problem.outdated': 'This board was changed with a newer version of Fabrique. Reload the page to keep writing.',
    'problem.heldBack': '{count} item(s) on this board cannot be shown by this version. Reload the page.',
    'problem.reload': 'Reload',
    'problem.closed': 'Connection closed',
    'upload.refused': 'Image refused: {reason}',
    'upload.failed': 'The image upload failed. Check the connection and try again.',
    'notFound.title': 'Page not found',
    'notFound.back': 'Back to the home page',
    'dismiss': 'Close',
  },
} satisfies Record<Locale, Record<string, string>>

export type MessageKey = keyof (typeof messages)['fr']

export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template: string = messages[locale][key] ?? messages.fr[key]
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`))
}

export function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY)
  if (stored === 'fr' || stored === 'en') return stored
  const browser = globalThis.navigator?.language ?? 'fr'
  return browser.toLowerCase().startsWith('en') ? 'en' : 'fr'
}

interface LocaleContextValue {
  locale: Locale
  setLocale(locale: Locale): void
  t(key: MessageKey, values?: Record<string, string | number>): string
}

const LocaleContext = createContext<LocaleContextValue | null>(null)

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale)
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next)
    setLocaleState(next)
  }, [])
  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])
  const value = useMemo<LocaleContextValue>(() => ({ locale, setLocale, t: (key, values) => translate(locale, key, values) }), [locale, setLocale])
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext)
  if (!value) throw new Error('useLocale outside LocaleProvider')
  return value
}

export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)} aria-label={t('language.label')}>
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {translate(option, `language.${option}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
