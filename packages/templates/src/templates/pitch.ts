import { defineTemplate, grid } from '../layout.ts'
import { t } from '../typography.ts'
import type { TemplateDefinition } from '../types.ts'

const elevatorPitch = (() => {
  const cell = grid({ columns: [520, 520, 520], rows: [420, 420] })
  return defineTemplate({
    id: 'elevator-pitch',
    category: 'pitch',
    title: t('Pitch ascenseur', 'Elevator pitch'),
    description: t(
      'Présenter le projet en trente secondes : pour qui, quel besoin, quoi, quel bénéfice, face à quelle alternative, avec quelle différence.',
      'Present the project in thirty seconds: for whom, which need, what, which benefit, against which alternative, with what difference.',
    ),
    sections: [
      {
        key: 'target',
        title: t('Pour…', 'For…'),
        prompt: t('Les usagers ou le public visés.', 'The target users or audience.'),
        box: cell(0, 0),
        placeholders: 2,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'need',
        title: t('qui…', 'who…'),
        prompt: t('Leur besoin ou leur problème.', 'Their need or problem.'),
        box: cell(1, 0),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'name-category',
        title: t('[Nom] est un…', '[Name] is a…'),
        prompt: t(
          'Le nom du projet et sa catégorie (service, outil, plateforme…).',
          'The project’s name and its category (service, tool, platform…).',
        ),
        box: cell(2, 0),
        placeholders: 2,
        exportField: 'title',
        color: 'violet',
      },
      {
        key: 'benefit',
        title: t('qui permet de…', 'that…'),
        prompt: t('Le bénéfice clé pour les usagers.', 'The key benefit for users.'),
        box: cell(0, 1),
        placeholders: 2,
        color: 'green',
      },
      {
        key: 'alternative',
        title: t('Contrairement à…', 'Unlike…'),
        prompt: t(
          'L’alternative actuelle (autre service, démarche papier, rien du tout…).',
          'The current alternative (another service, paperwork, nothing at all…).',
        ),
        box: cell(1, 1),
        placeholders: 2,
        color: 'orange',
      },
      {
        key: 'differentiator',
        title: t('Notre solution…', 'Our solution…'),
        prompt: t('Ce qui la rend différente et meilleure.', 'What makes it different and better.'),
        box: cell(2, 1),
        placeholders: 2,
        color: 'green',
      },
    ],
  })
})()

/** The closing pitch of a public hackathon: 3 to 5 minutes and questions, one section per slide. */
const restitutionPitch = (() => {
  const cell = grid({ columns: [560, 560, 560], rows: [440, 440] })
  return defineTemplate({
    id: 'restitution-pitch',
    category: 'pitch',
    title: t('Pitch de restitution', 'Final pitch'),
    description: t(
      'De 3 à 5 minutes, puis les questions du jury : une section par diapositive.',
      '3 to 5 minutes, then the jury’s questions: one section per slide.',
    ),
    sections: [
      {
        key: 'problem',
        title: t('1. Le problème', '1. The problem'),
        prompt: t(
          'Quel problème, pour qui, et pourquoi il compte (un chiffre, une histoire).',
          'What problem, for whom, and why it matters (a figure, a story).',
        ),
        box: cell(0, 0),
        placeholders: 2,
        exportField: 'problem',
      },
      {
        key: 'users',
        title: t('2. Les usagers', '2. The users'),
        prompt: t(
          'Qui sont-ils ? Qu’avez-vous appris en les écoutant ?',
          'Who are they? What did you learn by listening to them?',
        ),
        box: cell(1, 0),
        placeholders: 2,
        exportField: 'users',
      },
      {
        key: 'solution',
        title: t('3. La solution et la démo', '3. The solution and demo'),
        prompt: t(
          'Ce que vous avez construit, montré en action, et ses fonctionnalités clés.',
          'What you built, shown in action, and its key features.',
        ),
        box: cell(2, 0),
        placeholders: 2,
        exportField: 'solution',
      },
      {
        key: 'data',
        title: t('4. Les données utilisées', '4. The data used'),
        prompt: t(
          'Quels jeux de données ? Qu’avez-vous appris sur leur qualité et leurs limites ?',
          'Which datasets? What did you learn about their quality and limits?',
        ),
        box: cell(0, 1),
        placeholders: 2,
        exportField: 'data',
      },
      {
        key: 'impact',
        title: t('5. L’impact', '5. The impact'),
        prompt: t(
          'Les bénéfices attendus et les indicateurs pour les mesurer.',
          'The expected benefits and the indicators to measure them.',
        ),
        box: cell(1, 1),
        placeholders: 2,
        exportField: 'impact',
      },
      {
        key: 'next-steps',
        title: t('6. La suite', '6. Next steps'),
        prompt: t(
          'Ce dont vous avez besoin (incubation, sponsor, données) et les hypothèses à tester.',
          'What you need (incubation, sponsor, data) and the hypotheses to test.',
        ),
        box: cell(2, 1),
        placeholders: 2,
        exportField: 'nextSteps',
      },
    ],
  })
})()

