import { defineTemplate, type GridCell, grid } from '../layout.ts'
import { t } from '../typography.ts'
import type { Localized, SectionDefinition, TemplateDefinition } from '../types.ts'

const COLUMN_COUNT = 5
const COLUMN_WIDTH = 420
const LANE_HEIGHT = 420
const DIVIDER_HEIGHT = 48

/** One section per column, for the team to name the phase or step it stands for. */
function columnHeaders(
  cell: GridCell,
  row: number,
  key: (n: number) => string,
  title: (n: number) => Localized,
  prompt: Localized,
): SectionDefinition[] {
  return Array.from({ length: COLUMN_COUNT }, (_, i) => ({
    key: key(i + 1),
    title: title(i + 1),
    prompt,
    box: cell(i, row),
    placeholders: 1,
    color: 'violet' as const,
  }))
}

const journeyMap = (() => {
  const cell = grid({
    columns: new Array<number>(COLUMN_COUNT).fill(COLUMN_WIDTH),
    rows: [LANE_HEIGHT, LANE_HEIGHT, LANE_HEIGHT, LANE_HEIGHT, LANE_HEIGHT, LANE_HEIGHT, LANE_HEIGHT],
  })
  const lane = (row: number) => cell(0, row, COLUMN_COUNT)
  return defineTemplate({
    id: 'journey-map',
    category: 'journey',
    title: t('Parcours usager', 'Journey map'),
    description: t(
      'Le parcours d’un persona, phase par phase : ses actions, ses pensées, ses émotions, les points de douleur et les opportunités, chacune avec un responsable.',
      'One persona’s journey, phase by phase: actions, thoughts, emotions, pain points and opportunities, each with an owner.',
    ),
    sections: [
      {
        key: 'actor',
        title: t('Acteur', 'Actor'),
        prompt: t('Le persona dont on suit le parcours.', 'The persona whose journey we follow.'),
        box: cell(0, 0, 2),
        placeholders: 1,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'scenario',
        title: t('Scénario et attentes', 'Scenario and expectations'),
        prompt: t(
          'La situation de départ, l’objectif du persona et ce qu’il ou elle attend.',
          'The starting situation, the persona’s goal and what they expect.',
        ),
        box: cell(2, 0, 3),
        placeholders: 2,
        color: 'blue',
      },
      ...columnHeaders(
        cell,
        1,
        (n) => `phase-${n}`,
        (n) => t(`Phase ${n}`, `Phase ${n}`),
        t(
          'Nommez cette phase (par exemple : s’informer, faire la demande, attendre…).',
          'Name this phase (for example: find out, apply, wait…).',
        ),
      ),
      {
        key: 'actions',
        title: t('Actions', 'Actions'),
        prompt: t('Ce que fait le persona à chaque phase.', 'What the persona does in each phase.'),
        box: lane(2),
        placeholders: COLUMN_COUNT,
      },
      {
        key: 'thoughts',
        title: t('Pensées', 'Thoughts'),
        prompt: t('Ce qu’il ou elle se dit, ses questions.', 'What they think, their questions.'),
        box: lane(3),
        placeholders: COLUMN_COUNT,
      },
      {
        key: 'emotions',
        title: t('Émotions', 'Emotions'),
        prompt: t(
          'Tracez la courbe : en haut quand tout va bien, en bas quand ça coince.',
          'Draw the curve: high when things go well, low when they get stuck.',
        ),
        box: lane(4),
        color: 'orange',
      },
      {
        key: 'pain-points',
        title: t('Points de douleur', 'Pain points'),
        prompt: t(
          'Là où ça bloque, ce qui agace ou inquiète.',
          'Where things get stuck, what annoys or worries.',
        ),
        box: lane(5),
        placeholders: COLUMN_COUNT,
        color: 'red',
      },
      {
        key: 'opportunities',
        title: t('Opportunités', 'Opportunities'),
        prompt: t(
          'Une piste d’amélioration par note, avec son responsable.',
          'One improvement per note, with its owner.',
        ),
        box: lane(6),
        placeholders: COLUMN_COUNT,
        color: 'green',
      },
    ],
  })
})()

