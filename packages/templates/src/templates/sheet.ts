import { defineTemplate, grid } from '../layout.ts'
import { t } from '../typography.ts'
import type { Localized, ProjectSheetField, TemplateDefinition } from '../types.ts'

/** The fields a team fills, in the order of the exported sheet. */
export const PROJECT_SHEET_FIELDS: readonly ProjectSheetField[] = [
  'title',
  'pitch',
  'problem',
  'users',
  'solution',
  'data',
  'impact',
  'deliverables',
  'achievements',
  'nextSteps',
]

/** Headings of the exported sheet; the challenge and the team come from the event, not the board. */
export const PROJECT_SHEET_FIELD_TITLES: Readonly<Record<ProjectSheetField, Localized>> = {
  title: t('Titre', 'Title'),
  pitch: t('Pitch en une phrase', 'One-line pitch'),
  problem: t('Problème', 'Problem'),
  users: t('Usagers cibles', 'Target users'),
  solution: t('Solution', 'Solution'),
  data: t('Données utilisées', 'Data used'),
  impact: t('Impact', 'Impact'),
  deliverables: t('Livrables', 'Deliverables'),
  achievements: t('Réalisations et difficultés', 'Achievements and difficulties'),
  nextSteps: t('Et après ?', 'Next steps'),
}

const projectSheet = (() => {
  const cell = grid({ columns: [560, 560, 560], rows: [420, 420, 420, 420] })
  const titles = PROJECT_SHEET_FIELD_TITLES
  return defineTemplate({
    id: 'project-sheet',
    category: 'sheet',
    title: t('Fiche projet', 'Project sheet'),
    description: t(
      'La fiche que les organisateurs exportent à la fin : remplissez chaque rubrique ; l’équipe et le défi viennent de l’événement.',
      'The sheet the organisers export at the end: fill in every part; the team and the challenge come from the event.',
    ),
    sections: [
      {
        key: 'title',
        title: titles.title,
        prompt: t('Le nom du projet.', 'The project’s name.'),
        box: cell(0, 0),
        placeholders: 1,
        exportField: 'title',
        color: 'violet',
      },
      {
        key: 'pitch',
        title: titles.pitch,
        prompt: t(
          'Le projet en une phrase : pour qui, quoi, quel bénéfice.',
          'The project in one sentence: for whom, what, which benefit.',
        ),
        box: cell(1, 0, 2),
        placeholders: 1,
        exportField: 'pitch',
        color: 'violet',
      },
      {
        key: 'problem',
        title: titles.problem,
        prompt: t(
          'Le problème auquel vous répondez, et qui le rencontre.',
          'The problem you address, and who faces it.',
        ),
        box: cell(0, 1),
        placeholders: 2,
        exportField: 'problem',
        color: 'red',
      },
      {
        key: 'users',
        title: titles.users,
        prompt: t(
          'Qui utilisera le service ? Qui en bénéficiera ?',
          'Who will use the service? Who will benefit from it?',
        ),
        box: cell(1, 1),
        placeholders: 2,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'solution',
        title: titles.solution,
        prompt: t(
          'Ce que vous avez construit et ses fonctionnalités clés.',
          'What you built and its key features.',
        ),
        box: cell(2, 1),
        placeholders: 2,
        exportField: 'solution',
        color: 'green',
      },
      {
        key: 'data',
        title: titles.data,
        prompt: t(
          'Les jeux de données utilisés, et ce que vous avez appris sur leur qualité et leurs limites.',
          'The datasets you used, and what you learnt about their quality and limits.',
        ),
        box: cell(0, 2),
        placeholders: 2,
        exportField: 'data',
      },
      {
        key: 'impact',
        title: titles.impact,
        prompt: t(
          'Les bénéfices attendus et les indicateurs pour les suivre.',
          'The expected benefits and the indicators to track them.',
        ),
        box: cell(1, 2),
        placeholders: 2,
        exportField: 'impact',
      },
      {
        key: 'deliverables',
        title: titles.deliverables,
        prompt: t(
          'Les liens vers le code, la démo et les diapositives ; des photos du tableau.',
          'Links to the code, the demo and the slides; pictures of the board.',
        ),
        box: cell(2, 2),
        placeholders: 2,
        exportField: 'deliverables',
      },
      {
        key: 'achievements',
        title: titles.achievements,
        prompt: t('Ce que vous avez réussi, ce qui a coincé.', 'What you achieved, what got in the way.'),
        box: cell(0, 3, 2),
        placeholders: 3,
        exportField: 'achievements',
        color: 'orange',
      },
      {
        key: 'next-steps',
        title: titles.nextSteps,
        prompt: t(
          'Ce dont vous avez besoin (incubation, sponsor, données) et les hypothèses à tester.',
          'What you need (incubation, sponsor, data) and the hypotheses to test.',
        ),
        box: cell(2, 3),
        placeholders: 2,
        exportField: 'nextSteps',
        color: 'green',
      },
    ],
  })
})()

export const sheetTemplates: readonly TemplateDefinition[] = [projectSheet]