/** Ten narrow columns so that blocks are two columns wide and the bottom row splits in halves. */
const canvasGrid = () => grid({ columns: new Array<number>(10).fill(224), rows: [440, 440, 420] })

/** Ash Maurya's lean canvas, with revenue relabelled for public services. */
const leanCanvas = (() => {
  const cell = canvasGrid()
  return defineTemplate({
    id: 'lean-canvas',
    category: 'pitch',
    title: t('Lean canvas', 'Lean canvas'),
    description: t(
      'Le modèle d’un projet sur une page, adapté au service public : les « revenus » deviennent « financement et sponsor ».',
      'A project’s model on one page, adapted to public services: “revenue” becomes “funding and sponsor”.',
    ),
    sections: [
      {
        key: 'problem',
        title: t('Problème', 'Problem'),
        prompt: t('Les 1 à 3 problèmes principaux de vos usagers.', 'Your users’ top 1 to 3 problems.'),
        box: cell(0, 0, 2),
        placeholders: 2,
        exportField: 'problem',
        color: 'red',
      },
      {
        key: 'alternatives',
        title: t('Alternatives existantes', 'Existing alternatives'),
        prompt: t('Comment ces problèmes sont-ils résolus aujourd’hui ?', 'How are these problems solved today?'),
        box: cell(0, 1, 2),
        placeholders: 2,
        color: 'red',
      },
      {
        key: 'segments',
        title: t('Segments d’usagers', 'User segments'),
        prompt: t('Pour qui ? Les publics visés.', 'For whom? The target audiences.'),
        box: cell(8, 0, 2),
        placeholders: 2,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'early-adopters',
        title: t('Premiers utilisateurs', 'Early adopters'),
        prompt: t('Qui l’adoptera en premier ?', 'Who will adopt it first?'),
        box: cell(8, 1, 2),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'uvp',
        title: t('Proposition de valeur unique', 'Unique value proposition'),
        prompt: t(
          'Un message simple et clair : pourquoi c’est différent et utile.',
          'A single, clear message: why it is different and worth using.',
        ),
        box: cell(4, 0, 2, 2),
        placeholders: 2,
        exportField: 'pitch',
        color: 'violet',
      },
      {
        key: 'solution',
        title: t('Solution', 'Solution'),
        prompt: t('Les 3 fonctionnalités clés, une par problème.', 'The top 3 features, one per problem.'),
        box: cell(2, 0, 2),
        placeholders: 2,
        exportField: 'solution',
        color: 'green',
      },
      {
        key: 'channels',
        title: t('Canaux', 'Channels'),
        prompt: t(
          'Comment les usagers découvrent le service et y accèdent.',
          'How users find the service and reach it.',
        ),
        box: cell(6, 1, 2),
        placeholders: 2,
      },
      {
        key: 'revenue',
        title: t('Financement et sponsor', 'Funding and sponsor'),
        prompt: t(
          'Qui finance ? Quel sponsor porte le projet ? (les « revenus » d’un service public)',
          'Who pays? Which sponsor backs the project? (a public service’s “revenue”)',
        ),
        box: cell(5, 2, 5),
        placeholders: 3,
        color: 'green',
      },
      {
        key: 'costs',
        title: t('Structure de coûts', 'Cost structure'),
        prompt: t('Hébergement, équipe, données, accompagnement…', 'Hosting, team, data, support…'),
        box: cell(0, 2, 5),
        placeholders: 3,
        color: 'orange',
      },
      {
        key: 'key-metrics',
        title: t('Indicateurs clés', 'Key metrics'),
        prompt: t('Les chiffres qui montreront que ça marche.', 'The figures that will show it works.'),
        box: cell(2, 1, 2),
        placeholders: 2,
        exportField: 'impact',
      },
      {
        key: 'unfair-advantage',
        title: t('Avantage décisif', 'Unfair advantage'),
        prompt: t(
          'Ce qui ne se copie pas facilement (données, partenaires, mandat…).',
          'What cannot easily be copied (data, partners, mandate…).',
        ),
        box: cell(6, 0, 2),
        placeholders: 2,
      },
    ],
  })
})()