/** Lanes from what the user sees down to what supports the service, split by the three lines. */
const serviceBlueprint = (() => {
  const cell = grid({
    columns: new Array<number>(COLUMN_COUNT).fill(COLUMN_WIDTH),
    rows: [
      LANE_HEIGHT, // steps
      LANE_HEIGHT, // physical evidence
      LANE_HEIGHT, // user actions
      DIVIDER_HEIGHT,
      LANE_HEIGHT, // front-stage
      DIVIDER_HEIGHT,
      LANE_HEIGHT, // back-stage
      DIVIDER_HEIGHT,
      LANE_HEIGHT, // support processes
    ],
  })
  const lane = (row: number) => cell(0, row, COLUMN_COUNT)
  return defineTemplate({
    id: 'service-blueprint',
    category: 'journey',
    title: t('Blueprint de service', 'Service blueprint'),
    description: t(
      'Ce qui se passe à chaque étape, devant et derrière le guichet : preuves physiques, actions de l’usager, front-office, back-office et processus support.',
      'What happens at each step, in front of and behind the counter: physical evidence, user actions, front-stage, back-stage and support processes.',
    ),
    sections: [
      ...columnHeaders(
        cell,
        0,
        (n) => `step-${n}`,
        (n) => t(`Étape ${n}`, `Step ${n}`),
        t('Nommez l’étape du point de vue de l’usager.', 'Name the step from the user’s point of view.'),
      ),
      {
        key: 'evidence',
        title: t('Preuves physiques', 'Physical evidence'),
        prompt: t(
          'Ce que l’usager voit ou touche : courrier, formulaire, écran, guichet…',
          'What the user sees or touches: a letter, a form, a screen, a counter…',
        ),
        box: lane(1),
        placeholders: COLUMN_COUNT,
        color: 'grey',
      },
      {
        key: 'user-actions',
        title: t('Actions de l’usager', 'User actions'),
        prompt: t('Ce que fait l’usager à chaque étape.', 'What the user does at each step.'),
        box: lane(2),
        placeholders: COLUMN_COUNT,
        color: 'blue',
      },
      {
        key: 'front-stage',
        title: t('Front-office (visible)', 'Front-stage'),
        prompt: t(
          'Ce que font les agents ou les outils au contact de l’usager.',
          'What staff or tools do in contact with the user.',
        ),
        box: lane(4),
        placeholders: COLUMN_COUNT,
        color: 'green',
      },
      {
        key: 'back-stage',
        title: t('Back-office (invisible)', 'Back-stage'),
        prompt: t(
          'Ce qui se passe en coulisses, hors de la vue de l’usager.',
          'What happens behind the scenes, out of the user’s sight.',
        ),
        box: lane(6),
        placeholders: COLUMN_COUNT,
        color: 'orange',
      },
      {
        key: 'support',
        title: t('Processus support', 'Support processes'),
        prompt: t(
          'Systèmes d’information, données, partenaires et règles qui rendent le service possible.',
          'Information systems, data, partners and rules that make the service possible.',
        ),
        box: lane(8),
        placeholders: COLUMN_COUNT,
        color: 'violet',
      },
    ],
    dividers: [
      {
        key: 'line-of-interaction',
        label: t('Ligne d’interaction', 'Line of interaction'),
        box: lane(3),
      },
      {
        key: 'line-of-visibility',
        label: t('Ligne de visibilité', 'Line of visibility'),
        box: lane(5),
      },
      {
        key: 'line-of-internal-interaction',
        label: t('Ligne d’interaction interne', 'Line of internal interaction'),
        box: lane(7),
      },
    ],
  })
})()

export const journeyTemplates: readonly TemplateDefinition[] = [journeyMap, serviceBlueprint]
