import { describe, expect, test } from 'vitest'
import { getTemplate, isTemplateId, listTemplates, normalizeForSearch, searchTemplates } from './catalog.ts'
import { PROJECT_SHEET_FIELD_TITLES, PROJECT_SHEET_FIELDS } from './templates/sheet.ts'
import type { Locale, Localized, TemplateDefinition, TemplateId } from './types.ts'

const templates = listTemplates()
const locales: Locale[] = ['fr', 'en']

/** Every piece of text a template shows, with a label saying where it comes from. */
function texts(template: TemplateDefinition): [string, Localized][] {
  return [
    [`${template.id}.title`, template.title],
    [`${template.id}.description`, template.description],
    ...template.sections.flatMap((section): [string, Localized][] => [
      [`${template.id}.${section.key}.title`, section.title],
      [`${template.id}.${section.key}.prompt`, section.prompt],
    ]),
    ...(template.dividers ?? []).map((divider): [string, Localized] => [
      `${template.id}.${divider.key}.label`,
      divider.label,
    ]),
  ]
}

/** Words that are the same in both languages. */
const SAME_IN_BOTH = new Set(['Persona', 'Motivations', 'Actions', 'Solution', 'Impact', 'Lean canvas'])
const isSameInBoth = (text: string) => SAME_IN_BOTH.has(text) || /^Phase \d$/.test(text)

describe('catalog', () => {
  test('holds every template of templates.md, once, in menu order by category', () => {
    const expected: TemplateId[] = [
      'point-of-view',
      'problem-statement',
      'problem-statement-state',
      'five-whys',
      'problem-tree',
      'persona',
      'empathy-map',
      'stakeholder-map',
      'journey-map',
      'service-blueprint',
      'elevator-pitch',
      'restitution-pitch',
      'lean-canvas',
      'value-proposition-canvas',
      'business-model-canvas',
      'project-sheet',
    ]
    expect(templates.map((template) => template.id)).toEqual(expected)
    expect(listTemplates('framing')).toHaveLength(8)
    expect(listTemplates('journey').map((template) => template.id)).toEqual(['journey-map', 'service-blueprint'])
    expect(listTemplates('pitch')).toHaveLength(5)
    expect(listTemplates('sheet').map((template) => template.id)).toEqual(['project-sheet'])
  })

  test('getTemplate and isTemplateId', () => {
    expect(getTemplate('lean-canvas').title.en).toBe('Lean canvas')
    expect(getTemplate('nope')).toBeUndefined()
    expect(isTemplateId('persona')).toBe(true)
    expect(isTemplateId('toString')).toBe(false)
  })

  test('definitions are frozen, so one caller cannot change them for every board', () => {
    const template = getTemplate('persona')
    expect(Object.isFrozen(template)).toBe(true)
    expect(Object.isFrozen(template.sections[0]?.box)).toBe(true)
  })
})

