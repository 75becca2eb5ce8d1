import type { EventTemplateContent } from '@fabrique/templates'

/** A selection a facilitator saved on a board, offered to the event's boards and to the push. */
export interface EventTemplate {
  id: string
  eventId: string
  name: string
  content: EventTemplateContent
  createdAt: string
}

export type NewEventTemplate = Pick<EventTemplate, 'eventId' | 'name' | 'content'>

/** The event's own templates; in the same database as the events. */
export interface EventTemplateStore {
  saveTemplate(template: NewEventTemplate): Promise<EventTemplate>
  /** Oldest first. */
  listTemplates(eventId: string): Promise<EventTemplate[]>
  getTemplate(eventId: string, templateId: string): Promise<EventTemplate | undefined>
  /** False when the event has no such template. */
  deleteTemplate(eventId: string, templateId: string): Promise<boolean>
}

/** Event template ids never look like a built-in template's (which are words with dashes). */
export const newEventTemplateId = (): string => `evt_${crypto.randomUUID().replaceAll('-', '')}`
