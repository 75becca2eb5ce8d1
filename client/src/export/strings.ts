import { type Locale, useLocale } from '../i18n.tsx'

const strings = {
  fr: {
    pageTitle: 'Export des fiches projet',
    heading: 'Exporter les fiches projet',
    intro:
      'Une fiche par équipe (PDF, Markdown, JSON), les notes de tous les tableaux et l’événement entier, dans la langue de cette page. Les textes viennent du serveur\u00a0; les images des tableaux sont dessinées dans ce navigateur.',
    openPage: 'Exporter les fiches projet',
    teamsHeading: 'Par équipe',
    noTeams: 'Aucune équipe pour l’instant\u00a0: les fiches apparaîtront ici dès qu’une équipe sera créée.',
    teamColumn: 'Équipe',
    filesColumn: 'Fiche',
    pdf: 'PDF',
    markdown: 'Markdown',
    json: 'JSON',
    downloadTeam: 'Fiche de «\u00a0{team}\u00a0» en {format}',
    eventHeading: 'Tout l’événement',
    notesCsv: 'Notes de tous les tableaux (CSV)',
    eventPdf: 'Toutes les fiches en un PDF',
    eventZip: 'Archive ZIP sans images',
    downloading: 'Préparation de «\u00a0{file}\u00a0»…',
    downloaded: '«\u00a0{file}\u00a0» téléchargé.',
    bundleHeading: 'Archive complète avec les images des tableaux',
    bundleHelp:
      'Ce navigateur ouvre chaque tableau en lecture seule, sans l’afficher, et dessine une image du tableau entier et de chaque cadre de modèle. Gardez cet onglet ouvert jusqu’à la fin.',
    bundleStart: 'Préparer l’archive complète',
    cancel: 'Annuler',
    progressLabel: 'Préparation de l’archive complète',
    progressStart: 'Liste des équipes…',
    progressTeam: 'Équipe {n} sur {total}…',
    progressEvent: 'Fichiers de l’événement…',
    progressDone: 'Terminé.',
    bundleDone: 'Archive prête\u00a0: «\u00a0{file}\u00a0» est téléchargé.',
    bundleCancelled: 'Export annulé\u00a0: rien n’a été téléchargé.',
    missingPictures: 'Images manquantes pour «\u00a0{team}\u00a0»\u00a0: {reason} Sa fiche est dans l’archive.',
    boardTimeout: 'le tableau ne s’est pas ouvert à temps.',
    boardRefused: 'le serveur a refusé d’ouvrir le tableau ({code}).',
    renderFailed: 'le dessin du tableau a échoué.',
  },
  en: {
    pageTitle: 'Project sheet export',
    heading: 'Export project sheets',
    intro:
      'One sheet per team (PDF, Markdown, JSON), the notes of every board and the whole event, in the language of this page. Texts come from the server; pictures of the boards are drawn in this browser.',
    openPage: 'Export project sheets',
    teamsHeading: 'Per team',
    noTeams: 'No team yet: sheets will show here as soon as a team is created.',
    teamColumn: 'Team',
    filesColumn: 'Sheet',
    pdf: 'PDF',
    markdown: 'Markdown',
    json: 'JSON',
    downloadTeam: 'Sheet of “{team}” as {format}',
    eventHeading: 'The whole event',
    notesCsv: 'Notes of every board (CSV)',
    eventPdf: 'Every sheet in one PDF',
    eventZip: 'ZIP archive without pictures',
    downloading: 'Preparing “{file}”…',
    downloaded: '“{file}” downloaded.',
    bundleHeading: 'Full bundle with pictures of the boards',
    bundleHelp:
      'This browser opens each board read-only, without showing it, and draws a picture of the whole board and of each template frame. Keep this tab open until it is done.',
    bundleStart: 'Prepare the full bundle',
    cancel: 'Cancel',
    progressLabel: 'Preparing the full bundle',
    progressStart: 'Listing teams…',
    progressTeam: 'Team {n} of {total}…',
    progressEvent: 'Event files…',
    progressDone: 'Done.',
    bundleDone: 'Bundle ready: “{file}” is downloaded.',
    bundleCancelled: 'Export cancelled: nothing was downloaded.',
    missingPictures: 'Pictures missing for “{team}”: {reason} Its sheet is in the bundle.',
    boardTimeout: 'the board did not open in time.',
    boardRefused: 'the server refused to open the board ({code}).',
    renderFailed: 'drawing the board failed.',
  },
} satisfies Record<Locale, Record<string, string>>

export type ExportKey = keyof (typeof strings)['fr']
export type Say = (key: ExportKey, values?: Record<string, string | number>) => string

export const say = (locale: Locale, key: ExportKey, values: Record<string, string | number> = {}): string =>
  strings[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))

/** The export's words in the page's language, with the locale for `?lang=`. */
export function useExportStrings(): { locale: Locale; say: Say } {
  const { locale } = useLocale()
  return { locale, say: (key, values) => say(locale, key, values) }
}
