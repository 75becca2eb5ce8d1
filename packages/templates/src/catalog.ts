import { framingTemplates } from './templates/framing.ts'
import { journeyTemplates } from './templates/journey.ts'
import { pitchTemplates } from './templates/pitch.ts'
import { sheetTemplates } from './templates/sheet.ts'
import type { Locale, TemplateCategory, TemplateDefinition, TemplateId } from './types.ts'

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

// Frozen because every board shares these definitions: a caller mutating one would change them all.
const catalog: readonly TemplateDefinition[] = deepFreeze([
  ...framingTemplates,
  ...journeyTemplates,
  ...pitchTemplates,
  ...sheetTemplates,
])

const byId = new Map<string, TemplateDefinition>(catalog.map((template) => [template.id, template]))

/** Every template, in menu order; only those of one category when given. */
export function listTemplates(category?: TemplateCategory): readonly TemplateDefinition[] {
  return category ? catalog.filter((template) => template.category === category) : catalog
}

export function isTemplateId(id: string): id is TemplateId {
  return byId.has(id)
}

export function getTemplate(id: TemplateId): TemplateDefinition
export function getTemplate(id: string): TemplateDefinition | undefined
export function getTemplate(id: string): TemplateDefinition | undefined {
  return byId.get(id)
}

/** Lower case, no accents, plain apostrophes and spaces: what people type in a search box. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/gu, ' ')
    .trim()
}

const TITLE_WEIGHT = 3
const SECTION_WEIGHT = 2
const DESCRIPTION_WEIGHT = 1

function score(template: TemplateDefinition, locale: Locale, words: readonly string[]): number {
  const title = normalizeForSearch(template.title[locale])
  const description = normalizeForSearch(template.description[locale])
  const sections = template.sections.map((section) => normalizeForSearch(section.title[locale]))
  let total = 0
  for (const word of words) {
    const weight = title.includes(word)
      ? TITLE_WEIGHT
      : sections.some((section) => section.includes(word))
        ? SECTION_WEIGHT
        : description.includes(word)
          ? DESCRIPTION_WEIGHT
          : 0
    if (weight === 0) return 0
    total += weight
  }
  return total
}

/**
 * Templates whose title, description or section titles contain every word of the query, ignoring
 * case and accents, best matches first (title, then sections, then description). An empty query
 * lists every template.
 */
export function searchTemplates(query: string, locale: Locale): TemplateDefinition[] {
  const words = normalizeForSearch(query).split(' ').filter(Boolean)
  if (words.length === 0) return [...catalog]
  return catalog
    .map((template, order) => ({ template, order, score: score(template, locale, words) }))
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((match) => match.template)
}
