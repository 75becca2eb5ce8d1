import type { JsonObject } from 'tldraw'
import type { Locale } from './types.ts'

/** Everything Fabrique writes in a shape's meta lives under this key. */
export const FABRIQUE_META_KEY = 'fabrique'

export type TemplateShapeRole = 'template' | 'section' | 'prompt' | 'placeholder' | 'divider'

/** The frame holding one instance of a template. */
export interface TemplateFrameMeta {
  templateId: string
  role: 'template'
  locale: Locale
  pushId?: string
}

/** A section's rectangle, its prompt, or one of its placeholder notes. */
export interface TemplateSectionMeta {
  templateId: string
  role: 'section' | 'prompt' | 'placeholder'
  sectionKey: string
  pushId?: string
}

/** A divider's line or its label. */
export interface TemplateDividerMeta {
  templateId: string
  role: 'divider'
  dividerKey: string
  pushId?: string
}

export type TemplateShapeMeta = TemplateFrameMeta | TemplateSectionMeta | TemplateDividerMeta

/** The `meta` of a shape created from a template. */
export function templateMeta(fields: TemplateShapeMeta): JsonObject {
  const fabrique: JsonObject = {}
  for (const [key, value] of Object.entries(fields)) {
    // tldraw's meta is JSON: an absent pushId must be left out, not stored as undefined.
    if (value !== undefined) fabrique[key] = value
  }
  return { [FABRIQUE_META_KEY]: fabrique }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string'

/** What a template wrote in a shape's meta, or undefined for any other shape. */
export function readTemplateMeta(meta: unknown): TemplateShapeMeta | undefined {
  if (!isRecord(meta)) return undefined
  const fields = meta[FABRIQUE_META_KEY]
  if (!isRecord(fields) || typeof fields.templateId !== 'string' || !optionalString(fields.pushId)) {
    return undefined
  }
  const { templateId } = fields
  const pushId = fields.pushId as string | undefined
  const extra = pushId === undefined ? {} : { pushId }
  switch (fields.role) {
    case 'template':
      return fields.locale === 'fr' || fields.locale === 'en'
        ? { templateId, role: 'template', locale: fields.locale, ...extra }
        : undefined
    case 'section':
    case 'prompt':
    case 'placeholder':
      return typeof fields.sectionKey === 'string'
        ? { templateId, role: fields.role, sectionKey: fields.sectionKey, ...extra }
        : undefined
    case 'divider':
      return typeof fields.dividerKey === 'string'
        ? { templateId, role: 'divider', dividerKey: fields.dividerKey, ...extra }
        : undefined
    default:
      return undefined
  }
}
