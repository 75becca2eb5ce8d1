import { defineTemplate, grid } from '../layout.ts'
import { t } from '../typography.ts'
import type { TemplateDefinition } from '../types.ts'

const pointOfView = (() => {
  const cell = grid({ columns: [520, 520, 520], rows: [420, 420] })
  return defineTemplate({
    id: 'point-of-view',
    category: 'framing',
    title: t('Point de vue et « Comment pourrions-nous… ? »', 'Point of view and “How might we…?”'),
    description: t(
      'Formuler le point de vue d’un usager (usager, besoin, découverte) sans y mettre de solution, puis en tirer des questions « Comment pourrions-nous… ? ».',
      'Frame a user’s point of view (user, need, insight) with no solution in it, then turn each insight into “How might we…?” questions.',
    ),
    sections: [
      {
        key: 'user',
        title: t('Usager', 'User'),
        prompt: t(
          'Qui est cette personne ? Décrivez sa situation précisément.',
          'Who is this person? Describe their situation precisely.',
        ),
        box: cell(0, 0),
        placeholders: 2,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'need',
        title: t('Besoin', 'Need'),
        prompt: t(
          'Ce dont elle a besoin, exprimé avec un verbe. Pas de solution ici !',
          'What they need, expressed as a verb. No solution here!',
        ),
        box: cell(1, 0),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'insight',
        title: t('Découverte', 'Insight'),
        prompt: t(
          'Ce que vous avez appris et qui vous a surpris : pourquoi ce besoin compte.',
          'What you learnt that surprised you: why this need matters.',
        ),
        box: cell(2, 0),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'how-might-we',
        title: t('Comment pourrions-nous… ?', 'How might we…?'),
        prompt: t(
          'Une ou plusieurs questions par découverte, qui ouvrent des pistes sans imposer de solution.',
          'One or more questions per insight that open avenues without imposing a solution.',
        ),
        box: cell(0, 1, 3),
        placeholders: 3,
        color: 'violet',
      },
    ],
  })
})()

const problemStatement = (() => {
  const cell = grid({ columns: [460, 460, 460, 460], rows: [420, 420] })
  return defineTemplate({
    id: 'problem-statement',
    category: 'framing',
    title: t('Énoncé du problème', 'Problem statement'),
    description: t(
      '[Persona] a besoin de [action] parce que [besoin], mais [obstacle].',
      '[Persona] needs [action] because [need] but [obstacle].',
    ),
    sections: [
      {
        key: 'persona',
        title: t('Persona', 'Persona'),
        prompt: t('Qui ? Le persona ou l’usager concerné.', 'Who? The persona or user concerned.'),
        box: cell(0, 0),
        placeholders: 1,
        exportField: 'users',
      },
      {
        key: 'action',
        title: t('a besoin de…', 'needs to…'),
        prompt: t('L’action qu’il ou elle doit accomplir.', 'The action they need to take.'),
        box: cell(1, 0),
        placeholders: 1,
      },
      {
        key: 'need',
        title: t('parce que…', 'because…'),
        prompt: t('Le besoin profond derrière cette action.', 'The underlying need behind this action.'),
        box: cell(2, 0),
        placeholders: 1,
      },
      {
        key: 'obstacle',
        title: t('mais…', 'but…'),
        prompt: t('Ce qui l’en empêche aujourd’hui.', 'What stops them today.'),
        box: cell(3, 0),
        placeholders: 1,
        color: 'red',
      },
      {
        key: 'problem',
        title: t('L’énoncé complet', 'The full statement'),
        prompt: t(
          'Écrivez la phrase entière : « [persona] a besoin de [action] parce que [besoin], mais [obstacle]. »',
          'Write the whole sentence: “[persona] needs [action] because [need] but [obstacle].”',
        ),
        box: cell(0, 1, 4),
        placeholders: 1,
        exportField: 'problem',
        color: 'violet',
      },
    ],
  })
})()

