import type { Locale } from '@fabrique/templates'

/** The words of the exported documents, in both languages. */
export const LABELS = {
  fr: {
    sheet: 'Fiche projet',
    event: 'Événement',
    team: 'Équipe',
    members: 'Membres',
    challenge: 'Défi',
    noChallenge: 'Aucun défi choisi',
    datasets: 'Jeux de données proposés',
    empty: 'Rien sur le tableau.',
    otherNotes: 'Autres notes du tableau',
    votes: (count: number) => (count > 1 ? `${count} votes` : `${count} vote`),
    page: (page: number, total: number) => `Page ${page} sur ${total}`,
    exportedAt: 'Exporté le',
    eventSheets: 'Fiches projet',
    noTeams: 'Aucune équipe dans cet événement.',
    jury: 'Évaluation du jury',
    overall: 'Moyenne générale',
    jurors: (count: number) => (count > 1 ? `${count} membres du jury` : `${count} membre du jury`),
    outOfFive: '/ 5',
    comments: 'Commentaires',
    presentation: 'Diapositives présentées',
  },
  en: {
    sheet: 'Project sheet',
    event: 'Event',
    team: 'Team',
    members: 'Members',
    challenge: 'Challenge',
    noChallenge: 'No challenge chosen',
    datasets: 'Datasets offered',
    empty: 'Nothing on the board.',
    otherNotes: 'Other notes on the board',
    votes: (count: number) => (count === 1 ? '1 vote' : `${count} votes`),
    page: (page: number, total: number) => `Page ${page} of ${total}`,
    exportedAt: 'Exported on',
    eventSheets: 'Project sheets',
    noTeams: 'No team in this event.',
    jury: 'Jury evaluation',
    overall: 'Overall mean',
    jurors: (count: number) => (count === 1 ? '1 juror' : `${count} jurors`),
    outOfFive: '/ 5',
    comments: 'Comments',
    presentation: 'Slides presented',
  },
} as const satisfies Record<Locale, unknown>

/** 26 novembre 2026 / 26 November 2026; the date as given when it is not YYYY-MM-DD. */
export function formatDate(date: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return date
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(value)
}

/** Lower-case ASCII words joined by dashes, for file and folder names. */
export function slugify(text: string, fallback = 'equipe'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || fallback
}

/** Fabrique is made for French public events: times print in Paris time unless told otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris'

/** 26 novembre 2026 à 17:05 / 26 November 2026 at 17:05. */
export function formatDateTime(iso: string, locale: Locale, timeZone = DEFAULT_TIME_ZONE): string {
  const value = new Date(iso)
  if (Number.isNaN(value.getTime())) return iso
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(value)
}
