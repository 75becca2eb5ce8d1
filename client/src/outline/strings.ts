import type { Locale } from '../i18n.tsx'

const strings = {
  fr: {
    open: 'Plan',
    title: 'Plan du tableau',
    intro: 'Chaque note du tableau, section par section. Flèches haut et bas : passer d’une note à l’autre ; Entrée : modifier la note.',
    close: 'Fermer le plan',
    undo: 'Annuler',
    redo: 'Rétablir',
    empty: 'Le tableau n’a encore ni modèle ni note.',
    outside: 'Hors section',
    noNotes: 'Aucune note.',
    emptyNote: 'Note vide',
    by: 'par {name}',
    dots: '{count} gommette(s)',
    myDots: 'mes gommettes : {count}',
    editHint: 'Entrée pour modifier',
    noteText: 'Texte de la note',
    newNoteText: 'Texte de la nouvelle note dans « {section} »',
    editorHelp: 'Entrée : enregistrer ; Maj + Entrée : nouvelle ligne ; Échap : annuler.',
    save: 'Enregistrer',
    cancel: 'Annuler',
    add: 'Ajouter une note',
    inSection: 'dans « {section} »',
    moveTo: 'Déplacer vers…',
    moveLabel: 'Déplacer la note « {note} » vers',
    move: 'Déplacer',
    delete: 'Supprimer',
    theNote: 'la note « {note} »',
    added: 'Note ajoutée dans « {section} ».',
    saved: 'Note enregistrée.',
    moved: 'Note déplacée dans « {section} ».',
    deleted: 'Note supprimée. Le bouton « Annuler » en haut du plan la rétablit.',
    undone: 'Dernière modification annulée.',
    redone: 'Modification rétablie.',
    remoteAdded: 'Nouvelle note dans « {section} » : {text}',
    remoteAddedEmpty: 'Nouvelle note dans « {section} ».',
    remoteAddedMany: '{count} nouvelles notes dans « {section} ».',
    readonly: 'Ce tableau est en lecture seule : le plan se lit, il ne se modifie pas.',
    sections: '{count} section(s)',
    notes: '{count} note(s)',
  },
  en: {
    open: 'Outline',
    title: 'Board outline',
    intro: 'Every note on the board, section by section. Up and down arrows: go from note to note; Enter: edit the note.',
    close: 'Close the outline',
    undo: 'Undo',
    redo: 'Redo',
    empty: 'The board has no template and no note yet.',
    outside: 'Outside any section',
    noNotes: 'No notes.',
    emptyNote: 'Empty note',
    by: 'by {name}',
    dots: '{count} dot(s)',
    myDots: 'my dots: {count}',
    editHint: 'Enter to edit',
    noteText: 'Note text',
    newNoteText: 'Text of the new note in “{section}”',
    editorHelp: 'Enter: save; Shift + Enter: new line; Escape: cancel.',
    save: 'Save',
    cancel: 'Cancel',
    add: 'Add a note',
    inSection: 'to “{section}”',
    moveTo: 'Move to…',
    moveLabel: 'Move the note “{note}” to',
    move: 'Move',
    delete: 'Delete',
    theNote: 'the note “{note}”',
    added: 'Note added to “{section}”.',
    saved: 'Note saved.',
    moved: 'Note moved to “{section}”.',
    deleted: 'Note deleted. The “Undo” button at the top of the outline brings it back.',
    undone: 'Last change undone.',
    redone: 'Change redone.',
    remoteAdded: 'New note in “{section}”: {text}',
    remoteAddedEmpty: 'New note in “{section}”.',
    remoteAddedMany: '{count} new notes in “{section}”.',
    readonly: 'This board is read-only: the outline can be read, not changed.',
    sections: '{count} section(s)',
    notes: '{count} note(s)',
  },
} satisfies Record<Locale, Record<string, string>>

export type OutlineStringKey = keyof (typeof strings)['fr']

export const say = (locale: Locale, key: OutlineStringKey, values: Record<string, string | number> = {}): string =>
  strings[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))

export const outlineButtonLabel = (locale: Locale): string => strings[locale].open

/** A note's text cut short enough to be read inside a button's name. */
export function shortText(text: string, max = 40): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