/** The State's own framing sheet, as in the DITP and beta.gouv "Je démarre mon projet" guides. */
const problemStatementState = (() => {
  const cell = grid({ columns: [520, 520, 520], rows: [420, 420] })
  return defineTemplate({
    id: 'problem-statement-state',
    category: 'framing',
    title: t('Je démarre mon projet', 'Starting my project'),
    description: t(
      'La fiche de cadrage des projets de l’État : le défi, l’existant, la situation idéale, votre objectif et ce qui peut aider ou freiner.',
      'The French State’s project framing sheet (“Je démarre mon projet”): the challenge, existing solutions, the ideal situation, your objective and what could help or hinder.',
    ),
    sections: [
      {
        key: 'challenge',
        title: t('Le défi', 'The challenge'),
        prompt: t(
          'À quel défi répondez-vous ? Quel problème, pour qui ?',
          'Which challenge are you answering? What problem, for whom?',
        ),
        box: cell(0, 0),
        placeholders: 2,
        exportField: 'problem',
      },
      {
        key: 'existing',
        title: t('L’existant', 'Existing solutions'),
        prompt: t(
          'Quelles solutions existent déjà, et pourquoi ne suffisent-elles pas ?',
          'What solutions already exist, and why do they fall short?',
        ),
        box: cell(1, 0),
        placeholders: 2,
      },
      {
        key: 'ideal',
        title: t('La situation idéale', 'The ideal situation'),
        prompt: t(
          'À quoi ressemblerait la situation si le problème était résolu ?',
          'What would things look like if the problem were solved?',
        ),
        box: cell(2, 0),
        placeholders: 2,
        color: 'green',
      },
      {
        key: 'objective',
        title: t('Votre objectif', 'Your objective'),
        prompt: t(
          'Que voulez-vous atteindre, et qui en bénéficiera ?',
          'What do you want to achieve, and who will benefit?',
        ),
        box: cell(0, 1, 2),
        placeholders: 3,
        exportField: 'impact',
        color: 'violet',
      },
      {
        key: 'help-hinder',
        title: t('Leviers et freins', 'Help and hindrances'),
        prompt: t(
          'Ce qui pourrait vous aider, ce qui pourrait vous freiner.',
          'What could help you, what could hold you back.',
        ),
        box: cell(2, 1),
        placeholders: 2,
        color: 'orange',
      },
    ],
  })
})()

const fiveWhys = (() => {
  const cell = grid({ columns: new Array<number>(8).fill(280), rows: [460] })
  const whys = [1, 2, 3, 4, 5].map((n) => ({
    key: `why-${n}`,
    title: t(`Pourquoi ${n}`, `Why ${n}`),
    prompt:
      n === 1
        ? t('Pourquoi ce problème se produit-il ?', 'Why does this problem happen?')
        : t('Pourquoi la réponse précédente est-elle vraie ?', 'Why is the previous answer true?'),
    box: cell(n, 0),
    placeholders: 1,
  }))
  return defineTemplate({
    id: 'five-whys',
    category: 'framing',
    title: t('Les 5 pourquoi', 'The 5 whys'),
    description: t(
      'Remonter d’un problème à sa cause racine en demandant « pourquoi ? » cinq fois, puis décider d’une contre-mesure.',
      'Trace a problem back to its root cause by asking “why?” five times, then decide on a countermeasure.',
    ),
    sections: [
      {
        key: 'problem',
        title: t('Problème', 'Problem'),
        prompt: t('Le problème constaté, factuel et précis.', 'The problem you observe, factual and precise.'),
        box: cell(0, 0),
        placeholders: 1,
        exportField: 'problem',
        color: 'red',
      },
      ...whys,
      {
        key: 'root-cause',
        title: t('Cause racine', 'Root cause'),
        prompt: t('La cause sur laquelle vous pouvez agir.', 'The cause you can act on.'),
        box: cell(6, 0),
        placeholders: 1,
        color: 'violet',
      },
      {
        key: 'countermeasure',
        title: t('Contre-mesure', 'Countermeasure'),
        prompt: t(
          'Ce que vous allez faire, qui s’en charge et pour quand.',
          'What you will do, who owns it and by when.',
        ),
        box: cell(7, 0),
        placeholders: 1,
        color: 'green',
      },
    ],
  })
})()

