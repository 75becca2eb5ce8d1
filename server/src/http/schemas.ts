import { z } from '@hono/zod-openapi'

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'team_full' }),
      message: z.object({ fr: z.string(), en: z.string() }),
    }),
  })
  .openapi('Error')

const Dataset = z.object({ title: z.string().min(1).max(200), url: z.url().max(2000) })

const AgendaPhase = z.object({
  title: z.string().trim().min(1).max(120),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  durationMinutes: z.number().int().min(1).max(24 * 60),
})

export const EventSettings = z.object({
  maxTeamSize: z.number().int().min(1).max(50).default(8),
  teamsCanViewOtherBoards: z.boolean().default(false),
  participantsCanWritePlenary: z.boolean().default(true),
})

export const NewEventBody = z
  .object({
    title: z.string().trim().min(1).max(200).openapi({ example: 'Hackathon mobilités – Semaine de l’innovation publique' }),
    date: z.iso.date().openapi({ example: '2026-11-26' }),
    agenda: z.array(AgendaPhase).max(50).default([]),
    challenges: z
      .array(z.object({ title: z.string().trim().min(1).max(200), description: z.string().max(5000).default(''), datasets: z.array(Dataset).max(50).default([]) }))
      .max(100)
      .default([]),
    settings: EventSettings.default({ maxTeamSize: 8, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true }),
  })
  .openapi('NewEvent')

export const EventPatchBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    date: z.iso.date().optional(),
    agenda: z.array(AgendaPhase).max(50).optional(),
    settings: EventSettings.partial().optional(),
  })
  .openapi('EventPatch')

export const Event = z
  .object({
    id: z.string(),
    title: z.string(),
    date: z.string(),
    agenda: z.array(AgendaPhase),
    challenges: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), datasets: z.array(Dataset) })),
    settings: EventSettings,
    joinCode: z.string(),
    plenaryBoardId: z.string(),
    /** The event's live board: timer, broadcast, locks; read-only, written by the server. */
    liveBoardId: z.string(),
    createdAt: z.string(),
  })
  .openapi('Event')

export const Links = z
  .object({
    organiser: z.string().openapi({ description: 'Private: whoever holds it manages the event.' }),
    facilitator: z.string(),
    jury: z.string(),
    join: z.string(),
    joinCode: z.string(),
  })
  .openapi('Links')

export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    challengeId: z.string().nullable(),
    boardId: z.string(),
    members: z.array(z.object({ id: z.string(), pseudonym: z.string() })),
    full: z.boolean(),
  })
  .openapi('Team')

export const Member = z.object({ id: z.string(), pseudonym: z.string(), teamId: z.string().nullable() }).openapi('Member')

export const Pseudonym = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((name) => ![...name].some((ch) => ch < ' ' || ch === '<' || ch === '>'), 'no control characters or angle brackets')

export const JoinBody = z.object({ code: z.string().trim().min(4).max(12), pseudonym: Pseudonym }).openapi('Join')
export const NewTeamBody = z.object({ name: z.string().trim().min(1).max(60), challengeId: z.string().nullable().default(null) }).openapi('NewTeam')

export const Me = z
  .object({
    role: z.enum(['organiser', 'facilitator', 'participant', 'jury']),
    eventId: z.string(),
    member: Member.nullable(),
  })
  .openapi('Me')

export const BoardCard = z
  .object({
    boardId: z.string(),
    kind: z.enum(['team', 'plenary']),
    team: z
      .object({ id: z.string(), name: z.string(), challengeId: z.string().nullable(), members: z.array(z.object({ id: z.string(), pseudonym: z.string() })) })
      .nullable(),
    online: z.object({ connections: z.number(), members: z.array(z.object({ id: z.string(), pseudonym: z.string() })) }),
    lastActivity: z.string().nullable().openapi({ description: 'ISO time of the last change, null when never edited' }),
    size: z.object({ bytes: z.number(), limit: z.number() }).openapi({ description: 'Stored size against the limit past which the board refuses changes' }),
    shapes: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Shapes on the board, as of a few seconds ago; null while a board written before has not been counted yet' }),
    preview: z
      .string()
      .nullable()
      .openapi({ description: 'Address of a small SVG picture of the board (same token as this list); it changes with the board. Null when there is none yet' }),
  })
  .openapi('BoardCard')
