export { getTemplate, isTemplateId, listTemplates, normalizeForSearch, searchTemplates } from './catalog.ts'
export {
  checkTemplateRecords,
  EVENT_TEMPLATE_LIMITS,
  instantiateEventTemplate,
  normaliseSelection,
  TEMPLATE_ROOT_PARENT,
} from './eventTemplate.ts'
export type { EventTemplateContent, InstantiateSavedOptions, SavedTemplate, SelectionContent, TemplateCheck } from './eventTemplate.ts'
export { DEFAULT_FREE_SPACE_MARGIN, findFreeSpace } from './freeSpace.ts'
export type { FindFreeSpaceOptions } from './freeSpace.ts'
export { instantiateTemplate } from './instantiate.ts'
export type { InstantiateOptions } from './instantiate.ts'
export { FABRIQUE_META_KEY, readTemplateMeta, templateMeta } from './meta.ts'
export type {
  TemplateDividerMeta,
  TemplateFrameMeta,
  TemplateSectionMeta,
  TemplateShapeMeta,
  TemplateShapeRole,
} from './meta.ts'
export { NOTE_SIZE, placeholderPositions, SECTION_HEADER_HEIGHT, SECTION_PADDING } from './sectionLayout.ts'
export { PROJECT_SHEET_FIELD_TITLES, PROJECT_SHEET_FIELDS } from './templates/sheet.ts'
export { frenchTypography } from './typography.ts'
export type {
  DividerDefinition,
  Locale,
  Localized,
  Point,
  ProjectSheetField,
  Rect,
  SectionColor,
  SectionDefinition,
  Size,
  TemplateCategory,
  TemplateDefinition,
  TemplateId,
} from './types.ts'
export {
  type PlacedAtRest,
  type PlaceOptions,
  type PlaceResult,
  PUSHES_MAP,
  type PushEntry,
  PushGround,
  placeTemplate,
  placeTemplateAtRest,
  prepareOutline,
  followOutline,
  pushGroundOf,
  type WithdrawResult,
  withdrawPush,
} from './place.ts'
