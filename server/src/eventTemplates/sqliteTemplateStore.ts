import type { EventTemplateContent } from '@fabrique/templates'
import type Database from 'better-sqlite3'
import { migrateSqlite } from '../storage/sqliteMigrations.ts'
import { type EventTemplate, type EventTemplateStore, type NewEventTemplate, newEventTemplateId } from './types.ts'

interface TemplateRow {
  id: string
  event_id: string
  name: string
  content: string
  created_at: string
}

const fromRow = (row: TemplateRow): EventTemplate => ({
  id: row.id,
  eventId: row.event_id,
  name: row.name,
  content: JSON.parse(row.content) as EventTemplateContent,
  createdAt: row.created_at,
})

export class SqliteTemplateStore implements EventTemplateStore {
  private readonly q

  constructor(db: Database.Database) {
    migrateSqlite(db)
    this.q = {
      insert: db.prepare('INSERT INTO event_templates (id, event_id, name, content, created_at) VALUES (?, ?, ?, ?, ?)'),
      // Two templates saved in the same millisecond keep the order they were saved in (rowid).
      list: db.prepare<[string], TemplateRow>('SELECT * FROM event_templates WHERE event_id = ? ORDER BY created_at, rowid'),
      get: db.prepare<[string, string], TemplateRow>('SELECT * FROM event_templates WHERE event_id = ? AND id = ?'),
      remove: db.prepare<[string, string]>('DELETE FROM event_templates WHERE event_id = ? AND id = ?'),
    }
  }

  async saveTemplate(template: NewEventTemplate): Promise<EventTemplate> {
    const saved: EventTemplate = { ...template, id: newEventTemplateId(), createdAt: new Date().toISOString() }
    this.q.insert.run(saved.id, saved.eventId, saved.name, JSON.stringify(saved.content), saved.createdAt)
    return saved
  }

  async listTemplates(eventId: string): Promise<EventTemplate[]> {
    return this.q.list.all(eventId).map(fromRow)
  }

  async getTemplate(eventId: string, templateId: string): Promise<EventTemplate | undefined> {
    const row = this.q.get.get(eventId, templateId)
    return row ? fromRow(row) : undefined
  }

  async deleteTemplate(eventId: string, templateId: string): Promise<boolean> {
    return this.q.remove.run(eventId, templateId).changes > 0
  }
}