/** Value map on the left, customer profile on the right, a gutter between the two. */
const valuePropositionCanvas = (() => {
  const cell = grid({ columns: [520, 520, 56, 520, 520], rows: [440, 440] })
  return defineTemplate({
    id: 'value-proposition-canvas',
    category: 'pitch',
    title: t('Canevas de proposition de valeur', 'Value proposition canvas'),
    description: t(
      'Faire correspondre ce que vous proposez (produits et services, solutions aux difficultés, créateurs de bénéfices) au profil de l’usager (tâches, difficultés, bénéfices attendus).',
      'Match what you offer (products and services, pain relievers, gain creators) to the user’s profile (jobs, pains, gains).',
    ),
    sections: [
      {
        key: 'jobs',
        title: t('Tâches de l’usager', 'Customer jobs'),
        prompt: t(
          'Ce que l’usager cherche à accomplir : tâches pratiques, sociales, émotionnelles.',
          'What the user is trying to get done: practical, social and emotional jobs.',
        ),
        box: cell(4, 0, 1, 2),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'pains',
        title: t('Difficultés', 'Pains'),
        prompt: t(
          'Ce qui l’agace, le bloque ou l’inquiète, avant, pendant et après.',
          'What annoys, blocks or worries them, before, during and after.',
        ),
        box: cell(3, 1),
        placeholders: 2,
        color: 'red',
      },
      {
        key: 'gains',
        title: t('Bénéfices attendus', 'Gains'),
        prompt: t('Les résultats et les bénéfices qu’il ou elle espère.', 'The outcomes and benefits they hope for.'),
        box: cell(3, 0),
        placeholders: 2,
        color: 'green',
      },
      {
        key: 'products-services',
        title: t('Produits et services', 'Products and services'),
        prompt: t(
          'Ce que vous proposez pour l’aider dans ses tâches.',
          'What you offer to help them get their jobs done.',
        ),
        box: cell(1, 0, 1, 2),
        placeholders: 2,
        exportField: 'solution',
        color: 'violet',
      },
      {
        key: 'pain-relievers',
        title: t('Solutions aux difficultés', 'Pain relievers'),
        prompt: t(
          'Comment votre offre supprime ou réduit chaque difficulté.',
          'How your offer removes or reduces each pain.',
        ),
        box: cell(0, 1),
        placeholders: 2,
        color: 'red',
      },
      {
        key: 'gain-creators',
        title: t('Créateurs de bénéfices', 'Gain creators'),
        prompt: t('Comment votre offre produit les bénéfices attendus.', 'How your offer creates the expected gains.'),
        box: cell(0, 0),
        placeholders: 2,
        color: 'green',
      },
    ],
  })
})()

const businessModelCanvas = (() => {
  const cell = canvasGrid()
  return defineTemplate({
    id: 'business-model-canvas',
    category: 'pitch',
    title: t('Canevas du modèle économique', 'Business model canvas'),
    description: t(
      'Les neuf blocs du modèle d’un service : partenaires, activités, ressources, proposition de valeur, relations, canaux, publics, coûts et financements.',
      'The nine building blocks of a service’s model: partners, activities, resources, value proposition, relationships, channels, segments, costs and revenue.',
    ),
    sections: [
      {
        key: 'partners',
        title: t('Partenaires clés', 'Key partners'),
        prompt: t(
          'Administrations, associations, entreprises sans qui rien ne marche.',
          'The administrations, associations and companies you cannot do without.',
        ),
        box: cell(0, 0, 2, 2),
        placeholders: 2,
      },
      {
        key: 'activities',
        title: t('Activités clés', 'Key activities'),
        prompt: t('Ce que vous devez faire pour rendre le service.', 'What you must do to deliver the service.'),
        box: cell(2, 0, 2),
        placeholders: 2,
      },
      {
        key: 'resources',
        title: t('Ressources clés', 'Key resources'),
        prompt: t('L’équipe, les données, les outils, le budget nécessaires.', 'The team, data, tools and budget needed.'),
        box: cell(2, 1, 2),
        placeholders: 2,
      },
      {
        key: 'value-proposition',
        title: t('Proposition de valeur', 'Value proposition'),
        prompt: t(
          'Quel problème résolvez-vous ? Quelle valeur apportez-vous ?',
          'Which problem do you solve? What value do you bring?',
        ),
        box: cell(4, 0, 2, 2),
        placeholders: 2,
        color: 'violet',
      },
      {
        key: 'relationships',
        title: t('Relations avec les usagers', 'User relationships'),
        prompt: t(
          'Quel accompagnement : en ligne, au guichet, par téléphone…',
          'What kind of support: online, at the counter, by phone…',
        ),
        box: cell(6, 0, 2),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'channels',
        title: t('Canaux', 'Channels'),
        prompt: t(
          'Comment les usagers vous trouvent et accèdent au service.',
          'How users find you and reach the service.',
        ),
        box: cell(6, 1, 2),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'segments',
        title: t('Publics', 'Segments'),
        prompt: t('Pour qui créez-vous de la valeur ?', 'For whom are you creating value?'),
        box: cell(8, 0, 2, 2),
        placeholders: 2,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'costs',
        title: t('Structure de coûts', 'Cost structure'),
        prompt: t('Les coûts les plus importants.', 'The most important costs.'),
        box: cell(0, 2, 5),
        placeholders: 3,
        color: 'orange',
      },
      {
        key: 'revenue',
        title: t('Financements', 'Revenue'),
        prompt: t('Qui paie : budget, subvention, sponsor, redevance…', 'Who pays: budget, grant, sponsor, fees…'),
        box: cell(5, 2, 5),
        placeholders: 3,
        color: 'green',
      },
    ],
  })
})()

export const pitchTemplates: readonly TemplateDefinition[] = [
  elevatorPitch,
  restitutionPitch,
  leanCanvas,
  valuePropositionCanvas,
  businessModelCanvas,
]
