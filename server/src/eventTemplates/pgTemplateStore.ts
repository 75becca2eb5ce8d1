import type { EventTemplateContent } from '@fabrique/templates'
import type pg from 'pg'
import { type EventTemplate, type EventTemplateStore, type NewEventTemplate, newEventTemplateId } from './types.ts'

interface TemplateRow {
  id: string
  event_id: string
  name: string
  content: EventTemplateContent
  created_at: Date
}

const fromRow = (row: TemplateRow): EventTemplate => ({
  id: row.id,
  eventId: row.event_id,
  name: row.name,
  content: row.content,
  createdAt: row.created_at.toISOString(),
})

export class PgTemplateStore implements EventTemplateStore {
  constructor(private readonly pool: pg.Pool) {}

  async saveTemplate(template: NewEventTemplate): Promise<EventTemplate> {
    const { rows } = await this.pool.query<TemplateRow>(
      'INSERT INTO event_templates (id, event_id, name, content, created_at) VALUES ($1, $2, $3, $4, now()) RETURNING *',
      [newEventTemplateId(), template.eventId, template.name, JSON.stringify(template.content)],
    )
    return fromRow(rows[0] as TemplateRow)
  }

  async listTemplates(eventId: string): Promise<EventTemplate[]> {
    const { rows } = await this.pool.query<TemplateRow>('SELECT * FROM event_templates WHERE event_id = $1 ORDER BY created_at, id', [eventId])
    return rows.map(fromRow)
  }

  async getTemplate(eventId: string, templateId: string): Promise<EventTemplate | undefined> {
    const { rows } = await this.pool.query<TemplateRow>('SELECT * FROM event_templates WHERE event_id = $1 AND id = $2', [eventId, templateId])
    return rows[0] ? fromRow(rows[0]) : undefined
  }

  async deleteTemplate(eventId: string, templateId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM event_templates WHERE event_id = $1 AND id = $2', [eventId, templateId])
    return (rowCount ?? 0) > 0
  }
}