const problemTree = (() => {
  const cell = grid({ columns: [700, 80, 700], rows: [440, 400, 440] })
  return defineTemplate({
    id: 'problem-tree',
    category: 'framing',
    title: t('Arbre à problèmes', 'Problem tree'),
    description: t(
      'Le problème central au tronc, ses causes aux racines, ses effets dans les branches ; à côté, l’arbre à objectifs où les causes deviennent des moyens et les effets des fins.',
      'The core problem as the trunk, its causes as roots, its effects as branches; beside it, the objective tree, where causes become means and effects become ends.',
    ),
    sections: [
      {
        key: 'effects',
        title: t('Effets (branches)', 'Effects (branches)'),
        prompt: t(
          'Les conséquences du problème, pour les usagers et pour le service.',
          'The consequences of the problem, for users and for the service.',
        ),
        box: cell(0, 0),
        placeholders: 3,
        color: 'orange',
      },
      {
        key: 'problem',
        title: t('Problème central (tronc)', 'Core problem (trunk)'),
        prompt: t(
          'Un seul problème, formulé comme une situation négative.',
          'A single problem, stated as a negative situation.',
        ),
        box: cell(0, 1),
        placeholders: 1,
        exportField: 'problem',
        color: 'red',
      },
      {
        key: 'causes',
        title: t('Causes (racines)', 'Causes (roots)'),
        prompt: t(
          'Ce qui provoque le problème ; creusez jusqu’aux causes profondes.',
          'What causes the problem; dig down to the underlying causes.',
        ),
        box: cell(0, 2),
        placeholders: 3,
        color: 'orange',
      },
      {
        key: 'ends',
        title: t('Fins', 'Ends'),
        prompt: t(
          'Chaque effet retourné en résultat positif attendu.',
          'Each effect turned into an expected positive outcome.',
        ),
        box: cell(2, 0),
        placeholders: 3,
        exportField: 'impact',
        color: 'green',
      },
      {
        key: 'objective',
        title: t('Objectif central', 'Core objective'),
        prompt: t(
          'Le problème central retourné en situation souhaitée.',
          'The core problem turned into the desired situation.',
        ),
        box: cell(2, 1),
        placeholders: 1,
        color: 'violet',
      },
      {
        key: 'means',
        title: t('Moyens', 'Means'),
        prompt: t('Chaque cause retournée en moyen d’action.', 'Each cause turned into a means of action.'),
        box: cell(2, 2),
        placeholders: 3,
        color: 'green',
      },
    ],
  })
})()

