import { PROJECT_SHEET_FIELDS } from '@fabrique/templates'
import { PROJECT_SHEET_SCHEMA_VERSION } from './types.ts'

const localized = {
  type: 'object',
  description: 'The same text in French and English.',
  required: ['fr', 'en'],
  additionalProperties: false,
  properties: { fr: { type: 'string' }, en: { type: 'string' } },
} as const

const noteList = { type: 'array', items: { $ref: '#/$defs/note' } } as const

/**
 * JSON Schema (2020-12) of `ProjectSheet`, the JSON export of a team's board. Kept next to the type
 * and checked against real exports by the tests; docs/project-sheet.schema.md explains it.
 */
export const PROJECT_SHEET_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Fabrique project sheet (fiche projet)',
  type: 'object',
  required: ['schemaVersion', 'title', 'event', 'team', 'challenge', 'fields', 'otherNotes', 'templates', 'juryScores', 'presentation', 'exportedAt'],
  additionalProperties: false,
  properties: {
    schemaVersion: { const: PROJECT_SHEET_SCHEMA_VERSION },
    title: { type: 'string', description: 'The notes of the title field joined by " / ", else the team name.' },
    event: {
      type: 'object',
      required: ['id', 'title', 'date'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, title: { type: 'string' }, date: { type: 'string', description: 'YYYY-MM-DD' } },
    },
    team: {
      type: 'object',
      required: ['id', 'name', 'boardId', 'members'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        boardId: { type: 'string' },
        members: { type: 'array', items: { type: 'string' }, description: 'Pseudonyms.' },
      },
    },
    challenge: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['title', 'description', 'datasets'],
          additionalProperties: false,
          properties: {
            title: { type: 'string' },
            description: { type: 'string' },
            datasets: {
              type: 'array',
              items: {
                type: 'object',
                required: ['title', 'url'],
                additionalProperties: false,
                properties: { title: { type: 'string' }, url: { type: 'string' } },
              },
            },
          },
        },
      ],
    },
    fields: {
      type: 'object',
      required: [...PROJECT_SHEET_FIELDS],
      additionalProperties: false,
      properties: Object.fromEntries(PROJECT_SHEET_FIELDS.map((field) => [field, { $ref: '#/$defs/field' }])),
    },
    otherNotes: { ...noteList, description: 'Notes in no section of any template.' },
    templates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['templateId', 'frameId', 'title', 'locale', 'sections', 'otherNotes'],
        additionalProperties: false,
        properties: {
          templateId: { type: 'string' },
          frameId: { type: 'string' },
          title: localized,
          locale: { enum: ['fr', 'en'] },
          sections: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'title', 'exportField', 'notes'],
              additionalProperties: false,
              properties: {
                key: { type: 'string' },
                title: localized,
                exportField: { oneOf: [{ type: 'null' }, { enum: [...PROJECT_SHEET_FIELDS] }] },
                notes: noteList,
              },
            },
          },
          otherNotes: { ...noteList, description: 'Notes in the frame but in none of its sections.' },
        },
      },
    },
    juryScores: {
      description: 'The jury’s evaluation (means of 1-5 scores), when the reader may see it: organisers and jurors always, everyone once the results are published.',
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['criteria', 'overall', 'jurors', 'comments'],
          additionalProperties: false,
          properties: {
            criteria: {
              type: 'array',
              items: {
                type: 'object',
                required: ['key', 'title', 'average'],
                additionalProperties: false,
                properties: { key: { type: 'string' }, title: localized, average: { type: ['number', 'null'] } },
              },
            },
            overall: { type: ['number', 'null'] },
            jurors: { type: 'integer' },
            comments: { type: 'array', items: { type: 'string' } },
          },
        },
      ],
    },
    presentation: {
      description: 'The slides the team presented at the restitution, in its order; null when it did not present.',
      oneOf: [
        { type: 'null' },
        {
          type: 'array',
          items: {
            type: 'object',
            required: ['shapeId', 'title'],
            additionalProperties: false,
            properties: { shapeId: { type: 'string' }, title: { type: 'string' } },
          },
        },
      ],
    },
    exportedAt: { type: 'string', format: 'date-time' },
  },
  $defs: {
    note: {
      type: 'object',
      required: ['shapeId', 'text', 'votes'],
      additionalProperties: false,
      properties: {
        shapeId: { type: 'string' },
        text: { type: 'string' },
        author: { type: 'string' },
        votes: { type: 'integer', minimum: 0 },
      },
    },
    field: {
      type: 'object',
      required: ['title', 'notes', 'source'],
      additionalProperties: false,
      properties: {
        title: localized,
        notes: noteList,
        source: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['templateId', 'sectionKey'],
              additionalProperties: false,
              properties: { templateId: { type: 'string' }, sectionKey: { type: 'string' } },
            },
          ],
        },
      },
    },
  },
} as const