describe.each(templates.map((template) => [template.id, template] as const))('%s', (_id, template) => {
  test('section keys are unique, stable-looking and distinct from divider keys', () => {
    const keys = [...template.sections.map((s) => s.key), ...(template.dividers ?? []).map((d) => d.key)]
    expect(new Set(keys).size).toBe(keys.length)
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  test('every text is non-empty in both languages and translated', () => {
    for (const [where, text] of texts(template)) {
      expect(text.fr.trim(), where).not.toBe('')
      expect(text.en.trim(), where).not.toBe('')
      if (!isSameInBoth(text.en)) expect(text.fr, where).not.toBe(text.en)
    }
  })

  test('section titles are unique within the template, in each language', () => {
    for (const locale of locales) {
      const titles = template.sections.map((section) => section.title[locale])
      expect(new Set(titles).size, locale).toBe(titles.length)
    }
  })

  test('French follows French typography', () => {
    for (const [where, { fr }] of texts(template)) {
      expect(fr, where).not.toMatch(/'/)
      expect(fr, where).not.toMatch(/[ \t][:;?!»]/)
      expect(fr, where).not.toMatch(/«[ \t]/)
      expect(fr, where).not.toMatch(/"/)
      expect(fr, where).not.toMatch(/[^\u00a0]:/)
      expect(fr, where).not.toMatch(/[^\u202f][;?!]/)
    }
  })
})

describe('project sheet mapping', () => {
  test('the project-sheet template has one section per field, in export order', () => {
    const sheet = getTemplate('project-sheet')
    expect(sheet.sections.map((section) => section.exportField)).toEqual(PROJECT_SHEET_FIELDS)
    for (const field of PROJECT_SHEET_FIELDS) {
      const section = sheet.sections.find((s) => s.exportField === field)
      expect(section?.title).toEqual(PROJECT_SHEET_FIELD_TITLES[field])
    }
  })

  test('the restitution pitch feeds one field per slide', () => {
    const fields = Object.fromEntries(
      getTemplate('restitution-pitch').sections.map((section) => [section.key, section.exportField]),
    )
    expect(fields).toEqual({
      problem: 'problem',
      users: 'users',
      solution: 'solution',
      data: 'data',
      impact: 'impact',
      'next-steps': 'nextSteps',
    })
  })

  test.each([
    ['lean-canvas', 'problem', 'problem'],
    ['lean-canvas', 'segments', 'users'],
    ['problem-statement', 'problem', 'problem'],
    ['problem-statement-state', 'challenge', 'problem'],
    ['persona', 'identity', 'users'],
    ['empathy-map', 'who', 'users'],
  ] as const)('%s %s feeds %s', (templateId, key, field) => {
    expect(getTemplate(templateId).sections.find((s) => s.key === key)?.exportField).toBe(field)
  })

  test('"Je démarre mon projet" is its own template', () => {
    const state = getTemplate('problem-statement-state')
    expect(state.title.fr).toBe('Je démarre mon projet')
    expect(state.sections.map((section) => section.key)).toEqual([
      'challenge',
      'existing',
      'ideal',
      'objective',
      'help-hinder',
    ])
  })
})

describe('searchTemplates', () => {
  const ids = (query: string, locale: Locale) => searchTemplates(query, locale).map((template) => template.id)

  test('finds the empathy map in French, whatever the case and accents', () => {
    expect(ids('empathie', 'fr')[0]).toBe('empathy-map')
    expect(ids('EMPATHIE', 'fr')[0]).toBe('empathy-map')
    expect(ids('empathié', 'fr')[0]).toBe('empathy-map')
    expect(ids('empathy', 'en')[0]).toBe('empathy-map')
  })

  test('finds the lean canvas in both languages', () => {
    expect(ids('lean', 'fr')).toEqual(['lean-canvas'])
    expect(ids('Lean', 'en')).toEqual(['lean-canvas'])
  })

  test('matches section titles and descriptions, titles first', () => {
    expect(ids('cause racine', 'fr')).toEqual(['five-whys', 'problem-tree'])
    expect(ids('etat', 'fr')).toContain('problem-statement-state')
    const canvas = ids('canevas', 'fr')
    expect(canvas.slice(0, 2)).toEqual(['value-proposition-canvas', 'business-model-canvas'])
  })

  test('ignores typographic apostrophes and spaces', () => {
    expect(ids("carte d'empathie", 'fr')).toEqual(['empathy-map'])
    expect(ids('  fiche   projet ', 'fr')[0]).toBe('project-sheet')
  })

  test('an empty query lists everything; nonsense finds nothing', () => {
    expect(ids('', 'fr')).toHaveLength(templates.length)
    expect(ids('zzzz', 'en')).toEqual([])
  })

  test('normalizeForSearch', () => {
    expect(normalizeForSearch('Carte d’Empathie\u00a0: Œil ÉTÉ')).toBe("carte d'empathie : œil ete")
  })
})