/** The public-service persona: a user of the service, met through the life event that brings them. */
const persona = (() => {
  const cell = grid({ columns: [460, 460, 460, 460], rows: [420, 420, 420, 360] })
  return defineTemplate({
    id: 'persona',
    category: 'framing',
    title: t('Persona usager', 'User persona'),
    description: t(
      'Un usager type du service : qui il est, ce qu’il vit, ce qui le freine et ce qui le motive.',
      'A typical user of the service: who they are, what they go through, what holds them back and what drives them.',
    ),
    sections: [
      {
        key: 'identity',
        title: t('Prénom et portrait', 'First name and picture'),
        prompt: t(
          'Donnez-lui un prénom et un visage (dessin, photo libre de droits).',
          'Give them a first name and a face (a drawing, a royalty-free photo).',
        ),
        box: cell(0, 0),
        placeholders: 1,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'age',
        title: t('Âge', 'Age'),
        prompt: t('Son âge ou sa tranche d’âge.', 'Their age or age group.'),
        box: cell(1, 0),
        placeholders: 1,
        color: 'blue',
      },
      {
        key: 'situation',
        title: t('Situation personnelle', 'Personal situation'),
        prompt: t(
          'Famille, travail, lieu de vie, aisance avec le numérique…',
          'Family, work, where they live, digital skills…',
        ),
        box: cell(2, 0, 2),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'quote',
        title: t('Verbatim', 'Quote'),
        prompt: t(
          'Une phrase qu’il ou elle dit vraiment, entre guillemets.',
          'Something they actually say, in quotation marks.',
        ),
        box: cell(0, 1),
        placeholders: 1,
        color: 'violet',
      },
      {
        key: 'story',
        title: t('Son histoire', 'Their story'),
        prompt: t(
          'Ce qui l’amène au service : l’événement de vie, la démarche, ce qu’il ou elle en attend.',
          'What brings them to the service: the life event, the procedure, what they expect from it.',
        ),
        box: cell(1, 1, 3),
        placeholders: 3,
      },
      {
        key: 'barriers',
        title: t('Freins', 'Barriers'),
        prompt: t(
          'Ce qui complique sa démarche : accès, compréhension, temps, confiance…',
          'What makes things hard: access, understanding, time, trust…',
        ),
        box: cell(0, 2, 2),
        placeholders: 3,
        color: 'red',
      },
      {
        key: 'motivations',
        title: t('Motivations', 'Motivations'),
        prompt: t(
          'Ce qui le ou la pousse à agir, ce qui compte pour lui ou elle.',
          'What drives them to act, what matters to them.',
        ),
        box: cell(2, 2, 2),
        placeholders: 3,
        color: 'green',
      },
      {
        key: 'emotions',
        title: t('Courbe des émotions', 'Emotion curve'),
        prompt: t(
          'Tracez son humeur au fil de la démarche : les hauts, les bas, et pourquoi.',
          'Draw their mood along the way: the highs, the lows, and why.',
        ),
        box: cell(0, 3, 4),
      },
    ],
  })
})()

const empathyMap = (() => {
  const cell = grid({ columns: [460, 460, 460, 460], rows: [420, 420, 420, 420] })
  return defineTemplate({
    id: 'empathy-map',
    category: 'framing',
    title: t('Carte d’empathie', 'Empathy map'),
    description: t(
      'Se mettre à la place d’un usager : ce qu’il voit, dit, fait, entend, pense et ressent, puis ses difficultés et ses bénéfices attendus.',
      'Step into a user’s shoes: what they see, say, do, hear, think and feel, then their pains and gains.',
    ),
    sections: [
      {
        key: 'who',
        title: t('Qui ?', 'Who?'),
        prompt: t(
          'La personne à la place de qui on se met, et sa situation.',
          'The person whose shoes we step into, and their situation.',
        ),
        box: cell(0, 0),
        placeholders: 1,
        exportField: 'users',
        color: 'blue',
      },
      {
        key: 'goals',
        title: t('Ce qu’il ou elle doit faire', 'What they need to do'),
        prompt: t(
          'Quelles tâches, quelles décisions ? Comment saura-t-on qu’il ou elle a réussi ?',
          'Which tasks, which decisions? How will we know they succeeded?',
        ),
        box: cell(1, 0, 3),
        placeholders: 3,
        color: 'blue',
      },
      {
        key: 'sees',
        title: t('Voit', 'Sees'),
        prompt: t(
          'Ce qu’il ou elle voit autour de soi, en ligne, au guichet.',
          'What they see around them, online, at the counter.',
        ),
        box: cell(0, 1),
        placeholders: 1,
      },
      {
        key: 'says',
        title: t('Dit', 'Says'),
        prompt: t('Ce qu’on l’a entendu dire, mot pour mot.', 'What we heard them say, word for word.'),
        box: cell(1, 1),
        placeholders: 1,
      },
      {
        key: 'does',
        title: t('Fait', 'Does'),
        prompt: t(
          'Ce qu’on l’a vu faire, y compris ses contournements.',
          'What we saw them do, workarounds included.',
        ),
        box: cell(2, 1),
        placeholders: 1,
      },
      {
        key: 'hears',
        title: t('Entend', 'Hears'),
        prompt: t(
          'Ce que lui disent ses proches, les agents, les médias.',
          'What friends, staff and the media tell them.',
        ),
        box: cell(3, 1),
        placeholders: 1,
      },
      {
        key: 'thinks-feels',
        title: t('Pense et ressent', 'Thinks and feels'),
        prompt: t(
          'Ses pensées, ses inquiétudes, ses espoirs, même quand il ou elle ne les dit pas.',
          'Their thoughts, worries and hopes, even unspoken ones.',
        ),
        box: cell(0, 2, 4),
        placeholders: 4,
        color: 'violet',
      },
      {
        key: 'pains',
        title: t('Difficultés', 'Pains'),
        prompt: t('Ses peurs, ses frustrations, ses obstacles.', 'Their fears, frustrations and obstacles.'),
        box: cell(0, 3, 2),
        placeholders: 3,
        color: 'red',
      },
      {
        key: 'gains',
        title: t('Bénéfices attendus', 'Gains'),
        prompt: t(
          'Ce qu’il ou elle espère obtenir, ce qui serait une réussite.',
          'What they hope to get, what success would look like.',
        ),
        box: cell(2, 3, 2),
        placeholders: 3,
        color: 'green',
      },
    ],
  })
})()

/** A power/interest grid: power grows upwards, interest grows to the right. */
const stakeholderMap = (() => {
  const cell = grid({ columns: [640, 640], rows: [460, 460] })
  return defineTemplate({
    id: 'stakeholder-map',
    category: 'framing',
    title: t('Carte des parties prenantes', 'Stakeholder map'),
    description: t(
      'Placer chaque acteur selon son pouvoir sur le projet et son intérêt pour lui, puis décider comment l’impliquer.',
      'Place each stakeholder by their power over and interest in the project, then decide how to involve them.',
    ),
    sections: [
      {
        key: 'manage-closely',
        title: t('Associer étroitement', 'Manage closely'),
        prompt: t(
          'Pouvoir fort, intérêt fort : impliquez-les à chaque étape.',
          'High power, high interest: involve them at every step.',
        ),
        box: cell(1, 0),
        placeholders: 2,
        color: 'red',
      },
      {
        key: 'keep-satisfied',
        title: t('Satisfaire', 'Keep satisfied'),
        prompt: t(
          'Pouvoir fort, intérêt faible : répondez à leurs attentes sans les surcharger.',
          'High power, low interest: meet their expectations without overloading them.',
        ),
        box: cell(0, 0),
        placeholders: 2,
        color: 'orange',
      },
      {
        key: 'keep-informed',
        title: t('Tenir informés', 'Keep informed'),
        prompt: t(
          'Pouvoir faible, intérêt fort : informez-les régulièrement.',
          'Low power, high interest: keep them regularly informed.',
        ),
        box: cell(1, 1),
        placeholders: 2,
        color: 'blue',
      },
      {
        key: 'monitor',
        title: t('Surveiller', 'Monitor'),
        prompt: t(
          'Pouvoir faible, intérêt faible : gardez un œil sur eux, sans plus.',
          'Low power, low interest: keep an eye on them, no more.',
        ),
        box: cell(0, 1),
        placeholders: 2,
        color: 'grey',
      },
    ],
  })
})()

export const framingTemplates: readonly TemplateDefinition[] = [
  pointOfView,
  problemStatement,
  problemStatementState,
  fiveWhys,
  problemTree,
  persona,
  empathyMap,
  stakeholderMap,
]
